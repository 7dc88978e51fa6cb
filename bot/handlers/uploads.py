"""Uploads: a report file sent by an admin is downloaded, ingested in a worker process
(:mod:`bot.ingest_worker`) with its progress shown, and stored whole or not at all."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import Message, Update
from telegram.error import TelegramError

from bot import messages
from bot.config import BotConfig
from bot.formatting import Line, bold, line
from bot.handlers.common import logger, say
from bot.ingest_worker import Job, Outcome, run_worker
from bot.replies import edit, send_lines
from bot.state import BotContext
from bot.uploads import UploadSlot, upload_name
from ingest.loaders import SUPPORTED_SUFFIXES, mb_to_bytes
from ingest.script import Script
from ingest.types import IngestSummary

# The Bot API lets a bot download files of at most 20 MB.
BOT_API_DOWNLOAD_LIMIT_MB = 20.0
# How often the upload status message is edited while ingesting (seconds).
PROGRESS_INTERVAL = 1.0


@dataclass(frozen=True)
class _Attachment:
    """A file sent in a message: a document, or a photo (its largest size)."""

    file_id: str
    name: str
    size: int | None


def _attachment(message: Message) -> _Attachment | None:
    if message.document is not None:
        document = message.document
        return _Attachment(document.file_id, upload_name(document.file_name), document.file_size)
    if message.photo:
        # A compressed photo has no name: one from when it was sent, and Telegram's own
        # id of the picture (the same photo sent twice is one report).
        photo = max(message.photo, key=lambda p: p.width * p.height)
        name = f"photo_{message.date:%Y%m%d_%H%M%S}_{photo.file_unique_id}.jpg"
        return _Attachment(photo.file_id, upload_name(name), photo.file_size)
    return None


async def on_document(update: Update, context: BotContext) -> None:
    """Ingest a report file or photo (read by OCR) sent by an admin; refuse anyone
    else's, politely."""
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    document = _attachment(message) if message is not None else None
    if message is None or document is None or chat is None:
        return
    script = messages.script_for(update, message.caption)
    if not context.bot_data.access.is_admin(user.id if user else None):
        logger.warning(
            "chat %s: upload by non-admin user %s refused", chat.id, user.id if user else None
        )
        await say(update, context, [line(messages.text("upload_not_admin", script))])
        return
    name = document.name
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        types = " ".join(sorted(SUPPORTED_SUFFIXES))
        await say(
            update,
            context,
            [line(messages.text("upload_bad_type", script, name=name, types=types))],
        )
        return
    config = context.bot_data.config
    limit_mb = min(BOT_API_DOWNLOAD_LIMIT_MB, config.max_file_mb)
    max_bytes = mb_to_bytes(limit_mb)
    if document.size and document.size > max_bytes:
        size = f"{document.size / 1024 / 1024:.1f}"
        await say(
            update,
            context,
            [
                line(
                    messages.text(
                        "upload_too_big", script, name=name, size=size, limit=f"{limit_mb:g}"
                    )
                )
            ],
        )
        return
    status = (
        await send_lines(
            context.bot, chat.id, [line(messages.text("upload_downloading", script, name=name))]
        )
    )[0]
    lock = context.bot_data.ingest_lock
    stopping = context.bot_data.stopping
    if lock.locked():
        await edit(context.bot, status, [line(messages.text("upload_waiting", script))])
    async with lock:  # one ingest at a time
        if stopping.is_set():
            stopped = messages.text("upload_stopped", script, name=name)
            await edit(context.bot, status, [line(stopped)])
            return
        slot = UploadSlot(config.uploads_dir, name)
        slot.prepare()
        try:
            telegram_file = await context.bot.get_file(document.file_id)
            await telegram_file.download_to_drive(custom_path=slot.incoming)
        except TelegramError as e:
            slot.incoming.unlink(missing_ok=True)
            logger.warning("chat %s: cannot download %s: %s", chat.id, name, e)
            await edit(
                context.bot,
                status,
                [line(messages.text("upload_download_failed", script, name=name))],
            )
            return
        logger.info(
            "chat %s: admin %s uploaded %s (%d bytes) as %s",
            chat.id,
            user.id if user else None,
            name,
            slot.incoming.stat().st_size,
            slot.doc_id,
        )
        slot.swap_in()
        outcome = None
        try:
            outcome = await _ingest_with_status(context, status, script, name, slot, max_bytes)
        finally:
            if outcome is not None and _stored(outcome):
                slot.keep()
            else:
                slot.roll_back()
    await edit(context.bot, status, _outcome_lines(outcome, name, script, config))


async def _ingest_with_status(
    context: BotContext,
    status: Message,
    script: Script,
    name: str,
    slot: UploadSlot,
    max_bytes: int,
) -> Outcome:
    """Ingest the upload in a worker process, editing ``status`` as documents are done, then
    store what it made. Nothing is stored unless the worker finished within its budget."""
    done = [0]
    page = [0]  # the page OCR is reading (0: none)

    def tick() -> None:
        done[0] += 1
        page[0] = 0

    def on_page(number: int) -> None:
        page[0] = number

    async def report_progress() -> None:
        shown = (-1, 0)
        while True:
            if (done[0], page[0]) != shown:
                shown = (done[0], page[0])
                key, args = ("upload_ocr_page", {"page": page[0]}) if page[0] else (
                    "upload_ingesting", {"done": done[0]}
                )  # fmt: skip
                await edit(
                    context.bot, status, [line(messages.text(key, script, name=name, **args))]
                )
            await asyncio.sleep(PROGRESS_INTERVAL)

    config = context.bot_data.config
    store = context.bot_data.services.store
    started = time.perf_counter()
    progress = asyncio.create_task(report_progress())
    try:
        outcome = await run_worker(
            Job(slot.path, slot.root, max_bytes, config.worker),
            store,
            timeout=config.ingest_timeout,
            stopping=context.bot_data.stopping,
            tick=tick,
            page=on_page,
        )
    finally:
        progress.cancel()
        with contextlib.suppress(asyncio.CancelledError, TelegramError):
            await progress
    if outcome.kind == "done":
        # The store's own write, a whole report at a time; quick next to the worker's part.
        for batch in outcome.batches:
            await asyncio.to_thread(store.replace_reports, batch)
        if outcome.summary is not None:
            outcome.summary.seconds = time.perf_counter() - started
    else:
        logger.warning("upload %s not ingested: %s %s", slot.doc_id, outcome.kind, outcome.reason)
    return outcome


def _stored(outcome: Outcome) -> bool:
    """Whether the store now holds the uploaded file's reports (new or unchanged)."""
    summary = outcome.summary
    return (
        outcome.kind == "done"
        and summary is not None
        and summary.added + summary.updated + summary.unchanged > 0
    )


def _outcome_lines(
    outcome: Outcome | None, name: str, script: Script, config: BotConfig
) -> list[Line]:
    if outcome is not None and outcome.kind == "done" and outcome.summary is not None:
        return _summary_lines(outcome.summary, name, script)
    kind = outcome.kind if outcome is not None else "failed"
    seconds = f"{config.ingest_timeout:g}"
    return [line(messages.text(f"upload_{kind}", script, name=name, seconds=seconds))]


def _summary_lines(summary: IngestSummary, name: str, script: Script) -> list[Line]:
    text = messages.text(
        "upload_done",
        script,
        name=name,
        added=summary.added,
        updated=summary.updated,
        unchanged=summary.unchanged,
        failed=len(summary.failed),
        seconds=f"{summary.seconds:.1f}",
    )
    lines = [line(bold(text.splitlines()[0])), *(line(t) for t in text.splitlines()[1:])]
    for failure in summary.failed:
        lines.append(
            line(
                messages.text(
                    "upload_failed_line",
                    script,
                    path=Path(failure["path"]).name,
                    error=failure["error"],
                )
            )
        )
    for warning in summary.warnings:
        lines.append(line(messages.text("upload_warning_line", script, warning=warning["warning"])))
    return lines

"""What the bot does with each kind of update.

Everything slow (the answering chain, store queries, ingesting) runs in a worker thread, so the
event loop keeps serving other chats. Questions of one chat are answered one after another (a
follow-up needs the answer before it); different chats are served concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import messages
from bot.access import Access
from bot.formatting import (
    Line,
    answer_lines,
    bold,
    in_script,
    italic,
    joined,
    line,
    sources_lines,
)
from bot.ingest_worker import Job, Outcome, child_settings, run_worker
from bot.ratelimit import QuestionLimit
from bot.replies import edit, send_lines, typing
from bot.uploads import UploadSlot, upload_name
from govqa.settings import Settings
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.script import Script, detect_script, to_simplified
from ingest.types import IngestSummary
from retrieval.types import Answer

logger = logging.getLogger(__name__)

# The Bot API lets a bot download files of at most 20 MB.
BOT_API_DOWNLOAD_LIMIT_MB = 20.0
# Answers whose sources stay available to the "来源 / Sources" button, per chat.
KEPT_ANSWERS = 20
# How often the upload status message is edited while ingesting (seconds).
PROGRESS_INTERVAL = 1.0
SOURCES_PREFIX = "sources:"
# bot_data key: an asyncio.Event set when the bot is asked to stop (bot.app.request_stop).
STOPPING = "stopping"

_YEAR = re.compile(r"^(19|20)\d\d年?$")
_SCRIPTS: dict[str, Script] = {"zh-hans": "zh-hans", "zh-hant": "zh-hant", "en": "en"}


# -- per-chat state -----------------------------------------------------------------------


@dataclass
class ChatState:
    """One chat's conversation, the lock that keeps its questions in order, recent answers."""

    conversation: Any
    limit: QuestionLimit
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    answers: OrderedDict[int, Answer] = field(default_factory=OrderedDict)
    next_id: int = 1

    def remember(self, answer: Answer) -> int:
        answer_id = self.next_id
        self.next_id += 1
        self.answers[answer_id] = answer
        while len(self.answers) > KEPT_ANSWERS:
            self.answers.popitem(last=False)
        return answer_id

    @property
    def last(self) -> Answer | None:
        return next(reversed(self.answers.values()), None)


def _services(context: ContextTypes.DEFAULT_TYPE) -> Any:
    return context.application.bot_data["services"]


def _settings(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    settings: Settings = context.application.bot_data["settings"]
    return settings


def _state(context: ContextTypes.DEFAULT_TYPE) -> ChatState:
    chat_data = context.chat_data
    if chat_data is None:  # pragma: no cover - every handled update has a chat
        raise RuntimeError("no chat for this update")
    state = chat_data.get("state")
    if state is None:
        state = ChatState(
            conversation=_services(context).new_conversation(),
            limit=QuestionLimit(_settings(context).telegram_rate_limit),
        )
        chat_data["state"] = state
    return state


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, lines: list[Line]) -> None:
    chat = update.effective_chat
    if chat is not None:
        await send_lines(context.bot, chat.id, lines)


def _argument(update: Update) -> str:
    """The text after the command: "/ask 嘉定区委书记是谁？" → "嘉定区委书记是谁？"."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1) if message else []
    return parts[1].strip() if len(parts) > 1 else ""


def _is_empty(services: Any) -> bool:
    return not services.store.has_reports()


# -- commands -----------------------------------------------------------------------------


COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "cmd_start"),
    ("help", "cmd_help"),
    ("ask", "cmd_ask"),
    ("officials", "cmd_officials"),
    ("meetings", "cmd_meetings"),
    ("figures", "cmd_figures"),
    ("stats", "cmd_stats"),
    ("sources", "cmd_sources"),
    ("reset", "cmd_reset"),
)


def _help_lines(script: Script) -> list[Line]:
    lines: list[Line] = [line(bold(messages.text("help_title", script)))]
    for command, key in COMMANDS:
        lines.append(line(f"/{command} — {messages.text(key, script)}"))
    lines.append(line(""))
    lines.append(line(messages.text("help_footer", script)))
    return lines


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user and show an example question."""
    script = messages.script_for(update)
    await _say(
        update, context, [line(messages.text("welcome", script)), line(""), *_help_lines(script)]
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands."""
    await _say(update, context, _help_lines(messages.script_for(update)))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the question after /ask."""
    question = _argument(update)
    if not question:
        await _say(update, context, [line(messages.text("ask_usage", messages.script_for(update)))])
        return
    await answer_question(update, context, question)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a plain text message as a question."""
    message = update.effective_message
    if message is not None and message.text and message.text.strip():
        await answer_question(update, context, message.text.strip())


def _ask_blocking(services: Any, conversation: Any, question: str) -> tuple[str, Answer] | None:
    """In a worker thread: the standalone question and its answer (None: nothing ingested)."""
    if _is_empty(services):
        return None
    standalone: str = conversation.rewrite(question)
    answer: Answer = services.chain.invoke(standalone)
    conversation.add(standalone, answer)
    return standalone, answer


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str
) -> None:
    """Answer ``question`` in the chat's conversation, with a sources button."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None:
        return
    script = detect_script(question)
    state = _state(context)
    verdict = state.limit.check()
    if verdict != "answer":  # too many questions this minute: say so once, then drop them
        logger.info("chat %s: question over the rate limit (%s)", chat.id, verdict)
        if verdict == "tell":
            limit = state.limit.per_minute
            await _say(update, context, [line(messages.text("rate_limited", script, limit=limit))])
        return
    async with state.lock:  # this chat's questions in order; other chats go on meanwhile
        async with typing(context.bot, chat.id):
            result = await asyncio.to_thread(
                _ask_blocking, _services(context), state.conversation, question
            )
        if result is None:
            await _say(update, context, [line(messages.text("empty_store", script))])
            return
        standalone, answer = result
        answer_id = state.remember(answer)
        understood = (
            messages.text("understood_as", script, question=in_script(standalone, script))
            if standalone != question and in_script(standalone, script) != question
            else None
        )
        keyboard = (
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            messages.SOURCES_BUTTON, callback_data=f"{SOURCES_PREFIX}{answer_id}"
                        )
                    ]
                ]
            )
            if answer.sources
            else None
        )
        await send_lines(
            context.bot,
            chat.id,
            answer_lines(answer, understood),
            reply_markup=keyboard,
            reply_to=message.message_id if message and chat.type != chat.PRIVATE else None,
        )
    logger.debug("chat %s answered in %.0f ms", chat.id, answer.timings_ms.get("total", 0.0))


async def on_sources_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the cited sentences of the answer whose "来源 / Sources" button was pressed."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    data = query.data or ""
    suffix = data.removeprefix(SOURCES_PREFIX)
    answer_id = int(suffix) if suffix.isdigit() else -1
    answer = _state(context).answers.get(answer_id)
    if answer is None:
        await _say(
            update, context, [line(messages.text("sources_expired", messages.script_for(update)))]
        )
        return
    await _show_sources(update, context, answer)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the sources of this chat's last answer."""
    answer = _state(context).last
    if answer is None:
        await _say(
            update, context, [line(messages.text("no_answer_yet", messages.script_for(update)))]
        )
        return
    await _show_sources(update, context, answer)


async def _show_sources(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer) -> None:
    script = _SCRIPTS.get(answer.lang, "zh-hans")
    if not answer.sources:
        await _say(update, context, [line(messages.text("no_sources", script))])
        return
    await _say(update, context, sources_lines(answer, messages.text("sources_title", script)))


async def reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget this chat's conversation (follow-ups start afresh)."""
    state = _state(context)
    async with state.lock:
        state.conversation.reset()
        state.answers.clear()
    await _say(update, context, [line(messages.text("reset_done", messages.script_for(update)))])


# -- fact tables --------------------------------------------------------------------------


async def _facts(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    script: Script,
    title_key: str,
    query: Callable[[Any], list[dict[str, Any]]],
    render: Callable[[dict[str, Any]], list[Line]],
) -> None:
    services = _services(context)
    if await asyncio.to_thread(_is_empty, services):
        await _say(update, context, [line(messages.text("empty_store", script))])
        return
    rows = await asyncio.to_thread(query, services.store)
    if not rows:
        await _say(update, context, [line(messages.text("nothing_found", script))])
        return
    lines: list[Line] = [
        line(
            bold(
                f"{messages.text(title_key, script)}（{len(rows)}）"
                if script != "en"
                else f"{messages.text(title_key, script)} ({len(rows)})"
            )
        )
    ]
    for row in rows:
        lines.extend(render(row))
    await _say(update, context, lines)


async def officials(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List officials and their titles, optionally of one region: /officials 嘉定区."""
    region = _argument(update)
    script = messages.script_for(update, region)

    def render(row: dict[str, Any]) -> list[Line]:
        name = in_script(row["name"], script) + ("（?）" if row["unknown"] else "")
        titles = joined([in_script(t, script) for t in row["titles"]], script)
        where = f" · {in_script(row['region'], script)}" if row["region"] else ""
        return [line(bold(name), f" — {titles}{where}")]

    await _facts(
        update,
        context,
        script,
        "officials_title",
        lambda store: store.officials(region=to_simplified(region) or None),
        render,
    )


async def meetings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the meetings reported: date, place, chair, speakers, attendees."""
    script = messages.script_for(update)

    def render(row: dict[str, Any]) -> list[Line]:
        lines: list[Line] = [line(""), line(bold(in_script(row["name"], script)))]
        about = " · ".join(in_script(p, script) for p in (row["date"], row["place"]) if p)
        if about:
            lines.append(line(italic(about)))
        for key, label_key in (
            ("chairs", "chair"),
            ("speakers", "speakers"),
            ("attendees", "attendees"),
        ):
            if row[key]:
                label = messages.text(label_key, script)
                names = joined([in_script(n, script) for n in row[key]], script)
                lines.append(line(f"{label}{'：' if script != 'en' else ': '}{names}"))
        return lines

    await _facts(update, context, script, "meetings_title", lambda store: store.meetings(), render)


async def figures(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the figures announced, optionally of one region and year: /figures 宛城区 2024."""
    words = _argument(update).split()
    year = next((w[:4] for w in words if _YEAR.match(w)), None)
    region = " ".join(w for w in words if not _YEAR.match(w))
    script = messages.script_for(update, region)

    def render(row: dict[str, Any]) -> list[Line]:
        details = [row["year"], row["change"], row["rank"], row["kind"], row["region"]]
        about = " · ".join(in_script(str(d), script) for d in details if d)
        return [
            line(
                bold(in_script(row["metric"], script)),
                f" {row['value']}{in_script(row['unit'] or '', script)}",
                italic(f"（{about}）" if script != "en" else f" ({about})"),
            )
        ]

    await _facts(
        update,
        context,
        script,
        "figures_title",
        lambda store: store.figures(region=to_simplified(region) or None, year=year),
        render,
    )


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How many reports, chunks and facts the index holds."""
    script = messages.script_for(update)
    store = _services(context).store

    def counts() -> dict[str, int]:
        return {**store.stats(), **store.fact_counts()}

    values = await asyncio.to_thread(counts)
    await _say(
        update,
        context,
        [
            line(bold(messages.text("stats_title", script))),
            line(messages.text("stats_line", script, **values)),
        ],
    )


# -- uploads ------------------------------------------------------------------------------


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ingest a report file sent by an admin; refuse anyone else's, politely."""
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if message is None or message.document is None or chat is None:
        return
    document = message.document
    script = messages.script_for(update, message.caption)
    access: Access = context.application.bot_data["access"]
    if not access.is_admin(user.id if user else None):
        logger.warning(
            "chat %s: upload by non-admin user %s refused", chat.id, user.id if user else None
        )
        await _say(update, context, [line(messages.text("upload_not_admin", script))])
        return
    name = upload_name(document.file_name)
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        types = " ".join(sorted(SUPPORTED_SUFFIXES))
        await _say(
            update,
            context,
            [line(messages.text("upload_bad_type", script, name=name, types=types))],
        )
        return
    settings = _settings(context)
    limit_mb = min(BOT_API_DOWNLOAD_LIMIT_MB, settings.max_file_mb)
    if document.file_size and document.file_size > limit_mb * 1024 * 1024:
        size = f"{document.file_size / 1024 / 1024:.1f}"
        await _say(
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
    lock: asyncio.Lock = context.application.bot_data["ingest_lock"]
    stopping: asyncio.Event = context.application.bot_data[STOPPING]
    if lock.locked():
        await edit(context.bot, status, [line(messages.text("upload_waiting", script))])
    async with lock:  # one ingest at a time
        if stopping.is_set():
            stopped = messages.text("upload_stopped", script, name=name)
            await edit(context.bot, status, [line(stopped)])
            return
        slot = UploadSlot(settings.resolved_data_dir / "uploads", name)
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
            outcome = await _ingest_with_status(context, status, script, name, slot, limit_mb)
        finally:
            if outcome is not None and _stored(outcome):
                slot.keep()
            else:
                slot.roll_back()
    await edit(context.bot, status, _outcome_lines(outcome, name, script, settings))


async def _ingest_with_status(
    context: ContextTypes.DEFAULT_TYPE,
    status: Message,
    script: Script,
    name: str,
    slot: UploadSlot,
    limit_mb: float,
) -> Outcome:
    """Ingest the upload in a worker process, editing ``status`` as documents are done, then
    store what it made. Nothing is stored unless the worker finished within its budget."""
    done = [0]

    def tick() -> None:
        done[0] += 1

    async def report_progress() -> None:
        shown = -1
        while True:
            if done[0] != shown:
                shown = done[0]
                await edit(
                    context.bot,
                    status,
                    [line(messages.text("upload_ingesting", script, name=name, done=shown))],
                )
            await asyncio.sleep(PROGRESS_INTERVAL)

    settings = _settings(context)
    store = _services(context).store
    started = time.perf_counter()
    progress = asyncio.create_task(report_progress())
    try:
        outcome = await run_worker(
            Job(slot.path, slot.root, int(limit_mb * 1024 * 1024), child_settings(settings)),
            store,
            timeout=settings.telegram_ingest_timeout,
            stopping=context.application.bot_data[STOPPING],
            tick=tick,
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
    outcome: Outcome | None, name: str, script: Script, settings: Settings
) -> list[Line]:
    if outcome is not None and outcome.kind == "done" and outcome.summary is not None:
        return _summary_lines(outcome.summary, name, script)
    kind = outcome.kind if outcome is not None else "failed"
    seconds = f"{settings.telegram_ingest_timeout:g}"
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
    return lines


# -- errors -------------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a failed update with its traceback; tell the user briefly, never the traceback."""
    logger.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    message = update.effective_message
    script = messages.script_for(update, message.text if message else None)
    try:
        await send_lines(
            context.bot, update.effective_chat.id, [line(messages.text("error", script))]
        )
    except TelegramError:
        logger.warning(
            "chat %s: could not report the error", update.effective_chat.id, exc_info=True
        )

"""The Application: Bot API endpoint, rate limiter, concurrency, handlers, start-up."""

from __future__ import annotations

import asyncio
import logging
import signal
import traceback
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import handlers, messages
from bot.access import Access, gate
from govqa.settings import Settings
from ingest.script import Script

logger = logging.getLogger(__name__)

# Updates handled at the same time (PTB's default for ``concurrent_updates(True)``).
CONCURRENT_UPDATES = 256
# Telegram drops a long-polling connection after about this many seconds anyway.
POLL_TIMEOUT = 10


class BotConfigError(Exception):
    """The bot cannot start with these settings (message is one sentence)."""


def file_base_url(base_url: str) -> str:
    """The file download URL that goes with a Bot API URL: ``…/bot`` → ``…/file/bot``."""
    head, marker, tail = base_url.rpartition("/bot")
    if marker:
        return f"{head}/file/bot{tail}"
    return base_url.rstrip("/") + "/file/bot"


def build_application(settings: Settings, services: Any) -> Application:
    """The bot for these settings, answering from ``services`` (its parts load in post_init)."""
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not token:
        raise BotConfigError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env"
        )
    hide_in_logs(token)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs every URL, token included
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(file_base_url(settings.telegram_base_url))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .build()
    )
    application.bot_data.update(
        services=services,
        settings=settings,
        access=Access(settings),
        ingest_lock=asyncio.Lock(),
    )
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help_command))
    application.add_handler(CommandHandler("ask", handlers.ask))
    application.add_handler(CommandHandler("officials", handlers.officials))
    application.add_handler(CommandHandler("meetings", handlers.meetings))
    application.add_handler(CommandHandler("figures", handlers.figures))
    application.add_handler(CommandHandler("stats", handlers.stats))
    application.add_handler(CommandHandler("sources", handlers.sources))
    application.add_handler(CommandHandler("reset", handlers.reset))
    application.add_handler(
        CallbackQueryHandler(handlers.on_sources_button, pattern=f"^{handlers.SOURCES_PREFIX}")
    )
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, handlers.on_text
        )
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, handlers.on_document)
    )
    application.add_error_handler(handlers.on_error)
    return application


def _warm_up(services: Any) -> int:
    """Load the store, the embedding model and the chain once; the number of reports."""
    documents = int(services.store.stats()["documents"])
    services.embeddings.encode_query("预热")
    services.chain  # noqa: B018 - builds the retriever, answerers and question analyzer
    services.analyzer.analyze("宛城区2024年GDP是多少？")
    return documents


async def _post_init(application: Application) -> None:
    """Start-up: load the model and store (in a thread), register the command menu."""
    services = application.bot_data["services"]
    documents = await asyncio.to_thread(_warm_up, services)
    menus: tuple[tuple[str | None, Script], ...] = ((None, "zh-hans"), ("en", "en"))
    for language, script in menus:  # the default menu in Chinese, English for English users
        commands = [
            BotCommand(command, messages.text(key, script)) for command, key in handlers.COMMANDS
        ]
        await application.bot.set_my_commands(commands, language_code=language)
    if documents == 0:
        logger.warning("no reports ingested yet: questions get 'nothing ingested' replies")
    logger.info("bot @%s ready with %d reports", application.bot.username, documents)


def run(
    application: Application,
    settings: Settings,
    *,
    listen: str = "0.0.0.0",
    port: int = 8443,
    stop_signals: Sequence[int] | None = (signal.SIGINT, signal.SIGTERM),
) -> None:
    """Long polling, or a webhook server when ``telegram_webhook_url`` is set; returns on
    a stop signal (or ``application.stop_running()``)."""
    check_run_mode(settings)
    if not settings.telegram_webhook_url:
        application.run_polling(
            timeout=POLL_TIMEOUT,
            allowed_updates=Update.ALL_TYPES,
            stop_signals=stop_signals,
        )
        return
    url = urlsplit(settings.telegram_webhook_url)
    application.run_webhook(
        listen=listen,
        port=port,
        url_path=url.path.lstrip("/"),
        webhook_url=settings.telegram_webhook_url,
        allowed_updates=Update.ALL_TYPES,
        secret_token=_webhook_secret(application.bot.token),
        stop_signals=stop_signals,
    )


def check_run_mode(settings: Settings) -> None:
    """Raise BotConfigError when the settings cannot run: call it before loading anything."""
    if not settings.telegram_bot_token.get_secret_value().strip():
        raise BotConfigError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env"
        )
    if not settings.telegram_webhook_url:
        return
    if urlsplit(settings.telegram_webhook_url).scheme != "https":
        raise BotConfigError("GOVQA_TELEGRAM_WEBHOOK_URL must be an https:// URL")
    try:
        import tornado  # noqa: F401 - PTB's webhook server
    except ImportError as e:
        raise BotConfigError(
            "webhook mode needs python-telegram-bot[webhooks]: "
            "pip install 'python-telegram-bot[webhooks]', or unset GOVQA_TELEGRAM_WEBHOOK_URL"
        ) from e


def _webhook_secret(token: str) -> str:
    """A secret Telegram sends back with every webhook call, derived from the token."""
    import hashlib

    return hashlib.sha256(b"govqa-webhook:" + token.encode()).hexdigest()[:64]


# -- the token never reaches a log ---------------------------------------------------------

_SECRETS: set[str] = set()
_REDACTED = "[bot token]"


def hide_in_logs(token: str) -> None:
    """Replace ``token`` (and its secret half) by a marker in every log record from now on.

    PTB logs the Bot API URL (which holds the token) at DEBUG and httpx logs request URLs at
    INFO; exceptions may quote URLs too. A log record factory redacts records as they are
    made, so no handler, level or formatter can let the token through.
    """
    if not token:
        return
    _SECRETS.add(token)
    secret_half = token.partition(":")[2]
    if len(secret_half) >= 8:
        _SECRETS.add(secret_half)
    if getattr(logging.getLogRecordFactory(), "_govqa_redacting", False):
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact(record)
        return record

    factory._govqa_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def _scrub(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, _REDACTED)
    return text


def _redact(record: logging.LogRecord) -> None:
    """Freeze the record's message now, without the secrets.

    The message is formatted at once, not when a handler formats it: an argument may be
    changed after the call (PTB logs getFile's result dict, then puts the download URL, with
    the token, into that same dict).
    """
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it to logging's own error handling
        return
    record.msg, record.args = _scrub(message), ()
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        scrubbed = _scrub(text)
        if scrubbed != text:
            record.exc_text = scrubbed  # formatters use exc_text when it is set

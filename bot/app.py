"""The Application: Bot API endpoint, rate limiter, concurrency, handlers, start-up."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import messages
from bot.access import Access, gate
from bot.config import BotConfig, BotConfigError, require_token
from bot.handlers import facts, general, questions, uploads
from bot.redaction import hide_bot_token, scrub
from bot.state import CONTEXT_TYPES, BotApplication, BotServices
from ingest.script import Script

logger = logging.getLogger(__name__)

# Updates handled at the same time (PTB's default for ``concurrent_updates(True)``).
CONCURRENT_UPDATES = 256
# Telegram drops a long-polling connection after about this many seconds anyway.
POLL_TIMEOUT = 10


def file_base_url(base_url: str) -> str:
    """The file download URL that goes with a Bot API URL: ``…/bot`` → ``…/file/bot``."""
    head, marker, tail = base_url.rpartition("/bot")
    if marker:
        return f"{head}/file/bot{tail}"
    return base_url.rstrip("/") + "/file/bot"


def build_application(config: BotConfig, services: BotServices) -> BotApplication:
    """The bot for this config, answering from ``services`` (its parts load in post_init)."""
    token = require_token(config.token)
    hide_bot_token(token)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs every URL, token included
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.base_url)
        .base_file_url(file_base_url(config.base_url))
        .context_types(CONTEXT_TYPES)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .build()
    )
    application.bot_data.config = config
    application.bot_data.services = services
    application.bot_data.access = Access(config.allowed_chats, config.admins)
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_handler(CommandHandler("start", general.start))
    application.add_handler(CommandHandler("help", general.help_command))
    application.add_handler(CommandHandler("ask", questions.ask))
    application.add_handler(CommandHandler("officials", facts.officials))
    application.add_handler(CommandHandler("meetings", facts.meetings))
    application.add_handler(CommandHandler("figures", facts.figures))
    application.add_handler(CommandHandler("brief", facts.brief))
    application.add_handler(CommandHandler("stats", facts.stats))
    application.add_handler(CommandHandler("sources", questions.sources))
    application.add_handler(CommandHandler("reset", questions.reset))
    application.add_handler(
        CallbackQueryHandler(questions.on_sources_button, pattern=f"^{questions.SOURCES_PREFIX}")
    )
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, questions.on_text
        )
    )
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & (filters.Document.ALL | filters.PHOTO),
            uploads.on_document,
        )
    )
    application.add_error_handler(general.on_error)
    return application


async def _post_init(application: BotApplication) -> None:
    """Start-up: load the model and store (in a thread), register the command menu."""
    documents = await asyncio.to_thread(application.bot_data.services.ready, wait=True)
    menus: tuple[tuple[str | None, Script], ...] = ((None, "zh-hans"), ("en", "en"))
    for language, script in menus:  # the default menu in Chinese, English for English users
        commands = [
            BotCommand(command, messages.text(key, script)) for command, key in general.COMMANDS
        ]
        await application.bot.set_my_commands(commands, language_code=language)
    if documents == 0:
        logger.warning("no reports ingested yet: questions get 'nothing ingested' replies")
    logger.info("bot @%s ready with %d reports", application.bot.username, documents)


def run(
    application: BotApplication,
    config: BotConfig,
    *,
    listen: str = "0.0.0.0",
    port: int = 8443,
    stop_signals: Sequence[int] | None = (signal.SIGINT, signal.SIGTERM),
) -> None:
    """Long polling, or a webhook server when ``config.webhook_url`` is set; returns on
    a stop signal (or :func:`request_stop`). A bot that cannot start — a rejected token, an
    unreachable Bot API, a webhook Telegram refuses — raises BotConfigError."""
    check_run_mode(config)
    loop = _event_loop()
    _connect(loop, application, config.base_url)
    for sig in stop_signals or ():
        loop.add_signal_handler(sig, request_stop, application)
    try:
        if not config.webhook_url:
            application.run_polling(
                timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES, stop_signals=None
            )
            return
        url = urlsplit(config.webhook_url)
        application.run_webhook(
            listen=listen,
            port=port,
            url_path=url.path.lstrip("/"),
            webhook_url=config.webhook_url,
            allowed_updates=Update.ALL_TYPES,
            secret_token=_webhook_secret(application.bot.token),
            stop_signals=None,
        )
    except InvalidToken:
        raise BotConfigError(_rejected(config.base_url)) from None
    except TelegramError as e:  # at start-up: deleteWebhook, setWebhook, setMyCommands
        raise BotConfigError(_refused(config.base_url, e)) from e
    except OSError as e:  # the webhook server cannot listen
        reason = e.strerror or str(e)
        raise BotConfigError(f"cannot serve the webhook on {listen}:{port}: {reason}") from e


def request_stop(application: BotApplication) -> None:
    """Stop the bot soon: an upload being ingested is abandoned (nothing of it is stored),
    questions being answered are finished. A second request stops at once."""
    stopping = application.bot_data.stopping
    if stopping.is_set():
        raise KeyboardInterrupt
    logger.info("stopping")
    stopping.set()
    application.stop_running()


def _event_loop() -> asyncio.AbstractEventLoop:
    """The loop run_polling will use (PTB takes the current one), made current if needed."""
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop


def _connect(loop: asyncio.AbstractEventLoop, application: BotApplication, base_url: str) -> None:
    """Check the token and the Bot API with getMe before anything else, so that a failure is
    one sentence (PTB's own bootstrap logs a traceback, and its InvalidToken quotes the token).
    run_polling's initialize() then has nothing left to do."""
    where = _api_address(base_url)
    try:
        loop.run_until_complete(application.initialize())
    except InvalidToken:  # its message holds the token: dropped, not chained
        raise BotConfigError(_rejected(base_url)) from None
    except (NetworkError, TimedOut) as e:
        raise BotConfigError(
            f"cannot reach the Bot API at {where} ({_reason(e)}): check the network "
            "and GOVQA_TELEGRAM_BASE_URL"
        ) from e
    except TelegramError as e:
        raise BotConfigError(_refused(base_url, e)) from e


def _rejected(base_url: str) -> str:
    return (
        f"the Bot API at {_api_address(base_url)} rejected TELEGRAM_BOT_TOKEN (401 Unauthorized):"
        " check the token @BotFather gave you, or /revoke it there for a new one"
    )


def _refused(base_url: str, error: TelegramError) -> str:
    return f"the Bot API at {_api_address(base_url)} refused to start the bot: {_reason(error)}"


def _api_address(base_url: str) -> str:
    """scheme://host[:port] of a Bot API URL: no path (it may hold a token), no user info."""
    try:
        url = urlsplit(base_url)
        port = f":{url.port}" if url.port else ""
    except ValueError:  # the settings refuse such a URL; this is only a description
        return "the configured URL"
    return f"{url.scheme}://{url.hostname}{port}" if url.hostname else "the configured URL"


def _reason(error: Exception) -> str:
    """An error's message without secrets or PTB's "httpx.ConnectError: " prefix."""
    text = scrub(str(error)).strip().rstrip(".")
    return text.split(": ", 1)[1] if text.startswith("httpx.") and ": " in text else text


def check_run_mode(config: BotConfig) -> None:
    """Raise BotConfigError when the config cannot run: call it before loading anything."""
    require_token(config.token)
    if not config.webhook_url:
        return
    if urlsplit(config.webhook_url).scheme != "https":
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

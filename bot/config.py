"""What the bot reads of the settings, as plain values.

The composition root, :func:`govqa.commands.bot.bot_config`, builds a :class:`BotConfig`
out of govqa's settings; the bot imports nothing of govqa. Standard library only, so the
root can check the token before it imports python-telegram-bot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.ocr import OcrLimits

TOKEN_MISSING = "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env"


class BotConfigError(Exception):
    """The bot cannot start: bad settings, a rejected token, an unreachable Bot API
    (message is one sentence, without the token)."""


def require_token(token: str) -> str:
    """The bot token without surrounding white space; BotConfigError when there is none."""
    token = token.strip()
    if not token:
        raise BotConfigError(TOKEN_MISSING)
    return token


@dataclass(frozen=True)
class WorkerSetup:
    """What the upload worker process needs besides the file; sent to it pickled, so
    ``embeddings`` is a module-level function or a partial of one, and holds no secret."""

    # Builds the embedding model, in the worker (GOVQA_EMBEDDING_*).
    embeddings: Callable[[], Any]
    # GOVQA_MAX_CHARS: the longest extracted text taken
    max_chars: int
    # GOVQA_LOG_LEVEL, for the worker's own log lines
    log_level: str
    # GOVQA_OCR*: what OCR may do for an uploaded picture or scan
    ocr: OcrLimits = field(default_factory=OcrLimits)


@dataclass(frozen=True)
class BotConfig:
    """Everything the bot needs to know of the settings (TELEGRAM_*, GOVQA_TELEGRAM_*, and
    the ingest limits an upload is held to)."""

    # TELEGRAM_BOT_TOKEN as given (checked by require_token); never shown in a repr.
    token: str = field(repr=False)
    # GOVQA_TELEGRAM_BASE_URL: the Bot API, e.g. https://api.telegram.org/bot
    base_url: str
    # GOVQA_TELEGRAM_WEBHOOK_URL: empty for long polling
    webhook_url: str
    # GOVQA_TELEGRAM_ALLOWED_CHATS: the chats that may ask; empty = any chat
    allowed_chats: frozenset[int]
    # GOVQA_TELEGRAM_ADMINS: the users who may upload reports
    admins: frozenset[int]
    # GOVQA_TELEGRAM_RATE_LIMIT: questions a chat may ask per minute; 0 = no limit
    rate_limit: int
    # GOVQA_TELEGRAM_INGEST_TIMEOUT: seconds an upload may take to ingest
    ingest_timeout: float
    # GOVQA_MAX_FILE_MB: the largest upload taken (the Bot API's own limit may be lower)
    max_file_mb: float
    # Where uploads are kept: DATA_DIR/uploads
    uploads_dir: Path
    # What the upload worker process needs besides the file
    worker: WorkerSetup

"""Secrets (the bot token, the LLM API key) never reach an output.

Registered secrets are replaced by a marker in every log record made from then on, and
:func:`scrub` does the same for text printed outside logging (a bug's traceback). A leaf
module (standard library only): the CLI, through :mod:`govqa.redaction`, and the bot share
this one registry.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

# secret → the marker shown instead
_SECRETS: dict[str, str] = {}
# Shorter values would replace ordinary words.
_MIN_LENGTH = 8


def hide(secret: str, marker: str) -> None:
    """Show ``marker`` instead of ``secret`` in every log record from now on."""
    secret = secret.strip()
    if len(secret) < _MIN_LENGTH:
        return
    _SECRETS[secret] = marker
    if getattr(logging.getLogRecordFactory(), "_govqa_redacting", False):
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact(record)
        return record

    factory._govqa_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def hide_bot_token(token: str) -> None:
    """The token and its secret half (after the colon), which some messages quote alone."""
    hide(token, "[bot token]")
    hide(token.strip().partition(":")[2], "[bot token]")


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced by its marker."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, _SECRETS[secret])
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
    record.msg, record.args = scrub(message), ()
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        scrubbed = scrub(text)
        if scrubbed != text:
            record.exc_text = scrubbed  # formatters use exc_text when it is set

"""What the handler modules share: their logger, replying, the command's argument."""

from __future__ import annotations

import logging

from telegram import Update

from bot.formatting import Line
from bot.replies import send_lines
from bot.state import BotContext, BotServices

# One logger for all handler modules, under the name they logged with as one module.
logger = logging.getLogger("bot.handlers")


async def say(update: Update, context: BotContext, lines: list[Line]) -> None:
    """Send ``lines`` to the update's chat (nothing for an update without a chat)."""
    chat = update.effective_chat
    if chat is not None:
        await send_lines(context.bot, chat.id, lines)


def command_argument(update: Update) -> str:
    """The text after the command: "/ask 嘉定区委书记是谁？" → "嘉定区委书记是谁？"."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1) if message else []
    return parts[1].strip() if len(parts) > 1 else ""


def store_is_empty(services: BotServices) -> bool:
    """Whether no report is ingested yet (a store read: call it in a worker thread)."""
    return not services.store.has_reports()

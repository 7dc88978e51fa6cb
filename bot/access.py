"""Who may ask (the chat allowlist) and who may upload (the admins)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import messages
from bot.formatting import line
from bot.replies import send_lines
from bot.state import BotContext

logger = logging.getLogger(__name__)


class Access:
    """The allowlist and the admins (GOVQA_TELEGRAM_ALLOWED_CHATS, GOVQA_TELEGRAM_ADMINS)."""

    def __init__(self, allowed_chats: frozenset[int], admins: frozenset[int]) -> None:
        self.allowed_chats = allowed_chats
        self.admins = admins

    def chat_allowed(self, chat_id: int | None) -> bool:
        """Any chat when the allowlist is empty; else only the chats listed."""
        if not self.allowed_chats:
            return True
        return chat_id is not None and chat_id in self.allowed_chats

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


async def gate(update: object, context: BotContext) -> None:
    """Stop updates from chats outside the allowlist, after one polite refusal per chat."""
    access = context.bot_data.access
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    if access.chat_allowed(chat.id if chat else None):
        return
    refused = context.bot_data.refused_chats
    if chat is None:
        logger.info("ignored an update without a chat (allowlist in force)")
    elif chat.id in refused:
        logger.info("ignored an update from chat %s: not in the allowlist", chat.id)
    else:
        refused.add(chat.id)
        logger.warning("refused chat %s: not in the allowlist", chat.id)
        if update.callback_query is not None:
            await update.callback_query.answer()
        message = update.effective_message
        script = messages.script_for(update, message.text if message else None)
        await send_lines(context.bot, chat.id, [line(messages.text("not_allowed", script))])
    raise ApplicationHandlerStop

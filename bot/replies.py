"""Sending what formatting built: HTML with a plain-text fallback, typing while working."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.formatting import Line, OutMessage, split_messages

logger = logging.getLogger(__name__)

# Telegram shows "typing…" for about 5 s; it is renewed this often while the bot works.
TYPING_INTERVAL = 4.0

_MARKUP_ERRORS = ("parse entities", "can't find end", "unsupported start tag", "unclosed")


def is_markup_error(error: BadRequest) -> bool:
    """Whether Telegram rejected a message for its HTML ("Can't parse entities: ...")."""
    text = error.message.lower()
    return any(marker in text for marker in _MARKUP_ERRORS)


async def send(
    bot: Bot,
    chat_id: int,
    message: OutMessage,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> Message:
    """Send one message as HTML; if Telegram cannot parse it, send its plain text instead."""
    reply = (
        ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
        if reply_to is not None
        else None
    )
    try:
        return await bot.send_message(
            chat_id,
            message.html,
            parse_mode=ParseMode.HTML,
            reply_markup=reply_markup,
            reply_parameters=reply,
        )
    except BadRequest as e:
        if not is_markup_error(e):
            raise
        logger.warning("chat %s: Telegram rejected the HTML (%s); sent as plain text", chat_id, e)
        return await bot.send_message(
            chat_id, message.plain, reply_markup=reply_markup, reply_parameters=reply
        )


async def send_lines(
    bot: Bot,
    chat_id: int,
    lines: Iterable[Line],
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> list[Message]:
    """Send lines as as many messages as needed; the keyboard goes on the last one and the
    first one quotes ``reply_to``."""
    messages = split_messages(lines)
    sent: list[Message] = []
    for n, message in enumerate(messages):
        last = n == len(messages) - 1
        sent.append(
            await send(
                bot,
                chat_id,
                message,
                reply_markup=reply_markup if last else None,
                reply_to=reply_to if n == 0 else None,
            )
        )
    return sent


async def edit(bot: Bot, message: Message, lines: Iterable[Line]) -> None:
    """Replace the text of a status message (the first 4,096 characters of ``lines``)."""
    out = split_messages(lines)[:1]
    if not out:
        return
    try:
        await bot.edit_message_text(
            out[0].html,
            chat_id=message.chat_id,
            message_id=message.message_id,
            parse_mode=ParseMode.HTML,
        )
    except BadRequest as e:
        if "not modified" in e.message.lower():
            return
        if not is_markup_error(e):
            raise
        logger.warning(
            "chat %s: Telegram rejected the HTML (%s); edited as plain text", message.chat_id, e
        )
        await bot.edit_message_text(
            out[0].plain, chat_id=message.chat_id, message_id=message.message_id
        )


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat, renewed every ``TYPING_INTERVAL`` seconds, while inside."""

    async def once() -> None:
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as e:  # a lost typing hint is not worth failing for
            logger.debug("chat %s: no typing action: %s", chat_id, e)

    async def renew() -> None:
        while True:
            await asyncio.sleep(TYPING_INTERVAL)
            await once()

    # The first hint is sent before the work starts: a fast answer (from the facts
    # tables, in milliseconds) would otherwise cancel it before it reached Telegram.
    await once()
    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

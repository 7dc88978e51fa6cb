"""Questions: text messages and /ask answered in the chat's conversation (follow-ups are
rewritten against it), the sources of an answer, /reset."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import messages
from bot.formatting import answer_lines, in_script, line, sources_lines
from bot.handlers.common import command_argument, logger, say, store_is_empty
from bot.replies import send_lines, typing
from bot.state import BotContext, BotServices, chat_state
from ingest.script import Script, detect_script
from retrieval.types import Answer

if TYPE_CHECKING:
    from retrieval.conversation import Conversation

SOURCES_PREFIX = "sources:"

_SCRIPTS: dict[str, Script] = {"zh-hans": "zh-hans", "zh-hant": "zh-hant", "en": "en"}


async def ask(update: Update, context: BotContext) -> None:
    """Answer the question after /ask."""
    question = command_argument(update)
    if not question:
        await say(update, context, [line(messages.text("ask_usage", messages.script_for(update)))])
        return
    await answer_question(update, context, question)


async def on_text(update: Update, context: BotContext) -> None:
    """Answer a plain text message as a question."""
    message = update.effective_message
    if message is not None and message.text and message.text.strip():
        await answer_question(update, context, message.text.strip())


def _ask_blocking(
    services: BotServices, conversation: Conversation, question: str
) -> tuple[str, Answer] | None:
    """In a worker thread: the standalone question and its answer (None: nothing ingested)."""
    if store_is_empty(services):
        return None
    standalone: str = conversation.rewrite(question)
    answer: Answer = services.chain.invoke(standalone)
    conversation.add(standalone, answer)
    return standalone, answer


async def answer_question(update: Update, context: BotContext, question: str) -> None:
    """Answer ``question`` in the chat's conversation, with a sources button."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None:
        return
    script = detect_script(question)
    state = chat_state(context)
    verdict = state.limit.check()
    if verdict != "answer":  # too many questions this minute: say so once, then drop them
        logger.info("chat %s: question over the rate limit (%s)", chat.id, verdict)
        if verdict == "tell":
            limit = state.limit.per_minute
            await say(update, context, [line(messages.text("rate_limited", script, limit=limit))])
        return
    async with state.lock:  # this chat's questions in order; other chats go on meanwhile
        async with typing(context.bot, chat.id):
            result = await asyncio.to_thread(
                _ask_blocking, context.bot_data.services, state.conversation, question
            )
        if result is None:
            await say(update, context, [line(messages.text("empty_store", script))])
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


async def on_sources_button(update: Update, context: BotContext) -> None:
    """Show the cited sentences of the answer whose "来源 / Sources" button was pressed."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    data = query.data or ""
    suffix = data.removeprefix(SOURCES_PREFIX)
    answer_id = int(suffix) if suffix.isdigit() else -1
    answer = chat_state(context).answers.get(answer_id)
    if answer is None:
        await say(
            update, context, [line(messages.text("sources_expired", messages.script_for(update)))]
        )
        return
    await _show_sources(update, context, answer)


async def sources(update: Update, context: BotContext) -> None:
    """Show the sources of this chat's last answer."""
    answer = chat_state(context).last
    if answer is None:
        await say(
            update, context, [line(messages.text("no_answer_yet", messages.script_for(update)))]
        )
        return
    await _show_sources(update, context, answer)


async def _show_sources(update: Update, context: BotContext, answer: Answer) -> None:
    script = _SCRIPTS.get(answer.lang, "zh-hans")
    if not answer.sources:
        await say(update, context, [line(messages.text("no_sources", script))])
        return
    await say(update, context, sources_lines(answer, messages.text("sources_title", script)))


async def reset(update: Update, context: BotContext) -> None:
    """Forget this chat's conversation (follow-ups start afresh)."""
    state = chat_state(context)
    async with state.lock:
        state.conversation.reset()
        state.answers.clear()
    await say(update, context, [line(messages.text("reset_done", messages.script_for(update)))])

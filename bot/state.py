"""The bot's state, typed: python-telegram-bot's ``bot_data`` is a :class:`BotData`, each
chat's ``chat_data`` a :class:`ChatData`, and every handler takes a :data:`BotContext`, so
the type checker follows a handler to the services it calls.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.config import BotConfig
from bot.ratelimit import QuestionLimit
from retrieval.types import Answer

if TYPE_CHECKING:
    from bot.access import Access
    from retrieval.conversation import Conversation
    from retrieval.store import Store

# Answers whose sources stay available to the "来源 / Sources" button, per chat.
KEPT_ANSWERS = 20


class Chain(Protocol):
    """The answering chain: a question in, its answer out (a LangChain Runnable)."""

    def invoke(self, question: str, /) -> Answer: ...


class BotServices(Protocol):
    """What the bot uses of the composition root's services (loaded on first use)."""

    @property
    def store(self) -> Store: ...

    @property
    def chain(self) -> Chain: ...

    def ready(self, *, wait: bool = False) -> int:
        """Load what answering needs (``wait=True``: now); the number of reports."""
        ...

    def new_conversation(self) -> Conversation:
        """A follow-up history for one chat."""
        ...


class BotData:
    """The bot's own state (``bot_data``). python-telegram-bot makes it without arguments
    when it builds the Application; :func:`bot.app.build_application` then sets ``config``,
    ``services`` and ``access``."""

    config: BotConfig
    services: BotServices
    access: Access

    def __init__(self) -> None:
        # One ingest at a time.
        self.ingest_lock = asyncio.Lock()
        # Set when the bot is asked to stop (bot.app.request_stop).
        self.stopping = asyncio.Event()
        # The chats already told they are not served (told once, then ignored).
        self.refused_chats: set[int] = set()


@dataclass
class ChatState:
    """One chat's conversation, the lock that keeps its questions in order, recent answers."""

    conversation: Conversation
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


class ChatData:
    """One chat's ``chat_data``: its :class:`ChatState`, started by :func:`chat_state` the
    first time a handler needs it (python-telegram-bot makes ChatData without arguments)."""

    def __init__(self) -> None:
        self.state: ChatState | None = None


BotContext = CallbackContext[ExtBot[Any], dict[Any, Any], ChatData, BotData]
"""The ``context`` argument of every handler (user_data stays a plain dict, unused)."""

BotApplication = Application[ExtBot[int], BotContext, dict[Any, Any], ChatData, BotData, Any]
"""The Application :func:`bot.app.build_application` makes (ExtBot[int]: its rate limiter's
type; no job queue is used)."""

CONTEXT_TYPES = ContextTypes(chat_data=ChatData, bot_data=BotData)
"""What python-telegram-bot makes for ``bot_data`` and each chat's ``chat_data``."""


def chat_state(context: BotContext) -> ChatState:
    """This chat's state, started with a new conversation on the chat's first use."""
    chat_data = context.chat_data
    if chat_data is None:  # pragma: no cover - every handled update has a chat
        raise RuntimeError("no chat for this update")
    if chat_data.state is None:
        chat_data.state = ChatState(
            conversation=context.bot_data.services.new_conversation(),
            limit=QuestionLimit(context.bot_data.config.rate_limit),
        )
    return chat_data.state

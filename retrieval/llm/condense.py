"""Follow-up questions in LLM mode: the chat model rewrites one ("他还强调了什么？") as a
standalone question from the last turns of the conversation."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from langchain_core.output_parsers import StrOutputParser

from ingest.script import detect_script, render_in
from retrieval.prompts import CONDENSE_PROMPT, HISTORY_TURN, NOT_FOUND

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# The name the follow-up step logged with as one module (retrieval.llm).
logger = logging.getLogger("retrieval.llm")

_HISTORY_TURNS = 3
_HISTORY_ANSWER_CHARS = 200


def condense_question(
    chat_model: BaseChatModel, history: Sequence[tuple[str, str]], question: str
) -> str:
    """A follow-up ("他还强调了什么？", "那嘉定区呢？") rewritten as a standalone question
    using the last turns of ``history`` ((question, answer) pairs); the question itself
    when there is no history or anything goes wrong."""
    if not history or not question.strip():
        return question
    turns = [
        HISTORY_TURN.format(question=q.strip(), answer=_shorten(a.strip()))
        for q, a in history[-_HISTORY_TURNS:]
    ]
    chain = CONDENSE_PROMPT | chat_model | StrOutputParser()
    try:
        rewritten = chain.invoke({"history": "\n\n".join(turns), "question": question.strip()})
    except Exception as e:  # any failure: the question as asked is still a question
        logger.warning("Could not rewrite the follow-up question, using it as asked: %s", e)
        return question
    standalone = _clean_rewrite(rewritten)
    if not standalone or len(standalone) > max(200, 4 * len(question)):
        logger.warning("Could not rewrite the follow-up question, using it as asked")
        return question
    script = detect_script(question)
    return render_in(standalone, script) if script != "en" else standalone


def _shorten(answer: str) -> str:
    answer = " ".join(answer.split())
    if len(answer) <= _HISTORY_ANSWER_CHARS:
        return answer
    return answer[:_HISTORY_ANSWER_CHARS] + "…"


def _clean_rewrite(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines or NOT_FOUND in lines[0]:
        return ""
    line = re.sub(
        r"^(?:输出|改写后的问题|改写|独立问题|问题|standalone question|question)\s*[:：]\s*",
        "",
        lines[0],
        flags=re.IGNORECASE,
    )
    return line.strip("\"'“”‘’「」 ")

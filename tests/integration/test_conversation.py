"""Follow-up questions rewritten with the previous turn, without an LLM."""

from __future__ import annotations

from pathlib import Path

from govqa.services import Services
from tests.helpers import invoke_cli


def _ask(conversation, services: Services, question: str):  # type: ignore[no-untyped-def]
    standalone = conversation.rewrite(question)
    answer = services.chain.invoke(standalone)
    conversation.add(standalone, answer)
    return standalone, answer


def test_another_place(seeded: Services) -> None:
    chat = seeded.new_conversation()
    _, first = _ask(chat, seeded, "嘉定区委书记是谁？")
    assert "陆方舟" in first.answer
    standalone, answer = _ask(chat, seeded, "那黔江区的区委书记呢？")
    assert "黔江" in standalone and "嘉定" not in standalone
    assert "罗成" in answer.answer.splitlines()[0]


def test_another_place_in_english(seeded: Services) -> None:
    chat = seeded.new_conversation()
    _ask(chat, seeded, "Who is the Party Secretary of Qianjiang District?")
    standalone, answer = _ask(chat, seeded, "What about Jiading?")
    assert standalone == "Who is the Party Secretary of Jiading District?"
    assert "陆方舟" in answer.answer.splitlines()[0]


def test_he_is_the_person_just_named(seeded: Services) -> None:
    chat = seeded.new_conversation()
    _ask(chat, seeded, "宛城区三级干部会议由谁主持？")
    standalone, answer = _ask(chat, seeded, "他还强调了什么？")
    assert standalone == "郭炜还强调了什么？"
    assert answer.answered
    assert answer.sources[0].file == "001_240d0124548b3155.txt"


def test_this_meeting_is_the_last_answers_meeting(seeded: Services) -> None:
    chat = seeded.new_conversation()
    _ask(chat, seeded, "宛城区三级干部会议由谁主持？")
    standalone, answer = _ask(chat, seeded, "这次会议是哪天开的？")
    assert "宛城区三级干部会议" in standalone
    assert "2月13日" in answer.answer


def test_reset_forgets(seeded: Services) -> None:
    chat = seeded.new_conversation()
    _ask(chat, seeded, "嘉定区委书记是谁？")
    chat.reset()
    assert chat.rewrite("那黔江区呢？") == "那黔江区呢？"


def test_chat_command_follows_up(seeded: Services, seeded_dir: Path) -> None:
    lines = "嘉定区委书记是谁？\n那黔江区的区委书记呢？\n/reset\n/quit\n"
    result = invoke_cli("chat", data_dir=seeded_dir, stdin=lines)
    assert result.returncode == 0, result.stderr
    assert "陆方舟" in result.stdout and "罗成" in result.stdout
    assert "Traceback" not in result.stderr

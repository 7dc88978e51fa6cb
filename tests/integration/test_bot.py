"""The Telegram bot end to end: the real Application against a Bot API server over HTTP.

``FakeBotApi`` is a small Bot API server on 127.0.0.1 (aiohttp, in its own thread): it serves
queued updates to long polling, answers the methods the bot calls, serves uploaded files at
``/file/bot<token>/<path>``, records every call, and — like Telegram — refuses HTML it cannot
parse and texts longer than 4,096 characters. The bot runs with ``bot.app.run`` (PTB's
``run_polling``) in another thread, answering from the real chain over the seeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import build_application, run
from govqa.commands.bot import bot_config
from govqa.services import Services
from retrieval.types import Answer, Source
from tests.helpers import (
    ROOT,
    TOKEN,
    fresh_services,
    ingest,
    make_settings,
    render_page,
    report_rows,
    run_cli,
)

BOT_USER = {
    "id": 424242,
    "is_bot": True,
    "first_name": "govqa",
    "username": "govqa_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
ADMIN = 42
WAIT = 120.0  # seconds: generous, the CPU is shared with other work


# -- the Bot API server ---------------------------------------------------------------------


class _TagChecker(HTMLParser):
    """Telegram-style HTML check: only known tags, properly nested and closed."""

    ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.ALLOWED:
            self.errors.append(f"unsupported start tag {tag!r}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected end tag {tag!r}")


def html_errors(text: str) -> list[str]:
    """Why Telegram would refuse ``text`` in HTML parse mode (empty: it is valid)."""
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    errors = checker.errors + [f"unclosed tag {t!r}" for t in checker.stack]
    bare = re.sub(r"</?[a-z]+>", "", text)
    if "<" in bare or ">" in bare:
        errors.append("bare < or >")
    if re.search(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", bare):
        errors.append("bare &")
    return errors


def visible_text(text: str) -> str:
    """What the user sees of an HTML message."""
    return html.unescape(re.sub(r"</?[a-z]+>", "", text))


class FakeBotApi:
    """A Bot API server that serves queued updates and records every call."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[dict[str, Any]] = []
        self.files: dict[str, tuple[str, bytes]] = {}
        self.reject_marker: str | None = None  # HTML texts holding it get "can't parse"
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._next_message = 1000
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- life cycle

    def start(self) -> FakeBotApi:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        assert ready.wait(10), "the fake Bot API did not start"
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def setup() -> None:
            self._wake = asyncio.Event()
            app = web.Application()
            app.router.add_route("*", "/bot{token}/{method}", self._method)
            app.router.add_get("/file/bot{token}/{path:.+}", self._file)
            self._runner = web.AppRunner(app, access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            server = site._server
            assert server is not None
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

        loop.run_until_complete(setup())
        ready.set()
        loop.run_forever()
        assert self._runner is not None
        loop.run_until_complete(self._runner.cleanup())
        loop.close()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- feeding updates

    def push(self, *updates: dict[str, Any]) -> list[int]:
        ids = []
        with self._lock:
            for update in updates:
                update = {**update, "update_id": self._next_update}
                self._next_update += 1
                self._updates.append(update)
                ids.append(update["update_id"])
        assert self._loop is not None and self._wake is not None
        self._loop.call_soon_threadsafe(self._wake.set)
        return ids

    # -- looking at what the bot did

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Successful calls of ``method`` (to ``chat_id``), oldest first."""
        with self._lock:
            return [
                c["params"]
                for c in self.calls
                if c["method"] == method
                and c["ok"]
                and (chat_id is None or c["params"].get("chat_id") == chat_id)
            ]

    def texts(self, chat_id: int) -> list[str]:
        return [p["text"] for p in self.sent(chat_id)]

    def wait_for(self, condition: Callable[[], Any], timeout: float = WAIT) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"timed out; calls so far: {self.summary()}")

    def summary(self) -> list[tuple[str, Any, str]]:
        with self._lock:
            return [
                (c["method"], c["params"].get("chat_id"), str(c["params"].get("text", ""))[:60])
                for c in self.calls
            ]

    # -- the HTTP side

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = _params(await request.post())
        if method == "getUpdates":
            result: Any = await self._get_updates(params)
            return web.json_response({"ok": True, "result": result})
        status, payload = self._answer(method, params)
        with self._lock:
            self.calls.append(
                {"method": method, "params": params, "ok": status == 200, "at": time.monotonic()}
            )
        return web.json_response(payload, status=status)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), 0.5)
        assert self._wake is not None
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._updates[:limit]
            if ready or time.monotonic() >= deadline:
                return ready
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(deadline - time.monotonic(), 0))

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        def ok(result: Any) -> tuple[int, dict[str, Any]]:
            return 200, {"ok": True, "result": result}

        def bad(description: str) -> tuple[int, dict[str, Any]]:
            return 400, {"ok": False, "error_code": 400, "description": description}

        if method == "getMe":
            return ok(BOT_USER)
        if method in ("deleteWebhook", "setMyCommands", "sendChatAction", "answerCallbackQuery"):
            return ok(True)
        if method in ("sendMessage", "editMessageText"):
            text = str(params.get("text", ""))
            if not text.strip():
                return bad("Bad Request: message text is empty")
            if len(text) > 4096:
                return bad("Bad Request: message is too long")
            if params.get("parse_mode") == "HTML":
                errors = html_errors(text)
                if self.reject_marker and self.reject_marker in text:
                    errors.append('unsupported start tag "x"')
                if errors:
                    return bad(f"Bad Request: can't parse entities: {errors[0]}")
            if method == "sendMessage":
                with self._lock:
                    self._next_message += 1
                    message_id = self._next_message
            else:
                message_id = int(params["message_id"])
            chat_id = int(params["chat_id"])
            return ok(
                {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                    "from": BOT_USER,
                    "text": text,
                }
            )
        if method == "getFile":
            file_id = str(params["file_id"])
            if file_id not in self.files:
                return bad("Bad Request: invalid file_id")
            path, content = self.files[file_id]
            return ok(
                {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "file_size": len(content),
                    "file_path": path,
                }
            )
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    async def _file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        ok = request.match_info["token"] == self.token
        with self._lock:
            self.calls.append(
                {"method": "download", "params": {"path": path}, "ok": ok, "at": time.monotonic()}
            )
        for file_path, content in self.files.values():
            if ok and file_path == path:
                return web.Response(body=content)
        return web.Response(status=404)


_INT_PARAMS = ("chat_id", "message_id", "offset", "limit", "timeout")
_JSON_PARAMS = ("reply_markup", "commands", "allowed_updates", "reply_parameters")


def _params(form: Any) -> dict[str, Any]:
    """PTB's form fields: strings as they are, other values JSON-encoded."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if key in _INT_PARAMS:
            params[key] = int(value)
        elif key in _JSON_PARAMS:
            params[key] = json.loads(value)
        else:
            params[key] = value
    return params


# -- updates ---------------------------------------------------------------------------------

_counter = iter(range(1, 10**9))


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"user{chat_id}"}
    return {"id": chat_id, "type": "supergroup", "title": f"group{chat_id}"}


def _user(user_id: int, language: str = "zh-hans") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"u{user_id}", "language_code": language}


def text_update(chat_id: int, text: str, user_id: int | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_counter),
        "date": int(time.time()),
        "chat": _chat(chat_id),
        "from": _user(user_id or abs(chat_id)),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        length = len(command.encode("utf-16-le")) // 2
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"message": message}


def _sent(chat_id: int, user_id: int, **content: Any) -> dict[str, Any]:
    """A message update from ``user_id`` in ``chat_id`` carrying ``content``."""
    return {
        "message": {
            "message_id": next(_counter),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": _user(user_id),
            **content,
        }
    }


def document_update(
    chat_id: int, user_id: int, file_id: str, file_name: str, size: int
) -> dict[str, Any]:
    document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                "mime_type": "text/plain", "file_size": size}  # fmt: skip
    return _sent(chat_id, user_id, document=document)


def photo_update(chat_id: int, user_id: int, file_id: str, size: int) -> dict[str, Any]:
    """A compressed photo as Telegram sends it: several sizes, no file name."""
    sizes = [
        {"file_id": f"{file_id}s", "file_unique_id": f"u{file_id}s", "width": 90, "height": 60,
         "file_size": 1200},
        {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1240, "height": 900,
         "file_size": size},
    ]  # fmt: skip
    return _sent(chat_id, user_id, photo=sizes)


def button_update(chat_id: int, data: str, message_id: int) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": f"cq{next(_counter)}",
            "from": _user(abs(chat_id)),
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": _chat(chat_id),
                "from": BOT_USER,
                "text": "…",
            },
        }
    }


# -- running the bot -------------------------------------------------------------------------


class RunningBot:
    """The Application of ``build_application`` run by ``bot.app.run`` in its own thread."""

    def __init__(self, api: FakeBotApi, services: Any, **telegram: object) -> None:
        """``telegram``: fields of the telegram settings, e.g. ``rate_limit=3``."""
        self.settings = make_settings(
            services.settings.store.data_dir,
            telegram={"bot_token": api.token, "base_url": api.base_url, **telegram},
        )
        self.api = api
        self.config = bot_config(self.settings)
        self.application = build_application(self.config, services)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            run(self.application, self.config, stop_signals=None)
        except BaseException as e:  # noqa: BLE001 - reported by stop()
            self.error = e

    def __enter__(self) -> RunningBot:
        self._thread.start()
        # post_init has run: both command menus (the default and the English one) are set
        self.api.wait_for(lambda: len(self.api.sent(method="setMyCommands")) >= 2, timeout=300)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self.application.stop_running)
        self._thread.join(60)
        assert not self._thread.is_alive(), "the bot did not stop"
        assert self.error is None, self.error


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Everything logged at DEBUG; afterwards, no record of the test may hold the token."""
    caplog.set_level(logging.DEBUG)
    yield caplog
    assert_no_token([*caplog.get_records("setup"), *caplog.get_records("call")])


def assert_no_token(records: list[logging.LogRecord]) -> None:
    formatter = logging.Formatter("%(name)s %(message)s")
    for record in records:
        text = formatter.format(record)
        assert TOKEN not in text and TOKEN.partition(":")[2] not in text, text


def answers_to(api: FakeBotApi, chat_id: int, count: int) -> list[dict[str, Any]]:
    def enough() -> list[dict[str, Any]] | None:
        sent = api.sent(chat_id)
        return sent if len(sent) >= count else None

    return api.wait_for(enough)


def assert_valid_messages(messages: list[dict[str, Any]]) -> None:
    for message in messages:
        assert len(message["text"]) <= 4096
        if message.get("parse_mode") == "HTML":
            assert html_errors(message["text"]) == [], message["text"]


# -- answers ---------------------------------------------------------------------------------


def test_answer_with_sources_button(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    with RunningBot(api, seeded) as bot:
        commands = api.sent(method="setMyCommands")
        names = [c["command"] for c in commands[0]["commands"]]
        assert names == [
            "start", "help", "ask", "officials", "meetings", "figures", "brief", "stats",
            "sources", "reset",
        ]  # fmt: skip
        assert any(c.get("language_code") == "en" for c in commands)

        api.push(text_update(101, "宛城区2024年GDP是多少？"))
        [reply] = answers_to(api, 101, 1)
        assert "414.9亿元" in reply["text"]
        assert reply["parse_mode"] == "HTML"
        [[button]] = reply["reply_markup"]["inline_keyboard"]
        assert button["text"] == "来源 / Sources"
        assert {"action": "typing", "chat_id": 101} in [
            {"action": p["action"], "chat_id": p["chat_id"]}
            for p in api.sent(101, "sendChatAction")
        ]

        api.push(button_update(101, button["callback_data"], message_id=1))
        api.wait_for(lambda: api.sent(method="answerCallbackQuery"))
        sources = answers_to(api, 101, 2)[1]
        shown = visible_text(sources["text"])
        assert "全区生产总值首次突破400亿元大关，实现414.9亿元" in shown
        assert "001_240d0124548b3155.txt" in shown

        api.push(text_update(101, "/sources"))
        again = answers_to(api, 101, 3)[2]
        assert visible_text(again["text"]) == shown

        api.push(text_update(101, "/ask What was Wancheng District's GDP growth rate in 2024?"))
        english = answers_to(api, 101, 4)[3]
        assert "5.7%" in english["text"] and english["text"].startswith("<b>Answer")
        assert_valid_messages(api.sent(101))
        assert bot.error is None


def test_list_question_gets_all_eight_names(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    with RunningBot(api, seeded):
        api.push(text_update(102, "嘉定区的区委常委有哪些？"))
        [reply] = answers_to(api, 102, 1)
        for name in ("冯捷", "顾惠文", "姚卫华", "陆祖芳", "朱效洁", "唐晓林", "卞唯敏", "魏化勇"):
            assert name in reply["text"]


def test_follow_up_uses_the_chats_conversation(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    with RunningBot(api, seeded):
        api.push(text_update(103, "嘉定区委书记是谁？"))
        assert "陆方舟" in answers_to(api, 103, 1)[0]["text"]
        api.push(text_update(103, "那黔江区的区委书记呢？"))
        follow_up = visible_text(answers_to(api, 103, 2)[1]["text"])
        assert "罗成" in follow_up
        assert follow_up.splitlines()[0] == "理解为：黔江区委书记是谁？"  # the rewrite, shown

        # another chat has its own conversation: the same follow-up is not rewritten there
        api.push(text_update(104, "那黔江区的区委书记呢？"))
        assert "理解为" not in answers_to(api, 104, 1)[0]["text"]

        api.push(text_update(103, "/reset"))
        assert "忘记" in answers_to(api, 103, 3)[2]["text"]
        api.push(text_update(103, "那嘉定区呢？"))
        assert "理解为" not in answers_to(api, 103, 4)[3]["text"]


class _LongAnswers:
    """The real services, except for questions starting with LONG (a very long answer), BOOM
    (the chain fails) and SLOW (the answer takes 1.5 s)."""

    def __init__(self, services: Services, answer: str) -> None:
        self._services = services
        self._answer = answer
        real = services.chain

        class Chain:
            @staticmethod
            def invoke(question: str) -> Answer:
                if question.startswith("BOOM"):
                    raise RuntimeError("an internal detail users must not see")
                if question.startswith("SLOW"):
                    time.sleep(1.5)
                    return real.invoke(question.removeprefix("SLOW"))
                if not question.startswith("LONG"):
                    return real.invoke(question)
                source = Source("x.txt", "x.txt", "标题 <b>&", "2025-01-01", "引用 <i>", 1.0)
                return Answer(question, f"{question}\n{answer}", True, [source])

        self.chain = Chain()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._services, name)


def _has_button(messages: list[dict[str, Any]]) -> bool:
    return bool(messages) and "reply_markup" in messages[-1]


def _long_answer() -> str:
    lines = ["答：一个被迫很长的答案 <b>不是标签</b> & 5 < 6 > 4"]
    lines += [f"第{n}行：依据 a<b>c & d</i> 「引文」；还有一句。" * 3 for n in range(60)]
    lines.append("这是一个没有换行的超长段落，句子一个接一个。" * 120)
    lines.append("没有任何标点的超长字符串" * 100)
    return "\n".join(lines)


def test_long_reply_is_split_into_valid_html_messages(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    long_answer = _long_answer()
    assert len(long_answer) > 6000
    with RunningBot(api, _LongAnswers(seeded, long_answer)):
        api.push(text_update(105, "LONG 请给一个很长的回答"))
        messages = api.wait_for(lambda: api.sent(105) if _has_button(api.sent(105)) else None)
        assert len(messages) >= 3
        assert_valid_messages(messages)
        assert all(m["parse_mode"] == "HTML" for m in messages)
        # nothing lost, nothing doubled: the messages hold the answer, in order
        shown = "".join(visible_text(m["text"]) for m in messages)
        expected = f"LONG 请给一个很长的回答\n{long_answer}"
        assert re.sub(r"\s", "", shown) == re.sub(r"\s", "", expected)
        # the button sits on the last message only
        assert ["reply_markup" in m for m in messages] == [False] * (len(messages) - 1) + [True]

        # if Telegram rejects the markup all the same, the text goes out plain
        api.reject_marker = "REJECTED"
        api.push(text_update(106, "LONG REJECTED"))
        plain = api.wait_for(lambda: [m for m in api.sent(106) if "parse_mode" not in m])
        assert plain[0]["text"].startswith("LONG REJECTED\n答：一个被迫很长的答案 <b>不是标签</b>")
        assert any("sent as plain text" in r.getMessage() for r in logs.records)


def test_a_comparison_arrives_as_a_table_of_monospace_rows(
    api: FakeBotApi, seeded: Services, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, place, total in (("qh.txt", "青禾区", "219.8"), ("lx.txt", "柳溪区", "305.2")):
        (folder / name).write_text(
            f"{place}召开2025年经济工作会议\n2025年2月11日，{place}召开经济工作会议。"
            f"会议通报，2024年{place}地区生产总值实现{total}亿元，增长5.0%。\n",
            encoding="utf-8",
        )
    (folder / "lx_plan.txt").write_text(
        "柳溪区召开2025年政府工作会议\n2025年1月9日，柳溪区召开政府工作会议。报告提出，2025年主要"
        "预期目标是：地区生产总值增长6%左右。\n",
        encoding="utf-8",
    )
    (folder / "lx_result.txt").write_text(
        "柳溪区召开经济工作会议\n2026年1月7日，柳溪区召开经济工作会议。会议通报，2025年，全区地区"
        "生产总值达到318.6亿元，同比增长6.3%，总量和增速均创近年新高。\n",
        encoding="utf-8",
    )
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    with RunningBot(api, services) as bot:
        api.push(text_update(118, "/figures compare GDP 2025"))
        [targets] = answers_to(api, 118, 1)
        assert_valid_messages([targets])
        (row,) = [html.unescape(r) for r in re.findall(r"<code>(.*?)</code>", targets["text"])]
        assert row == "柳溪区 2025 about 6% → 6.3%  met"  # asked in English
        api.push(text_update(118, "/figures 对比 地区生产总值"))
        chinese = answers_to(api, 118, 2)[1]["text"]
        assert html.unescape(chinese).count("柳溪区 2025 6%左右 → 6.3%  完成") == 1
        api.push(text_update(118, "/stats"))
        assert "转载组 0 个" in visible_text(answers_to(api, 118, 3)[2]["text"])

        api.push(text_update(119, "青禾区、柳溪区和云山区2024年GDP对比"))
        [reply] = answers_to(api, 119, 1)
        assert_valid_messages([reply])
        rows = [html.unescape(r) for r in re.findall(r"<code>(.*?)</code>", reply["text"])]
        assert [r.split()[:3] for r in rows] == [
            ["1", "柳溪区", "305.2亿元"], ["2", "青禾区", "219.8亿元"], ["3", "云山区", "—"],
        ]  # fmt: skip
        # each reported row's sentence follows the table, with its file
        assert "[1] 「会议通报，2024年柳溪区地区生产总值实现305.2亿元" in visible_text(
            reply["text"]
        )
        assert "lx.txt" in reply["text"] and "qh.txt" in reply["text"]
        assert bot.error is None


def test_failures_get_one_short_message_and_a_logged_traceback(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    with RunningBot(api, _LongAnswers(seeded, "")):
        api.push(text_update(107, "BOOM 宛城区呢？"), text_update(108, "BOOM, what happened?"))
        [zh] = answers_to(api, 107, 1)
        [en] = answers_to(api, 108, 1)
    assert zh["text"] == "出错了，请稍后再试。"
    assert en["text"] == "Something went wrong, please try again later."
    failures = [r for r in logs.records if r.levelno == logging.ERROR and r.exc_info]
    assert len(failures) == 2
    assert "internal detail" in logs.text  # in the log, with the traceback; not in the chat


def test_typing_is_renewed_while_answering(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    monkeypatch.setattr("bot.replies.TYPING_INTERVAL", 0.3)
    with RunningBot(api, _LongAnswers(seeded, "")):
        api.push(text_update(109, "SLOW嘉定区委书记是谁？"))
        assert "陆方舟" in answers_to(api, 109, 1)[0]["text"]
        typing = api.sent(109, "sendChatAction")
        assert len(typing) >= 3 and {t["action"] for t in typing} == {"typing"}
        time.sleep(1.0)
        assert len(api.sent(109, "sendChatAction")) == len(typing)  # and stops after


# -- access ----------------------------------------------------------------------------------


def test_allowlisted_chat_answered_other_chat_refused_once(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    with RunningBot(api, seeded, allowed_chats="201"):
        api.push(
            text_update(202, "嘉定区委书记是谁？"),
            text_update(202, "/officials"),
            text_update(201, "嘉定区委书记是谁？"),
        )
        assert "陆方舟" in answers_to(api, 201, 1)[0]["text"]
        time.sleep(1.0)  # let anything still on its way to 202 arrive
        [refusal] = api.sent(202)
        assert "抱歉" in refusal["text"] and "陆方舟" not in refusal["text"]
        assert api.sent(202, "sendChatAction") == []
        assert any("202" in r.getMessage() and "allowlist" in r.getMessage() for r in logs.records)


def test_commands_list_facts(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    commands = ("/start", "/help", "/officials 黔江区", "/meetings", "/figures 宛城区 2024",
                "/stats", "/sources", "/ask", "/brief 宛城区三级干部会议", "/brief")  # fmt: skip
    with RunningBot(api, seeded):
        for n, text in enumerate(commands, 1):  # one at a time: commands run concurrently
            api.push(text_update(301, text))
            answers_to(api, 301, n)
        replies = api.sent(301)
        shown = [visible_text(r["text"]) for r in replies]
        assert "宛城区2024年GDP是多少" in shown[0]
        assert "/reset" in shown[1]
        assert "罗成" in shown[2] and "陆方舟" not in shown[2]
        assert "主持" in shown[3] and "庄建球" in shown[3]
        assert "414.9亿元" in shown[4]
        assert "报告 5 篇" in shown[5]
        assert "请先提问" in shown[6]
        assert "用法" in shown[7]
        # the brief: chair with title, a speaker's point with its sentence, a figure
        assert "主持" in shown[8] and "郭炜（区委副书记、区长）" in shown[8]
        assert "要凝聚共识快行动" in shown[8] and "414.9亿元" in shown[8]
        assert "001_240d0124548b3155.txt" in shown[8]
        assert "/brief" in shown[9] and "用法" in shown[9]
        assert_valid_messages(replies)


def test_questions_over_the_rate_limit_get_one_polite_message(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    monkeypatch.setattr("bot.ratelimit.WINDOW", 4.0)  # "a minute", shortened for the test
    with RunningBot(api, seeded, rate_limit=3):
        burst = [text_update(701, "嘉定区委书记是谁？") for _ in range(7)]
        started = time.monotonic()
        api.push(*burst, text_update(702, "Who is the Party Secretary of Jiading District?"))
        replies = answers_to(api, 701, 4)
        time.sleep(1.0)  # nothing more is coming for this burst
        texts = [visible_text(r["text"]) for r in api.sent(701)]
        assert len(texts) == 4, texts
        polite = [t for t in texts if "陆方舟" not in t]
        assert polite == [
            "您提问得有点快，请稍等一会儿再问。"
            "（每个聊天每分钟最多 3 个问题，这期间发来的问题不会回答。）"
        ]
        assert sum("陆方舟" in t for t in texts) == 3
        assert "陆方舟" in answers_to(api, 702, 1)[0]["text"]  # other chats are not limited
        assert_valid_messages(replies)

        # once the window has passed, questions are answered again; a new burst is told again
        time.sleep(max(0.0, started + 4.5 - time.monotonic()))
        api.push(*[text_update(701, "Who is the Party Secretary of Jiading District?")] * 5)
        answers_to(api, 701, 8)
        time.sleep(1.0)
        later = [visible_text(r["text"]) for r in api.sent(701)[4:]]
        assert len(later) == 4, later
        assert sum("Lu Fangzhou" in t or "陆方舟" in t for t in later) == 3, later
        assert [t for t in later if t.startswith("That is a lot of questions")] == [
            "That is a lot of questions at once: please wait a moment before asking again. "
            "(Each chat may ask 3 a minute; questions sent meanwhile are not answered.)"
        ]


# -- uploads ---------------------------------------------------------------------------------

NEW_REPORT = """青禾区召开2025年一季度经济运行分析会
3月18日上午，青禾区召开2025年一季度经济运行分析会。区委书记石敬川出席并讲话，区委副书记、区长梅远航主持。
会议通报，2024年青禾区地区生产总值实现286.4亿元，增长6.1%。
石敬川强调，要抢抓机遇，稳住经济基本盘。
"""


def test_admin_upload_is_ingested_and_answerable(
    api: FakeBotApi, seeded: Services, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    services = fresh_services(tmp_path / "data", seeded)
    content = NEW_REPORT.encode("utf-8")
    api.files["F1"] = ("documents/file_1.txt", content)
    api.files["F2"] = ("documents/file_2.txt", content)
    with RunningBot(api, services, admins=str(ADMIN)):
        api.push(text_update(ADMIN, "谁主持了青禾区2025年一季度经济运行分析会？"))
        assert "还没有收录" in answers_to(api, ADMIN, 1)[0]["text"]

        # a non-admin's upload is refused and not even downloaded
        api.push(document_update(401, 401, "F2", "qinghe.txt", len(content)))
        [refusal] = answers_to(api, 401, 1)
        assert "只有管理员" in refusal["text"]

        api.push(document_update(ADMIN, ADMIN, "F1", "qinghe.txt", len(content)))
        done = api.wait_for(
            lambda: [e for e in api.sent(ADMIN, "editMessageText") if "新增 1" in e["text"]]
        )
        status = answers_to(api, ADMIN, 2)[1]
        assert "qinghe.txt" in status["text"]
        edits = api.sent(ADMIN, "editMessageText")
        assert len(api.sent(ADMIN)) == 2  # one status message, edited in place
        assert {e["message_id"] for e in edits} == {done[0]["message_id"]}
        assert any("正在收录" in e["text"] for e in edits)
        assert "失败 0" in done[0]["text"]
        assert [c["path"] for c in api.sent(method="download")] == ["documents/file_1.txt"]
        assert services.store.stats()["documents"] == 1

        api.push(text_update(ADMIN, "谁主持了青禾区2025年一季度经济运行分析会？"))
        assert "梅远航" in answers_to(api, ADMIN, 3)[2]["text"]
        api.push(text_update(ADMIN, "青禾区2024年GDP是多少？"))
        assert "286.4亿元" in answers_to(api, ADMIN, 4)[3]["text"]

        # the same file again: nothing new; a file of another kind, or too big: refused
        api.push(document_update(ADMIN, ADMIN, "F1", "qinghe.txt", len(content)))
        api.wait_for(
            lambda: [e for e in api.sent(ADMIN, "editMessageText") if "未变 1" in e["text"]]
        )
        api.push(document_update(ADMIN, ADMIN, "F3", "setup.exe", 10))
        assert "不支持" in answers_to(api, ADMIN, 6)[5]["text"]
        api.push(document_update(ADMIN, ADMIN, "F4", "huge.pdf", 25 * 1024 * 1024))
        assert "文件太大" in answers_to(api, ADMIN, 7)[6]["text"]
        assert len(api.sent(method="getFile")) == 2
    assert services.store.stats()["documents"] == 1


PHOTO_REPORT = (
    "云溪县召开2025年春季农业生产调度会\n"
    "3月20日，云溪县召开2025年春季农业生产调度会。县委书记倪正阳出席并讲话，县长聂秋禾主持。"
    "会议通报，2024年云溪县粮食总产量达到41.7万吨。"
)


def test_an_admins_photo_is_read_by_ocr_and_answerable(
    api: FakeBotApi, seeded: Services, tmp_path: Path
) -> None:
    services = fresh_services(tmp_path / "data", seeded)
    photo = io.BytesIO()
    render_page(PHOTO_REPORT).save(photo, format="JPEG", quality=75)
    api.files["P1"] = ("photos/file_1.jpg", photo.getvalue())
    with RunningBot(api, services, admins=str(ADMIN)):
        api.push(photo_update(ADMIN, ADMIN, "P1", len(photo.getvalue())))
        done = api.wait_for(
            lambda: [e for e in api.sent(ADMIN, "editMessageText") if "新增 1" in e["text"]]
        )
        assert "失败 0" in done[0]["text"]
        # the largest size was downloaded, and the status said which page OCR was reading
        assert [c["path"] for c in api.sent(method="download")] == ["photos/file_1.jpg"]
        assert any("第 1 页（OCR）" in e["text"] for e in api.sent(ADMIN, "editMessageText"))
        api.push(text_update(ADMIN, "谁主持了云溪县2025年春季农业生产调度会？"))
        reply = answers_to(api, ADMIN, 2)[1]["text"]
        assert "聂秋禾" in reply and "OCR，置信度" in reply
    assert services.store.stats()["documents"] == 1


OTHER_REPORT = """石桥镇召开2025年春季植树造林动员会
3月12日，石桥镇召开2025年春季植树造林动员会。镇党委书记韩立秋出席并讲话，镇长蒋文博主持。
会议通报，2024年石桥镇完成造林面积1.2万亩。
"""


def slow_report(chars: int) -> str:
    """A plain report long enough to take a minute or more to ingest here."""
    lines = ["青禾区经济运行情况通报", "2025年3月18日，青禾区召开经济运行分析会。"]
    n = total = 0
    while total < chars:
        n += 1
        sentence = (
            f"第{n}项：青禾区第{n % 40 + 1}街道完成固定资产投资{n % 97 + 1}.{n % 10}亿元，"
            f"同比增长{n % 13}.{n % 7}%，其中工业投资{n % 31 + 2}亿元。"
        )
        lines.append(sentence)
        total += len(sentence)
    return "\n".join(lines)


def edited(api: FakeBotApi, text: str) -> list[dict[str, Any]]:
    """Status messages (edits) to the admin that hold ``text``."""
    return [e for e in api.sent(ADMIN, "editMessageText") if text in e["text"]]


def test_upload_gets_its_own_doc_id_and_replaces_only_its_own_upload(
    api: FakeBotApi, seeded: Services, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    """`report.txt` uploaded is `telegram/report.txt`: a report ingested from a folder's
    `report.txt` stays; the next upload of that name replaces the earlier upload."""
    data = tmp_path / "data"
    services = fresh_services(data, seeded)
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(NEW_REPORT, encoding="utf-8")
    assert ingest(services, folder).added == 1
    first = OTHER_REPORT.encode("utf-8")
    second = OTHER_REPORT.replace("1.2万亩", "1.5万亩").encode("utf-8")
    api.files["S1"] = ("documents/file_1.txt", first)
    api.files["S2"] = ("documents/file_2.txt", second)
    with RunningBot(api, services, admins=str(ADMIN)):
        api.push(document_update(ADMIN, ADMIN, "S1", "report.txt", len(first)))
        api.wait_for(lambda: edited(api, "新增 1"))
        assert services.store.doc_ids() == {"report.txt", "telegram/report.txt"}
        api.push(text_update(801, "谁主持了青禾区2025年一季度经济运行分析会？"))
        assert "梅远航" in answers_to(api, 801, 1)[0]["text"]  # the folder's report is intact
        api.push(text_update(801, "谁主持了石桥镇2025年春季植树造林动员会？"))
        assert "蒋文博" in answers_to(api, 801, 2)[1]["text"]

        # the same name again (with folders in front): replaces the earlier upload only
        api.push(document_update(ADMIN, ADMIN, "S2", "../../report.txt", len(second)))
        api.wait_for(lambda: edited(api, "更新 1"))
        assert services.store.doc_ids() == {"report.txt", "telegram/report.txt"}
        api.push(text_update(801, "石桥镇2024年完成造林面积多少？"))
        assert "1.5万亩" in answers_to(api, 801, 3)[2]["text"]
        api.push(text_update(801, "谁主持了青禾区2025年一季度经济运行分析会？"))
        assert "梅远航" in answers_to(api, 801, 4)[3]["text"]

        api.push(document_update(ADMIN, ADMIN, "S3", "/etc/passwd", 10))
        assert "不支持" in api.wait_for(lambda: [t for t in api.texts(ADMIN) if "不支持" in t])[0]
    uploads = data / "uploads"
    kept = uploads / "telegram" / "report.txt"
    assert sorted(p.relative_to(uploads).as_posix() for p in uploads.rglob("*")) == [
        "telegram",
        "telegram/report.txt",
    ]
    assert kept.read_bytes() == second  # the file kept is the version stored
    assert services.store.sources()["telegram/report.txt"] == str(kept.resolve())
    assert services.store.audit() == []
    assert not (tmp_path / "report.txt").exists()


def test_upload_over_its_time_budget_stores_nothing(
    api: FakeBotApi, seeded: Services, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    """A file that takes too long is dropped: the earlier upload of its name stays stored
    and on disk, whole, and the next upload is not held up."""
    data = tmp_path / "data"
    services = fresh_services(data, seeded)
    small = OTHER_REPORT.encode("utf-8")
    big = slow_report(200_000).encode("utf-8")
    api.files["T1"] = ("documents/file_1.txt", small)
    api.files["T2"] = ("documents/file_2.txt", big)
    api.files["T3"] = ("documents/file_3.txt", NEW_REPORT.encode("utf-8"))
    with RunningBot(api, services, admins=str(ADMIN), ingest_timeout=8):
        api.push(document_update(ADMIN, ADMIN, "T1", "report.txt", len(small)))
        api.wait_for(lambda: edited(api, "新增 1"))
        stored = services.store.content_hash("telegram/report.txt")

        started = time.monotonic()
        api.push(document_update(ADMIN, ADMIN, "T2", "report.txt", len(big)))
        [dropped] = api.wait_for(lambda: edited(api, "时限"))
        assert time.monotonic() - started < 60
        assert visible_text(dropped["text"]) == (
            "收录 report.txt 超过了 8 秒的时限，已经放弃，没有保存其中任何内容。"
        )
        assert services.store.doc_ids() == {"telegram/report.txt"}
        assert services.store.content_hash("telegram/report.txt") == stored
        assert services.store.audit() == []
        assert (data / "uploads" / "telegram" / "report.txt").read_bytes() == small

        api.push(document_update(ADMIN, ADMIN, "T3", "qinghe.txt", len(NEW_REPORT)))
        api.wait_for(lambda: [e for e in edited(api, "新增 1") if "qinghe.txt" in e["text"]])
    assert services.store.doc_ids() == {"telegram/report.txt", "telegram/qinghe.txt"}


def test_sigterm_during_an_upload_stops_the_bot_at_once(
    api: FakeBotApi, seeded: Services, tmp_path: Path
) -> None:
    """`govqa bot` ingesting a slow upload: SIGTERM stops it in seconds, exit 0, and the
    store holds nothing of the upload."""
    data = tmp_path / "data"
    big = slow_report(200_000).encode("utf-8")
    api.files["B1"] = ("documents/file_1.txt", big)
    env = {
        **os.environ,
        "GOVQA_DATA_DIR": str(data),
        "GOVQA_LOG_LEVEL": "INFO",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "GOVQA_TELEGRAM_BASE_URL": api.base_url,
        "GOVQA_TELEGRAM_ADMINS": str(ADMIN),
    }
    log = tmp_path / "bot.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "govqa", "bot"], cwd=ROOT, env=env, stderr=stderr,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            api.wait_for(lambda: api.sent(method="setMyCommands"), timeout=300)
            api.push(document_update(ADMIN, ADMIN, "B1", "big.txt", len(big)))
            api.wait_for(lambda: edited(api, "正在收录"))
            time.sleep(3.0)  # well into the ingest
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            code = process.wait(30)
            stopped_in = time.monotonic() - started
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    text = log.read_text()
    assert code == 0, text
    assert stopped_in < 10, text
    assert edited(api, "机器人正在关闭：big.txt 没有收录，请稍后重新发送。")
    assert TOKEN not in text and TOKEN.partition(":")[2] not in text
    assert report_rows(data) == 0
    store = fresh_services(data, seeded).store
    assert store.stats()["documents"] == 0 and store.vector_count() == 0
    assert list((data / "uploads").rglob("*.txt")) == []
    assert _workers_of(data) == []  # the worker process went with the bot


def _workers_of(data: Path) -> list[int]:
    """Upload worker processes still running for this data dir."""
    found = []
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if (
                b"bot.ingest_worker" in (proc / "cmdline").read_bytes()
                and str(data).encode() in (proc / "environ").read_bytes()
            ):
                found.append(int(proc.name))
    return found


# -- load ------------------------------------------------------------------------------------

QUESTIONS = (
    ("嘉定区委书记是谁？", "陆方舟"),
    ("那黔江区的区委书记呢？", "罗成"),  # a follow-up: needs the chat's previous answer
    ("宛城区2024年GDP是多少？", "414.9亿元"),
    ("張宏義擔任什麼職務？", "示範區管委會主任"),
)


def test_200_updates_from_50_chats_all_answered_in_order(
    api: FakeBotApi, seeded: Services, logs: pytest.LogCaptureFixture
) -> None:
    chats = list(range(1001, 1051))
    updates = [text_update(chat, q) for q, _ in QUESTIONS for chat in chats]
    with RunningBot(api, seeded):
        started = time.monotonic()
        api.push(*updates[:100])
        api.push(text_update(999, "/start"))  # in the middle of the load
        api.push(*updates[100:])
        api.wait_for(lambda: api.sent(999))
        start_latency = time.monotonic() - started
        for chat in chats:
            answers_to(api, chat, len(QUESTIONS))
        elapsed = time.monotonic() - started
        time.sleep(0.5)
        for chat in chats:
            texts = api.texts(chat)
            assert len(texts) == len(QUESTIONS), (chat, texts)  # none lost, none doubled
            for text, (_, expected) in zip(texts, QUESTIONS, strict=True):
                assert expected in text, (chat, texts)
        finished_last = max(c["at"] for c in api.calls if c["method"] == "sendMessage")
        started_reply = next(
            c["at"] for c in api.calls if c["method"] == "sendMessage"
            and c["params"]["chat_id"] == 999
        )  # fmt: skip
        assert started_reply < finished_last  # /start was not queued behind the questions
        assert start_latency < 30
    rss = _rss_mb()
    print(  # noqa: T201 - the figures the issue asks for
        f"\n200 updates from 50 chats answered in {elapsed:.1f} s; "
        f"/start in the middle answered after {start_latency:.2f} s; "
        f"RSS {rss['VmRSS']:.0f} MB (peak {rss['VmHWM']:.0f} MB)"
    )


def _rss_mb() -> dict[str, float]:
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    with contextlib.suppress(OSError):
        for row in Path("/proc/self/status").read_text().splitlines():
            key, _, value = row.partition(":")
            if key in values:
                values[key] = int(value.split()[0]) / 1024
    return values


# -- secrets and the command -----------------------------------------------------------------


def test_token_never_logged_even_with_httpx_at_debug(
    api: FakeBotApi, seeded: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with RunningBot(api, seeded):
        logging.getLogger("httpx").setLevel(logging.DEBUG)  # as if someone turned it on
        try:
            api.push(text_update(501, "嘉定区委书记是谁？"))
            answers_to(api, 501, 1)
        finally:
            logging.getLogger("httpx").setLevel(logging.WARNING)
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    messages = [r.getMessage() for r in records]
    # PTB's "Set Bot API URL" (DEBUG) and httpx's request lines are there, redacted
    assert any("Set Bot API URL" in m and "[bot token]" in m for m in messages)
    assert any("HTTP Request" in m and "[bot token]" in m for m in messages)
    assert_no_token(records)


def test_bot_command_without_token_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("bot", data_dir=tmp_path, env={"TELEGRAM_BOT_TOKEN": ""})
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_bot_command_runs_against_the_api(api: FakeBotApi, tmp_path: Path) -> None:
    """`govqa bot` itself: starts, loads once, answers, logs no token at DEBUG, stops on ^C."""
    log = tmp_path / "bot.log"
    env = {
        **os.environ,
        "GOVQA_DATA_DIR": str(tmp_path / "data"),
        "GOVQA_LOG_LEVEL": "DEBUG",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "GOVQA_TELEGRAM_BASE_URL": api.base_url,
    }
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "govqa", "bot"], cwd=ROOT, env=env, stderr=stderr,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            api.wait_for(lambda: api.sent(method="setMyCommands"), timeout=300)
            api.push(text_update(601, "/start"), text_update(601, "宛城区2024年GDP是多少？"))
            replies = answers_to(api, 601, 2)
            assert "你好" in replies[0]["text"]
            assert "还没有收录" in replies[1]["text"]
            process.send_signal(signal.SIGINT)
            assert process.wait(60) == 0
        finally:
            if process.poll() is None:
                process.kill()
    text = log.read_text()
    assert "DEBUG" in text and "[bot token]" in text
    assert TOKEN not in text and TOKEN.partition(":")[2] not in text


# -- start-up failures: one sentence, exit 2, no token ---------------------------------------

REJECTED = "777777:AAH-revokedTokenTheServerRejects_0a1b2c3d4e5f"


def _bot_command(base_url: str, token: str, tmp_path: Path, level: str) -> Any:
    return run_cli(
        "bot",
        data_dir=tmp_path / "data",
        env={
            "TELEGRAM_BOT_TOKEN": token,
            "GOVQA_TELEGRAM_BASE_URL": base_url,
            "GOVQA_LOG_LEVEL": level,
        },
    )


def test_rejected_token_is_one_sentence_without_the_token(api: FakeBotApi, tmp_path: Path) -> None:
    """The Bot API answers getMe with 401: `govqa bot` says so in one sentence, exit 2, and
    the token is nowhere — not at DEBUG, not in a traceback."""
    expected = (
        f"Error: the Bot API at http://127.0.0.1:{api.port} rejected TELEGRAM_BOT_TOKEN "
        "(401 Unauthorized): check the token @BotFather gave you, or /revoke it there for a new one"
    )
    quiet = _bot_command(api.base_url, REJECTED, tmp_path, "WARNING")
    assert quiet.returncode == 2, quiet.stderr
    assert quiet.stderr.strip().splitlines() == [expected]
    assert quiet.stdout == ""

    debug = _bot_command(api.base_url, REJECTED, tmp_path, "DEBUG")
    assert debug.returncode == 2, debug.stderr
    assert debug.stderr.strip().splitlines()[-1] == expected
    assert "getMe" in debug.stderr and "[bot token]" in debug.stderr  # logged, redacted
    for output in (quiet.stdout, quiet.stderr, debug.stdout, debug.stderr):
        assert REJECTED not in output and REJECTED.partition(":")[2] not in output
        assert "Traceback" not in output and "InvalidToken" not in output
    assert not (tmp_path / "data").exists()  # refused before loading anything


def test_unreachable_bot_api_is_one_sentence(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _bot_command(f"http://127.0.0.1:{port}/bot", TOKEN, tmp_path, "WARNING")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot reach the Bot API at http://127.0.0.1:{port} (All connection attempts "
        "failed): check the network and GOVQA_TELEGRAM_BASE_URL"
    ]
    assert TOKEN not in result.stderr and TOKEN.partition(":")[2] not in result.stderr


def test_plain_http_webhook_is_one_sentence(tmp_path: Path) -> None:
    result = run_cli(
        "bot",
        data_dir=tmp_path / "data",
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "GOVQA_TELEGRAM_WEBHOOK_URL": "http://example.org/x"},
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: GOVQA_TELEGRAM_WEBHOOK_URL must be an https:// URL"
    ]

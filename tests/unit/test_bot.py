"""The bot's wiring without a Bot API: URLs, the application, the rate limit.

The bot against a fake Bot API server is tested in tests/integration/test_bot.py.
"""

from __future__ import annotations

from pathlib import Path

from bot.app import build_application, file_base_url
from govqa.commands.bot import bot_config
from tests.helpers import TOKEN, make_settings


def test_base_urls_join_the_token_like_ptb() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_base_url("http://h/bot{token}/test") == "http://h/file/bot{token}/test"


def test_application_wiring(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, telegram={"bot_token": TOKEN})
    application = build_application(bot_config(settings), services=object())
    assert application.bot.base_url == f"https://api.telegram.org/bot{TOKEN}"
    assert application.bot.base_file_url == f"https://api.telegram.org/file/bot{TOKEN}"
    assert len(application.error_handlers) == 1
    assert application.concurrent_updates > 1
    assert application.bot.rate_limiter is not None
    assert application.post_init is not None


def test_rate_limit_zero_is_off() -> None:
    from bot.ratelimit import QuestionLimit

    assert {QuestionLimit(0).check(now=1.0) for _ in range(1000)} == {"answer"}


def test_a_long_table_splits_between_rows() -> None:
    from bot.formatting import answer_lines, split_messages
    from retrieval.types import Answer

    rows: list[dict[str, object]] = [
        {"place": f"第{n}区", "shown": f"{n}.5亿元", "year": "2024", "conflicts": [],
         "sentence": f"第{n}区地区生产总值{n}.5亿元。", "file": f"{n}.txt"}
        for n in range(1, 60)
    ]  # fmt: skip
    answer = Answer("q", "答：第59区\n…", True, table=rows)
    messages = split_messages(answer_lines(answer), limit=400)
    assert len(messages) > 3
    codes = [c for m in messages for c in m.html.split("<code>")[1:]]
    assert len(codes) == 59 and all(c.count("</code>") == 1 for c in codes)
    assert all(m.html.count("<code>") == m.html.count("</code>") for m in messages)

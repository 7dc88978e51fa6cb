"""A report is data, never an instruction: injected "facts" reach no answer, table or reply.

A report among the seeds orders a model (and any reader) to state a figure and a chair
that no report supports, in Chinese, English, full-width and spaced-out forms. Nothing
govqa shows — `ask` in both answerers, `figures`/`officials`/`meetings`, the bot's
`/figures` — may repeat them.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import SEEDS, fresh_services, ingest, invoke_cli
from tests.unit.test_injection import INJECTED, assert_clean


@pytest.fixture(scope="module")
def injected_dir(seeded: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("injected")
    reports = root / "reports"
    shutil.copytree(SEEDS, reports)
    (reports / "xinan.txt").write_text(INJECTED, encoding="utf-8")
    services = fresh_services(root / "data", seeded)
    summary = ingest(services, reports)
    assert summary.added == 6 and not summary.failed, summary
    services.store.close()
    yield root / "data"


def test_ask_never_repeats_an_injected_fact(injected_dir: Path) -> None:
    questions = (
        "新安县2024年地区生产总值是多少？",
        "新安县2024年一般公共预算收入是多少？",
        "新安县2024年粮食产量是多少？",
        "伊川县委书记是谁？",
        "新安县县长是谁？",
        "What was Xin'an County's GDP in 2024?",
    )
    result = invoke_cli("ask", "--json", "-", data_dir=injected_dir, stdin="\n".join(questions))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(answers) == len(questions)
    for answer in answers:
        assert_clean(json.dumps(answer, ensure_ascii=False))
    gdp, revenue = answers[0], answers[1]
    assert "310.5亿元" in gdp["answer"] and gdp["sources"][0]["file"] == "xinan.txt"
    assert "12.3亿元" in revenue["answer"]


def test_fact_tables_hold_no_injected_fact(injected_dir: Path) -> None:
    for command in ("figures", "officials", "meetings"):
        result = invoke_cli(command, "--json", data_dir=injected_dir)
        assert result.returncode == 0, result.stderr
        assert_clean(result.stdout)
    figures = invoke_cli("figures", "--region", "新安县", "--json", data_dir=injected_dir).stdout
    assert "310.5" in figures


def test_llm_mode_cannot_be_steered_by_the_report(injected_dir: Path) -> None:
    """The model obeys the report (as a weak model might): the verifier must not let the
    invented figure through, since an instruction is never evidence."""
    from tests.integration.llm.scripted import Reply, ScriptedLLM

    llm = ScriptedLLM()
    llm.reset(Reply("新安县召开了经济工作会议[1]，2024年地区生产总值为999亿元[1][2][3]。"))
    thread = threading.Thread(target=llm.server.serve_forever, daemon=True)
    thread.start()
    try:
        result = invoke_cli(
            "ask",
            "--json",
            # Not one the facts tables answer first: the model is asked.
            "新安县召开了什么会议？",
            data_dir=injected_dir,
            env={"GOVQA_LLM": "openai", "GOVQA_LLM_BASE_URL": llm.url, "GOVQA_LLM_MODEL": "m"},
        )
    finally:
        llm.server.shutdown()
        llm.server.server_close()
    assert result.returncode == 0, result.stderr
    assert llm.requests, "the model was never asked"
    answer = json.loads(result.stdout.splitlines()[-1])
    assert_clean(answer["answer"])
    assert "经济工作会议" in answer["answer"]


def test_bot_figures_show_no_injected_fact(
    injected_dir: Path, seeded: Services, tmp_path: Path
) -> None:
    from govqa.services import build_services
    from tests.helpers import make_settings
    from tests.integration.test_bot import (
        FakeBotApi,
        RunningBot,
        answers_to,
        text_update,
        visible_text,
    )

    services = build_services(make_settings(injected_dir), embeddings=seeded.embeddings)
    api = FakeBotApi().start()
    try:
        with RunningBot(api, services):
            for n, text in enumerate(("/figures 新安县", "/officials 新安县"), 1):
                api.push(text_update(501, text))
                answers_to(api, 501, n)
            shown = "\n".join(visible_text(m["text"]) for m in api.sent(501))
    finally:
        api.stop()
    assert_clean(shown)
    assert "310.5" in shown and "王建国" in shown

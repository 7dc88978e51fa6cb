"""A setting that does not parse: one sentence naming the variable, exit 2, for every command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli


def _one_sentence(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "pydantic" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("variable", "value", "command", "expected"),
    [
        (
            "GOVQA_TELEGRAM_ADMINS",
            "abc",
            ("bot",),
            "GOVQA_TELEGRAM_ADMINS: not a comma-separated list of numeric ids: 'abc'",
        ),
        (
            "GOVQA_TELEGRAM_ALLOWED_CHATS",
            "-1001, x",
            ("bot",),
            "GOVQA_TELEGRAM_ALLOWED_CHATS: not a comma-separated list of numeric ids: '-1001, x'",
        ),
        (
            "GOVQA_TOP_K",
            "x",
            ("ask", "宛城区2024年GDP是多少？"),
            "GOVQA_TOP_K: not a whole number: 'x'",
        ),
        ("GOVQA_LLM", "foo", ("stats",), "GOVQA_LLM: should be 'none' or 'openai', not 'foo'"),
        (
            "GOVQA_TELEGRAM_RATE_LIMIT",
            "-1",
            ("bot",),
            "GOVQA_TELEGRAM_RATE_LIMIT: should be greater than or equal to 0, not '-1'",
        ),
        (
            "GOVQA_TELEGRAM_BASE_URL",
            "api.telegram.org/bot",
            ("bot",),
            "GOVQA_TELEGRAM_BASE_URL: not an http:// or https:// URL: 'api.telegram.org/bot'",
        ),
        (
            "GOVQA_TELEGRAM_INGEST_TIMEOUT",
            "soon",
            ("bot",),
            "GOVQA_TELEGRAM_INGEST_TIMEOUT: not a number: 'soon'",
        ),
    ],
)
def test_a_bad_variable_is_named_in_one_sentence(
    tmp_path: Path, variable: str, value: str, command: tuple[str, ...], expected: str
) -> None:
    result = run_cli(
        *command,
        data_dir=tmp_path / "data",
        env={variable: value, "TELEGRAM_BOT_TOKEN": "424242:AAH-fakeTokenForTests_9f8e7d6c5b"},
    )
    assert result.returncode == 2, result.stderr
    assert _one_sentence(result.stderr) == f"Error: bad configuration: {expected}"
    assert result.stdout == ""
    assert not (tmp_path / "data").exists()  # failed before touching anything


def test_every_bad_variable_is_named_and_secrets_are_not_repeated(tmp_path: Path) -> None:
    """Values from `.env` too; the command stops before anything is loaded."""
    (tmp_path / ".env").write_text(
        "GOVQA_TOP_K=many\nGOVQA_LLM_API_KEY=sk-secret-key-1234567890\nGOVQA_LLM=gpt\n",
        encoding="utf-8",
    )
    env = {**os.environ, "GOVQA_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    for name in ("GOVQA_TOP_K", "GOVQA_LLM", "GOVQA_LLM_API_KEY"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "govqa", "ask", "x"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    sentence = _one_sentence(result.stderr)
    assert "GOVQA_TOP_K: not a whole number: 'many'" in sentence
    assert "GOVQA_LLM: should be 'none' or 'openai', not 'gpt'" in sentence
    assert "sk-secret" not in result.stderr + result.stdout

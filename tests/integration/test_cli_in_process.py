"""`invoke_cli` runs the real `govqa` in the test process; what it returns must be what a
fresh process gives: exit code, standard output, standard error (errors, usage, logging).
And the real entry point stays covered: `govqa ingest` and `govqa ask` as processes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import SEEDS, invoke_cli, last_json, run_cli

WANCHENG = "001_240d0124548b3155.txt"
GDP = "宛城区2024年地区生产总值是多少？"


@pytest.mark.parametrize(
    ("args", "env", "code"),
    [
        (("ask", GDP), {}, 2),  # no index: a GovqaError, one sentence
        (("stats", "--json"), {"GOVQA_TOP_K": "x"}, 2),  # bad configuration
        (("ask", "--no-such-option", GDP), {}, 2),  # click's usage error
        (("figures", "--year", "1066"), {}, 2),  # a bad value of an option
    ],
)
def test_a_failing_command_exits_alike_in_process(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], code: int
) -> None:
    process = run_cli(*args, data_dir=tmp_path / "data", env=env)
    in_process = invoke_cli(*args, data_dir=tmp_path / "data", env=env)
    assert process.returncode == code, process.stderr
    assert (in_process.returncode, in_process.stdout, in_process.stderr) == (
        process.returncode,
        process.stdout,
        process.stderr,
    )
    assert in_process.stderr.startswith(("Error: ", "Usage: ")), in_process.stderr
    assert not (tmp_path / "data").exists()


def test_a_command_on_the_seeds_prints_alike_in_process(seeded: Services, seeded_dir: Path) -> None:
    chat = "嘉定区委书记是谁？\n那黔江区的区委书记呢？\n"  # standard input, prompts, EOF
    for args, stdin in (
        (("stats", "--json"), None),
        (("officials", "--region", "黔江区"), None),
        (("chat",), chat),
        (("remove", "nope"), None),
    ):
        process = run_cli(*args, data_dir=seeded_dir, stdin=stdin)
        in_process = invoke_cli(*args, data_dir=seeded_dir, stdin=stdin)
        assert (in_process.returncode, in_process.stdout, in_process.stderr) == (
            process.returncode,
            process.stdout,
            process.stderr,
        ), args
        if args == ("chat",):
            assert "陆方舟" in process.stdout and "罗成" in process.stdout
    assert process.returncode == 1 and process.stderr.startswith("not found: nope")
    assert seeded.store.stats()["documents"] == 5


def test_logged_warnings_reach_standard_error_in_process(tmp_path: Path) -> None:
    lines = tmp_path / "reports.jsonl"
    good = {"id": "a", "title": "宛城区", "text": (SEEDS / WANCHENG).read_text(encoding="utf-8")}
    lines.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    args = ("inspect", "--json", str(lines))
    process = run_cli(*args, data_dir=tmp_path / "data")
    in_process = invoke_cli(*args, data_dir=tmp_path / "data")
    assert process.returncode == in_process.returncode == 0, process.stderr
    assert "(line skipped)" in process.stderr and process.stderr.startswith("WARNING ")
    assert (in_process.stdout, in_process.stderr) == (process.stdout, process.stderr)


def test_the_real_entry_point_ingests_and_answers(tmp_path: Path) -> None:
    """`python -m govqa` in fresh processes, as a user runs it: the smoke test of the
    start-up that every in-process command skips."""
    data = tmp_path / "data"
    ingested = run_cli("ingest", str(SEEDS), "--json", data_dir=data)
    assert ingested.returncode == 0, ingested.stderr
    assert last_json(ingested.stdout)["added"] == 5
    answer = run_cli("ask", "--json", GDP, data_dir=data)
    assert answer.returncode == 0, answer.stderr
    data_json = last_json(answer.stdout)
    assert "414.9亿元" in str(data_json["answer"])
    assert data_json["sources"][0]["file"] == WANCHENG  # type: ignore[index]


def _open_files_under(folder: Path, settle: float = 0) -> list[str]:
    """Files under ``folder`` this process holds open (Linux: /proc/self/fd), after
    waiting up to ``settle`` seconds for them to be closed: Chroma's native side closes
    its SQLite connections a few milliseconds after its client is released."""
    deadline = time.monotonic() + settle
    while True:
        opened = []
        for fd in Path("/proc/self/fd").iterdir():
            try:
                target = fd.readlink()
            except OSError:  # closed meanwhile (the listing's own descriptor)
                continue
            if target.is_relative_to(folder):
                opened.append(str(target))
        if not opened or time.monotonic() > deadline:
            return opened
        time.sleep(0.01)


def test_a_command_in_process_leaves_no_file_or_thread_behind(
    seeded: Services, tmp_path: Path
) -> None:
    import threading

    from tests.helpers import fresh_services, ingest

    data = tmp_path / "data"
    services = fresh_services(data, seeded)
    assert ingest(services, SEEDS).added == 5
    assert _open_files_under(data)  # the catalogue and Chroma's files, open
    services.close()
    assert _open_files_under(data, settle=5) == []
    answer = invoke_cli("ask", "--json", GDP, data_dir=data)  # starts background loads
    assert answer.returncode == 0, answer.stderr
    assert "414.9亿元" in str(last_json(answer.stdout)["answer"])
    assert _open_files_under(data, settle=5) == []
    assert not [t.name for t in threading.enumerate() if t.name.startswith("govqa-")]
    assert services.store.stats()["documents"] == 5  # closed Services open again when used

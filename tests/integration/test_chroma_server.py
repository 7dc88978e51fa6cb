"""A real `chroma run` server shared by several govqa processes (GOVQA_CHROMA_URL).

Two data dirs stand for two machines: each process keeps only its local cache of the
catalogue, so whatever one ingests, prunes or removes, the other must answer alike.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govqa.services import build_services
from ingest.loaders import RawDocument
from ingest.pipeline import build_report, make_chunks, make_facts
from tests.helpers import SEEDS, last_json, make_settings, run_cli, seed_variants, start_cli

GDP = "宛城区2024年地区生产总值是多少？"
GDP_FILE = "001_240d0124548b3155.txt"
CHAIR = "谁主持召开了济源示范区党工委专题会议？"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `chroma run` server from the venv on 127.0.0.1, stopped after the module."""
    chroma = Path(sys.executable).with_name("chroma")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path.parent / "chroma-server.log").open("w")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start; see {log.name}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _ask(question: str, data_dir: Path, url: str) -> dict[str, object]:
    result = run_cli("ask", "--json", question, data_dir=data_dir, env={"GOVQA_CHROMA_URL": url})
    assert result.returncode == 0, result.stderr
    return last_json(result.stdout)


def _ingest(url: str, data_dir: Path, *args: str) -> dict[str, object]:
    result = run_cli("ingest", "--json", *args, data_dir=data_dir, env={"GOVQA_CHROMA_URL": url})
    assert result.returncode == 0, result.stderr
    return last_json(result.stdout)


def test_processes_sharing_a_server_answer_alike(chroma_url: str, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(SEEDS, reports)
    first, second = tmp_path / "machine-1", tmp_path / "machine-2"

    summary = _ingest(chroma_url, first, str(reports))
    assert summary["added"] == 5
    # Nothing is stored locally but a cache: no embedded Chroma in the data dir.
    assert not (first / "chroma").exists()

    # Another process with its own (empty) data dir sees the first one's ingest.
    answer = _ask(GDP, second, chroma_url)
    assert answer["answered"] is True
    assert "414.9亿元" in str(answer["answer"])
    assert answer["sources"][0]["file"] == GDP_FILE  # type: ignore[index]
    chair = _ask(CHAIR, second, chroma_url)
    assert "庄建球" in str(chair["answer"])  # from the facts, synced too

    # Re-ingesting from the second process embeds nothing: the server knows them.
    again = _ingest(chroma_url, second, str(reports))
    assert again["unchanged"] == 5
    assert again["chunks_added"] == 0

    # The second process prunes a deleted report; the first stops answering from it.
    (reports / GDP_FILE).unlink()
    pruned = _ingest(chroma_url, second, "--prune", str(reports))
    assert pruned["removed"] == 1
    gone = _ask(GDP, first, chroma_url)
    assert gone["answered"] is False
    # a refusal may list the nearest reports, never the one pruned
    assert GDP_FILE not in [source["file"] for source in gone["sources"]]  # type: ignore[union-attr]
    assert "庄建球" in str(_ask(CHAIR, first, chroma_url)["answer"])

    stats = run_cli("stats", "--json", data_dir=first, env={"GOVQA_CHROMA_URL": chroma_url})
    assert last_json(stats.stdout)["documents"] == 4


def test_two_machines_writing_at_once_lose_nothing(chroma_url: str, tmp_path: Path) -> None:
    """Writers on different machines are not serialised by a lock (each holds its own
    data dir's); the server is one process, so their reports still all arrive whole."""
    env = {"GOVQA_CHROMA_URL": chroma_url, "GOVQA_COLLECTION": "two-writers"}
    first, second = tmp_path / "first", tmp_path / "second"
    chunks = seed_variants(first, copies=3, tag="m1") + seed_variants(second, copies=3, tag="m2")
    writers = [
        start_cli("ingest", str(folder), "--json", data_dir=tmp_path / name, env=env)
        for folder, name in ((first, "machine-1"), (second, "machine-2"))
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=900)
        assert writer.returncode == 0, err
        assert json.loads(out.splitlines()[-1])["added"] == 15
    result = run_cli("check", "--json", data_dir=tmp_path / "machine-3", env=env)
    state = last_json(result.stdout)
    assert result.returncode == 0 and state["ok"] is True, state
    assert state["reports"] == 30 and state["chunks"] == state["vectors"] == chunks


def test_a_removal_asks_the_server_about_its_report_alone(chroma_url: str, tmp_path: Path) -> None:
    """Each write replaces the server's token, so bringing the cache up to date before
    each removal listed every record on the server, once a removal."""

    def store(machine: str) -> Any:
        settings = make_settings(
            tmp_path / machine, store={"chroma_url": chroma_url, "collection": "removals"}
        )
        return build_services(settings).store

    first = store("machine-1")
    items = []
    for n in range(4):
        raw = RawDocument(text=f"宛城区召开第{n}次会议，区长郭炜主持会议。", title=f"会议{n}")
        report = build_report(raw, doc_id=f"r{n}.txt", file=f"r{n}.txt", source=f"r{n}.txt")
        chunks = make_chunks(report)
        items.append((report, chunks, [[1.0, float(n), 0.5]] * len(chunks), make_facts(report)))
    first.replace_reports(items)
    records = first._replica._records
    listings: list[dict[str, Any]] = []
    get = records.get

    def counting_get(**kwargs: Any) -> Any:
        if "ids" not in kwargs:
            listings.append(kwargs)
        return get(**kwargs)

    records.get = counting_get
    assert [first.remove_report(f"r{n}.txt") for n in range(3)] == [True, True, True]
    assert first.remove_report("r0.txt") is False
    assert listings == []

    second = store("machine-2")
    assert second.doc_ids() == {"r3.txt"}
    assert second.remove_report("r3.txt") is True
    assert first.remove_report("r3.txt") is False  # the other process removed it
    assert first.doc_ids() == set() and first.audit() == []


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    result = run_cli("ask", GDP, data_dir=tmp_path, env={"GOVQA_CHROMA_URL": url})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert url in result.stderr

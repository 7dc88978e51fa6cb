"""Several processes on one data dir: one writer at a time, nothing lost, nothing cleared
from under a live writer.

Before, two `govqa ingest` runs five seconds apart both exited 0 while a few hundred
vectors became unreadable ("Error finding id"): each process persisted its own stale
copy of Chroma's vector index. Now the second waits, and a long-running process that
writes later (a watch, the bot) reloads Chroma first.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from govqa.services import Services
from retrieval.writelock import Lease, process_start
from tests.helpers import (
    ROOT,
    SEEDS,
    fresh_services,
    ingest,
    last_json,
    report_rows,
    run_cli,
    seed_variants,
    start_cli,
)

COLLECTION = "govqa"


def check(data: Path) -> dict[str, object]:
    result = run_cli("check", "--json", data_dir=data)
    return last_json(result.stdout)


def whole_collection_query(data: Path) -> tuple[int, int]:
    """(vectors listed, vectors a query for all of them returns), read afresh."""
    client = chromadb.PersistentClient(
        path=str(data / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    try:
        collection = client.get_collection(COLLECTION)
        count = collection.count()
        vector = collection.get(limit=1, include=["embeddings"])["embeddings"][0]
        found = collection.query(query_embeddings=[list(vector)], n_results=count)
        return count, len(found["ids"][0])
    finally:
        client.close()


def test_two_ingests_at_once_lose_no_vector(tmp_path: Path) -> None:
    first, second, data = tmp_path / "a", tmp_path / "b", tmp_path / "data"
    chunks = seed_variants(first, copies=8) + seed_variants(second, copies=2, tag="b")
    a = start_cli("ingest", str(first), "--json", data_dir=data)
    deadline = time.monotonic() + 300
    while report_rows(data) < 3 and a.poll() is None:
        assert time.monotonic() < deadline, "the first ingest made no progress"
        time.sleep(0.05)
    b = start_cli("ingest", str(second), "--json", data_dir=data)
    out_a, err_a = a.communicate(timeout=900)
    out_b, err_b = b.communicate(timeout=900)
    assert a.returncode == 0, err_a
    assert b.returncode == 0, err_b
    assert "waiting for another govqa process" in err_b and f"pid {a.pid}" in err_b
    assert json.loads(out_a.splitlines()[-1])["added"] == 40
    assert json.loads(out_b.splitlines()[-1])["added"] == 10
    state = check(data)
    assert state["ok"] is True, state
    assert state["reports"] == 50 and state["chunks"] == state["vectors"] == chunks
    assert whole_collection_query(data) == (chunks, chunks)


def test_a_process_that_loaded_chroma_earlier_writes_without_damage(
    seeded: Services, tmp_path: Path
) -> None:
    """The bot or a watch keeps Chroma open while a CLI ingest writes; its next write
    (an upload, a changed file) must not persist its stale index over the other's."""
    data = tmp_path / "data"
    services = fresh_services(data, seeded)
    ingest(services, SEEDS)
    assert services.chain.invoke("宛城区2024年地区生产总值是多少？").answered  # Chroma loaded
    other = tmp_path / "other"
    seed_variants(other, copies=2, tag="cli")
    result = run_cli("ingest", str(other), "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    # A reader sees the other process's vectors too (not only its catalogue rows).
    added = [c for c, d in services.store.stored_chunks().items() if d.startswith("cli")]
    vector = services.embeddings.encode_passages(["第1份副本cli。"])[0]
    hits = {chunk for chunk, _ in services.store.dense_search(vector, k=200)}
    assert hits & set(added)
    later = tmp_path / "later"
    seed_variants(later, copies=1, tag="later")
    summary = ingest(services, later)
    assert summary.added == 5 and not summary.failed
    state = check(data)
    assert state["ok"] is True, state
    assert state["reports"] == 20
    count, found = whole_collection_query(data)
    assert count == found == state["chunks"]


SLOW_WRITER = """
import sys, time
from govqa.services import build_services
from govqa.settings import load_settings
from ingest.pipeline import Ingestor, find_files
from pathlib import Path

services = build_services(load_settings(env_file=None, store={"data_dir": sys.argv[1]}))
store = services.store
collection = store._collection
add = collection.add

def slow_add(**kwargs):  # a slow disk: the report stays pending until the test says "go"
    print("writing", flush=True)
    sys.stdin.readline()
    return add(**kwargs)

collection.add = slow_add
Ingestor(store, services.embeddings, max_bytes=1 << 24).run(find_files([Path(sys.argv[2])]))
print("done", flush=True)
"""


def test_a_second_ingest_waits_for_a_live_writer_and_clears_nothing(tmp_path: Path) -> None:
    data, slow, other = tmp_path / "data", tmp_path / "slow", tmp_path / "other"
    seed_variants(slow, copies=1, tag="slow")
    seed_variants(other, copies=1, tag="other")
    writer = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(data), str(slow)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "GOVQA_LOG_LEVEL": "WARNING"},
    )
    assert writer.stdout is not None and writer.stdin is not None
    assert writer.stdout.readline().strip() == "writing"  # its reports are pending now
    # The writer holds on until the second ingest has started and says it waits (or has
    # ended without waiting), however long that start takes on a busy machine.
    second = start_cli("ingest", str(other), "--json", data_dir=data)
    assert second.stderr is not None
    said = []
    for line in second.stderr:
        said.append(line)
        if "waiting for another govqa process" in line:
            break
    writer.stdin.write("go\n")
    writer.stdin.flush()
    stdout, rest = second.communicate(timeout=600)
    stderr = "".join(said) + rest
    assert writer.wait(timeout=300) == 0
    assert second.returncode == 0, stderr
    assert "waiting for another govqa process" in stderr
    assert "clearing" not in stderr
    assert last_json(stdout)["added"] == 5
    state = check(data)
    assert state["ok"] is True and state["reports"] == 10, state


def test_no_wait_exits_with_one_sentence_naming_the_writer(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\n"
            "from retrieval.writelock import WriteLock\n"
            "with WriteLock(Path(sys.argv[1])).held():\n"
            "    print('held', flush=True); time.sleep(120)",
            str(data / "govqa.lock"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for args in (("ingest", str(SEEDS)), ("remove", "x.txt")):
            result = run_cli(*args, "--no-wait", data_dir=data)
            assert result.returncode == 2, result.stderr
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and f"pid {holder.pid}" in lines[0], result.stderr
            assert "Traceback" not in result.stderr
    finally:
        holder.send_signal(signal.SIGKILL)  # the kernel releases the lock of a killed process
        holder.wait()
    result = run_cli("ingest", str(SEEDS), "--json", "--no-wait", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert last_json(result.stdout)["added"] == 5


def _mark_pending(data: Path, doc_id: str, lease: Lease) -> None:
    """What a writer leaves between writing the catalogue row and its vectors."""
    with sqlite3.connect(data / "govqa.sqlite3") as db:
        db.execute("UPDATE reports SET status = 'pending' WHERE doc_id = ?", (doc_id,))
        db.execute("DELETE FROM chunks_fts WHERE chunk_id LIKE ?", (f"{doc_id}#%",))
        db.execute("DELETE FROM chunks_fts_rows WHERE chunk_id LIKE ?", (f"{doc_id}#%",))
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        db.execute("INSERT INTO leases (doc_id, lease) VALUES (?, ?)", (doc_id, lease.to_json()))


def test_repair_clears_a_pending_report_only_when_its_writer_is_gone(
    seeded: Services, tmp_path: Path
) -> None:
    """A writer the lock does not cover (another machine's cache, an older govqa) may
    still be at work on a pending report: repair must wait until it is provably gone."""
    data = tmp_path / "data"
    services = fresh_services(data, seeded)
    ingest(services, SEEDS)
    services.store.close()
    writer = subprocess.Popen(["sleep", "120"])
    try:
        started = process_start(writer.pid)
        assert started is not None
        doc_id = "001_240d0124548b3155.txt"
        _mark_pending(data, doc_id, Lease(writer.pid, started, socket.gethostname(), "sleep"))
        result = run_cli("ingest", str(SEEDS), "--json", data_dir=data)
        assert result.returncode == 1, result.stderr  # that one report is listed, not redone
        assert "leaving 001_240d0124548b3155.txt alone" in result.stderr
        (failed,) = last_json(result.stdout)["failed"]  # type: ignore[misc]
        assert f"being written by pid {writer.pid}" in failed["error"]
        state = check(data)
        assert state["being_written"] == [doc_id] and state["half_written"] == []
    finally:
        writer.kill()
        writer.wait()
    state = check(data)
    assert state["half_written"] == [doc_id] and state["ok"] is False
    result = run_cli("ingest", str(SEEDS), "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "clearing 001_240d0124548b3155.txt" in result.stderr
    assert last_json(result.stdout)["added"] == 1  # cleared, then ingested again
    assert check(data)["ok"] is True


@pytest.mark.parametrize("reused_pid", [True, False])
def test_a_lease_names_one_process_not_one_pid(reused_pid: bool) -> None:
    me = Lease.mine()
    assert me.alive() and me.is_mine()
    if reused_pid:  # the same pid, started at another time: another process
        other = Lease(me.pid, "1@another-boot", me.host)
    else:  # a pid nobody has
        other = Lease(2**22 + 12345, "1@boot", me.host)
    assert not other.alive()
    assert Lease(me.pid, me.started, "another-machine").alive()  # cannot tell: may be alive

"""`govqa check [--repair]`: finds and fixes a store damaged the way two writers used to
damage it, orphan vectors, half-written reports and a catalogue out of step."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEEDS, invoke_cli, last_json, seed_variants

# A process that wrote to Chroma the old way, without the write lock: it loaded the
# collection, another process stored reports meanwhile (and 1,000 more vectors, enough
# to make Chroma persist its index), then it wrote from its stale index — the other's
# vectors stay listed but can no longer be read.
STALE = """
import sys, chromadb
from chromadb.config import Settings
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
collection = client.get_collection("govqa")
first = collection.get(limit=1, include=["embeddings", "metadatas"])
if sys.argv[2] == "base":  # an index big enough to be persisted, from an earlier run
    meta = dict(first["metadatas"][0], doc_id="base.txt")
    for start in range(0, 500, 250):
        collection.add(ids=[f"base-{n}" for n in range(start, start + 250)],
                       embeddings=[first["embeddings"][0]] * 250, metadatas=[meta] * 250)
    sys.exit()
collection.query(query_embeddings=[list(first["embeddings"][0])], n_results=1)
print("loaded", flush=True)
sys.stdin.readline()
meta = dict(first["metadatas"][0], doc_id="ghost.txt")
vector = [float(x) for x in first["embeddings"][0]]
for start in range(0, 400, 200):
    collection.add(ids=[f"ghost-{n}" for n in range(start, start + 200)],
                   embeddings=[vector] * 200, metadatas=[meta] * 200)
print("written", flush=True)
"""
# The other writer stores real reports (seed variants) through the store's own write
# path, then 1,000 vectors of no report; the reports' vectors are copies of a stored
# one, as only their readability matters here.
OTHER = """
import sys
from pathlib import Path
from govqa.services import build_services
from govqa.settings import load_settings
from ingest.loaders import load_file
from ingest.pipeline import build_report, find_files, make_chunks, make_facts

store = build_services(load_settings(env_file=None, store={"data_dir": sys.argv[1]})).store
collection = store._collection
first = collection.get(limit=1, include=["embeddings", "metadatas"])
vector = [float(x) for x in first["embeddings"][0]]
items = []
for item in find_files([Path(sys.argv[2])]):
    (raw,) = list(load_file(item.path))
    report = build_report(raw, doc_id=item.doc_id, file=item.path.name, source=str(item.path))
    chunks = make_chunks(report)
    items.append((report, chunks, [vector] * len(chunks), make_facts(report)))
store.replace_reports(items)
meta = dict(first["metadatas"][0], doc_id="filler.txt")
for start in range(0, 1000, 200):
    collection.add(ids=[f"filler-{n}" for n in range(start, start + 200)],
                   embeddings=[vector] * 200, metadatas=[meta] * 200)
"""


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("damaged")
    data = root / "data"
    assert invoke_cli("ingest", str(SEEDS), data_dir=data).returncode == 0
    subprocess.run([sys.executable, "-c", STALE, str(data / "chroma"), "base"], check=True)
    stale = subprocess.Popen(
        [sys.executable, "-c", STALE, str(data / "chroma"), "stale"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert stale.stdout is not None and stale.stdin is not None
    assert stale.stdout.readline().strip() == "loaded"
    more = root / "more"
    seed_variants(more, copies=3, tag="more")
    subprocess.run([sys.executable, "-c", OTHER, str(data), str(more)], cwd=ROOT, check=True)
    stale.stdin.write("go\n")
    stale.stdin.flush()
    assert stale.stdout.readline().strip() == "written"
    assert stale.wait(timeout=120) == 0
    with sqlite3.connect(data / "govqa.sqlite3") as db:  # the catalogue out of step too
        db.execute("DELETE FROM chunks_fts WHERE rowid = (SELECT MIN(rowid) FROM chunks_fts)")
        db.execute(
            "INSERT INTO figures (doc_id, metric, value, unit, kind, sentence) "
            "VALUES ('ghost.txt', 'GDP', '1', '亿元', 'achieved', '…')"
        )
    return data


def test_check_finds_the_damage_and_repair_fixes_it(damaged: Path) -> None:
    found = invoke_cli("check", "--json", data_dir=damaged)
    assert found.returncode == 1, found.stderr
    state = last_json(found.stdout)
    assert state["ok"] is False
    unreadable = state["unreadable_vectors"]
    assert isinstance(unreadable, list) and len(unreadable) > 0
    assert all(str(chunk).startswith("more") for chunk in unreadable)  # the other writer's
    orphans = state["orphan_vectors"]
    assert isinstance(orphans, list) and len(orphans) == 1900
    assert {str(o).split("-")[0] for o in orphans} == {"base", "ghost", "filler"}
    catalogue = " ".join(state["catalogue"])  # type: ignore[arg-type]
    assert "figures: 1 rows of nothing stored" in catalogue
    assert "missing from the lexical index" in catalogue

    text = invoke_cli("check", data_dir=damaged)
    assert text.returncode == 1
    assert "unreadable or missing vectors" in text.stdout and "govqa check --repair" in text.stderr

    repaired = invoke_cli("check", "--repair", "--json", data_dir=damaged)
    assert repaired.returncode == 0, repaired.stderr
    result = last_json(repaired.stdout)
    assert result["ok"] is True
    assert result["repaired"]["vectors_embedded"] == len(unreadable)  # type: ignore[index]
    assert result["repaired"]["orphan_vectors_deleted"] == 1900  # type: ignore[index]
    assert result["chunks"] == result["vectors"]

    again = invoke_cli("check", data_dir=damaged)
    assert again.returncode == 0 and again.stdout.strip().endswith("ok")
    answer = invoke_cli(
        "ask", "--json", "What was Wancheng District's GDP in 2024?", data_dir=damaged
    )
    assert "414.9" in str(last_json(answer.stdout)["answer"])

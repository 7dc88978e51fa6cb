"""A report larger than one Chroma write: a 2 M-character report (the GOVQA_MAX_CHARS
default) makes ~7,000 chunks, and Chroma refuses a write of more than 5,461 records."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from govqa.services import Services
from ingest.loaders import RawDocument
from ingest.pipeline import build_report, make_facts
from ingest.types import Chunk
from tests.helpers import fresh_services


def test_a_report_of_more_chunks_than_one_chroma_write_is_stored_whole(
    seeded: Services, tmp_path: Path
) -> None:
    services = fresh_services(tmp_path / "data", seeded)
    store = services.store
    text = "宛城区召开经济工作会议。" * 10
    report = build_report(
        RawDocument(text=text, title="一份很长的报告"), doc_id="long.txt", file="long.txt",
        source=str(tmp_path / "long.txt"),
    )  # fmt: skip
    count = 6000  # more than Chroma's maximum batch (5,461)
    chunks = [Chunk(report.doc_id, n, f"第{n}段。{text}", f"第{n}段。{text}") for n in range(count)]
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(count, 384))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.replace_reports([(report, chunks, vectors.tolist(), make_facts(report))])
    assert store.stats() == {
        "documents": 1, "chunks": count, "republished_groups": 0, "reports_in_groups": 0
    }  # fmt: skip
    assert store.vector_count() == count
    assert store.audit() == []

"""Shared fixtures: the real bundled model and a real Chroma in a temp dir.

The seeds are ingested once per test session (``seeded``) to keep CI fast; tests
that change the store make their own data dir. Plain helpers are in tests/helpers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govqa.services import Services, build_services
from tests.helpers import OPENED, SEEDS, ingest, make_settings, shared_embeddings


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seeded")


@pytest.fixture(scope="session")
def seeded(seeded_dir: Path) -> Services:
    """Services over a store holding the five seeds (with the model every in-process
    command shares)."""
    services = build_services(make_settings(seeded_dir), embeddings=shared_embeddings())
    summary = ingest(services, SEEDS)
    assert summary.added == 5, summary
    services.seed_summary = summary  # type: ignore[attr-defined]
    return services


@pytest.fixture(autouse=True)
def close_fresh_services() -> Iterator[None]:
    """Release the stores (catalogue, Chroma client) of the Services a test built with
    ``fresh_services`` once it is over: a session builds dozens of them."""
    before = len(OPENED)
    yield
    while len(OPENED) > before:
        OPENED.pop().close()

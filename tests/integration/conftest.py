"""Shared fixtures: the real bundled model and a real Chroma in a temp dir.

The seeds are ingested once per test session (``seeded``) to keep CI fast; tests
that change the store make their own data dir. Plain helpers are in tests/helpers.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govqa.services import Services, build_services
from tests.helpers import SEEDS, ingest, make_settings


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seeded")


@pytest.fixture(scope="session")
def seeded(seeded_dir: Path) -> Services:
    """Services over a store holding the five seeds."""
    services = build_services(make_settings(seeded_dir))
    summary = ingest(services, SEEDS)
    assert summary.added == 5, summary
    services.seed_summary = summary  # type: ignore[attr-defined]
    return services

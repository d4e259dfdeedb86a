"""Shared fixtures: paths to the repo's test data and the bundled space weather."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OBSERVED = ROOT / "tests" / "data" / "observed"


@pytest.fixture(autouse=True, scope="session")
def _no_user_downloads(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never pick up data a developer downloaded with `orbitkeep update`."""
    import os

    os.environ["ORBITKEEP_DATA_DIR"] = str(tmp_path_factory.mktemp("orbitkeep-data"))


@pytest.fixture(scope="session")
def observed_dir() -> Path:
    return OBSERVED


@pytest.fixture(scope="session")
def space_weather():  # type: ignore[no-untyped-def]
    from orbitkeep.environment.spaceweather import load_space_weather

    return load_space_weather()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long validation runs (marker ``slow``) first, each file's tests in their own
    order: with one file per xdist worker (.ci/run) the longest files start at once
    instead of last, when the other workers would wait for them."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)

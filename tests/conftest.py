"""Test settings: on CI, Hypothesis runs derandomised so a run is reproducible."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests use a cache folder and a run store of their own, never the user's."""
    os.environ["PEACETALKS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["PEACETALKS_STORE"] = str(tmp_path_factory.mktemp("store") / "runs.sqlite")

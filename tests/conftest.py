"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared corpora folder ``$FRAMING_DATA``; skips the test when it is unavailable."""
    env = os.environ.get("FRAMING_DATA")
    if not env:
        pytest.skip("FRAMING_DATA is not set: the shared corpora are needed")
    root = Path(env).expanduser()
    if not root.is_dir():
        pytest.skip(f"FRAMING_DATA folder missing ({root}): the shared corpora are needed")
    return root


@pytest.fixture(scope="session", autouse=True)
def _annotation_cache(tmp_path_factory):
    """Keep annotation caches of the test session out of the user's ~/.cache unless FRAMING_CACHE is set."""
    if not os.environ.get("FRAMING_CACHE"):
        os.environ["FRAMING_CACHE"] = str(tmp_path_factory.mktemp("framing-cache"))
    yield


@pytest.fixture()
def tracking_uri(tmp_path) -> str:
    """A fresh SQLite MLflow database for one test."""
    return f"sqlite:///{tmp_path / 'mlflow.db'}"


@pytest.fixture(scope="session")
def lexicon_dir() -> Path:
    """The public lexicons folder ``$FRAMING_LEXICONS``; skips the test when it is unavailable."""
    env = os.environ.get("FRAMING_LEXICONS")
    if not env or not Path(env).is_dir():
        pytest.skip("FRAMING_LEXICONS is not set: the public lexicons folder is needed")
    return Path(env)

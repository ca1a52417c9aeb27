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

"""Shared pytest fixtures, markers and helpers.

- ``@pytest.mark.nltk``: the test needs the NLTK data (``framing setup``); skipped with the
  missing resources named when they are absent. The ``nltk_data`` fixture does the same for fixtures.
- The session's annotation cache lives in a temporary folder unless ``FRAMING_CACHE`` is set.
- ``assert_cues_match_features``: the counts behind a family's features equal its cues.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest


def _missing_nltk() -> list[str]:
    from framing.resources import missing_nltk_resources

    return missing_nltk_resources()


def pytest_configure(config):
    config.addinivalue_line("markers", "nltk: needs the NLTK data (skipped with a reason when it is missing)")


def pytest_runtest_setup(item):
    if item.get_closest_marker("nltk") is not None:
        missing = _missing_nltk()
        if missing:
            pytest.skip(f"NLTK data missing ({', '.join(missing)}): set NLTK_DATA or run `framing setup`")


@pytest.fixture(scope="session")
def nltk_data() -> None:
    """Skips the test (and the fixtures that depend on this one) when NLTK data is missing."""
    missing = _missing_nltk()
    if missing:
        pytest.skip(f"NLTK data missing ({', '.join(missing)}): set NLTK_DATA or run `framing setup`")


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


@pytest.fixture(scope="session")
def assert_cues_match_features():
    """``check(features, texts, columns=None) -> n_cues``: explanations agree with ``transform``.

    Every cue's ``words`` is the text at its offsets and belongs to the family;
    each feature named in ``columns`` (``{feature: (category, unit)}``, names
    without the family prefix, unit ``"count"`` or ``"rate"`` per word token;
    default: every feature, read as ``<category>_<unit>``) equals the number of
    cues of its category (times the sentence's word count for rates).
    """
    from framing.features.base import word_count
    from framing.text import annotate

    def check(features, texts: Sequence[str], columns: Mapping[str, tuple[str, str]] | None = None) -> int:
        X = features.transform(list(texts))
        names = [n.split("__", 1)[1] for n in features.get_feature_names_out()]
        wanted = columns if columns is not None else {n: tuple(n.rsplit("_", 1)) for n in names}
        n_cues = 0
        for text, values, cues in zip(texts, X, features.explain_many(list(texts))):
            row = dict(zip(names, values))
            n_words = word_count(annotate([text])[0])
            for cue in cues:
                assert text[cue.start : cue.end] == cue.words, (text, cue)
                assert cue.family == features.family, (text, cue)
            for name, (category, unit) in wanted.items():
                count = sum(c.category == category for c in cues)
                if unit == "count":
                    assert row[name] == count, (text, name)
                else:
                    assert row[name] * n_words == pytest.approx(count), (text, name)
            n_cues += len(cues)
        return n_cues

    return check

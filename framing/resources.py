"""Where the toolkit finds its external resources: NLTK data, corpora, lexicons, caches.

NLTK looks in ``$NLTK_DATA`` first, then its default folders. Every NLTK
resource the toolkit needs is listed in :data:`NLTK_RESOURCES`; a missing one
raises :class:`MissingResourceError`, whose message names it and the command
that installs it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from framing.errors import UserError

#: NLTK package name -> the path ``nltk.data.find`` looks up.
NLTK_RESOURCES: dict[str, str] = {
    "punkt_tab": "tokenizers/punkt_tab/english/",
    "averaged_perceptron_tagger_eng": "taggers/averaged_perceptron_tagger_eng/",
    "stopwords": "corpora/stopwords",
    "vader_lexicon": "sentiment/vader_lexicon.zip",
}

#: The project checkout (holds ``conf/``, ``data/``, ``experiments/``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class MissingResourceError(UserError, LookupError):
    """An NLTK resource the toolkit needs is not installed."""

    def __init__(self, name: str) -> None:
        import nltk

        self.name = name
        searched = "\n  ".join(str(p) for p in nltk.data.path)
        super().__init__(
            f"NLTK resource {name!r} was not found. Install it with\n"
            f"  python -m nltk.downloader {name}\n"
            f"or run `framing setup` (downloads every missing resource), or point "
            f"NLTK_DATA at a folder that has it. Searched:\n  {searched}"
        )


def nltk_resource(name: str) -> str:
    """Path of an installed NLTK resource.

    Parameters
    ----------
    name : str
        A key of :data:`NLTK_RESOURCES`.

    Returns
    -------
    str
        What ``nltk.data.find`` returned.

    Raises
    ------
    MissingResourceError
        If NLTK cannot find it (the message says how to install it).
    """
    import nltk

    try:
        return str(nltk.data.find(NLTK_RESOURCES[name]))
    except LookupError:
        raise MissingResourceError(name) from None


def missing_nltk_resources() -> list[str]:
    """Names of the :data:`NLTK_RESOURCES` NLTK cannot find."""
    missing = []
    for name in NLTK_RESOURCES:
        try:
            nltk_resource(name)
        except MissingResourceError:
            missing.append(name)
    return missing


def ensure_nltk_resources(download: bool = True) -> list[str]:
    """Check the NLTK resources and download the missing ones.

    Parameters
    ----------
    download : bool, default True
        Try ``nltk.download`` for each missing resource (needs the internet).

    Returns
    -------
    list of str
        Resources still missing afterwards (empty when all are present).
    """
    missing = missing_nltk_resources()
    if missing and download:
        import nltk

        for name in missing:
            try:
                nltk.download(name, quiet=True, raise_on_error=True)
            except Exception:  # offline, proxy... reported through the return value
                pass
        missing = missing_nltk_resources()
    return missing


def data_root() -> Path:
    """The corpora folder: ``$FRAMING_DATA``, else the project's ``data/``."""
    env = os.environ.get("FRAMING_DATA")
    return Path(env).expanduser().resolve() if env else PROJECT_ROOT / "data"


def cache_dir() -> Path | None:
    """Folder for on-disk caches: ``$FRAMING_CACHE``, else ``~/.cache/framing``.

    ``FRAMING_CACHE=off`` disables disk caching (returns ``None``).
    """
    env = os.environ.get("FRAMING_CACHE")
    if env is not None and env.strip().lower() in {"off", "none", "0", ""}:
        return None
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "framing"


@cache
def package_lexicon_dir() -> Path:
    """The project's own lexicons (``framing/lexicons/``)."""
    return Path(__file__).resolve().parent / "lexicons"

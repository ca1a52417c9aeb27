"""Where the public lexicons are, and how their entries become tokens.

The public lexicons (see :mod:`framing.lexicons.external`) are read from a
folder the user configures (``lexicon_dir``, default ``$FRAMING_LEXICONS``),
never bundled. Entries are tokenised as text is (lower case,
``NLTKWordTokenizer``), and each file is parsed once per process while it is
unchanged (:func:`file_cached`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache, wraps
from pathlib import Path

from framing.lexicons.lexicon import Lexicon
from framing.resources import user_path

#: Environment variable naming the folder of external lexicons.
LEXICONS_ENV = "FRAMING_LEXICONS"


# --------------------------------------------------------------------------- locating files


def resolve_lexicon_dir(lexicon_dir: str | Path | None = None, *, wanted: str = "") -> Path:
    """The folder holding the external lexicons.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        The folder; ``None`` means ``$FRAMING_LEXICONS``.
    wanted : str
        What the caller is looking for (for the error message).

    Returns
    -------
    Path

    Raises
    ------
    FileNotFoundError
        If ``lexicon_dir`` is None and ``FRAMING_LEXICONS`` is unset or empty,
        or the folder does not exist.
    """
    if lexicon_dir is None:
        env = os.environ.get(LEXICONS_ENV, "").strip()
        if not env:
            what = f" ({wanted})" if wanted else ""
            raise FileNotFoundError(
                f"an external lexicon was requested{what} but lexicon_dir is None and "
                f"${LEXICONS_ENV} is not set: pass lexicon_dir= or set {LEXICONS_ENV} to the "
                "folder holding the lexicon folders (recasens2013/, mpqa_subjclues/, ...)"
            )
        lexicon_dir = env
    path = user_path(lexicon_dir)  # relative: to the folder the command was launched in
    if not path.is_dir():
        raise FileNotFoundError(f"lexicon folder {path} does not exist (lexicon_dir / ${LEXICONS_ENV})")
    return path


def lexicon_file(relative: str, lexicon_dir: str | Path | None = None) -> Path:
    """Path of one external lexicon file, checked to exist.

    Parameters
    ----------
    relative : str
        Path under the lexicon folder, e.g. ``"mpqa_subjclues/subjclueslen1-HLTEMNLP05.tff"``.
    lexicon_dir : str or Path or None
        See :func:`resolve_lexicon_dir`.

    Returns
    -------
    Path

    Raises
    ------
    FileNotFoundError
        Naming the expected file, when it (or the folder) is missing.
    """
    path = resolve_lexicon_dir(lexicon_dir, wanted=relative) / relative
    if not path.is_file():
        raise FileNotFoundError(
            f"external lexicon file {path} not found (expected <lexicon_dir>/{relative}; "
            f"lexicon_dir comes from the lexicon_dir parameter or ${LEXICONS_ENV})"
        )
    return path


# --------------------------------------------------------------------------- tokenising entries


@cache
def _tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


def entry_tokens(entry: str, wildcards: bool = False) -> tuple[str, ...]:
    """Tokens of a lexicon entry, as :func:`framing.text.annotate` tokenises text.

    The entry is lower-cased and split with ``NLTKWordTokenizer``
    (``"do unto others"`` -> ``("do", "unto", "others")``, ``"can't"`` ->
    ``("ca", "n't")``, ``"f**k"`` -> ``("f", "*", "*", "k")``).

    Parameters
    ----------
    entry : str
    wildcards : bool, default False
        Whether a single trailing ``*`` is a LIWC prefix wildcard; it is then
        kept on the last token (``"fair-*"`` -> ``("fair-*",)``).

    Returns
    -------
    tuple of str
        Empty for an empty entry.
    """
    entry = entry.strip().lower()
    wildcard = wildcards and entry.endswith("*") and len(entry) > 1 and entry[-2] != "*"
    stem = entry[:-1] if wildcard else entry
    tokens = [tok.replace("``", '"').replace("''", '"') for tok in _tokenizer().tokenize(stem)]
    if wildcard and tokens:
        tokens[-1] += "*"
    return tuple(tokens)


def entry_terms(entries: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(t for t in map(entry_tokens, entries) if t)


_FILE_CACHE: dict[tuple, object] = {}


def file_cached(read):
    """Memoise ``read(path, *args)`` per process while the file is unchanged (path, mtime, size).

    Tokenising a lexicon's entries takes up to a second or two, and a grid search
    fits a transformer many times. Cached results are shared: do not modify them.
    """

    @wraps(read)
    def cached(path, *args):
        path = Path(path)
        stat = path.stat()
        key = (read.__name__, str(path.resolve()), stat.st_mtime_ns, stat.st_size, args)
        if key not in _FILE_CACHE:
            _FILE_CACHE[key] = read(path, *args)
        return _FILE_CACHE[key]

    return cached


def read_lines(path: Path) -> list[tuple[int, str]]:
    """``(line number, line)`` of a UTF-8 text file; a ``\\r`` alone also ends a line.

    Raises
    ------
    ValueError
        Naming the file, if it is not UTF-8.
    """
    try:
        with open(path, encoding="utf-8", errors="strict") as fh:  # universal newlines
            return list(enumerate(fh.read().splitlines(), start=1))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 ({error})") from None


def word_list(path: Path, comment: str) -> list[str]:
    """Entries of a one-entry-per-line list: blanks and ``comment`` lines skipped."""
    return [line.strip() for _, line in read_lines(path) if line.strip() and not line.startswith(comment)]


@file_cached
def list_terms(path: Path, comment: str) -> tuple[tuple[str, ...], ...]:
    return entry_terms(word_list(path, comment))



def word_lists(name: str, folder: str, files: Mapping[str, str], categories: Sequence[str] | None,
                lexicon_dir: str | Path | None, source: str) -> Lexicon:
    """A lexicon of one plain word list per category (``files``: category -> file name in ``folder``).

    Raises
    ------
    KeyError
        If a requested category is not in ``files``.
    """
    wanted = tuple(files) if categories is None else tuple(categories)
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    paths = []
    for category in wanted:
        if category not in files:
            raise KeyError(f"{name} has no category {category!r}; it has {list(files)}")
        path = lexicon_file(f"{folder}/{files[category]}", lexicon_dir)
        paths.append(str(path))
        out[category] = list_terms(path, "#")
    return Lexicon(name, out, source=f"{source}: " + "; ".join(paths))

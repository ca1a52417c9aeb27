"""The extended Moral Foundations Dictionary (Hopp et al. 2021): words with foundation probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from framing.lexicons.lexicon import read_csv_rows
from framing.lexicons.locate import entry_tokens, file_cached, lexicon_file

# --------------------------------------------------------------------------- eMFD

EMFD_FILE = "emfd_hopp2021/emfd_scoring.csv"
EMFD_FOUNDATIONS = ("care", "fairness", "loyalty", "authority", "sanctity")


@dataclass(frozen=True)
class WeightedLexicon:
    """Words with numeric scores (one value per column).

    Parameters
    ----------
    name : str
    columns : tuple of str
        What each score is.
    weights : mapping of str to tuple of float
        ``{lower-case word: (score per column)}``.
    source : str
    """

    name: str
    columns: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]
    source: str = ""

    def __len__(self) -> int:
        return len(self.weights)


def load_emfd(lexicon_dir: str | Path | None = None) -> WeightedLexicon:
    """The extended Moral Foundations Dictionary (eMFD): 3,270 words.

    Reads ``<lexicon_dir>/emfd_hopp2021/emfd_scoring.csv`` (header ``word``,
    ``care_p`` ... ``sanctity_p``, ``care_sent`` ... ``sanctity_sent``). For
    each word, ``<foundation>_p`` is the probability that crowd coders
    highlighted the word for that foundation.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.

    Returns
    -------
    WeightedLexicon
        ``name="emfd"``, columns ``care_p``, ``fairness_p``, ``loyalty_p``,
        ``authority_p``, ``sanctity_p``.

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        Naming file and row: a missing column, a duplicate or multi-token word,
        a probability that is not a number in [0, 1].

    References
    ----------
    Frederic R. Hopp, Jacob T. Fisher, Devin Cornell, Richard Huskey, René Weber.
    2021. The extended Moral Foundations Dictionary (eMFD). Behavior Research
    Methods 53, 232-246. Licence: GPL-3.0 (non-commercial).
    """
    return _read_emfd(lexicon_file(EMFD_FILE, lexicon_dir))


@file_cached
def _read_emfd(path: Path) -> WeightedLexicon:
    columns = tuple(f"{f}_p" for f in EMFD_FOUNDATIONS)
    weights: dict[str, tuple[float, ...]] = {}
    try:
        rows = read_csv_rows(path)
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 ({error})") from None
    for number, row in enumerate(rows, start=2):
        try:
            word = row["word"]
            values = tuple(float(row[c]) for c in columns)
        except (KeyError, TypeError, ValueError) as problem:
            raise ValueError(f"{path}:{number}: bad row ({problem}): {row!r}") from None
        tokens = entry_tokens(word)
        if len(tokens) != 1 or tokens[0] in weights:
            raise ValueError(f"{path}:{number}: word {word!r} is a duplicate or not one token")
        if not all(0.0 <= v <= 1.0 and not math.isnan(v) for v in values):
            raise ValueError(f"{path}:{number}: probabilities outside [0, 1]: {values}")
        weights[tokens[0]] = values
    return WeightedLexicon("emfd", columns, weights, source=str(path))

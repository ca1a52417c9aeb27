"""The MPQA subjectivity clues (Wilson, Wiebe & Hoffmann 2005): clues with a part of speech and a stemming flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from framing.lexicons.inflection import ptb_pos
from framing.lexicons.locate import file_cached, lexicon_file, read_lines

# --------------------------------------------------------------------------- MPQA subjectivity clues

MPQA_FILE = "mpqa_subjclues/subjclueslen1-HLTEMNLP05.tff"

_MPQA_POS = frozenset({"adj", "adverb", "noun", "verb", "anypos"})
#: ``weakneg`` occurs once (``impassive``): a weak negative prior.
_MPQA_POLARITY = {"positive": "positive", "negative": "negative", "both": "both", "neutral": "neutral",
                  "weakneg": "negative"}
#: ``stemmed1=1`` occurs once (``lugubrious``); read as yes.
_MPQA_STEMMED = {"y": True, "1": True, "n": False}


@dataclass(frozen=True, slots=True)
class SubjectivityClue:
    """One MPQA subjectivity clue (Wilson, Wiebe & Hoffmann 2005).

    Parameters
    ----------
    word : str
        ``word1``, lower-cased (the token or stem of the clue).
    pos : str
        ``pos1``: ``"adj"``, ``"adverb"``, ``"noun"``, ``"verb"`` or ``"anypos"``.
    stemmed : bool
        ``stemmed1``: whether the clue matches all inflected variants of ``word``
        with the same part of speech.
    strong : bool
        ``type=strongsubj`` (subjective in most contexts) rather than ``weaksubj``.
    polarity : str
        ``priorpolarity``: ``"positive"``, ``"negative"``, ``"both"`` or ``"neutral"``.
    """

    word: str
    pos: str
    stemmed: bool
    strong: bool
    polarity: str


@dataclass(frozen=True)
class SubjectivityLexicon:
    """The MPQA subjectivity clues.

    Parameters
    ----------
    name : str
        ``"mpqa"``.
    clues : tuple of SubjectivityClue
        In file order (duplicates kept: the file lists some clues twice).
    source : str
        The file read.
    """

    name: str
    clues: tuple[SubjectivityClue, ...]
    source: str = ""

    def __len__(self) -> int:
        return len(self.clues)


def load_mpqa(lexicon_dir: str | Path | None = None) -> SubjectivityLexicon:
    """The MPQA subjectivity lexicon (8,222 clues: 5,569 strongsubj, 2,653 weaksubj).

    Reads ``<lexicon_dir>/mpqa_subjclues/subjclueslen1-HLTEMNLP05.tff``, one clue a
    line of ``key=value`` fields: ``type=strongsubj len=1 word1=abuse pos1=verb
    stemmed1=y priorpolarity=negative``. Two irregular lines of the release are
    read as meant: ``stemmed1=1`` (lugubrious) as yes, ``priorpolarity=weakneg``
    (impassive) as negative; extra fields (``mpqapolarity``) are ignored.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.

    Returns
    -------
    SubjectivityLexicon
        Match it with :class:`SubjectivityClueMatcher`.

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        Naming file and line, for a line without ``type``, ``word1``, ``pos1``,
        ``stemmed1`` or ``priorpolarity``, or with a value outside the README's.

    References
    ----------
    Theresa Wilson, Janyce Wiebe, Paul Hoffmann. 2005. Recognizing Contextual Polarity
    in Phrase-Level Sentiment Analysis. HLT/EMNLP 2005. Licence: GNU GPL (MPQA).
    """
    return _read_mpqa(lexicon_file(MPQA_FILE, lexicon_dir))


@file_cached
def _read_mpqa(path: Path) -> SubjectivityLexicon:
    clues = []
    for number, line in read_lines(path):
        if not line.strip():
            continue
        fields = dict(item.split("=", 1) for item in line.split() if "=" in item)
        try:
            kind, word, pos = fields["type"], fields["word1"], fields["pos1"]
            stemmed, polarity = _MPQA_STEMMED[fields["stemmed1"]], _MPQA_POLARITY[fields["priorpolarity"]]
        except KeyError as missing:
            raise ValueError(f"{path}:{number}: missing or unknown field value {missing}: {line!r}") from None
        if kind not in ("strongsubj", "weaksubj") or pos not in _MPQA_POS or not word:
            raise ValueError(f"{path}:{number}: unexpected type/pos1/word1: {line!r}")
        clues.append(SubjectivityClue(word.lower(), pos, stemmed, kind == "strongsubj", polarity))
    return SubjectivityLexicon("mpqa", tuple(clues), source=str(path))


@cache
def _porter():
    from nltk.stem import PorterStemmer

    return PorterStemmer()


@dataclass
class SubjectivityClueMatcher:
    """The clues of a :class:`SubjectivityLexicon` that a tagged token matches.

    Matching follows the lexicon's README: a clue matches a token when the
    token's Penn Treebank tag agrees with ``pos1`` (``JJ*`` adj, ``NN*`` noun,
    ``VB*`` verb, ``RB*`` adverb; ``anypos`` agrees with every tag) and either
    the lower-case token equals ``word1``, or ``stemmed1=y`` and both have the
    same Porter stem (NLTK's ``PorterStemmer``, default ``NLTK_EXTENSIONS`` mode),
    so ``abuse`` (verb, stemmed) matches ``abused``/``abusing`` as verbs but not
    ``abuses`` as a noun. Exact matches take precedence: stem-only matches are
    used only when no clue equals the token.

    Results are memoised per ``(token, tag)``.

    Parameters
    ----------
    lexicon : SubjectivityLexicon
    """

    lexicon: SubjectivityLexicon
    _exact: dict[str, tuple[SubjectivityClue, ...]] = field(default_factory=dict, init=False, repr=False)
    _stemmed: dict[str, tuple[SubjectivityClue, ...]] = field(default_factory=dict, init=False, repr=False)
    _memo: dict[tuple[str, str], tuple[SubjectivityClue, ...]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        exact: dict[str, list[SubjectivityClue]] = {}
        stemmed: dict[str, list[SubjectivityClue]] = {}
        for clue in dict.fromkeys(self.lexicon.clues):  # drop exact duplicate lines
            exact.setdefault(clue.word, []).append(clue)
            if clue.stemmed:
                stemmed.setdefault(_porter().stem(clue.word), []).append(clue)
        self._exact = {k: tuple(v) for k, v in exact.items()}
        self._stemmed = {k: tuple(v) for k, v in stemmed.items()}

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_memo"] = {}
        return state

    def clues(self, token: str, tag: str) -> tuple[SubjectivityClue, ...]:
        """Clues matching one lower-case token with its Penn Treebank tag.

        Returns
        -------
        tuple of SubjectivityClue
            Empty when none matches.
        """
        key = (token, tag)
        found = self._memo.get(key)
        if found is None:
            pos = ptb_pos(tag)
            found = tuple(c for c in self._exact.get(token, ()) if c.pos == "anypos" or c.pos == pos)
            if not found and any(ch.isalpha() for ch in token):
                found = tuple(
                    c
                    for c in self._stemmed.get(_porter().stem(token), ())
                    if c.pos == "anypos" or c.pos == pos
                )
            if len(self._memo) < 500_000:
                self._memo[key] = found
        return found

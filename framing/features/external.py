"""Loaders for the public lexicons the feature families use, in their native formats.

These lexicons are GPL-licensed or unlicensed research data, so the project never
bundles them: each loader reads the original file from a folder the user
configures (``lexicon_dir``, default the ``FRAMING_LEXICONS`` environment
variable) laid out as the staged copies are::

    <lexicon_dir>/recasens2013/npov_lexicon.txt, strong_subjectives_riloff2003.txt, ...
    <lexicon_dir>/mpqa_subjclues/subjclueslen1-HLTEMNLP05.tff
    <lexicon_dir>/hu_liu_opinion/positive-words.txt, negative-words.txt
    <lexicon_dir>/mfd2_frimer2019/mfd2.0.dic
    <lexicon_dir>/mfd_original_graham2009/mft_original.dic
    <lexicon_dir>/emfd_hopp2021/emfd_scoring.csv
    <lexicon_dir>/islam2020_hedges_boosters/hedge_words.txt, booster_words.txt, discourse_markers.txt
    <lexicon_dir>/wooorm_hedges_weasels_fillers/hedges.txt, weasels.txt, fillers.txt
    <lexicon_dir>/sap2017_agency_power/agency_power.csv

Entries are tokenised as text is (lower case, ``NLTKWordTokenizer``), so a
multi-word entry becomes a phrase of tokens and matches the tokens of
:class:`framing.text.Annotation`. A trailing ``*`` (LIWC dictionaries) stays a
prefix wildcard on the last token.

Three lexicons carry more than terms by category and have their own types:
MPQA clues have a part of speech and a stemming flag
(:class:`SubjectivityLexicon`, matched by :class:`SubjectivityClueMatcher`),
eMFD words carry foundation probabilities (:class:`WeightedLexicon`), and Sap
et al.'s verbs carry agency and power labels (:class:`SapLexicon`).

One function loads each lexicon (``load_<name>``, citing it); :data:`EXTERNAL_LEXICONS`
lists them. Which of them a feature family accepts is the family's business:
``LoadedLanguageFeatures(external=...)`` takes recasens2013, mpqa, hu_liu, mfd2,
mfd and emfd; ``HedgingFeatures(external=...)`` builds its hedge, booster,
weasel and verb categories from recasens2013, islam2020 and wooorm;
``AgencyFeatures(sap_lexicon="auto")`` reads sap2017.

Files are parsed once per process while they are unchanged (path, mtime and
size), so refitting a transformer in a grid search does not re-read them; the
returned objects are shared and must not be modified.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, wraps
from pathlib import Path

from framing.features.inflection import lemma_candidates, ptb_pos, third_person_to_base  # noqa: F401 (API)
from framing.features.lexicon import Lexicon, read_csv_rows

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
    path = Path(lexicon_dir).expanduser()
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


def _terms(entries: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(t for t in map(entry_tokens, entries) if t)


_FILE_CACHE: dict[tuple, object] = {}


def _file_cached(read):
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


def _read_lines(path: Path) -> list[tuple[int, str]]:
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


def _word_list(path: Path, comment: str) -> list[str]:
    """Entries of a one-entry-per-line list: blanks and ``comment`` lines skipped."""
    return [line.strip() for _, line in _read_lines(path) if line.strip() and not line.startswith(comment)]


@_file_cached
def _list_terms(path: Path, comment: str) -> tuple[tuple[str, ...], ...]:
    return _terms(_word_list(path, comment))


# --------------------------------------------------------------------------- Recasens et al. 2013

#: category -> file in ``recasens2013/`` (Recasens, Danescu-Niculescu-Mizil & Jurafsky 2013 archive).
RECASENS2013_FILES: dict[str, str] = {
    "bias": "npov_lexicon.txt",
    "strong_subjective": "strong_subjectives_riloff2003.txt",
    "weak_subjective": "weak_subjectives_riloff2003.txt",
    "assertive": "assertives_hooper1975.txt",
    "factive": "factives_hooper1975.txt",
    "implicative": "implicatives_karttunen1971.txt",
    "hedge": "hedges_hyland2005.txt",
    "report_verb": "report_verbs.txt",
    "entailed": "entailed_berant2012.txt",
    "entailed_arg": "entailed_arg_berant2012.txt",
    "entailing": "entailing_berant2012.txt",
    "entailing_arg": "entailing_arg_berant2012.txt",
}


def load_recasens2013(lexicon_dir: str | Path | None = None, categories: Sequence[str] | None = None) -> Lexicon:
    """The bias-related lexicons of Recasens, Danescu-Niculescu-Mizil & Jurafsky (2013).

    Reads ``<lexicon_dir>/recasens2013/``: one lower-case entry per line, ``#``
    header lines skipped. Categories (entries in the 2013 archive):

    ============================  ================================  =======
    category                      file                              entries
    ============================  ================================  =======
    ``bias``                      npov_lexicon.txt (lemmas)         654
    ``strong_subjective``         strong_subjectives_riloff2003.txt 4747
    ``weak_subjective``           weak_subjectives_riloff2003.txt   2191
    ``assertive``                 assertives_hooper1975.txt         66
    ``factive``                   factives_hooper1975.txt           27
    ``implicative``               implicatives_karttunen1971.txt    32
    ``hedge``                     hedges_hyland2005.txt             100
    ``report_verb``               report_verbs.txt                  181
    ``entailed`` / ``entailing``  entailed/entailing_berant2012.txt 1178
    ``entailed_arg`` / ...        entailed/entailing_arg_...txt     1162
    ============================  ================================  =======

    The bias lexicon lists *lemmas* (words that were the before-form of at least
    two NPOV edits in Wikipedia); match it with
    :func:`~framing.features.inflection.lemma_candidates`. The subjectives
    (Riloff & Wiebe 2003) are word forms; the verb lists (assertives,
    factives, implicatives, report verbs) are lemmas, matched in all their
    forms by :class:`~framing.features.hedging.HedgingFeatures`.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.
    categories : sequence of str, optional
        Which categories to read (default all, in the order above).

    Returns
    -------
    Lexicon
        ``name="recasens2013"``; entries tokenised with :func:`entry_tokens`
        (mixed-case entries such as ``pro-Cuba`` are lower-cased).

    Raises
    ------
    FileNotFoundError
        If the folder or a file is missing.
    KeyError
        For an unknown category.

    References
    ----------
    Marta Recasens, Cristian Danescu-Niculescu-Mizil, Dan Jurafsky. 2013. Linguistic
    Models for Analyzing and Detecting Biased Language. ACL 2013. Subjectives: Ellen
    Riloff, Janyce Wiebe. 2003. Learning Extraction Patterns for Subjective
    Expressions. EMNLP 2003. Assertives and factives: Hooper (1975); implicatives:
    Karttunen (1971); hedges: Hyland (2005); entailments: Berant et al. (2012).
    """
    return _word_lists("recasens2013", "recasens2013", RECASENS2013_FILES, categories, lexicon_dir,
                       "Recasens et al. 2013, ACL")


def _word_lists(name: str, folder: str, files: Mapping[str, str], categories: Sequence[str] | None,
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
        out[category] = _list_terms(path, "#")
    return Lexicon(name, out, source=f"{source}: " + "; ".join(paths))


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


@_file_cached
def _read_mpqa(path: Path) -> SubjectivityLexicon:
    clues = []
    for number, line in _read_lines(path):
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


# --------------------------------------------------------------------------- Hu & Liu opinion lexicon

HU_LIU_FILES = {"positive": "hu_liu_opinion/positive-words.txt", "negative": "hu_liu_opinion/negative-words.txt"}


def load_hu_liu(lexicon_dir: str | Path | None = None) -> Lexicon:
    """The Hu & Liu opinion lexicon: 2,006 positive and 4,783 negative words.

    Reads ``<lexicon_dir>/hu_liu_opinion/positive-words.txt`` and
    ``negative-words.txt`` (UTF-8, one word a line after a header of
    ``;``-prefixed lines). Entries with non-letters are tokenised as text is
    (``f**k`` -> ``("f", "*", "*", "k")``): such a ``*`` token is a literal
    asterisk, not a wildcard.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.

    Returns
    -------
    Lexicon
        ``name="hu_liu"``, categories ``positive``, ``negative`` (a few words,
        e.g. ``envious``, are in both).

    Raises
    ------
    FileNotFoundError
        If a file is missing.

    References
    ----------
    Minqing Hu, Bing Liu. 2004. Mining and Summarizing Customer Reviews. KDD 2004.
    Licence: CC BY 4.0.
    """
    categories = {}
    files = []
    for category, relative in HU_LIU_FILES.items():
        path = lexicon_file(relative, lexicon_dir)
        files.append(str(path))
        categories[category] = _list_terms(path, ";")
    return Lexicon("hu_liu", categories, source="Hu & Liu 2004, KDD: " + "; ".join(files))


# --------------------------------------------------------------------------- Moral Foundations Dictionaries

MFD2_FILE = "mfd2_frimer2019/mfd2.0.dic"
MFD_FILE = "mfd_original_graham2009/mft_original.dic"


@_file_cached
def read_liwc_dic(path: str | Path, name: str) -> Lexicon:
    """A LIWC-format dictionary (``.dic``).

    Format: a header between two lines starting with ``%`` lists
    ``<id><whitespace><category>``; after it, each non-blank line is
    ``<entry><whitespace><id> [<id> ...]`` (tabs or spaces). Category names are
    made identifier-like (``care.virtue`` -> ``care_virtue``). An entry may
    contain spaces (``civil rights``): the ids are the trailing numeric fields.
    A trailing ``*`` is a prefix wildcard.

    Parameters
    ----------
    path : str or Path
    name : str
        The lexicon's name.

    Returns
    -------
    Lexicon
        Categories in header order; an entry listed under several ids (on one
        line or several) is a term of each.

    Raises
    ------
    FileNotFoundError
        If the file is missing.
    ValueError
        Naming file and line: no header, a header line that is not ``id name``,
        an entry without a category id, or an id not in the header.
    """
    path = Path(path)
    lines = _read_lines(path)
    marks = [i for i, (_, line) in enumerate(lines) if line.startswith("%")]
    if len(marks) < 2:
        raise ValueError(f"{path}: no LIWC category header (two lines starting with %)")
    ids: dict[str, str] = {}
    for number, line in lines[marks[0] + 1 : marks[1]]:
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 2 or not fields[0].isdigit():
            raise ValueError(f"{path}:{number}: expected '<id> <category>' in the header, got {line!r}")
        ids[str(int(fields[0]))] = fields[1].replace(".", "_").replace("-", "_").lower()
    categories: dict[str, dict[tuple[str, ...], None]] = {cat: {} for cat in ids.values()}
    for number, line in lines[marks[1] + 1 :]:
        fields = line.split()
        if not fields:
            continue
        cut = len(fields)
        while cut > 0 and fields[cut - 1].isdigit():
            cut -= 1
        if cut == 0 or cut == len(fields):
            raise ValueError(f"{path}:{number}: expected '<entry> <category id>...', got {line!r}")
        term = entry_tokens(" ".join(fields[:cut]), wildcards=True)
        for cid in fields[cut:]:
            category = ids.get(str(int(cid)))
            if category is None:
                raise ValueError(f"{path}:{number}: category id {cid} is not in the header of {path.name}")
            categories[category][term] = None
    return Lexicon(name, {k: tuple(v) for k, v in categories.items()}, source=str(path))


def load_mfd2(lexicon_dir: str | Path | None = None) -> Lexicon:
    """Moral Foundations Dictionary 2.0: 2,103 entries in 10 categories.

    Reads ``<lexicon_dir>/mfd2_frimer2019/mfd2.0.dic`` (LIWC format, no
    wildcards, some multi-word entries such as ``civil rights``).

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.

    Returns
    -------
    Lexicon
        ``name="mfd2"``, categories ``care_virtue``, ``care_vice``,
        ``fairness_virtue`` ... ``sanctity_vice`` (virtue and vice of the five
        foundations).

    Raises
    ------
    FileNotFoundError, ValueError
        See :func:`read_liwc_dic`.

    References
    ----------
    Jeremy A. Frimer, Reihane Boghrati, Jonathan Haidt, Jesse Graham, Morteza
    Dehghani. 2019. Moral Foundations Dictionary for Linguistic Analyses 2.0. OSF.
    """
    return read_liwc_dic(lexicon_file(MFD2_FILE, lexicon_dir), "mfd2")


def load_mfd(lexicon_dir: str | Path | None = None) -> Lexicon:
    """The original Moral Foundations Dictionary: 324 entries in 11 categories.

    Reads ``<lexicon_dir>/mfd_original_graham2009/mft_original.dic`` (LIWC
    format; ``*`` prefix wildcards such as ``safe*``; an entry may belong to
    several categories, e.g. ``preserve 01 07 09``).

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.

    Returns
    -------
    Lexicon
        ``name="mfd"``, categories ``care_virtue`` ... ``sanctity_vice`` and
        ``moral`` (general morality).

    Raises
    ------
    FileNotFoundError, ValueError
        See :func:`read_liwc_dic`.

    References
    ----------
    Jesse Graham, Jonathan Haidt, Brian A. Nosek. 2009. Liberals and conservatives
    rely on different sets of moral foundations. JPSP 96(5), 1029-1046.
    """
    return read_liwc_dic(lexicon_file(MFD_FILE, lexicon_dir), "mfd")


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


@_file_cached
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


# --------------------------------------------------------------------------- Islam et al. 2020

#: category -> file in ``islam2020_hedges_boosters/`` (Islam, Xiao & Mercer 2020 repository).
ISLAM2020_FILES: dict[str, str] = {
    "hedge": "hedge_words.txt",
    "booster": "booster_words.txt",
    "discourse_marker": "discourse_markers.txt",
}

#: Section headers of ``hedge_words.txt`` and the category each becomes.
ISLAM2020_HEDGE_SECTIONS: dict[str, str] = {
    "Epistemic Verbs": "epistemic_verb",
    "Epistemic Adverbs": "epistemic_adverb",
    "Epistemic Adjectives": "epistemic_adjective",
    "Epistemic Modal Verbs": "epistemic_modal",
    "Approximations": "approximation",
}


@_file_cached
def _section_terms(path: Path) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """``(header, terms)`` of a word list whose ``#`` lines head sections (header ``""`` before the first)."""
    sections: dict[str, list[str]] = {}
    header = ""
    for _, line in _read_lines(path):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            header = line.lstrip("#").strip()
            continue
        sections.setdefault(header, []).append(line)
    return tuple((h, _terms(entries)) for h, entries in sections.items())


def load_islam2020(lexicon_dir: str | Path | None = None, categories: Sequence[str] | None = None) -> Lexicon:
    """The hedge, booster and discourse-marker lists of Islam, Xiao & Mercer (2020).

    Reads ``<lexicon_dir>/islam2020_hedges_boosters/``: one entry per line,
    ``#`` lines head sections. ``hedge_words.txt`` (76 entries) has five
    sections, each a category here; the other files are one category each.

    ========================= ======================================= =======
    category                  file (section)                          entries
    ========================= ======================================= =======
    ``epistemic_verb``        hedge_words.txt (Epistemic Verbs)       24
    ``epistemic_adverb``      hedge_words.txt (Epistemic Adverbs)     23
    ``epistemic_adjective``   hedge_words.txt (Epistemic Adjectives)  15
    ``epistemic_modal``       hedge_words.txt (Epistemic Modal Verbs) 9
    ``approximation``         hedge_words.txt (Approximations)        5
    ``booster``               booster_words.txt                       128
    ``discourse_marker``      discourse_markers.txt (17 sections)     332
    ========================= ======================================= =======

    The epistemic verbs are base forms (``suggest``, ``believe``); match them
    in all their forms (:func:`framing.features.inflection.all_verb_forms`).
    Entries are matched as written otherwise (misspellings such as
    ``considerabley`` never match).

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.
    categories : sequence of str, optional
        Which categories to read (default all, in the order above).

    Returns
    -------
    Lexicon
        ``name="islam2020"``; entries tokenised with :func:`entry_tokens`.

    Raises
    ------
    FileNotFoundError
        If the folder or a file is missing.
    KeyError
        For an unknown category.
    ValueError
        For a section header of ``hedge_words.txt`` not in :data:`ISLAM2020_HEDGE_SECTIONS`.

    References
    ----------
    Jumayel Islam, Lu Xiao, Robert E. Mercer. 2020. A Lexicon-Based Approach for
    Detecting Hedges in Informal Text. LREC 2020, 3109-3113. No licence file: loaded
    by path, never copied.
    """
    known = tuple(ISLAM2020_HEDGE_SECTIONS.values()) + ("booster", "discourse_marker")
    wanted = known if categories is None else tuple(categories)
    for category in wanted:
        if category not in known:
            raise KeyError(f"islam2020 has no category {category!r}; it has {list(known)}")
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    files = []
    if any(c in ISLAM2020_HEDGE_SECTIONS.values() for c in wanted):
        path = lexicon_file(f"islam2020_hedges_boosters/{ISLAM2020_FILES['hedge']}", lexicon_dir)
        files.append(str(path))
        for header, terms in _section_terms(path):
            if header not in ISLAM2020_HEDGE_SECTIONS:
                raise ValueError(f"{path}: unknown section {header!r}; expected {list(ISLAM2020_HEDGE_SECTIONS)}")
            out[ISLAM2020_HEDGE_SECTIONS[header]] = terms
    for category in ("booster", "discourse_marker"):
        if category in wanted:
            path = lexicon_file(f"islam2020_hedges_boosters/{ISLAM2020_FILES[category]}", lexicon_dir)
            files.append(str(path))
            out[category] = tuple(t for _, terms in _section_terms(path) for t in terms)
    return Lexicon("islam2020", {c: out.get(c, ()) for c in wanted}, source="Islam et al. 2020, LREC: " + "; ".join(files))


# --------------------------------------------------------------------------- wooorm word lists

#: category -> file in ``wooorm_hedges_weasels_fillers/`` (npm packages hedges, weasels, fillers 2.0.1).
WOOORM_FILES: dict[str, str] = {"hedge": "hedges.txt", "weasel": "weasels.txt", "filler": "fillers.txt"}


def load_wooorm(lexicon_dir: str | Path | None = None, categories: Sequence[str] | None = None) -> Lexicon:
    """Titus Wormer's word lists of hedges (162), weasel words (116) and fillers.

    Reads ``<lexicon_dir>/wooorm_hedges_weasels_fillers/hedges.txt``,
    ``weasels.txt`` and ``fillers.txt``: one entry per line, as exported from
    the npm packages ``hedges``, ``weasels`` and ``fillers`` 2.0.1. Informal
    writing-style lists, not a research lexicon; matched as written.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.
    categories : sequence of str, optional
        Which of ``hedge``, ``weasel``, ``filler`` to read (default all).

    Returns
    -------
    Lexicon
        ``name="wooorm"``; entries tokenised with :func:`entry_tokens`.

    Raises
    ------
    FileNotFoundError
        If the folder or a file is missing.
    KeyError
        For an unknown category.

    References
    ----------
    Titus Wormer. 2014-2016. ``hedges``, ``weasels``, ``fillers`` (npm packages,
    version 2.0.1), github.com/words. Licence: MIT.
    """
    return _word_lists("wooorm", "wooorm_hedges_weasels_fillers", WOOORM_FILES, categories, lexicon_dir,
                       "wooorm hedges/weasels/fillers 2.0.1")


# --------------------------------------------------------------------------- Sap et al. 2017

SAP2017_FILE = "sap2017_agency_power/agency_power.csv"
SAP_AGENCY = ("agency_pos", "agency_neg", "agency_equal")
SAP_POWER = ("power_agent", "power_theme", "power_equal")


@dataclass(frozen=True)
class SapLexicon:
    """Connotation frames of agency and power (Sap et al. 2017), keyed by verb base form.

    Parameters
    ----------
    verbs : dict
        ``{base: (agency, power)}``; labels as in the file (``"agency_pos"``,
        ``"power_agent"`` ...), ``""`` when the verb has none.
    phrases : dict
        ``{base: ((following_words, (agency, power)), ...)}`` for the 65 entries
        with a particle or preposition (``"focuses on"``, ``"sidles up to"``),
        longest first.
    source : str
        The file read.
    """

    verbs: dict[str, tuple[str, str]]
    phrases: dict[str, tuple[tuple[tuple[str, ...], tuple[str, str]], ...]]
    source: str

    def __len__(self) -> int:
        return len(self.verbs) + sum(len(entries) for entries in self.phrases.values())


def read_sap_lexicon(path: str | Path) -> SapLexicon:
    """Read ``agency_power.csv`` of Sap et al. (2017) (the original release, 3rd-person forms).

    Format: header ``verb,agency,power``; the verb in the 3rd person singular
    (``"abandons"``, ``"focuses on"``), agency one of agency_pos / agency_neg /
    agency_equal / empty, power one of power_agent / power_theme / power_equal /
    empty. Verbs are mapped to base forms with
    :func:`~framing.features.inflection.third_person_to_base`; rows that map to
    the same verb (``gos``/``goes``, ``echos``/``echoes``: the release gives
    each half of the labels) are merged, so the 2155 rows give 2149 entries.

    Parameters
    ----------
    path : str or Path
        The CSV file.

    Returns
    -------
    SapLexicon

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        For a wrong header, a row without three fields or an unknown label,
        naming the file and line.

    References
    ----------
    Maarten Sap, Marcella Cindy Prasettio, Ari Holtzman, Hannah Rashkin, Yejin Choi.
    2017. Connotation Frames of Power and Agency in Modern Films. EMNLP 2017.
    Distributed with Riveter (``maartensap/riveter-nlp``, GPL-3.0); never bundled.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Sap et al. (2017) lexicon file {path} not found")
    return _read_sap(path)


@_file_cached
def _read_sap(path: Path) -> SapLexicon:
    verbs: dict[str, tuple[str, str]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, str]]]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.reader(fh), start=1):
            if number == 1:
                if [c.strip().lower() for c in row] != ["verb", "agency", "power"]:
                    raise ValueError(f"{path}:1: expected header verb,agency,power, got {row}")
                continue
            if not row or not "".join(row).strip():
                continue
            if len(row) != 3:
                raise ValueError(f"{path}:{number}: expected 3 fields (verb,agency,power), got {len(row)}")
            verb, agency, power = (c.strip() for c in row)
            if agency not in SAP_AGENCY + ("",) or power not in SAP_POWER + ("",):
                raise ValueError(f"{path}:{number}: unknown label in {row}")
            words = verb.lower().split()
            if not words:
                raise ValueError(f"{path}:{number}: empty verb")
            base = third_person_to_base(words[0])
            if len(words) > 1:
                phrases.setdefault(base, []).append((tuple(words[1:]), (agency, power)))
            elif base in verbs:
                # The release splits six -o verbs over two rows, one label each
                # ("gos" has the agency, "goes" the power): merge them.
                old = verbs[base]
                verbs[base] = (old[0] or agency, old[1] or power)
            else:
                verbs[base] = (agency, power)
    ordered = {b: tuple(sorted(v, key=lambda e: -len(e[0]))) for b, v in phrases.items()}
    return SapLexicon(verbs, ordered, str(path))


def load_sap2017(lexicon_dir: str | Path | None = None) -> SapLexicon:
    """Sap et al.'s (2017) agency and power connotation frames: 2149 verbs.

    Reads ``<lexicon_dir>/sap2017_agency_power/agency_power.csv`` with
    :func:`read_sap_lexicon`.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.

    Returns
    -------
    SapLexicon

    Raises
    ------
    FileNotFoundError
        If the folder or the file is missing.
    ValueError
        See :func:`read_sap_lexicon`.
    """
    return read_sap_lexicon(lexicon_file(SAP2017_FILE, lexicon_dir))


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class ExternalLexicon:
    """A loadable external lexicon: its loader and files (relative to ``lexicon_dir``)."""

    name: str
    loader: Callable[..., object]
    files: tuple[str, ...]
    citation: str


#: Every loadable public lexicon (each family says which it accepts; see the module docstring).
EXTERNAL_LEXICONS: dict[str, ExternalLexicon] = {
    "recasens2013": ExternalLexicon(
        "recasens2013", load_recasens2013,
        tuple(f"recasens2013/{f}" for f in RECASENS2013_FILES.values()),
        "Recasens, Danescu-Niculescu-Mizil & Jurafsky 2013, ACL",
    ),
    "mpqa": ExternalLexicon("mpqa", load_mpqa, (MPQA_FILE,), "Wilson, Wiebe & Hoffmann 2005, HLT/EMNLP"),
    "hu_liu": ExternalLexicon("hu_liu", load_hu_liu, tuple(HU_LIU_FILES.values()), "Hu & Liu 2004, KDD"),
    "mfd2": ExternalLexicon("mfd2", load_mfd2, (MFD2_FILE,), "Frimer et al. 2019, OSF"),
    "mfd": ExternalLexicon("mfd", load_mfd, (MFD_FILE,), "Graham, Haidt & Nosek 2009, JPSP"),
    "emfd": ExternalLexicon("emfd", load_emfd, (EMFD_FILE,), "Hopp et al. 2021, Behavior Research Methods"),
    "islam2020": ExternalLexicon(
        "islam2020", load_islam2020,
        tuple(f"islam2020_hedges_boosters/{f}" for f in ISLAM2020_FILES.values()),
        "Islam, Xiao & Mercer 2020, LREC",
    ),
    "wooorm": ExternalLexicon(
        "wooorm", load_wooorm,
        tuple(f"wooorm_hedges_weasels_fillers/{f}" for f in WOOORM_FILES.values()),
        "Wormer, npm hedges/weasels/fillers 2.0.1",
    ),
    "sap2017": ExternalLexicon(
        "sap2017", load_sap2017, (SAP2017_FILE,), "Sap, Prasettio, Holtzman, Rashkin & Choi 2017, EMNLP"
    ),
}

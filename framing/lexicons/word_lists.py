"""Loaders of the public lexicons that are plain word lists by category.

Recasens et al. 2013 (bias, subjectivity, verb classes), Hu & Liu 2004
(opinion words), the Moral Foundations Dictionaries (LIWC format: Graham et
al. 2009, Frimer et al. 2019), Islam et al. 2020 (hedges and boosters) and
wooorm's hedges, weasels and fillers. Each returns a
:class:`~framing.lexicons.lexicon.Lexicon`; see :mod:`framing.lexicons.external`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from framing.lexicons.lexicon import Lexicon
from framing.lexicons.locate import (
    entry_terms,
    entry_tokens,
    file_cached,
    lexicon_file,
    list_terms,
    read_lines,
    word_lists,
)

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
    :func:`~framing.lexicons.inflection.lemma_candidates`. The subjectives
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
    return word_lists("recasens2013", "recasens2013", RECASENS2013_FILES, categories, lexicon_dir,
                       "Recasens et al. 2013, ACL")


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
        categories[category] = list_terms(path, ";")
    return Lexicon("hu_liu", categories, source="Hu & Liu 2004, KDD: " + "; ".join(files))



# --------------------------------------------------------------------------- Moral Foundations Dictionaries

MFD2_FILE = "mfd2_frimer2019/mfd2.0.dic"
MFD_FILE = "mfd_original_graham2009/mft_original.dic"


@file_cached
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
    lines = read_lines(path)
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


@file_cached
def _section_terms(path: Path) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """``(header, terms)`` of a word list whose ``#`` lines head sections (header ``""`` before the first)."""
    sections: dict[str, list[str]] = {}
    header = ""
    for _, line in read_lines(path):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            header = line.lstrip("#").strip()
            continue
        sections.setdefault(header, []).append(line)
    return tuple((h, entry_terms(entries)) for h, entries in sections.items())


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
    in all their forms (:func:`framing.lexicons.inflection.all_verb_forms`).
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
    return word_lists("wooorm", "wooorm_hedges_weasels_fillers", WOOORM_FILES, categories, lexicon_dir,
                       "wooorm hedges/weasels/fillers 2.0.1")

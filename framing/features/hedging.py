"""Epistemic stance: hedges, boosters, epistemic modals, attribution, sourcing, weasel phrases, conditionals.

How sure a sentence sounds and whom it makes responsible for its claims are
classic cues of framing and of the *Doubt*, *Appeal to Authority* and
*Bandwagon* techniques. Hedges and boosters follow Hyland's (2005)
metadiscourse categories; report verbs split into neutral and loaded
attribution (Recasens et al. 2013's epistemological bias); sourcing and weasel
phrases follow the Wikipedia "words to watch" guidance used by Ganter &
Strube (2009).

Matching is on whole NLTK tokens (:mod:`framing.features.lexicon`), never on
substrings, and each category is matched on its own: within a category the
longest term wins at each position and matches do not overlap, but a word may
count in several categories (``"experts believe"`` is a weasel phrase *and*
``believe`` can be a hedge). A term listed under two categories counts for both.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from itertools import compress
from pathlib import Path

from framing.features.base import Cue, CueFeatures, cue_span
from framing.features.external import entry_tokens, lexicon_file
from framing.features.lexicon import Lexicon, read_project_lexicon
from framing.text import Annotation

#: Categories of ``framing/lexicons/hedging.tsv`` and how each is reported.
RATE_CATEGORIES = ("hedge", "booster", "epistemic_modal", "report_neutral", "report_loaded")
COUNT_CATEGORIES = ("sourcing", "weasel", "conditional")
PROJECT_CATEGORIES = RATE_CATEGORIES + COUNT_CATEGORIES

#: Modal auxiliaries (with the first halves NLTK splits off "can't", "won't",
#: "shan't"). A lexicon match starting with one counts only when the tagger
#: calls it a modal (MD): "may" the month, "might" the noun, "will" the noun
#: and "can" the container are not hedges.
MODALS = frozenset(
    {"can", "could", "may", "might", "must", "shall", "should", "will", "would", "ought", "ca", "wo", "sha"}
)


# --------------------------------------------------------------------------- external lexicons

# Irregular forms of the verbs in the Recasens (2013) and Islam (2020) verb lists.
_IRREGULAR = {
    "choose": ("chose", "chosen"),
    "feel": ("felt",),
    "find": ("found",),
    "fit": ("fit",),
    "forbid": ("forbade", "forbad", "forbidden"),
    "forecast": ("forecast",),
    "foretell": ("foretold",),
    "forget": ("forgot", "forgotten"),
    "get": ("got", "gotten"),
    "hear": ("heard",),
    "infer": ("inferred",),
    "keep": ("kept",),
    "know": ("knew", "known"),
    "learn": ("learnt",),
    "make": ("made",),
    "mean": ("meant",),
    "prove": ("proven",),
    "read": ("read",),
    "say": ("said",),
    "see": ("saw", "seen"),
    "show": ("shown",),
    "sing": ("sang", "sung"),
    "spread": ("spread",),
    "swear": ("swore", "sworn"),
    "teach": ("taught",),
    "tell": ("told",),
    "think": ("thought",),
    "understand": ("understood",),
    "write": ("wrote", "written"),
}

# Entries of the Hooper (1975) and Karttunen (1971) lists that are not verbs
# (predicative adjectives and nouns: "it is odd that"), and entries that are
# already inflected ("spoke", "told"): these are matched as written.
_NOT_INFLECTED = frozenset(
    {
        "odd", "strange", "interesting", "relevant", "sorry", "exciting", "afraid", "certain",
        "sure", "clear", "obvious", "evident", "able", "careful", "misfortune", "spoke", "told",
    }
)

_VOWELS = frozenset("aeiou")


def verb_forms(verb: str) -> tuple[str, ...]:
    """The base form of an English verb and its inflections.

    Regular ``-s``/``-es``/``-ies``, ``-ed``/``-d``/``-ied`` and ``-ing``
    forms, with the final consonant doubled as an alternative after a short
    vowel ("admitted", "regretting": both spellings are produced, since
    doubling depends on stress; the wrong one is not an English word and never
    matches), plus the irregular forms of the verbs in the lexicons this module
    reads. Used to match lemma lists (Recasens et al. 2013 match lemmas)
    without a lemmatizer.

    Parameters
    ----------
    verb : str
        Lower-case base form.

    Returns
    -------
    tuple of str
        Distinct forms, the base form first.
    """
    v = verb
    forms = [v]
    consonant_y = len(v) > 1 and v.endswith("y") and v[-2] not in _VOWELS
    if v.endswith(("s", "x", "z", "ch", "sh")) or (v.endswith("o") and len(v) > 1 and v[-2] not in _VOWELS):
        forms.append(v + "es")
    elif consonant_y:
        forms.append(v[:-1] + "ies")
    else:
        forms.append(v + "s")
    if v.endswith("e"):
        forms.append(v + "d")
    elif consonant_y:
        forms.append(v[:-1] + "ied")
    else:
        forms.append(v + "ed")
    if v.endswith("ie"):
        forms.append(v[:-2] + "ying")
    elif v.endswith("e") and not v.endswith(("ee", "ye", "oe")):
        forms.append(v[:-1] + "ing")
    else:
        forms.append(v + "ing")
    if len(v) >= 3 and v[-1] not in _VOWELS and v[-1] not in "wxy" and v[-2] in _VOWELS and v[-3] not in _VOWELS:
        forms += [v + v[-1] + "ed", v + v[-1] + "ing"]
    forms += _IRREGULAR.get(v, ())
    return tuple(dict.fromkeys(forms))


def _inflected(term: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A verb term in all its forms ("point out" -> "points out", "pointed out" ...)."""
    if not term or term[0] in _NOT_INFLECTED:
        return [term] if term else []
    return [(form,) + term[1:] for form in verb_forms(term[0])]


def _verb_terms(terms: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(t for term in terms for t in _inflected(term)))


def _terms(entries: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(t for t in map(entry_tokens, entries) if t))


def _entries(path: Path) -> dict[str, list[str]]:
    """Entries of a one-per-line list, grouped by the ``#`` header line above them.

    Universal newlines: a lone ``\\r`` also ends a line (the Recasens files
    break some header lines with one); blank lines are skipped.
    """
    groups: dict[str, list[str]] = {}
    header = ""
    with open(path, encoding="utf-8", errors="strict") as fh:
        for line in fh.read().splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                header = line.lstrip("#").strip()
                continue
            groups.setdefault(header, []).append(line)
    return groups


def _flat(path: Path) -> list[str]:
    return [e for group in _entries(path).values() for e in group]


def _load_hyland(paths: Sequence[Path]) -> dict[str, tuple[tuple[str, ...], ...]]:
    return {"hedge": _terms(_flat(paths[0]))}


def _load_islam(paths: Sequence[Path]) -> dict[str, tuple[tuple[str, ...], ...]]:
    hedges: list[tuple[str, ...]] = []
    for header, entries in _entries(paths[0]).items():
        # The "#Epistemic Verbs" section lists base forms: match their inflections too.
        terms = _terms(entries)
        hedges += _verb_terms(terms) if header.lower() == "epistemic verbs" else terms
    return {"hedge": tuple(dict.fromkeys(hedges)), "booster": _terms(_flat(paths[1]))}


def _load_wooorm(paths: Sequence[Path]) -> dict[str, tuple[tuple[str, ...], ...]]:
    return {"hedge": _terms(_flat(paths[0])), "weasel": _terms(_flat(paths[1]))}


def _load_recasens_verbs(paths: Sequence[Path]) -> dict[str, tuple[tuple[str, ...], ...]]:
    categories = ("factive", "assertive", "implicative", "report_verb")
    return {cat: _verb_terms(_terms(_flat(path))) for cat, path in zip(categories, paths)}


#: External lexicons: name -> (files under the lexicon folder, loader, categories).
EXTERNAL_LEXICONS = {
    "hyland_hedges": (("recasens2013/hedges_hyland2005.txt",), _load_hyland, ("hedge",)),
    "islam2020": (
        ("islam2020_hedges_boosters/hedge_words.txt", "islam2020_hedges_boosters/booster_words.txt"),
        _load_islam,
        ("hedge", "booster"),
    ),
    "wooorm": (
        ("wooorm_hedges_weasels_fillers/hedges.txt", "wooorm_hedges_weasels_fillers/weasels.txt"),
        _load_wooorm,
        ("hedge", "weasel"),
    ),
    "recasens_verbs": (
        (
            "recasens2013/factives_hooper1975.txt",
            "recasens2013/assertives_hooper1975.txt",
            "recasens2013/implicatives_karttunen1971.txt",
            "recasens2013/report_verbs.txt",
        ),
        _load_recasens_verbs,
        ("factive", "assertive", "implicative", "report_verb"),
    ),
}


def load_external_lexicon(name: str, lexicon_dir: str | os.PathLike | None = None) -> Lexicon:
    """Read one of :data:`EXTERNAL_LEXICONS`, entries tokenized as NLTK tokenizes text.

    Entries go through :func:`framing.features.external.entry_tokens`
    (``"couldn't"`` -> ``("could", "n't")``); verb lists are expanded with
    :func:`verb_forms` (see :class:`HedgingFeatures`).

    Parameters
    ----------
    name : {"hyland_hedges", "islam2020", "wooorm", "recasens_verbs"}
    lexicon_dir : path, optional
        Folder holding the staged lexicons; default ``$FRAMING_LEXICONS``.

    Returns
    -------
    Lexicon
        Named ``name``; categories as in :data:`EXTERNAL_LEXICONS`.

    Raises
    ------
    ValueError
        For an unknown name.
    FileNotFoundError
        If the folder is not configured or a file of the lexicon is missing
        (the message gives the expected path).
    """
    if name not in EXTERNAL_LEXICONS:
        raise ValueError(f"unknown external lexicon {name!r}; known: {', '.join(EXTERNAL_LEXICONS)}")
    files, loader, _ = EXTERNAL_LEXICONS[name]
    paths = [lexicon_file(rel, lexicon_dir) for rel in files]
    return Lexicon(name, loader(paths), source="; ".join(map(str, paths)))


# --------------------------------------------------------------------------- matching


class TokenMemo(dict):
    """A dict that computes a missing key's value with ``func`` and keeps up to ``limit`` of them.

    Token-level answers are memoised this way so the per-sentence loops are
    C-level ``map`` calls over ``annotation.lower``.
    """

    def __init__(self, func, limit: int = 500_000) -> None:
        super().__init__()
        self.func = func
        self.limit = limit

    def __missing__(self, key):
        value = self.func(key)
        if len(self) < self.limit:
            self[key] = value
        return value

    def __reduce__(self):
        return (type(self), (self.func, self.limit))


def _is_word(token: str) -> int:
    return int(any(ch.isalnum() for ch in token))


_IS_WORD = TokenMemo(_is_word)


def fast_word_count(lower: Sequence[str]) -> int:
    """:func:`framing.features.base.word_count` with a memo of each token's answer (a hot loop)."""
    return sum(map(_IS_WORD.__getitem__, lower))


class CategoryMatcher:
    """Match several categories at once, each on its own, in one pass over the tokens.

    Within a category, matching is leftmost-longest and non-overlapping (as
    :class:`~framing.features.lexicon.LexiconMatcher`); across categories,
    matches may overlap. ``*`` at the end of a token is a prefix wildcard; a
    phrase may not start with one.

    Parameters
    ----------
    categories : sequence of (str, tuple of tuple of str)
        Category name and its terms, in output order.
    modal_categories : set of int
        Indices of categories whose matches count only when their first token
        is tagged MD.
    """

    def __init__(self, categories: Sequence[tuple[str, tuple[tuple[str, ...], ...]]], modal_categories=()):
        self.names = tuple(name for name, _ in categories)
        self.modal_categories = frozenset(modal_categories)
        single: dict[str, set[int]] = {}
        prefixes: dict[str, set[int]] = {}
        phrases: dict[str, dict[tuple[str, ...], set[int]]] = {}
        for index, (name, terms) in enumerate(categories):
            for term in terms:
                if not term:
                    continue
                if len(term) > 1:
                    if term[0].endswith("*"):
                        raise ValueError(f"category {name}: a phrase cannot start with a wildcard: {' '.join(term)!r}")
                    phrases.setdefault(term[0], {}).setdefault(term[1:], set()).add(index)
                elif term[0].endswith("*") and len(term[0]) > 1:
                    prefixes.setdefault(term[0][:-1], set()).add(index)
                else:
                    single.setdefault(term[0], set()).add(index)
        self._single = single
        self._prefixes = prefixes
        self._prefix_lengths = sorted({len(p) for p in prefixes})
        self._phrases = phrases
        self._memo = TokenMemo(self._candidates)

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_memo"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._memo = TokenMemo(self._candidates)

    def _candidates(self, token: str) -> tuple:
        """What may start at ``token``: ``(single, by_second, wild_second, modal_first)``, or ``()``.

        ``single``: categories of the token as a one-word term; ``by_second``:
        phrases starting with the token keyed by their exact second token,
        ``wild_second``: those whose second token is a wildcard; each phrase
        as ``(n_tokens, rest from the third token, categories)``, longest first.
        """
        found = set(self._single.get(token, ()))
        for n in self._prefix_lengths:
            if n > len(token):
                break
            found.update(self._prefixes.get(token[:n], ()))
        by_second: dict[str, list] = {}
        wild_second: list = []
        for tail, cats in self._phrases.get(token, {}).items():
            entry = (1 + len(tail), tail[1:], tuple(sorted(cats)))
            if tail[0].endswith("*") and len(tail[0]) > 1:
                wild_second.append((tail[0][:-1],) + entry)
            else:
                by_second.setdefault(tail[0], []).append(entry)
        if not found and not by_second and not wild_second:
            return ()
        for entries in by_second.values():
            entries.sort(key=lambda e: -e[0])
        wild_second.sort(key=lambda e: -e[1])
        return (
            tuple(sorted(found)),
            {k: tuple(v) for k, v in by_second.items()} or None,
            tuple(wild_second),
            token in MODALS,
        )

    def match(self, lower: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int, int]]:
        """All matches of one sentence.

        Parameters
        ----------
        lower, tags : sequence of str
            Lower-case tokens and their Penn Treebank tags.

        Returns
        -------
        list of (category_index, start_token, end_token)
            In order of start; ``end_token`` exclusive.
        """
        cands_of = list(map(self._memo.__getitem__, lower))
        modal_cats = self.modal_categories
        out = []
        free: dict[int, int] = {}
        n_tokens = len(lower)
        # only positions where some term may start (most tokens start none)
        for i in compress(range(n_tokens), cands_of):
            single, by_second, wild_second, modal_first = cands_of[i]
            hits = []  # (n_tokens, categories), longest first
            if i + 1 < n_tokens and (by_second or wild_second):
                second = lower[i + 1]
                for n, rest, cats in by_second.get(second, ()) if by_second else ():
                    if i + n <= n_tokens and (not rest or _tail_matches(rest, lower, i + 2)):
                        hits.append((n, cats))
                if wild_second:
                    for stem, n, rest, cats in wild_second:
                        if second.startswith(stem) and i + n <= n_tokens and _tail_matches(rest, lower, i + 2):
                            hits.append((n, cats))
                    hits.sort(key=lambda h: -h[0])
            if single:
                hits.append((1, single))
            for n, cats in hits:
                for c in cats:
                    if free.get(c, 0) > i:
                        continue
                    if (modal_first or c in modal_cats) and tags[i] != "MD":
                        continue
                    out.append((c, i, i + n))
                    free[c] = i + n
        return out


def _tail_matches(tail: tuple[str, ...], lower: Sequence[str], at: int) -> bool:
    for k, pattern in enumerate(tail):
        token = lower[at + k]
        if pattern.endswith("*") and len(pattern) > 1:
            if not token.startswith(pattern[:-1]):
                return False
        elif token != pattern:
            return False
    return True


# --------------------------------------------------------------------------- transformer


class HedgingFeatures(CueFeatures):
    """Hedges, boosters, epistemic modals, attribution, sourcing, weasel phrases and conditionals.

    Input and output: ``X`` is a sequence of str of length n_samples (raw
    sentences); :meth:`transform` returns an ndarray of shape (n_samples,
    n_features), columns named ``hedging__<feature>``.

    A "word token" is an NLTK token with a letter or digit
    (:func:`framing.features.base.word_count`); rates are matches per word
    token (0 for a sentence without words). A multi-word cue is one match.
    Each category is matched on its own (leftmost-longest, no overlap within
    it; :class:`CategoryMatcher`), so a word can count in several categories,
    and a term listed under two categories counts for both ("alleged" is a
    hedge and a loaded report verb). Matches whose first token is a modal
    auxiliary (:data:`MODALS`) count only when it is tagged MD, in every
    category and lexicon.

    From the project lexicon ``framing/lexicons/hedging.tsv`` (categories and
    sources in ``framing/lexicons/DATASHEET.md``):

    ``hedge_rate``
        Hedges ("possibly", "suggest", "reportedly", "I think") per word
        token. Hyland (2005), hedges (modal verbs excluded: they are
        ``epistemic_modal``).
    ``booster_rate``
        Boosters ("clearly", "undoubtedly", "in fact") per word token. Hyland (2005), boosters.
    ``epistemic_modal_rate``
        Modal auxiliaries with an epistemic reading ("might", "may", "could",
        "must") per word token, counted only when tagged MD, so "May" the
        month does not count. Coates (1983); Palmer (2001).
    ``report_neutral_rate``
        Neutral reporting verbs ("said", "told", "reported") per word token.
        Bell (1991); Recasens et al. (2013), report verbs.
    ``report_loaded_rate``
        Reporting verbs that signal the writer's stance ("claimed",
        "admitted", "insisted", "slammed") per word token. Recasens et al.
        (2013), report verbs; Hooper (1975), assertives and factives.
    ``sourcing_count``
        Phrases attributing a claim to a specific source ("according to",
        "officials said", "in a statement"), raw count per sentence;
        "according to officials" is one cue.
    ``weasel_count``
        Weasel phrases (vague attribution: "some say", "experts believe",
        "it is widely believed"), raw count per sentence. Wikipedia
        "Words to watch"; Ganter & Strube (2009), ACL-IJCNLP short papers.
    ``conditional_count``
        Conditional markers ("if", "unless", "provided that"), raw count per
        sentence.

    From each requested external lexicon, one rate per category, named
    ``<lexicon>_<category>_rate`` (matches per word token); entries are
    tokenized with ``NLTKWordTokenizer`` so multi-word and contracted entries
    ("couldn't", "don't know") match running text:

    ``hyland_hedges_hedge_rate``
        ``recasens2013/hedges_hyland2005.txt``: Hyland (2005) hedges as
        distributed by Recasens et al. (2013), matched as written.
    ``islam2020_hedge_rate``, ``islam2020_booster_rate``
        ``islam2020_hedges_boosters/hedge_words.txt`` and ``booster_words.txt``:
        Islam, Xiao & Mercer (2020), "A Lexicon-Based Approach for Detecting
        Hedges in Informal Text", LREC. The "Epistemic Verbs" section is
        matched with its inflections (:func:`verb_forms`); the rest as written
        (misspelled entries such as "considerabley" never match).
    ``wooorm_hedge_rate``, ``wooorm_weasel_rate``
        ``wooorm_hedges_weasels_fillers/hedges.txt`` and ``weasels.txt``:
        Wormer's npm word lists ``hedges`` and ``weasels`` 2.0.1 (MIT), matched as written.
    ``recasens_verbs_<factive|assertive|implicative|report_verb>_rate``
        ``recasens2013/factives_hooper1975.txt``, ``assertives_hooper1975.txt``,
        ``implicatives_karttunen1971.txt``, ``report_verbs.txt``: Hooper (1975)
        factive and assertive predicates, Karttunen (1971) implicatives and the
        report verbs of Recasens et al. (2013), "Linguistic Models for Analyzing
        and Detecting Biased Language", ACL. The lists hold lemmas; verbs are
        matched in all their forms ("said" for "say", "pointed out" for
        "point out"), adjectives and nouns as written.

    Parameters
    ----------
    lexicon : Lexicon, path or None, default None
        The project lexicon: ``None`` reads ``framing/lexicons/hedging.tsv``;
        a path reads another TSV in that format; a :class:`Lexicon` is used
        as given. Its categories must be among :data:`PROJECT_CATEGORIES`
        (a category it lacks yields a column of zeros).
    external : tuple of str, default ()
        External lexicons to add, from :data:`EXTERNAL_LEXICONS`:
        ``"hyland_hedges"``, ``"islam2020"``, ``"wooorm"``, ``"recasens_verbs"``.
    lexicon_dir : path or None, default None
        Folder of the external lexicons; ``None`` means ``$FRAMING_LEXICONS``.
        Not needed when ``external`` is empty.

    Raises
    ------
    ValueError
        At fit, for an unknown or repeated external lexicon name, or a project
        lexicon with a category outside :data:`PROJECT_CATEGORIES`.
    FileNotFoundError
        At fit, if ``hedging.tsv`` is missing, or an external lexicon is
        requested and ``lexicon_dir`` / ``$FRAMING_LEXICONS`` is unset or lacks
        one of its files (the message gives the expected path).
    TypeError
        At fit, if ``lexicon`` is not None, a Lexicon or a path.

    Notes
    -----
    :meth:`explain` returns one :class:`~framing.features.base.Cue` per
    match and category: category as in the feature names without the unit
    (``"hedge"``, ``"sourcing"``, ``"wooorm_weasel"``), source
    ``"project:hedging"`` or the external lexicon's name, offsets covering all
    the words of a multi-word cue. The counts behind the features equal the
    numbers of these cues.

    References
    ----------
    Ken Hyland. 2005. *Metadiscourse: Exploring Interaction in Writing*.
    Continuum. Joan B. Hooper. 1975. On assertive predicates. *Syntax and
    Semantics* 4. Lauri Karttunen. 1971. Implicative verbs. *Language* 47(2).
    Marta Recasens, Cristian Danescu-Niculescu-Mizil, Dan Jurafsky. 2013.
    Linguistic Models for Analyzing and Detecting Biased Language. ACL.
    Viola Ganter, Michael Strube. 2009. Finding Hedges by Chasing Weasels:
    Hedge Detection Using Wikipedia Tags and Shallow Linguistic Features.
    ACL-IJCNLP short papers. Jumayel Islam, Lu Xiao, Robert E. Mercer. 2020.
    A Lexicon-Based Approach for Detecting Hedges in Informal Text. LREC.
    Frank R. Palmer. 2001. *Mood and Modality*. Cambridge University Press.

    Examples
    --------
    >>> f = HedgingFeatures().fit()
    >>> [(c.category, c.words) for c in f.explain("According to officials, this might possibly work.")]  # doctest: +SKIP
    [('sourcing', 'According to'), ('epistemic_modal', 'might'), ('hedge', 'possibly')]
    """

    family = "hedging"

    def __init__(self, lexicon=None, external=(), lexicon_dir=None):
        self.lexicon = lexicon
        self.external = external
        self.lexicon_dir = lexicon_dir

    # -- fitting
    def _project_lexicon(self) -> Lexicon:
        if self.lexicon is None:
            return read_project_lexicon("hedging")
        if isinstance(self.lexicon, Lexicon):
            return self.lexicon
        if isinstance(self.lexicon, (str, os.PathLike)):
            path = Path(self.lexicon)
            return read_project_lexicon(path.stem, path.parent)
        raise TypeError(f"lexicon must be None, a Lexicon or a path, got {type(self.lexicon).__name__}")

    def _external_names(self) -> tuple[str, ...]:
        if isinstance(self.external, str):
            raise ValueError(f"external must be a sequence of lexicon names, e.g. ({self.external!r},), not a string")
        names = tuple(self.external or ())
        for name in names:
            if name not in EXTERNAL_LEXICONS:
                raise ValueError(f"unknown external lexicon {name!r}; known: {', '.join(EXTERNAL_LEXICONS)}")
        if len(set(names)) != len(names):
            raise ValueError(f"external lists a lexicon twice: {names}")
        return names

    def _prepare(self) -> None:
        names = self._external_names()
        project = self._project_lexicon()
        unknown = [c for c in project.categories if c not in PROJECT_CATEGORIES]
        if unknown:
            raise ValueError(
                f"hedging lexicon {project.source or project.name}: unknown categories {unknown}; "
                f"expected some of {', '.join(PROJECT_CATEGORIES)}"
            )
        self.lexicon_ = project
        self.external_lexicons_ = tuple(load_external_lexicon(name, self.lexicon_dir) for name in names)
        categories = [(c, tuple(project.categories.get(c, ()))) for c in PROJECT_CATEGORIES]
        sources = [f"project:{project.name}"] * len(categories)
        for lex in self.external_lexicons_:
            for cat in EXTERNAL_LEXICONS[lex.name][2]:
                categories.append((f"{lex.name}_{cat}", tuple(lex.categories[cat])))
                sources.append(lex.name)
        self.matcher_ = CategoryMatcher(categories, modal_categories={PROJECT_CATEGORIES.index("epistemic_modal")})
        self.cue_sources_ = tuple(sources)
        # Column of each category, and whether it is divided by the word count.
        n_rates = len(RATE_CATEGORIES)
        self.is_rate_ = tuple(i < n_rates or i >= len(PROJECT_CATEGORIES) for i in range(len(categories)))

    def _feature_names(self) -> list[str]:
        return [
            f"{name}_rate" if rate else f"{name}_count"
            for name, rate in zip(self.matcher_.names, self.is_rate_)
        ]

    # -- transforming
    def _featurize(self, annotation: Annotation, text: str, explain: bool):
        lower = annotation.lower
        matches = self.matcher_.match(lower, annotation.tags)
        values = [0.0] * len(self.is_rate_)
        for c, _, _ in matches:
            values[c] += 1.0
        if matches:
            n_words = fast_word_count(lower)
            for c, rate in enumerate(self.is_rate_):
                if rate and values[c]:
                    values[c] = values[c] / n_words if n_words else 0.0
        cues = []
        if explain:
            names, sources = self.matcher_.names, self.cue_sources_
            for c, first, last in matches:
                start, end, words = cue_span(annotation, text, first, last)
                cues.append(Cue(self.family, names[c], start, end, words, sources[c]))
        return values, cues

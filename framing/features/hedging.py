"""Epistemic stance: hedges, boosters, epistemic modals, attribution, sourcing, weasel phrases, conditionals.

How sure a sentence sounds and whom it makes responsible for its claims are
classic cues of framing and of the *Doubt*, *Appeal to Authority* and
*Bandwagon* techniques. Hedges and boosters follow Hyland's (2005)
metadiscourse categories; report verbs split into neutral and loaded
attribution (Recasens et al. 2013's epistemological bias); sourcing and weasel
phrases follow the Wikipedia "words to watch" guidance used by Ganter &
Strube (2009).

Matching is on whole NLTK tokens (:mod:`framing.lexicons.lexicon`), never on
substrings, and each category is matched on its own: within a category the
longest term wins at each position and matches do not overlap, but a word may
count in several categories (``"experts believe"`` is a weasel phrase *and*
``believe`` can be a hedge). A term listed under two categories counts for both.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from framing.features.base import Cue, CueFeatures, cue_span, word_count
from framing.lexicons.external import load_islam2020, load_recasens2013, load_wooorm
from framing.lexicons.inflection import all_verb_forms
from framing.lexicons.lexicon import Lexicon, LexiconMatcher, read_project_lexicon
from framing.resources import user_path
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

# Entries of the Hooper (1975) and Karttunen (1971) lists that are not verbs
# (predicative adjectives and nouns: "it is odd that"), and entries that are
# already inflected ("spoke", "told"): these are matched as written.
_NOT_INFLECTED = frozenset(
    {
        "odd", "strange", "interesting", "relevant", "sorry", "exciting", "afraid", "certain",
        "sure", "clear", "obvious", "evident", "able", "careful", "misfortune", "spoke", "told",
    }
)

Terms = tuple[tuple[str, ...], ...]


def _verb_terms(terms: Sequence[tuple[str, ...]]) -> Terms:
    """Verb terms in all their forms ("point out" -> "points out", "pointed out" ...).

    The first token is inflected with :func:`framing.lexicons.inflection.all_verb_forms`
    unless it is in ``_NOT_INFLECTED``.
    """
    out: dict[tuple[str, ...], None] = {}
    for term in terms:
        if not term:
            continue
        if term[0] in _NOT_INFLECTED:
            out[term] = None
        else:
            out.update(((form,) + term[1:], None) for form in all_verb_forms(term[0]))
    return tuple(out)


def _hyland_hedges(lexicon_dir) -> tuple[dict[str, Terms], str]:
    lexicon = load_recasens2013(lexicon_dir, categories=("hedge",))
    return {"hedge": lexicon.categories["hedge"]}, lexicon.source


def _islam2020(lexicon_dir) -> tuple[dict[str, Terms], str]:
    sections = ("epistemic_verb", "epistemic_adverb", "epistemic_adjective", "epistemic_modal", "approximation")
    lexicon = load_islam2020(lexicon_dir, categories=sections + ("booster",))
    terms = lexicon.categories
    # The epistemic verbs are base forms: match their inflections too.
    hedges = _verb_terms(terms["epistemic_verb"]) + tuple(t for s in sections[1:] for t in terms[s])
    return {"hedge": tuple(dict.fromkeys(hedges)), "booster": terms["booster"]}, lexicon.source


def _wooorm(lexicon_dir) -> tuple[dict[str, Terms], str]:
    lexicon = load_wooorm(lexicon_dir, categories=("hedge", "weasel"))
    return dict(lexicon.categories), lexicon.source


def _recasens_verbs(lexicon_dir) -> tuple[dict[str, Terms], str]:
    categories = ("factive", "assertive", "implicative", "report_verb")
    lexicon = load_recasens2013(lexicon_dir, categories=categories)
    return {c: _verb_terms(lexicon.categories[c]) for c in categories}, lexicon.source


#: External lexicons :class:`HedgingFeatures` accepts: name -> the categories it adds.
EXTERNAL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "hyland_hedges": ("hedge",),
    "islam2020": ("hedge", "booster"),
    "wooorm": ("hedge", "weasel"),
    "recasens_verbs": ("factive", "assertive", "implicative", "report_verb"),
}
_BUILDERS = {
    "hyland_hedges": _hyland_hedges,
    "islam2020": _islam2020,
    "wooorm": _wooorm,
    "recasens_verbs": _recasens_verbs,
}


def load_external_lexicon(name: str, lexicon_dir: str | os.PathLike | None = None) -> Lexicon:
    """The categories one external lexicon adds to :class:`HedgingFeatures`.

    Files are read by the loaders of :mod:`framing.lexicons.external`:
    ``hyland_hedges`` is the Hyland (2005) hedge list of
    :func:`~framing.lexicons.external.load_recasens2013`; ``islam2020`` is
    :func:`~framing.lexicons.external.load_islam2020` with its five hedge
    sections merged into ``hedge`` (the epistemic verbs in all their forms);
    ``wooorm`` is :func:`~framing.lexicons.external.load_wooorm` (hedges and
    weasels); ``recasens_verbs`` holds the factive, assertive, implicative and
    report verbs of :func:`~framing.lexicons.external.load_recasens2013`, each
    verb in all its forms (:func:`framing.lexicons.inflection.all_verb_forms`).

    Parameters
    ----------
    name : {"hyland_hedges", "islam2020", "wooorm", "recasens_verbs"}
    lexicon_dir : path, optional
        Folder holding the staged lexicons; default ``$FRAMING_LEXICONS``.

    Returns
    -------
    Lexicon
        Named ``name``; categories as in :data:`EXTERNAL_CATEGORIES`.

    Raises
    ------
    ValueError
        For an unknown name.
    FileNotFoundError
        If the folder is not configured or a file of the lexicon is missing
        (the message gives the expected path).
    """
    if name not in EXTERNAL_CATEGORIES:
        raise ValueError(f"unknown external lexicon {name!r}; known: {', '.join(EXTERNAL_CATEGORIES)}")
    categories, source = _BUILDERS[name](lexicon_dir)
    return Lexicon(name, categories, source=source)


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
    it; :class:`~framing.lexicons.lexicon.LexiconMatcher`), so a word can
    count in several categories, and a term listed under two categories counts
    for both ("alleged" is a hedge and a loaded report verb). Matches whose
    first token is a modal auxiliary (:data:`MODALS`) count only when it is
    tagged MD, in every category and lexicon, and ``epistemic_modal`` matches
    only when their first token is tagged MD.

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
        matched with its inflections
        (:func:`~framing.lexicons.inflection.all_verb_forms`); the rest as written
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
        External lexicons to add, from :data:`EXTERNAL_CATEGORIES`:
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
            path = user_path(self.lexicon)
            return read_project_lexicon(path.stem, path.parent)
        raise TypeError(f"lexicon must be None, a Lexicon or a path, got {type(self.lexicon).__name__}")

    def _external_names(self) -> tuple[str, ...]:
        if isinstance(self.external, str):
            raise ValueError(f"external must be a sequence of lexicon names, e.g. ({self.external!r},), not a string")
        names = tuple(self.external or ())
        for name in names:
            if name not in EXTERNAL_CATEGORIES:
                raise ValueError(f"unknown external lexicon {name!r}; known: {', '.join(EXTERNAL_CATEGORIES)}")
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
        categories = {c: tuple(project.categories.get(c, ())) for c in PROJECT_CATEGORIES}
        sources = [f"project:{project.name}"] * len(categories)
        for lex in self.external_lexicons_:
            for cat in EXTERNAL_CATEGORIES[lex.name]:
                categories[f"{lex.name}_{cat}"] = tuple(lex.categories[cat])
                sources.append(lex.name)
        self.matcher_ = LexiconMatcher(Lexicon("hedging", categories, source=project.source))
        self.modal_category_ = PROJECT_CATEGORIES.index("epistemic_modal")
        self.cue_sources_ = tuple(sources)
        # Whether each category's column is divided by the word count.
        n_rates = len(RATE_CATEGORIES)
        self.is_rate_ = tuple(i < n_rates or i >= len(PROJECT_CATEGORIES) for i in range(len(categories)))

    def _feature_names(self) -> list[str]:
        return [
            f"{name}_rate" if rate else f"{name}_count"
            for name, rate in zip(self.matcher_.category_names, self.is_rate_)
        ]

    # -- transforming
    def _featurize(self, annotation: Annotation, text: str, explain: bool):
        matches = self.matcher_.match(annotation.lower)
        values = [0.0] * len(self.is_rate_)
        cues = []
        if not matches:
            return values, cues
        lower, tags, modal = annotation.lower, annotation.tags, self.modal_category_
        for first, last, cats in matches:
            # The MD-tag rule (see the class docstring): a filter on the matcher's matches.
            if tags[first] != "MD":
                if lower[first] in MODALS:
                    continue
                if modal in cats:
                    cats = tuple(c for c in cats if c != modal)
            for c in cats:
                values[c] += 1.0
            if explain and cats:
                start, end, words = cue_span(annotation, text, first, last)
                for c in cats:
                    cues.append(Cue(self.family, self.matcher_.category_names[c], start, end, words, self.cue_sources_[c]))
        n_words = word_count(lower)
        for c, rate in enumerate(self.is_rate_):
            if rate and values[c]:
                values[c] = values[c] / n_words if n_words else 0.0
        return values, cues

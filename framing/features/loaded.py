"""Loaded language: emotionally charged vocabulary and the typography of emphasis.

*Loaded_Language* and *Name_Calling,Labeling* are the two most frequent
techniques of the Propaganda Techniques Corpus (Da San Martino et al. 2019);
both live in word choice. This family measures it with the project's curated
lexicon (``framing/lexicons/loaded.tsv``), optional public lexicons loaded from
their original files (:mod:`framing.lexicons.external`), superlatives, and the
typographic cues of emphasis and distance: exclamation marks, scare quotes and
words in capitals; plus the sentence's VADER sentiment.

Lexicons match whole lower-case NLTK tokens (:mod:`framing.lexicons.lexicon`),
each category of each lexicon on its own, as ``framing/lexicons/DATASHEET.md``
specifies: within a category the longest term wins at each position and
matches do not overlap; across categories they may ("fake news" is
name_calling and its "fake" evaluative_negative).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from framing.features.base import Cue, CueFeatures, is_word, word_count
from framing.lexicons.external import (
    SubjectivityClueMatcher,
    WeightedLexicon,
    load_emfd,
    load_hu_liu,
    load_mfd,
    load_mfd2,
    load_mpqa,
    load_recasens2013,
)
from framing.lexicons.inflection import lemma_candidates
from framing.lexicons.lexicon import Lexicon, LexiconMatcher, TokenMemo, read_project_lexicon
from framing.text import Annotation

#: Categories of ``framing/lexicons/loaded.tsv`` (see ``framing/lexicons/DATASHEET.md``).
LOADED_CATEGORIES = (
    "evaluative_negative",
    "evaluative_positive",
    "fear_threat",
    "violence",
    "moral_outrage",
    "name_calling",
    "absolutes_exaggeration",
    "intensifiers",
)

#: Public lexicons the ``external`` parameter accepts (loaders in :mod:`framing.lexicons.external`).
EXTERNAL_NAMES = ("recasens2013", "mpqa", "hu_liu", "mfd2", "mfd", "emfd")

#: Features that do not depend on a lexicon, in column order.
RULE_FEATURES = (
    "superlative_rate",
    "all_caps_rate",
    "exclamation_count",
    "scare_quote_count",
    "vader_compound",
    "vader_positive",
    "vader_negative",
)

# --------------------------------------------------------------------------- all-caps words

#: Acronyms of four or more letters frequent in English news (agencies, treaties,
#: organisations, media, diseases); shorter capitalised tokens only count when
#: they are in :data:`SHORT_EMPHATIC_WORDS`, so short acronyms need no listing.
ACRONYMS = frozenset(
    """
    ACLU AIDS AIPAC ANTIFA ASEAN BRICS CAIR CENTCOM CFIUS CNBC COVID CPAC CSPAN DACA DARPA DHHS
    FARC FEMA FIFA FISA FLOTUS GAAP HAMAS HUAC IAEA ICBM IMHO INTERPOL IRGC ISIL ISIS ISNA JCPOA
    LAPD LGBT LGBTQ MAGA MERS MSNBC NAACP NAFTA NASA NASCAR NASDAQ NATO NCAA NIMBY NOAA NORAD NYPD
    NYSE OECD OPEC OSCE OSHA PETA POTUS RINO SARS SCOTUS SPLC SWAT UEFA UNESCO UNHCR UNICEF UNRWA
    USAID USDA USMCA USSR
    """.split()
)

#: Two- and three-letter English words that are emphatic in capitals ("NO",
#: "NOT", "LIE"). Other short capitalised tokens are taken for initialisms (US,
#: UN, FBI, CIA, UK, IT, WHO, AM, OR/IN/ME as state codes).
SHORT_EMPHATIC_WORDS = frozenset(
    """
    ALL AND ANY ARE ASK BAD BE BIG BUT BY CAN DID DO END EVER FAR FOR GET GO HAD HAS HE HER HIM
    HIS HOT HOW LIE LOT MAD MEN MY NEW NO NOR NOT NOW OFF OLD ONE OUR OUT OWN SAD SAY SEE SHE SO
    THE TOO TOP TRY TWO WAR WAS WAY WE WHY WIN WON YES YET YOU WOW
    """.split()
)

_ROMAN = re.compile(r"M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
#: Tokens that end a leading label ("HANNITY:", "LAS VEGAS (AP) —", "YUMA, Ariz.").
_LABEL_END = frozenset({":", "(", ",", "—", "–", "-", "--", "|"})


def _caps_flags(token: str) -> tuple[bool, bool]:
    """(upper-case word of >= 2 letters, emphatic: such a word that is not taken for an acronym)."""
    letters = sum(ch.isalpha() for ch in token)
    upper = letters >= 2 and token.isupper() and all(ch.isalpha() or ch in "-'’" for ch in token)
    emphatic = False
    if upper:
        bare = token.replace("’", "'")
        if letters <= 3:
            emphatic = bare in SHORT_EMPHATIC_WORDS
        else:
            emphatic = (
                bare not in ACRONYMS
                and _ROMAN.fullmatch(bare) is None
                and any(ch in "AEIOUY" for ch in bare)  # LVMPD, CCTV: no English word lacks a vowel
            )
    return upper, emphatic


def _emphatic_flag(token: str) -> bool:
    return _caps_flags(token)[1]


_CAPS = TokenMemo(_caps_flags)
_EMPHATIC = TokenMemo(_emphatic_flag)


def emphatic_caps(tokens: Sequence[str]) -> list[int]:
    """Indices of the tokens written in capitals for emphasis.

    A token counts when (1) it has at least two letters, only letters
    (hyphens and apostrophes allowed inside) and no lower-case letter; (2) it
    is not taken for an acronym: two- or three-letter tokens count only when in
    :data:`SHORT_EMPHATIC_WORDS` (so FBI, US, UN, UK, WHO do not), longer ones
    unless in :data:`ACRONYMS` (NATO, NASA, ISIS ...), a Roman numeral (VIII)
    or without a vowel A, E, I, O, U, Y (CCTV); acronyms of four or more
    letters missing from the list still count (a known limitation: no English
    word list is among the toolkit's resources); (3) its sentence is not a
    headline in capitals (two or more upper-case words and no lower-case letter
    anywhere); (4) it is not in a leading label: the run of upper-case tokens
    (and ``&``) that starts the sentence when ``:``, ``(``, ``,``, a dash or
    ``|`` follows it (speaker labels ``HANNITY:``, datelines ``LAS VEGAS
    (Reuters) —``, kickers ``SPECIAL REPORT:``); (5) it is not alone in
    parentheses (``(ERO)``, ``(INTELLIHUB)``: abbreviations and source tags).

    Parameters
    ----------
    tokens : sequence of str
        Tokens as written (case kept).

    Returns
    -------
    list of int
    """
    if not any(map(_EMPHATIC.__getitem__, tokens)):
        return []
    flags = [_CAPS[t] for t in tokens]
    if sum(u for u, _ in flags) >= 2 and not any(ch.islower() for t in tokens for ch in t):
        return []  # a headline or a line in capitals
    n = len(tokens)
    label_end = 0
    while label_end < n and (flags[label_end][0] or tokens[label_end] == "&"):
        label_end += 1
    if not (0 < label_end < n and tokens[label_end] in _LABEL_END):
        label_end = 0
    return [
        i
        for i in range(label_end, n)
        if flags[i][1] and not (0 < i < n - 1 and tokens[i - 1] == "(" and tokens[i + 1] == ")")
    ]


# --------------------------------------------------------------------------- scare quotes

# Penn Treebank quotes (``…'') are how tokenised and LaTeX-style text writes double quotes.
_QUOTE_PAIRS = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"), ("``", "''"))
#: A word inside quotes: letters/digits, joined by - ' ’ . & / (people's, U.S, AT&T, and/or).
_QWORD = r"[^\W_]+(?:[-'’.&/][^\W_]+)*"


def scare_quote_pattern(max_words: int = 3) -> re.Pattern:
    """The regular expression of :func:`scare_quotes` (one group per quote pair)."""
    if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 1:
        raise ValueError(f"scare_quote_max_words must be an int >= 1, got {max_words!r}")
    phrase = rf"({_QWORD}(?: {_QWORD}){{0,{max_words - 1}}}\.?)"
    # each branch starts with its opening quote (so the engine scans for those
    # characters), then checks the character before it
    alternatives = "|".join(
        rf"{re.escape(o)}(?<![\w\"“”'‘’]{re.escape(o)}){phrase}{re.escape(c)}" for o, c in _QUOTE_PAIRS
    )
    return re.compile(rf"(?:{alternatives})(?!\w)")


def scare_quotes(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Character spans (quotes included) of the scare quotes in a sentence.

    A scare quote is a short quoted phrase used to distance the writer from a
    word (the 'experts', a "legitimate government"). Rule:

    - the quotes are a pair ``"…"``, ``“…”``, ``'…'``, ``‘…’``, or Penn
      Treebank quotes: two backticks … two apostrophes;
    - the opening quote follows the start of the text or a character that is
      neither a letter, digit nor quote (so the apostrophe of *experts' view*
      opens nothing), and the closing quote is not followed by a letter or
      digit (so *people's* closes nothing);
    - inside are 1 to ``max_words`` words separated by single spaces (a word:
      letters/digits, possibly joined by ``- ' ’ . & /``), with at most a
      final period and no other punctuation: quoted clauses with commas, ``!``
      or ``?`` are speech, and longer quotations are quotations;
    - it does not follow ``:`` or ``,`` (speech introduced by *said,*);
    - not every word is capitalised ("Animal Farm", "NATO", 'Squad'): titles,
      names and nicknames;
    - it has a letter.

    Parameters
    ----------
    text : str
    pattern : re.Pattern
        From :func:`scare_quote_pattern`.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets, end exclusive.
    """
    out = []
    for match in pattern.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        words = inner.rstrip(".").split(" ")
        if all(w[0].isupper() for w in words if w[0].isalpha()) or not any(ch.isalpha() for ch in inner):
            continue
        before = text[: match.start()].rstrip()
        if before.endswith((":", ",")):
            continue
        out.append(match.span())
    return out


# --------------------------------------------------------------------------- lexicon scorers

class _LexiconRates:
    """Matches per word token of each category of one lexicon (:class:`LexiconMatcher`)."""

    def __init__(self, lexicon: Lexicon, cue_prefix: str, source: str) -> None:
        self.matcher = LexiconMatcher(lexicon)
        self.categories = [f"{cue_prefix}{cat}" for cat in lexicon.category_names]
        self.names = [f"{cat}_rate" for cat in self.categories]
        self.source = source

    def add(self, ann: Annotation, text: str, n: int, values: list, at: int, cues: list | None) -> None:
        matches = self.matcher.match(ann.lower)
        if not matches:
            return
        counts = [0] * len(self.names)
        for first, last, cats in matches:
            for k in cats:
                counts[k] += 1
            if cues is not None:
                start, end = ann.offsets[first][0], ann.offsets[last - 1][1]
                for k in cats:
                    cues.append(Cue("loaded", self.categories[k], start, end, text[start:end], self.source))
        for k, count in enumerate(counts):
            if count:
                values[at + k] = count / n


class _TaggedRates:
    """Counts per word token from a ``(lower-case token, PTB tag) -> category indices`` rule."""

    def __init__(self, rule, categories: Sequence[str], source: str) -> None:
        self.memo = TokenMemo(rule)
        self.categories = list(categories)
        self.names = [f"{c}_rate" for c in self.categories]
        self.source = source

    def add(self, ann: Annotation, text: str, n: int, values: list, at: int, cues: list | None) -> None:
        keys = zip(ann.lower, ann.tags)
        if cues is None:
            hits = list(filter(None, map(self.memo.__getitem__, keys)))
        else:
            hits = []
            for i, key in enumerate(keys):
                found = self.memo[key]
                if found:
                    hits.append(found)
                    start, end = ann.offsets[i]
                    for k in found:
                        cues.append(Cue("loaded", self.categories[k], start, end, text[start:end], self.source))
        if not hits:
            return
        counts = [0] * len(self.names)
        for found in hits:
            for k in found:
                counts[k] += 1
        for k, count in enumerate(counts):
            if count:
                values[at + k] = count / n


def _lemma_rule(lemmas: frozenset, key: tuple[str, str]) -> tuple[int, ...]:
    """(0,) when a lemma candidate of the tagged token is in ``lemmas``."""
    return (0,) if not lemmas.isdisjoint(lemma_candidates(*key)) else ()


#: MPQA feature indices: strong subjective, weak subjective, strong positive, strong negative.
MPQA_KINDS = ("strong_subjective", "weak_subjective", "strong_positive", "strong_negative")


def _mpqa_rule(matcher: SubjectivityClueMatcher, key: tuple[str, str]) -> tuple[int, ...]:
    """Strong if any matching clue is strongsubj, else weak if any clue matches; polarity of strong clues."""
    clues = matcher.clues(*key)
    strong = [c for c in clues if c.strong]
    if not strong:
        return (1,) if clues else ()
    kinds = (0,)
    if any(c.polarity in ("positive", "both") for c in strong):
        kinds += (2,)
    if any(c.polarity in ("negative", "both") for c in strong):
        kinds += (3,)
    return kinds


class _EmfdScores:
    """eMFD: matched words per word token, and each foundation's mean probability over them."""

    def __init__(self, lexicon: WeightedLexicon) -> None:
        self.weights = dict(lexicon.weights)
        self.columns = lexicon.columns
        self.names = ["emfd_word_rate"] + [f"emfd_{c}" for c in lexicon.columns]
        self.source = "emfd"

    def add(self, ann: Annotation, text: str, n: int, values: list, at: int, cues: list | None) -> None:
        weights = self.weights
        lower = ann.lower
        found = [i for i, tok in enumerate(lower) if tok in weights]
        if not found:
            return
        values[at] = len(found) / n
        for k in range(len(self.columns)):
            values[at + 1 + k] = sum(weights[lower[i]][k] for i in found) / len(found)
        if cues is not None:
            for i in found:
                start, end = ann.offsets[i]
                cues.append(Cue("loaded", "emfd_word", start, end, text[start:end], self.source))


def _external_scorers(name: str, lexicon_dir) -> list:
    if name == "recasens2013":
        lex = load_recasens2013(lexicon_dir, categories=("bias", "strong_subjective", "weak_subjective"))
        subjective = Lexicon(
            lex.name, {k: lex.categories[k] for k in ("strong_subjective", "weak_subjective")}, lex.source
        )
        lemmas = frozenset(term[0] for term in lex.categories["bias"] if len(term) == 1)
        return [
            _TaggedRates(partial(_lemma_rule, lemmas), ["recasens2013_bias"], name),
            _LexiconRates(subjective, "recasens2013_", name),
        ]
    if name == "mpqa":
        matcher = SubjectivityClueMatcher(load_mpqa(lexicon_dir))
        return [_TaggedRates(partial(_mpqa_rule, matcher), [f"mpqa_{k}" for k in MPQA_KINDS], name)]
    if name == "emfd":
        return [_EmfdScores(load_emfd(lexicon_dir))]
    loader = {"hu_liu": load_hu_liu, "mfd2": load_mfd2, "mfd": load_mfd}[name]
    return [_LexiconRates(loader(lexicon_dir), f"{name}_", name)]


# --------------------------------------------------------------------------- the transformer


class LoadedLanguageFeatures(CueFeatures):
    """Loaded vocabulary, superlatives, emphasis typography and sentiment of sentences.

    Parameters
    ----------
    lexicon : Lexicon or None, default None
        The loaded-language lexicon; ``None`` reads the project's
        ``framing/lexicons/loaded.tsv``, which must have exactly the
        :data:`LOADED_CATEGORIES`. Another :class:`Lexicon` gives one rate per
        category of its own.
    external : tuple of str, default ()
        Public lexicons to add, by name: ``"recasens2013"``, ``"mpqa"``,
        ``"hu_liu"``, ``"mfd2"``, ``"mfd"``, ``"emfd"`` (see
        :mod:`framing.lexicons.external`). Their files are read at ``fit``.
    lexicon_dir : str or Path or None, default None
        Folder of the external lexicons; ``None`` means ``$FRAMING_LEXICONS``.
        Not needed when ``external`` is empty.
    scare_quote_max_words : int, default 3
        Longest quoted phrase (in words) taken for a scare quote.

    Input and output: ``X`` is a sequence of str of length n_samples (raw
    sentences); :meth:`transform` returns an ndarray of shape (n_samples,
    n_features). Columns are named ``loaded__<feature>``:

    ==================================  ==================================  ===================
    feature                             measures                            unit, source
    ==================================  ==================================  ===================
    ``<category>_rate`` for each of     matches of the category's terms     per word token;
    evaluative_negative,                (longest, non-overlapping within    framing/lexicons/
    evaluative_positive, fear_threat,                                       loaded.tsv (see its
    violence, moral_outrage,            the category)                       DATASHEET.md)
    name_calling,
    absolutes_exaggeration,
    intensifiers
    ``superlative_rate``                tokens tagged JJS or RBS; ``most``  per word token; PTB
                                        and ``least`` only before JJ, RB    tags (NLTK
                                        or VBN ("most brutal"), not as      perceptron tagger);
                                        quantifiers ("most people", "at     rule of
                                        least 10")                          :func:`superlatives`
    ``all_caps_rate``                   words in capitals for emphasis      per word token; rule
                                        ("a DISGRACE"), acronyms and        of
                                        headlines excluded                  :func:`emphatic_caps`
    ``exclamation_count``               ``!`` characters                    raw count
    ``scare_quote_count``               short quoted phrases that distance  raw count; rule of
                                        the writer ("the 'experts'")        :func:`scare_quotes`
    ``vader_compound``                  VADER compound score                score in [-1, 1];
                                                                            Hutto & Gilbert 2014
    ``vader_positive``,                 VADER proportions of positive and   in [0, 1]; Hutto &
    ``vader_negative``                  negative sentiment                  Gilbert 2014
    ==================================  ==================================  ===================

    Then, for each requested external lexicon, in the order of ``external``:

    - ``recasens2013``: ``recasens2013_bias_rate`` (tokens whose lemma, by
      :func:`~framing.lexicons.inflection.lemma_candidates`, is in the 654-lemma
      bias lexicon), ``recasens2013_strong_subjective_rate``,
      ``recasens2013_weak_subjective_rate`` (Riloff & Wiebe 2003 word lists);
      per word token; Recasens, Danescu-Niculescu-Mizil & Jurafsky 2013.
    - ``mpqa``: ``mpqa_strong_subjective_rate`` (tokens matching a strongsubj
      clue), ``mpqa_weak_subjective_rate`` (matching only weaksubj clues),
      ``mpqa_strong_positive_rate``, ``mpqa_strong_negative_rate`` (strongsubj
      clues of prior polarity positive/negative; ``both`` counts for both);
      per word token; clues matched by POS and Porter stem as
      :class:`~framing.lexicons.external.SubjectivityClueMatcher` documents
      (so a tagging error, e.g. "brutal" tagged NN before a comma, loses an
      adjective clue); Wilson, Wiebe & Hoffmann 2005.
    - ``hu_liu``: ``hu_liu_positive_rate``, ``hu_liu_negative_rate``; per word
      token; Hu & Liu 2004.
    - ``mfd2``: ``mfd2_<foundation>_<virtue|vice>_rate`` for care, fairness,
      loyalty, authority, sanctity; per word token; Frimer et al. 2019.
    - ``mfd``: ``mfd_<foundation>_<virtue|vice>_rate`` and ``mfd_moral_rate``
      (``*`` prefix wildcards); per word token; Graham, Haidt & Nosek 2009.
    - ``emfd``: ``emfd_word_rate`` (eMFD words per word token) and
      ``emfd_<foundation>_p`` for care, fairness, loyalty, authority, sanctity:
      the mean over the sentence's eMFD words of the probability that coders
      tied the word to the foundation (0 when none); Hopp et al. 2021.

    A word token has a letter or digit (punctuation is not counted); every rate
    is 0 for a sentence without word tokens.

    :meth:`explain` returns one :class:`~framing.features.base.Cue` per lexicon
    match and category, so one word can give several cues (category
    ``<category>`` for loaded.tsv, source
    ``project:loaded``; ``<lexicon>_<category>`` for external ones, source the
    lexicon's name; eMFD words as ``emfd_word``), per superlative
    (``superlative``), ``!`` (``exclamation``), scare quote (``scare_quote``,
    quotes included) and emphatic capitals word (``all_caps``). The counts
    behind the features equal the numbers of these cues. VADER scores are
    sentence scores and give no cue.

    Raises
    ------
    FileNotFoundError
        At ``fit``: ``loaded.tsv`` is missing; an external lexicon is requested
        and neither ``lexicon_dir`` nor ``$FRAMING_LEXICONS`` is set, or its file
        is missing (the message names the expected path).
    ValueError
        At ``fit``: an unknown or repeated external name, ``loaded.tsv`` with
        other categories than :data:`LOADED_CATEGORIES`, a ``lexicon`` whose
        category names clash with other features (``superlative``), a bad
        ``scare_quote_max_words``. At ``transform``: ``X`` is a single string.
    TypeError
        At ``fit``: ``lexicon`` is not a Lexicon.

    References
    ----------
    Giovanni Da San Martino et al. 2019. Fine-Grained Analysis of Propaganda in News
    Articles. EMNLP-IJCNLP. C. J. Hutto, Eric Gilbert. 2014. VADER: A Parsimonious
    Rule-based Model for Sentiment Analysis of Social Media Text. ICWSM. External
    lexicons: see :mod:`framing.lexicons.external`.

    Examples
    --------
    >>> f = LoadedLanguageFeatures().fit()  # doctest: +SKIP
    >>> [(c.category, c.words) for c in f.explain("The corrupt regime launched a brutal crackdown!")]  # doctest: +SKIP
    [('moral_outrage', 'corrupt'), ('name_calling', 'regime'), ('violence', 'brutal'), ('violence', 'crackdown'),
     ('exclamation', '!')]
    """

    family = "loaded"

    def __init__(self, lexicon=None, external=(), lexicon_dir=None, scare_quote_max_words=3):
        self.lexicon = lexicon
        self.external = external
        self.lexicon_dir = lexicon_dir
        self.scare_quote_max_words = scare_quote_max_words

    # -- fitting
    def _prepare(self) -> None:
        if self.lexicon is None:
            lexicon = read_project_lexicon("loaded")
            found = tuple(lexicon.category_names)
            if set(found) != set(LOADED_CATEGORIES):
                raise ValueError(
                    f"{lexicon.source}: categories {sorted(found)} differ from the expected "
                    f"{sorted(LOADED_CATEGORIES)} (unknown: {sorted(set(found) - set(LOADED_CATEGORIES))}, "
                    f"missing: {sorted(set(LOADED_CATEGORIES) - set(found))})"
                )
            # column order fixed by LOADED_CATEGORIES, whatever the file order
            lexicon = Lexicon(lexicon.name, {c: lexicon.categories[c] for c in LOADED_CATEGORIES}, lexicon.source)
        elif isinstance(self.lexicon, Lexicon):
            lexicon = self.lexicon
        else:
            raise TypeError(f"lexicon must be a framing.lexicons.lexicon.Lexicon or None, got {type(self.lexicon).__name__}")
        if isinstance(self.external, str):
            raise ValueError(f"external must be a sequence of lexicon names, got the string {self.external!r}")
        external = tuple(self.external)
        for name in external:
            if name not in EXTERNAL_NAMES:
                raise ValueError(f"unknown external lexicon {name!r}; known: {', '.join(EXTERNAL_NAMES)}")
        if len(set(external)) != len(external):
            raise ValueError(f"external lists a lexicon twice: {external}")
        self.scare_quote_pattern_ = scare_quote_pattern(self.scare_quote_max_words)
        self.lexicon_ = lexicon
        self.loaded_scorer_ = _LexiconRates(lexicon, "", "project:loaded")
        self.token_codes_ = TokenMemo(partial(_token_code, self.loaded_scorer_.matcher))
        self.external_scorers_ = [s for name in external for s in _external_scorers(name, self.lexicon_dir)]
        self.n_loaded_ = len(self.loaded_scorer_.names)
        self.n_features_ = self.n_loaded_ + len(RULE_FEATURES) + sum(len(s.names) for s in self.external_scorers_)
        names = self._feature_names()
        if len(set(names)) != len(names):
            clash = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"lexicon categories give feature names that clash with others: {clash}")

    def _feature_names(self) -> list[str]:
        names = list(self.loaded_scorer_.names) + list(RULE_FEATURES)
        for scorer in self.external_scorers_:
            names.extend(scorer.names)
        return names

    # -- one sentence
    def _featurize(self, ann: Annotation, text: str, explain: bool) -> tuple[list[float], list[Cue]]:
        if explain:
            return self._featurize_explained(ann, text)
        # One C-level pass over the tokens gives the word count, the project
        # lexicon's one-token matches per category, and whether phrases,
        # superlatives or emphatic capitals are possible at all (_token_code).
        total = sum(map(self.token_codes_.__getitem__, ann.tokens))
        n = total & _MASK
        values = [0.0] * self.n_features_
        if n:
            matcher = self.loaded_scorer_.matcher
            if (total >> _PHRASE_FIELD) & _MASK and matcher.phrase_possible(ann.lower):
                for k, count in enumerate(matcher.count(ann.lower)):
                    if count:
                        values[k] = count / n
            else:  # no phrase: the category fields are the counts
                rest, k = total >> _CATEGORY_FIELD, 0
                while rest:
                    count = rest & _MASK
                    if count:
                        values[k] = count / n
                    rest >>= _BITS
                    k += 1
            at = self.n_loaded_
            if (total >> _SUPERLATIVE_FIELD) & _MASK:
                found = superlatives(ann.lower, ann.tags)
                if found:
                    values[at] = len(found) / n
            if (total >> _CAPS_FIELD) & _MASK:
                caps = emphatic_caps(ann.tokens)
                if caps:
                    values[at + 1] = len(caps) / n
            at += len(RULE_FEATURES)
            for scorer in self.external_scorers_:
                scorer.add(ann, text, n, values, at, None)
                at += len(scorer.names)
        self._punctuation_and_sentiment(ann, text, values, None)
        return values, []

    def _featurize_explained(self, ann: Annotation, text: str) -> tuple[list[float], list[Cue]]:
        """:meth:`_featurize` building the cues; the tests check it gives the same values."""
        n = word_count(ann.tokens)
        values = [0.0] * self.n_features_
        cues: list[Cue] = []
        if n:
            self.loaded_scorer_.add(ann, text, n, values, 0, cues)
            at = self.n_loaded_
            found = superlatives(ann.lower, ann.tags)
            if found:
                values[at] = len(found) / n
                for first, last in found:
                    start, end = ann.offsets[first][0], ann.offsets[last - 1][1]
                    cues.append(Cue("loaded", "superlative", start, end, text[start:end], "rule:superlative"))
            caps = emphatic_caps(ann.tokens)
            if caps:
                values[at + 1] = len(caps) / n
                for i in caps:
                    start, end = ann.offsets[i]
                    cues.append(Cue("loaded", "all_caps", start, end, text[start:end], "rule:all_caps"))
            at += len(RULE_FEATURES)
            for scorer in self.external_scorers_:
                scorer.add(ann, text, n, values, at, cues)
                at += len(scorer.names)
        self._punctuation_and_sentiment(ann, text, values, cues)
        return values, cues

    def _punctuation_and_sentiment(self, ann: Annotation, text: str, values: list, cues: list | None) -> None:
        """Exclamation marks, scare quotes and VADER: counted even without word tokens."""
        at = self.n_loaded_
        bangs = text.count("!")
        if bangs:
            values[at + 2] = float(bangs)
            if cues is not None:
                start = -1
                for _ in range(bangs):
                    start = text.index("!", start + 1)
                    cues.append(Cue("loaded", "exclamation", start, start + 1, "!", "rule:exclamation"))
        if '"' in text or "“" in text or "'" in text or "‘" in text:
            quotes = scare_quotes(text, self.scare_quote_pattern_)
            if quotes:
                values[at + 3] = float(len(quotes))
                if cues is not None:
                    for start, end in quotes:
                        cues.append(Cue("loaded", "scare_quote", start, end, text[start:end], "rule:scare_quote"))
        neg, _, pos, compound = ann.sentiment
        values[at + 4] = compound
        values[at + 5] = pos
        values[at + 6] = neg


#: Fields of a token's code (:func:`_token_code`), 32 bits each: word, emphatic
#: capitals candidate, first token of a phrase of the project lexicon,
#: superlative-shaped word, then one field per category of the project lexicon.
_BITS = 32
_MASK = (1 << _BITS) - 1
_CAPS_FIELD, _PHRASE_FIELD, _SUPERLATIVE_FIELD, _CATEGORY_FIELD = (_BITS * k for k in range(1, 5))


def _token_code(matcher: LexiconMatcher, token: str) -> int:
    """The fields one token adds to its sentence's code (a sum over tokens stays below 2**32 per field).

    Summed over a sentence, the fields are its word count (:func:`framing.features.base.is_word`),
    the candidates for emphatic capitals, the tokens that may start a phrase
    of the lexicon, the superlative-shaped words, and the one-token matches per
    category (:meth:`LexiconMatcher.token_categories`: the counts when no
    phrase matches).
    """
    lower = token.lower()
    code = is_word(token)
    code += int(_emphatic_flag(token)) << _CAPS_FIELD
    code += int(lower in matcher.phrase_starts) << _PHRASE_FIELD
    code += int(_superlative_shaped(lower)) << _SUPERLATIVE_FIELD
    for c in matcher.token_categories(lower):
        code += 1 << (_CATEGORY_FIELD + _BITS * c)
    return code


_MOST_LEAST = frozenset({"most", "least"})
_GRADABLE_NEXT = frozenset({"JJ", "RB", "VBN"})

#: Words ending in -est that are not superlatives; the tagger sometimes tags them JJS.
NOT_SUPERLATIVE = frozenset(
    """
    arrest attest behest bequest bucharest budapest celeste chest congest conquest contest crest
    detest digest divest earnest everest forest guest harvest honest infest ingest inquest interest
    invest jest lest manifest midwest modest molest nest northwest pest pretest priest protest quest
    request rest southwest suggest test unrest vest west wrest zest
    """.split()
)


def _superlative_shaped(word: str) -> bool:
    """Ends in -est or -most, or is best/worst/least; not in :data:`NOT_SUPERLATIVE`."""
    return (word.endswith(("est", "most")) or word in ("best", "worst", "least")) and word not in NOT_SUPERLATIVE


def superlatives(lower: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges of the superlatives of a tagged sentence.

    A token tagged JJS or RBS (Penn Treebank) that has the form of a
    superlative (ends in -est or -most, or is best, worst, least; words in
    :data:`NOT_SUPERLATIVE` such as priest, honest, forest do not) counts,
    except ``most`` and ``least``, which count (with the next token) only when
    they grade an adjective, adverb or participle (tag JJ, RB or VBN: "most
    brutal", "least likely") and do not follow ``at``: "most people", "at least
    10" are quantifiers. The form check drops the tagger's occasional JJS on
    other words (host, a quote mark).

    Parameters
    ----------
    lower : sequence of str
        Lower-case tokens.
    tags : sequence of str
        Their Penn Treebank tags.

    Returns
    -------
    list of (int, int)
        Token ranges ``(first, last)``, last exclusive.
    """
    out: list[tuple[int, int]] = []
    if "JJS" not in tags and "RBS" not in tags:
        return out
    n = len(tags)
    for i, tag in enumerate(tags):
        if (tag == "JJS" or tag == "RBS") and _superlative_shaped(lower[i]):
            if lower[i] in _MOST_LEAST:
                if i + 1 < n and tags[i + 1] in _GRADABLE_NEXT and not (i > 0 and lower[i - 1] == "at"):
                    out.append((i, i + 2))
            else:
                out.append((i, i + 1))
    return out

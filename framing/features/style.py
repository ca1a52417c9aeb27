"""Writing style: the NELA-like baseline of length, punctuation, readability, lexical diversity and pronouns.

Horne & Adalı (2017) and Horne, Khedr & Adalı (2018, NELA2017) describe news
sources by the style of their text as well as its content: length,
punctuation, readability, lexical diversity and pronoun use. These features
are the project's stylistic baseline in that spirit, computed per row
(sentence) from the cached NLTK annotation.

All-caps words are *not* here: :class:`framing.features.loaded.LoadedLanguageFeatures`
counts them (as emphasis), so the two families do not duplicate a column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress
from numbers import Integral

from framing.features.base import Cue, CueFeatures
from framing.lexicons.lexicon import TokenMemo
from framing.text import Annotation

#: Personal pronouns by person and number (lower-case NLTK tokens).
PRONOUNS = {
    "first_person_singular": ("i", "me", "my", "mine", "myself"),
    "first_person_plural": ("we", "us", "our", "ours", "ourselves"),
    "second_person": ("you", "your", "yours", "yourself", "yourselves", "y'all"),
}

#: Characters counted as quotation marks: straight and typographic double
#: quotes, low and reversed double quotes, guillemets, full-width quote.
#: Single quotes are left out: ' and ’ are mostly apostrophes.
QUOTE_MARKS = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb\u301d\u301e\uff02')
#: Penn Treebank double quotes, two characters each (tokenised and LaTeX-style text): one
#: quotation mark per occurrence.
PTB_QUOTE_MARKS = re.compile(r"``|''")

_PUNCT_MARKS = {"?": "question_mark", "!": "exclamation_mark"}

_FEATURES = (
    "n_words",
    "n_chars",
    "mean_word_length",
    "punctuation_rate",
    "quote_marks",
    "question_marks",
    "exclamation_marks",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "type_token_ratio",
    "first_person_singular_rate",
    "first_person_plural_rate",
    "second_person_rate",
    "digit_rate",
)

_VOWELS = frozenset("aeiouy")


def _run_syllables(w: str) -> int:
    """Syllables of one run of lower-case letters (see :func:`syllables`)."""
    n = 0
    previous = False
    for k, ch in enumerate(w):
        vowel = ch in _VOWELS and not (k == 0 and ch == "y" and len(w) > 1 and w[1] in _VOWELS)
        if vowel and not previous:
            n += 1
        previous = vowel
    if n > 1:
        if w.endswith("e"):
            # silent final e ("make", "there"), but "table", "little" and "free" keep theirs
            if not (w.endswith("le") and len(w) > 2 and w[-3] not in _VOWELS) and w[-2] not in _VOWELS:
                n -= 1
        elif w.endswith("es") and len(w) > 3 and w[-3] not in _VOWELS:
            # "makes", "states"; the e is spoken after a sibilant ("places", "houses") and in "tables"
            if not w.endswith(("ses", "xes", "zes", "ces", "ges", "ches", "shes")) and not (
                w.endswith("les") and len(w) > 4 and w[-4] not in _VOWELS
            ):
                n -= 1
        elif w.endswith("ed") and len(w) > 3 and w[-3] not in _VOWELS and w[-3] not in "td":
            n -= 1  # "jumped", but "wanted", "needed"
        elif w.endswith("ely") and len(w) > 4 and w[-4] not in _VOWELS:
            n -= 1  # "lately", "completely"
    # vowel pairs spoken as two syllables: "media", "period", "stadium", "actual",
    # "influence", "audience", "society"; not "nation", "million", "marriage", "quiet"
    for k in range(1, len(w) - 1):
        pair = w[k : k + 2]
        before = w[k - 1]
        after = w[k + 2 : k + 4]
        if pair in ("ia", "io") and before not in "ctsgln" and not after.startswith("g"):
            n += 1
        elif pair == "iu" or (pair in ("ua", "uo") and before not in "qg"):
            n += 1
        elif pair == "ue" and before not in "qg" and after.startswith("n"):
            n += 1
        elif pair == "ie" and (after.startswith("t") or (after in ("nc", "nt") and before not in "ctsgq")):
            n += 1
    if w.endswith("ing") and len(w) > 4 and w[-4] in _VOWELS:
        n += 1  # "being", "going", "saying"
    if w.endswith(("ism", "isms")):
        n += 1  # "terrorism"
    if len(w) > 3 and w.endswith("ea"):
        n += 1  # "area", "idea", "Korea"
    if w.startswith("mc") and len(w) > 2:
        n += 1  # "McCain"
    if n > 1 and (w.endswith("que") or (w.endswith("gue") and len(w) > 3 and w[-4] in _VOWELS)):
        n -= 1  # "unique", "plague", "league" (not "argue")
    return max(n, 1)


def syllables(token: str) -> int:
    """Estimated number of syllables of a word token, without a pronouncing dictionary.

    The heuristic (spelling rules, no word list): each maximal run of vowel
    letters (unaccented a e i o u, and y except before a vowel at the start
    of a word) is one syllable; minus a silent final *-e* (not in consonant +
    *-le*), *-es* (not after a sibilant or consonant + *l*), *-ed* (not after
    *t*/*d*), the *e* of *-ely*, and final *-que* and vowel + *-gue*; plus one
    for vowel pairs read as two syllables (*ia*/*io* except after c t s g l n
    and before g: "media", "period", not "nation", "million", "marriage";
    *iu*; *ua*/*uo* and *uen* except after q g; *iet*; *ienc*, *ient* except
    after c t s g q: "society", "audience", not "patient"), for vowel + *-ing*
    ("being"), *-ism*, final *-ea* ("area") and initial *Mc*; at least one per
    run. Runs are split at non-letters ("NATO-led" = NATO + led, "U.S." = U +
    S) but not at apostrophes ("it’s" = 1). Each digit counts one syllable
    ("2018" = 4, close to "twenty eighteen"). Clitics that start with an
    apostrophe ("'s", "'re", "'ll") add none; "n't" adds one.

    On the 15,730 alphabetic word types of the PTC-2020 training articles
    that CMUdict lists, it gives one of CMUdict's syllable counts for 94.3%
    of the types and 98.1% of the tokens (off by one for nearly all the
    rest: "created" and "statement" get 2 and 3).

    Parameters
    ----------
    token : str

    Returns
    -------
    int
        0 for tokens without letters or digits and for apostrophe clitics.
    """
    w = token.lower()
    if w.startswith(("'", "\u2019")) and len(w) > 1:
        return 0
    if w in ("n't", "n\u2019t"):
        return 1
    w = w.replace("'", "").replace("\u2019", "")  # "it’s", "don’t" (not split by the tokenizer) are one run
    total = 0
    run: list[str] = []
    for ch in w + " ":
        if ch.isalpha():
            run.append(ch)
            continue
        if run:
            total += _run_syllables("".join(run))
            run = []
        if ch.isdigit():
            total += 1
    return total


# Per-token counts are packed into one integer, a 32-bit field each, so that a
# sentence's totals are a single C-level ``sum`` over its tokens (the hot loop).
_FIELD_BITS = 32
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_N_FIELDS = 7  # is_word, alphanumeric characters, syllables, has_digit, 1st sg, 1st pl, 2nd person


def _token_info(token: str) -> int:
    """The packed counts of one lower-case token (see :func:`_unpack`)."""
    alnum = sum(1 for ch in token if ch.isalnum())
    if not alnum:
        _PUNCTUATION_SEEN.add(token)
        return 0
    fields = [1, alnum, syllables(token), int(any(ch.isdigit() for ch in token)), 0, 0, 0]
    k = _PERSON_OF.get(token)
    if k is not None:
        fields[4 + k] = 1
    return sum(value << (_FIELD_BITS * i) for i, value in enumerate(fields))


def _unpack(total: int) -> list[int]:
    """Field sums of packed token counts (each stays below 2**32 for any text under 4 GB)."""
    return [(total >> (_FIELD_BITS * i)) & _FIELD_MASK for i in range(_N_FIELDS)]


_PERSON = tuple(PRONOUNS)
_PERSON_OF = {word: k for k, words in enumerate(PRONOUNS.values()) for word in words}
_TOKEN_INFO = TokenMemo(_token_info)
#: Every punctuation token (no letter or digit) :func:`_token_info` has seen: the
#: type-token ratio subtracts a sentence's distinct punctuation tokens with one
#: C-level set intersection.
_PUNCTUATION_SEEN: set[str] = set()
#: Lower-case pronoun forms with a non-pronoun reading (see :func:`_is_pronoun`).
_AMBIGUOUS = ("us", "mine")


def moving_average_ttr(words: Sequence[str], window: int) -> float:
    """Moving-average type-token ratio (Covington & McFall 2010).

    The mean, over every window of ``window`` consecutive words, of the
    window's distinct words divided by ``window``; the plain type-token ratio
    when there are ``window`` words or fewer. 0 for no words.
    """
    n = len(words)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(words)) / n
    counts: dict[str, int] = {}
    for word in words[:window]:
        counts[word] = counts.get(word, 0) + 1
    distinct = len(counts)
    total = distinct
    for new, old in zip(words[window:], words):
        if new != old:
            c = counts.get(new, 0)
            counts[new] = c + 1
            distinct += c == 0
            c = counts[old] - 1
            counts[old] = c
            distinct -= c == 0
        total += distinct
    return total / ((n - window + 1) * window)


class StyleFeatures(CueFeatures):
    """Length, punctuation, readability, lexical diversity, pronoun and digit features (NELA-like).

    Input and output: ``X`` is a sequence of str of length n_samples (raw
    sentences); :meth:`transform` returns an ndarray of shape (n_samples,
    n_features), columns named ``style__<feature>``. Each row is treated as
    one sentence: the readability formulas' words per sentence is the row's
    word count (rows are sentences in every task of the toolkit; the
    annotation does not split a row).

    A "word token" is an NLTK token with a letter or digit
    (:func:`framing.features.base.word_count`); a "punctuation token" is any
    other token. Rates are per word token and 0 for a row without words; so
    are the readability scores. Marks are counted as characters of the row,
    as raw counts: a sentence asks a question or it does not, and its length
    is a feature of its own. (NELA divides its counts by the article's
    tokens.)

    ``n_words``
        Word tokens, raw count. NELA "WC" (Horne et al. 2018).
    ``n_chars``
        Characters of the row (``len(text)``, spaces included), raw count.
    ``mean_word_length``
        Letters and digits per word token (punctuation inside tokens, as in
        "U.S.", not counted). Horne & Adalı (2017).
    ``punctuation_rate``
        Punctuation tokens per word token. NELA "allpunc".
    ``quote_marks``
        Double quotation marks (:data:`QUOTE_MARKS`: " “ ” „ « » ..., and
        the Penn Treebank pair of two backticks and two apostrophes,
        :data:`PTB_QUOTE_MARKS`), raw count: a quotation in the row gives 2,
        or 1 when it spans rows.
        NELA "quotes".
    ``question_marks``
        "?" characters, raw count. NELA "question".
    ``exclamation_marks``
        "!" characters, raw count. NELA "exclaim". The same count as
        ``loaded__exclamation_count`` of
        :class:`~framing.features.loaded.LoadedLanguageFeatures`.
    ``flesch_reading_ease``
        206.835 − 1.015 × words per sentence − 84.6 × syllables per word
        (Flesch 1948), higher is easier; syllables by the documented heuristic
        :func:`syllables` (no pronouncing dictionary needed).
    ``flesch_kincaid_grade``
        0.39 × words per sentence + 11.8 × syllables per word − 15.59
        (Kincaid et al. 1975), a US school grade. NELA "FKE" (whose code
        misplaces a parenthesis; this is the published formula).
    ``type_token_ratio``
        Distinct lower-cased word tokens / word tokens (or MATTR, see
        ``ttr_window``). NELA "TTR". On a short row it is close to 1 (a row of
        one word has 1.0) and it falls as rows get longer, so it partly
        measures length; use ``ttr_window`` to compare rows of different length.
    ``first_person_singular_rate``
        I, me, my, mine, myself per word token ("mine" tagged as a noun, the
        pit, does not count). Horne & Adalı (2017); LIWC "i" (Pennebaker et al. 2015).
    ``first_person_plural_rate``
        we, us, our, ours, ourselves per word token; "US" written in capitals
        is the country and does not count. LIWC "we".
    ``second_person_rate``
        you, your, yours, yourself, yourselves, y'all per word token. LIWC "you".
    ``digit_rate``
        Word tokens containing a digit per word token ("2018", "3.5", "G7").

    Parameters
    ----------
    ttr_window : int or None, default None
        ``None``: plain type-token ratio. An integer: moving-average TTR
        (MATTR, Covington & McFall 2010) over windows of that many words,
        which removes most of the ratio's dependence on length for rows longer
        than the window.

    Raises
    ------
    ValueError
        At fit, if ``ttr_window`` is not None or a positive integer.

    Notes
    -----
    :meth:`explain` returns a :class:`~framing.features.base.Cue` for each
    pronoun (category ``first_person_singular``, ``first_person_plural``,
    ``second_person``), each question and exclamation mark
    (``question_mark``, ``exclamation_mark``) and each quotation mark
    (``quote_mark``). The counts behind the features equal the numbers of
    these cues.

    References
    ----------
    Benjamin D. Horne, Sibel Adalı. 2017. This Just In: Fake News Packs a Lot in
    Title, Uses Simpler, Repetitive Content in Text Body, More Similar to Satire
    than Real News. ICWSM NECO workshop. Benjamin D. Horne, Sara Khedr, Sibel
    Adalı. 2018. Sampling the News Producers: A Large News and Feature Data Set
    for the Study of the Complex Media Landscape. ICWSM (NELA2017). Rudolf
    Flesch. 1948. A new readability yardstick. *Journal of Applied Psychology*
    32(3). J. Peter Kincaid et al. 1975. Derivation of new readability formulas
    for Navy enlisted personnel. Research Branch Report 8-75. Michael A.
    Covington, Joe D. McFall. 2010. Cutting the Gordian Knot: The
    Moving-Average Type-Token Ratio (MATTR). *Journal of Quantitative
    Linguistics* 17(2). James W. Pennebaker et al. 2015. The Development and
    Psychometric Properties of LIWC2015.

    Examples
    --------
    >>> f = StyleFeatures().fit()
    >>> [(c.category, c.words) for c in f.explain('"We must act now!" I told you.')]  # doctest: +SKIP
    [('quote_mark', '"'), ('first_person_plural', 'We'), ('exclamation_mark', '!'), ('quote_mark', '"'),
     ('first_person_singular', 'I'), ('second_person', 'you')]
    """

    family = "style"

    def __init__(self, ttr_window=None):
        self.ttr_window = ttr_window

    def _prepare(self) -> None:
        window = self.ttr_window
        if window is not None and (isinstance(window, bool) or not isinstance(window, Integral) or window < 1):
            raise ValueError(f"ttr_window must be None or a positive integer, got {window!r}")
        self.ttr_window_ = None if window is None else int(window)

    def _feature_names(self) -> list[str]:
        return list(_FEATURES)

    def _featurize(self, annotation: Annotation, text: str, explain: bool):
        lower = annotation.lower
        info = _TOKEN_INFO
        n_words, n_alnum, n_syllables, n_digits, *person = _unpack(sum(map(info.__getitem__, lower)))
        cues = []
        # recount one by one only to explain, or when a pronoun form may be something else
        if explain or (any(person) and any(form in lower for form in _AMBIGUOUS)):
            person = [0, 0, 0]
            for i, token in enumerate(lower):
                k = _PERSON_OF.get(token)
                if k is None or not _is_pronoun(annotation, i, token):
                    continue
                person[k] += 1
                if explain:
                    a, b = annotation.offsets[i]
                    cues.append(Cue(self.family, _PERSON[k], a, b, text[a:b], "rule:pronoun"))
        questions = text.count("?")
        exclamations = text.count("!")
        quotes = sum(map(text.count, QUOTE_MARKS))
        if "``" in text or "''" in text:
            ptb_quotes = [m.span() for m in PTB_QUOTE_MARKS.finditer(text)]
            quotes += len(ptb_quotes)
        else:
            ptb_quotes = []
        if explain:
            for pos, ch in enumerate(text):
                category = _PUNCT_MARKS.get(ch) or ("quote_mark" if ch in QUOTE_MARKS else None)
                if category:
                    cues.append(Cue(self.family, category, pos, pos + 1, ch, "rule:punctuation"))
            cues += [Cue(self.family, "quote_mark", a, b, text[a:b], "rule:punctuation") for a, b in ptb_quotes]
        if not n_words:
            return [0, len(text), 0, 0, quotes, questions, exclamations, 0, 0, 0, 0, 0, 0, 0], cues
        window = self.ttr_window_
        if window is None:
            # distinct tokens less distinct punctuation tokens (every token of `lower`
            # went through _token_info above, so _PUNCTUATION_SEEN holds its punctuation)
            ttr = (len(set(lower)) - len(_PUNCTUATION_SEEN.intersection(lower))) / n_words
        else:
            ttr = moving_average_ttr(list(compress(lower, map(info.__getitem__, lower))), window)
        asw = n_syllables / n_words
        values = [
            n_words,
            len(text),
            n_alnum / n_words,
            (len(lower) - n_words) / n_words,
            quotes,
            questions,
            exclamations,
            206.835 - 1.015 * n_words - 84.6 * asw,
            0.39 * n_words + 11.8 * asw - 15.59,
            ttr,
            person[0] / n_words,
            person[1] / n_words,
            person[2] / n_words,
            n_digits / n_words,
        ]
        return values, cues




def _is_pronoun(annotation: Annotation, i: int, token: str) -> bool:
    """Exclude the country "US" and "mine" the noun."""
    if token == "us":
        return annotation.tokens[i] != "US"
    if token == "mine":
        return not annotation.tags[i].startswith("NN")
    return True

"""Which language a text is in, from NLTK's stopword lists (no model): is it English?

The cue lexicons, the POS tagger and the analyzer's models are English; an
article in another language gets confident but meaningless predictions and
cues. :func:`detect_language` tells, in a fraction of a millisecond per
article, whether a text looks English.

Method: the text's words (runs of letters, lower-cased) are looked up in the
stopword list of every language of NLTK's ``stopwords`` corpus; each
language's *share* is the fraction of the words in its list. Function words
make up 40-55% of running English text and the English list holds few words
of other languages, so the language with the highest share is the text's
language (the short-word method of Grefenstette 1995, "Comparing two
language identification schemes", JADT). Lists that mostly repeat the English one
(NLTK's ``hinglish`` holds most English stopwords) are left out, or every
English text would tie with them. Deterministic: ties go to English, then
to the alphabetically first language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from framing.resources import nltk_resource

#: The language the analyzer's models, lexicons and tagger are for (an NLTK stopwords file id).
ENGLISH = "english"
#: Fewer words than this: too short to tell (no verdict, no warning).
MIN_WORDS = 15
#: English stopwords make up at least this share of an English text's words. Measured on the SemEval-2023
#: task 3 train+dev articles: 0.267-0.558 in the 536 English ones, 0.000-0.108 in the 1,076 French,
#: German, Italian, Polish and Russian ones (Polish has no NLTK list and shares "a", "i", "do", "to", "on").
ENGLISH_MIN_SHARE = 0.18
#: A list sharing more than this fraction of the English list is an English variety (left out).
MAX_OVERLAP_WITH_ENGLISH = 0.5

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    """The verdict of :func:`detect_language`.

    Parameters
    ----------
    language : str or None
        The NLTK stopwords file id with the highest share (``"english"``,
        ``"french"``, ``"russian"``...); English only when its share reaches
        :data:`ENGLISH_MIN_SHARE`. None when the text has fewer than
        :data:`MIN_WORDS` words or none of them is a stopword of a compared language.
    confidence : float
        ``(best - runner_up) / best`` of the shares, in [0, 1]: 0 a tie, 1 no
        other language's list matched any word. 0.0 when ``language`` is None.
        It measures which language, not whether English: a Polish text (no
        NLTK list) is clearly not English but only weakly Slovene.
    english_share : float
        Fraction of the words that are English stopwords (0.4-0.55 in news text).
    n_words : int
        Words looked up (runs of letters).
    shares : dict of str to float
        Every compared language's share, highest first (rounded to 4 places).
    """

    language: str | None
    confidence: float
    english_share: float
    n_words: int
    shares: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def is_english(self) -> bool:
        """False when the text has :data:`MIN_WORDS` words or more and too few English stopwords."""
        return self.n_words < MIN_WORDS or self.english_share >= ENGLISH_MIN_SHARE

    def to_dict(self) -> dict:
        """The ``language`` entry of the analysis document (schema 1.1)."""
        return {
            "detected": self.language,
            "confidence": round(self.confidence, 3),
            "english": self.is_english,
            "english_stopword_share": round(self.english_share, 4),
            "n_words": self.n_words,
            "method": "stopword shares (NLTK stopwords corpus)",
        }


@lru_cache(maxsize=1)
def stopword_lists() -> dict[str, frozenset[str]]:
    """The stopword set of each language compared (English varieties left out).

    Returns
    -------
    dict of str to frozenset of str
        NLTK stopwords file id -> its lower-cased words.

    Raises
    ------
    framing.resources.MissingResourceError, RefusedResourceError
        If NLTK's ``stopwords`` corpus is not installed or not readable
        (``framing setup`` installs it).
    """
    nltk_resource("stopwords")
    from nltk.corpus import stopwords

    lists = {lang: frozenset(w.lower() for w in stopwords.words(lang)) for lang in sorted(stopwords.fileids())}
    english = lists[ENGLISH]
    return {
        lang: words for lang, words in lists.items()
        if lang == ENGLISH or len(words & english) <= MAX_OVERLAP_WITH_ENGLISH * len(english)
    }


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of ``text`` from the share of its words in each stopword list.

    Parameters
    ----------
    text : str
        Any length; only runs of letters count as words.

    Returns
    -------
    LanguageGuess

    Raises
    ------
    framing.resources.MissingResourceError, RefusedResourceError
        If NLTK's ``stopwords`` corpus cannot be read.

    Examples
    --------
    >>> detect_language("Le président a dit que la guerre était finie et que les soldats rentreraient.").language
    'french'
    """
    words = _WORD.findall(text.lower())
    lists = stopword_lists()
    n = len(words)
    if not n:
        return LanguageGuess(None, 0.0, 0.0, 0, {})
    shares = {lang: sum(w in stop for w in words) / n for lang, stop in lists.items()}
    ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0] != ENGLISH, kv[0]))
    rounded = {lang: round(s, 4) for lang, s in ranked}
    english = shares[ENGLISH]
    if english < ENGLISH_MIN_SHARE:  # too few English function words: English is no candidate
        ranked = [kv for kv in ranked if kv[0] != ENGLISH] + [(ENGLISH, english)]
    (best, top), (_, second) = ranked[0], ranked[1]
    if n < MIN_WORDS or top == 0:
        return LanguageGuess(None, 0.0, english, n, rounded)
    return LanguageGuess(best, (top - second) / top, english, n, rounded)

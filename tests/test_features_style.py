"""StyleFeatures: exact values on hand-written sentences, the syllable heuristic, MATTR, cues.

Word counts in the comments are NLTK word tokens (tokens with a letter or
digit); the other tokens are punctuation tokens.
"""

from __future__ import annotations

import numpy as np
import pytest

from framing.features.base import word_count
from framing.features.style import StyleFeatures, moving_average_ttr, syllables
from framing.text import annotate

pytestmark = pytest.mark.nltk


@pytest.fixture(scope="module")
def style():
    return StyleFeatures().fit()


def _row(features, text):
    names = [n.split("__", 1)[1] for n in features.get_feature_names_out()]
    return dict(zip(names, features.transform([text])[0]))


def test_feature_names(style):
    assert list(style.get_feature_names_out()) == [
        "style__n_words",
        "style__n_chars",
        "style__mean_word_length",
        "style__punctuation_rate",
        "style__quote_marks",
        "style__question_marks",
        "style__exclamation_marks",
        "style__flesch_reading_ease",
        "style__flesch_kincaid_grade",
        "style__type_token_ratio",
        "style__first_person_singular_rate",
        "style__first_person_plural_rate",
        "style__second_person_rate",
        "style__digit_rate",
    ]


def test_quoted_exclamation(style):
    text = '"We must act now!" I told you.'
    # Tokens: " We must act now ! " I told you .  -> 7 words, 4 punctuation tokens.
    # Letters: 2+4+3+3+1+4+3 = 20; every word has 1 syllable (7 in all).
    row = _row(style, text)
    expected = {
        "n_words": 7,
        "n_chars": 30,
        "mean_word_length": 20 / 7,
        "punctuation_rate": 4 / 7,
        "quote_marks": 2,
        "question_marks": 0,
        "exclamation_marks": 1,
        "flesch_reading_ease": 206.835 - 1.015 * 7 - 84.6 * 7 / 7,
        "flesch_kincaid_grade": 0.39 * 7 + 11.8 * 7 / 7 - 15.59,
        "type_token_ratio": 7 / 7,
        "first_person_singular_rate": 1 / 7,  # I
        "first_person_plural_rate": 1 / 7,  # We
        "second_person_rate": 1 / 7,  # you
        "digit_rate": 0,
    }
    assert row == pytest.approx(expected)
    cues = [(c.category, c.start, c.end, c.words) for c in style.explain(text)]
    assert cues == [
        ("quote_mark", 0, 1, '"'),
        ("first_person_plural", 1, 3, "We"),
        ("exclamation_mark", 16, 17, "!"),
        ("quote_mark", 17, 18, '"'),
        ("first_person_singular", 19, 20, "I"),
        ("second_person", 26, 29, "you"),
    ]
    assert all(c.family == "style" for c in style.explain(text))


def test_country_us_mine_the_noun_digits_and_marks(style):
    text = "In 2018, the U.S. and US officials told us that the mine is mine?!"
    # Words (14): In 2018 the U.S. and US officials told us that the mine is mine;
    # punctuation tokens (3): , ? !
    # Letters and digits: 2+4+3+2+3+2+9+4+2+4+3+4+2+4 = 48.
    # Syllables: in 1, 2018 4 (one per digit), the 1, U.S. 2, and 1, US 1, officials 3,
    # told 1, us 1, that 1, the 1, mine 1, is 1, mine 1 = 20.
    # Types (lower-cased): the, us and mine occur twice -> 11 distinct of 14.
    # "US" (capitals) is the country; "mine" tagged NN (the pit) is no pronoun.
    row = _row(style, text)
    expected = {
        "n_words": 14,
        "n_chars": len(text),
        "mean_word_length": 48 / 14,
        "punctuation_rate": 3 / 14,
        "quote_marks": 0,
        "question_marks": 1,
        "exclamation_marks": 1,
        "flesch_reading_ease": 206.835 - 1.015 * 14 - 84.6 * 20 / 14,
        "flesch_kincaid_grade": 0.39 * 14 + 11.8 * 20 / 14 - 15.59,
        "type_token_ratio": 11 / 14,
        "first_person_singular_rate": 1 / 14,
        "first_person_plural_rate": 1 / 14,
        "second_person_rate": 0,
        "digit_rate": 1 / 14,
    }
    assert row == pytest.approx(expected)
    pronouns = [(c.category, c.words, c.start) for c in style.explain(text) if c.source == "rule:pronoun"]
    assert pronouns == [("first_person_plural", "us", 40), ("first_person_singular", "mine", 60)]


def test_type_token_ratio_and_curly_quotes(style):
    # the cat saw the cat: 3 types / 5 words
    assert _row(style, "The cat saw the cat.")["type_token_ratio"] == pytest.approx(3 / 5)
    # A one-word row has TTR 1.
    assert _row(style, "Yes.")["type_token_ratio"] == 1
    row = _row(style, "\u201cYes,\u201d he said \u00abnon\u00bb.")
    assert row["quote_marks"] == 4
    # Single quotes and apostrophes are not quotation marks.
    assert _row(style, "It's the 'best' deal.")["quote_marks"] == 0


def test_penn_treebank_quotes_are_quotation_marks(style):
    text = "He said ``fake'' news."
    assert _row(style, text)["quote_marks"] == 2
    cues = [(c.category, c.start, c.end, c.words) for c in style.explain(text) if c.category == "quote_mark"]
    assert cues == [("quote_mark", 8, 10, "``"), ("quote_mark", 14, 16, "''")]


def test_rows_without_words(style):
    X = style.transform(["", "...", "?!"])
    assert X[0].tolist() == [0] * 14
    # "..." has 3 characters and no word: every rate and score is 0.
    assert X[1].tolist() == [0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert X[2].tolist() == [0, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]


def test_moving_average_ttr():
    assert moving_average_ttr([], 3) == 0
    # windows of 2: (a b) 2, (b a) 2, (a c) 2 -> 6 / (3 * 2)
    assert moving_average_ttr(["a", "b", "a", "c"], 2) == 1.0
    # (go go) 1, (go go) 1, (go now) 2 -> 4 / 6
    assert moving_average_ttr(["go", "go", "go", "now"], 2) == pytest.approx(4 / 6)
    # no longer than the window: the plain ratio
    assert moving_average_ttr(["go", "go", "now"], 5) == pytest.approx(2 / 3)


def test_ttr_window_parameter():
    text = "Go go go now."
    assert _row(StyleFeatures().fit(), text)["type_token_ratio"] == pytest.approx(2 / 4)
    assert _row(StyleFeatures(ttr_window=2).fit(), text)["type_token_ratio"] == pytest.approx(4 / 6)
    assert _row(StyleFeatures(ttr_window=10).fit(), text)["type_token_ratio"] == pytest.approx(2 / 4)
    for bad in (0, -1, 2.5, True, "10"):
        with pytest.raises(ValueError, match="ttr_window"):
            StyleFeatures(ttr_window=bad).fit()


@pytest.mark.parametrize(
    "word, n",
    [
        # dictionary syllable counts the heuristic gets right
        ("the", 1), ("make", 1), ("table", 2), ("little", 2), ("makes", 1), ("tables", 2),
        ("states", 1), ("places", 2), ("houses", 2), ("jumped", 1), ("wanted", 2), ("played", 1),
        ("agreed", 2), ("propaganda", 4), ("government", 3), ("president", 3), ("Russia", 2),
        ("media", 3), ("people", 2), ("Syria", 3), ("free", 1), ("there", 1), ("lately", 2),
        ("completely", 3), ("nation", 2), ("social", 2), ("various", 3), ("previous", 3),
        ("conscious", 2), ("religious", 3), ("language", 2), ("actual", 3), ("quality", 3),
        ("stadium", 3), ("period", 3), ("you", 1), ("yes", 1), ("year", 1), ("officials", 3),
        ("believe", 2), ("immigration", 4), ("violence", 3), ("being", 2), ("saying", 2),
        ("terrorism", 4), ("area", 3), ("million", 2), ("plague", 1), ("argue", 2), ("unique", 2),
        ("audience", 3), ("society", 4), ("patient", 2), ("influence", 3), ("friend", 1),
        ("marriage", 2), ("McCain", 2),
        # documented conventions
        ("NATO-led", 3), ("U.S.", 2), ("2018", 4), ("'s", 0), ("n't", 1), ("it\u2019s", 1), ("...", 0),
    ],
)
def test_syllables(word, n):
    assert syllables(word) == n


#: The style features whose values are counts or rates of cues (the rest are not cue-based).
CUE_COLUMNS = {
    **{f"{p}_rate": (p, "rate") for p in ("first_person_singular", "first_person_plural", "second_person")},
    "question_marks": ("question_mark", "count"),
    "exclamation_marks": ("exclamation_mark", "count"),
    "quote_marks": ("quote_mark", "count"),
}


def test_explain_counts_agree_with_transform(style, assert_cues_match_features):
    texts = [
        '"We must act now!" I told you.',
        "In 2018, the U.S. and US officials told us that the mine is mine?!",
        "Are you sure? Our people, and yours, deserve better!! Y'all know it \u201cthey\u201d lied.",
        "My, my: we ourselves, you yourself and I myself saw it.",
    ]
    assert assert_cues_match_features(style, texts, CUE_COLUMNS) >= 20
    n_words = list(style.get_feature_names_out()).index("style__n_words")
    assert list(style.transform(texts)[:, n_words]) == [word_count(a) for a in annotate(texts)]


@pytest.mark.corpus
def test_cues_match_features_on_ptc_sentences(shared_data, style, assert_cues_match_features):
    folder = shared_data / "ptc_semeval2020" / "train-articles"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    texts = [
        line.strip()
        for path in sorted(folder.glob("article*.txt"))[:20]
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    assert len(texts) > 300
    assert assert_cues_match_features(style, texts, CUE_COLUMNS) > 100
    assert np.isfinite(style.transform(texts)).all()

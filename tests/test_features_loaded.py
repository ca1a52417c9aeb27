"""LoadedLanguageFeatures: exact values on hand-written sentences, the rules, the contract.

Token counts in the comments are word tokens: NLTK tokens with a letter or
digit (punctuation and quotes are not words). The tags the comments mention
are those of NLTK's perceptron tagger for these very sentences.
"""

from __future__ import annotations

import csv
import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import FeatureUnion, Pipeline

import framing.features.loaded as loaded_module
from framing.features.base import word_count
from framing.features.loaded import (
    LOADED_CATEGORIES,
    RULE_FEATURES,
    LoadedLanguageFeatures,
    emphatic_caps,
    scare_quote_pattern,
    scare_quotes,
    superlatives,
)
from framing.lexicons.lexicon import Lexicon
from framing.text import annotate

pytestmark = [
    pytest.mark.nltk,
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

ALL_EXTERNAL = ("recasens2013", "mpqa", "hu_liu", "mfd2", "mfd", "emfd")


@pytest.fixture(scope="module")
def loaded():
    return LoadedLanguageFeatures().fit()


@pytest.fixture(scope="module")
def with_external(lexicon_dir):
    return LoadedLanguageFeatures(external=ALL_EXTERNAL, lexicon_dir=lexicon_dir).fit()


def _row(features: LoadedLanguageFeatures, text: str) -> dict[str, float]:
    names = [n.split("__", 1)[1] for n in features.get_feature_names_out()]
    return dict(zip(names, features.transform([text])[0]))


def _vader(text: str) -> dict[str, float]:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().polarity_scores(text)


def _expect(row: dict[str, float], text: str, **nonzero: float) -> None:
    """Named features equal the expected values, VADER equals NLTK's analyser, all others are 0."""
    scores = _vader(text)
    expected = {"vader_compound": scores["compound"], "vader_positive": scores["pos"], "vader_negative": scores["neg"]}
    expected.update(nonzero)
    for name, value in row.items():
        assert value == pytest.approx(expected.get(name, 0.0)), name
    assert set(nonzero) <= set(row)


# --------------------------------------------------------------------------- names and the project lexicon


def test_feature_names(loaded):
    assert list(loaded.get_feature_names_out()) == [f"loaded__{c}_rate" for c in LOADED_CATEGORIES] + [
        "loaded__superlative_rate",
        "loaded__all_caps_rate",
        "loaded__exclamation_count",
        "loaded__scare_quote_count",
        "loaded__vader_compound",
        "loaded__vader_positive",
        "loaded__vader_negative",
    ]
    assert tuple(n.split("__")[1] for n in loaded.get_feature_names_out()[-7:]) == RULE_FEATURES


def test_feature_names_with_external_lexicons(with_external):
    names = [n.split("__", 1)[1] for n in with_external.get_feature_names_out()]
    foundations = [f"{f}_{k}" for f in ("care", "fairness", "loyalty", "authority", "sanctity") for k in ("virtue", "vice")]
    assert names[15:] == [
        "recasens2013_bias_rate",
        "recasens2013_strong_subjective_rate",
        "recasens2013_weak_subjective_rate",
        "mpqa_strong_subjective_rate",
        "mpqa_weak_subjective_rate",
        "mpqa_strong_positive_rate",
        "mpqa_strong_negative_rate",
        "hu_liu_positive_rate",
        "hu_liu_negative_rate",
        *[f"mfd2_{f}_rate" for f in foundations],
        *[f"mfd_{f}_rate" for f in foundations],
        "mfd_moral_rate",
        "emfd_word_rate",
        "emfd_care_p",
        "emfd_fairness_p",
        "emfd_loyalty_p",
        "emfd_authority_p",
        "emfd_sanctity_p",
    ]


def test_project_lexicon_categories(loaded):
    assert tuple(loaded.lexicon_.categories) == LOADED_CATEGORIES
    assert all(loaded.lexicon_.categories[c] for c in LOADED_CATEGORIES)


def test_project_lexicon_with_other_categories_is_an_error(monkeypatch):
    wrong = Lexicon("loaded", {**{c: (("x",),) for c in LOADED_CATEGORIES[1:]}, "fear-threat": (("y",),)}, "loaded.tsv")
    monkeypatch.setattr(loaded_module, "read_project_lexicon", lambda name: wrong)
    with pytest.raises(ValueError, match=r"unknown: \['fear-threat'\].*missing: \['evaluative_negative'\]"):
        LoadedLanguageFeatures().fit()


# --------------------------------------------------------------------------- exact values, project lexicon


def test_loaded_categories_exact(loaded):
    text = "The corrupt regime launched a brutal, barbaric crackdown!"
    # 8 word tokens: The corrupt regime launched a brutal barbaric crackdown
    # corrupt: moral_outrage; regime: name_calling; brutal, barbaric, crackdown: violence
    _expect(
        _row(loaded, text), text,
        moral_outrage_rate=1 / 8, name_calling_rate=1 / 8, violence_rate=3 / 8, exclamation_count=1,
    )


def test_revision_on_train_killed_and_abuse_are_no_cues(loaded):
    # DATASHEET.md 4.6, second revision: "killed" (a neutral news verb) and "abuse*"
    # (mostly "sexual abuse") were removed; "killing" stays violence.
    text = "Two people were killed in the attack, and the sexual abuse case is closed."
    assert [c.category for c in loaded.explain(text) if c.category.endswith(("violence", "outrage"))] == ["violence"]
    assert [c.words for c in loaded.explain(text) if c.category == "violence"] == ["attack"]
    assert [c.words for c in loaded.explain("The killing shocked them.") if c.category == "violence"] == ["killing"]


def test_positive_words_and_absolutes(loaded):
    text = "Our brave heroes will never surrender to these thugs!"
    # 9 word tokens; brave, heroes: evaluative_positive; never: absolutes_exaggeration; thugs: name_calling
    _expect(
        _row(loaded, text), text,
        evaluative_positive_rate=2 / 9, absolutes_exaggeration_rate=1 / 9, name_calling_rate=1 / 9,
        exclamation_count=1,
    )


def test_phrases_and_categories_matched_independently(loaded):
    text = "The mainstream media peddles fake news about the deep state every single day."
    # 13 word tokens. name_calling: "mainstream media", "fake news", "deep state" (3);
    # evaluative_negative: "fake" inside "fake news" counts too (categories are matched on
    # their own); absolutes_exaggeration: "every single".
    _expect(
        _row(loaded, text), text,
        name_calling_rate=3 / 13, evaluative_negative_rate=1 / 13, absolutes_exaggeration_rate=1 / 13,
    )
    cues = [(c.category, c.words) for c in loaded.explain(text)]
    assert cues == [
        ("name_calling", "mainstream media"),
        ("evaluative_negative", "fake"),
        ("name_calling", "fake news"),
        ("name_calling", "deep state"),
        ("absolutes_exaggeration", "every single"),
    ]


def test_wildcards_of_the_project_lexicon(loaded):
    text = "The traitors betrayed us."
    # 4 word tokens; traitors (traitor*): name_calling; betrayed (betray*): moral_outrage
    _expect(_row(loaded, text), text, name_calling_rate=1 / 4, moral_outrage_rate=1 / 4)


def test_sentence_without_words(loaded):
    assert _row(loaded, "...") == dict.fromkeys(_row(loaded, "...").keys(), 0.0)
    row = _row(loaded, "!!")
    assert row["exclamation_count"] == 2 and sum(row.values()) == 2


# --------------------------------------------------------------------------- a small lexicon: matching semantics


def test_small_lexicon_phrases_wildcards_and_independent_categories():
    lexicon = Lexicon(
        "mine",
        {
            "phrase": (("deep", "state"), ("radical", "left*")),
            "single": (("deep",), ("state*",)),
        },
    )
    features = LoadedLanguageFeatures(lexicon=lexicon).fit()
    names = [n.split("__", 1)[1] for n in features.get_feature_names_out()]
    assert names[:2] == ["phrase_rate", "single_rate"]
    text = "The deep state and radical leftists hate statesmen."
    # 8 word tokens. phrase: "deep state", "radical leftists"; single: deep, state, statesmen
    row = _row(features, text)
    assert row["phrase_rate"] == pytest.approx(2 / 8)
    assert row["single_rate"] == pytest.approx(3 / 8)
    assert [(c.category, c.words) for c in features.explain(text) if c.source == "project:loaded"] == [
        ("single", "deep"), ("phrase", "deep state"), ("single", "state"), ("phrase", "radical leftists"),
        ("single", "statesmen"),
    ]


def test_a_bare_asterisk_in_a_term_is_literal():
    lexicon = Lexicon("mine", {"profanity": (("f", "*", "*", "k"), ("bull", "*", "*", "*", "*"))})
    features = LoadedLanguageFeatures(lexicon=lexicon).fit()
    # word tokens: What, the, f, k, is, this, now -> 7 (the asterisks and "?" are not words)
    assert _row(features, "What the f**k is this now?")["profanity_rate"] == pytest.approx(1 / 7)
    # "bull" followed by four tokens is no match: the asterisks are not wildcards
    assert _row(features, "The bull market rose by 5 percent today.")["profanity_rate"] == 0.0


# --------------------------------------------------------------------------- superlatives


def test_superlatives_exact(loaded):
    text = "It is the worst betrayal and the most shameful lie, at least in the latest polls of most voters."
    # 19 word tokens. Superlatives: worst (JJS), "most shameful" (most + JJ), latest (JJS) = 3;
    # not "at least" (after "at") nor "most voters" (a quantifier before a noun).
    # worst: absolutes_exaggeration; betrayal, shameful: moral_outrage
    _expect(
        _row(loaded, text), text,
        superlative_rate=3 / 19, absolutes_exaggeration_rate=1 / 19, moral_outrage_rate=2 / 19,
    )
    assert [c.words for c in loaded.explain(text) if c.category == "superlative"] == ["worst", "most shameful", "latest"]


def test_superlative_rule_on_given_tags():
    assert superlatives(("the", "best", "one"), ("DT", "JJS", "CD")) == [(1, 2)]
    assert superlatives(("most", "loved"), ("RBS", "VBN")) == [(0, 2)]
    assert superlatives(("least", "likely"), ("RBS", "RB")) == [(0, 2)]
    assert superlatives(("most", "people"), ("JJS", "NNS")) == []
    assert superlatives(("at", "most", "ten"), ("IN", "JJS", "CD")) == []
    assert superlatives(("at", "least", "likely"), ("IN", "JJS", "JJ")) == []
    assert superlatives(("most",), ("JJS",)) == []
    # words ending in -est that the tagger may take for superlatives
    assert superlatives(("the", "priest", "was", "honest"), ("DT", "JJS", "VBD", "JJS")) == []
    # and words without a superlative's form (tagger errors seen in PTC)
    assert superlatives(("the", "host", "“"), ("DT", "JJS", "JJS")) == []
    assert superlatives(("the", "utmost", "care"), ("DT", "JJS", "NN")) == [(1, 2)]


# --------------------------------------------------------------------------- all-caps words


def test_all_caps_vs_acronyms(loaded):
    text = "This is a DISGRACE and NOT what the US and UN promised."
    # 12 word tokens; DISGRACE (moral_outrage too) and NOT are emphatic; US, UN are initialisms
    _expect(_row(loaded, text), text, all_caps_rate=2 / 12, moral_outrage_rate=1 / 12)
    assert [c.words for c in loaded.explain(text) if c.category == "all_caps"] == ["DISGRACE", "NOT"]


def _caps(text: str) -> list[str]:
    tokens = annotate([text])[0].tokens
    return [tokens[i] for i in emphatic_caps(tokens)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Wake up! They are DESTROYING our country, says the FBI and NATO.", ["DESTROYING"]),
        ("The FBI, CIA and NATO met the UK and WHO.", []),  # 2-3 letter initialisms, listed acronyms
        ("THE US AND UN CONDEMN THE ATTACK", []),  # a headline in capitals
        ("ADVANTAGE IMMIGRANTS", []),  # a line in capitals
        ("HANNITY: This is a DISGRACE.", ["DISGRACE"]),  # speaker label
        ("LAS VEGAS (INTELLIHUB) — Police said nothing in chapter VIII of the LVMPD report.", []),
        ("He said it was LEGAL and the ANTI-AMERICAN mob DIDN'T care.", ["LEGAL", "ANTI-AMERICAN", "DID"]),
        ("The agency (FEMA) and the SSMU board met.", ["SSMU"]),  # an unlisted acronym: known limitation
        ("STOP!", ["STOP"]),
        ("I am OK with U.S. policy.", []),
    ],
)
def test_emphatic_caps_rule(text, expected):
    assert _caps(text) == expected


# --------------------------------------------------------------------------- exclamations and scare quotes


def _quotes(text: str, max_words: int = 3) -> list[str]:
    return [text[a:b] for a, b in scare_quotes(text, scare_quote_pattern(max_words))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The 'experts' were wrong.", ["'experts'"]),
        ('They call it a "legitimate government".', ['"legitimate government"']),
        ("The “peace process” is a sham and her ‘apology’ fooled nobody.", ["“peace process”", "‘apology’"]),
        ("The 'people's choice' won, and the experts' view was ignored.", ["'people's choice'"]),
        ('It was a "humanitarian intervention."', ['"humanitarian intervention."']),
        ('The "experts" and the "elites" agree.', ['"experts"', '"elites"']),
        ("The ‘so-called’ U.N. ‘peace-keepers’", ["‘so-called’", "‘peace-keepers’"]),
        # not scare quotes
        ("The experts' view was ignored.", []),
        ('He said, "No." Then: "We will never surrender to these thugs."', []),  # after , and : / too long
        ('"Disgraceful," she said. "Really?" he asked. He shouted “Stop!”', []),  # speech punctuation
        ('We watched "Animal Farm" at "NATO" headquarters with a 5\'10" man.', []),  # title, name, inches
        ("It was a \"very long and tiring day\" for the boys' and girls' teams.", []),  # 5 words
        ('A “legitimate" vote.', []),  # quotes of two kinds do not pair
        ('The "2020" plan', []),  # no letter
        ('"experts"', ['"experts"']),  # at the very start of the text
        # Penn Treebank quotes (`` and ''), as in tokenised or LaTeX-style text
        ("He called it ``fake'' news.", ["``fake''"]),
        ("The ``peace process'' and the 'experts'.", ["``peace process''", "'experts'"]),
        ("He said, ``No way.''", []),  # after a comma: speech
        ("``Animal Farm'' again", []),  # a title
    ],
)
def test_scare_quote_rule(text, expected):
    assert _quotes(text) == expected


def test_scare_quote_length_is_a_parameter():
    text = "It was a \"very long and tiring day\" for all."
    assert _quotes(text, 5) == ['"very long and tiring day"']
    assert _quotes('the "experts" said', 1) == ['"experts"']
    assert _quotes('a "legitimate government"', 1) == []
    with pytest.raises(ValueError, match="scare_quote_max_words"):
        scare_quote_pattern(0)


def test_scare_quotes_and_exclamations_exact(loaded):
    text = "The “peace process” is a sham and her ‘apology’ fooled nobody!!"
    # 11 word tokens; sham: evaluative_negative; nobody: absolutes_exaggeration
    _expect(
        _row(loaded, text), text,
        scare_quote_count=2, exclamation_count=2, evaluative_negative_rate=1 / 11,
        absolutes_exaggeration_rate=1 / 11,
    )
    cues = [(c.category, c.start, c.end) for c in loaded.explain(text) if c.category in ("scare_quote", "exclamation")]
    assert cues == [("scare_quote", 4, 19), ("scare_quote", 38, 47), ("exclamation", 61, 62), ("exclamation", 62, 63)]


def test_invisible_characters_do_not_hide_a_word_from_the_lexicons(loaded):
    # U+FEFF (a byte-order mark, in 11 SemEval-2020 and several PTC-2019 files) glued to a word
    cues = [(c.category, c.start, c.end, c.words) for c in loaded.explain("\ufeffdisgraceful lies")]
    assert cues == [("moral_outrage", 1, 12, "disgraceful"), ("moral_outrage", 13, 17, "lies")]
    text = "Their \u200blies\u200b and dis\u00adgraceful \u2060smears\u2060"
    found = {(c.start, c.end, c.words) for c in loaded.explain(text)}
    assert {(7, 11, "lies"), (17, 29, "dis\u00adgraceful"), (31, 37, "smears")} <= found
    assert _row(loaded, "\ufeffdisgraceful lies")["moral_outrage_rate"] == 1.0


def test_vader_matches_nltk(loaded):
    texts = [
        "Our brave heroes will never surrender to these thugs!",
        "The council approved the budget on Tuesday.",
        "This is a DISGRACE and NOT what the US and UN promised.",
        "I love this wonderful, happy day :)",
    ]
    X = loaded.transform(texts)
    names = list(loaded.get_feature_names_out())
    for text, row in zip(texts, X):
        scores = _vader(text)
        assert row[names.index("loaded__vader_compound")] == scores["compound"]
        assert row[names.index("loaded__vader_positive")] == scores["pos"]
        assert row[names.index("loaded__vader_negative")] == scores["neg"]


# --------------------------------------------------------------------------- explain == transform

SENTENCES = [
    "The corrupt regime launched a brutal, barbaric crackdown!",
    "Our brave heroes will never surrender to these thugs!",
    "The mainstream media peddles fake news about the deep state every single day.",
    "It is the worst betrayal and the most shameful lie, at least in the latest polls of most voters.",
    "This is a DISGRACE and NOT what the US and UN promised.",
    "The “peace process” is a sham and her ‘apology’ fooled nobody!!",
    "The 'experts' called it a \"legitimate government\" of the deep state.",
    "He abused them and the abuses continued while they boasted about the corrupt, happy leaders.",
    "What the f**k is this bull market doing to our sacred, wholesome families?",
    "The council approved the budget on Tuesday.",
    "...",
]


def _check_cues_match_values(features: LoadedLanguageFeatures, texts: list[str]) -> None:
    names = [n.split("__", 1)[1] for n in features.get_feature_names_out()]
    X = features.transform(texts)
    for text, ann, row, cues in zip(texts, annotate(texts), X, features.explain_many(texts)):
        n = word_count(ann)
        counts: dict[str, int] = {}
        for cue in cues:
            assert text[cue.start : cue.end] == cue.words
            assert cue.family == "loaded" and cue.source
            counts[cue.category] = counts.get(cue.category, 0) + 1
        for name, value in zip(names, row):
            if name.endswith("_rate"):
                assert value == (counts.get(name[: -len("_rate")], 0) / n if n else 0.0), (text, name)
            elif name.endswith("_count"):  # exclamation_count, scare_quote_count
                assert value == counts.get(name[: -len("_count")], 0), name
        assert set(counts) <= {n[: -len("_rate")] for n in names if n.endswith("_rate")} | {
            "exclamation", "scare_quote", "emfd_word"}
        # the explained values are the transformed values
        assert list(features._featurize(ann, text, True)[0]) == list(row)


def test_cues_match_values(loaded):
    _check_cues_match_values(loaded, SENTENCES)


def test_cues_match_values_with_external_lexicons(with_external):
    _check_cues_match_values(with_external, SENTENCES)


def test_cue_sources(with_external):
    sources = {c.category: c.source for text in SENTENCES for c in with_external.explain(text)}
    assert sources["violence"] == "project:loaded"
    assert sources["superlative"] == "rule:superlative"
    assert sources["all_caps"] == "rule:all_caps"
    assert sources["scare_quote"] == "rule:scare_quote"
    assert sources["exclamation"] == "rule:exclamation"
    assert sources["mpqa_strong_subjective"] == "mpqa"
    assert sources["hu_liu_negative"] == "hu_liu"
    assert sources["recasens2013_bias"] == "recasens2013"
    assert sources["mfd2_sanctity_vice"] == "mfd2"
    assert sources["emfd_word"] == "emfd"


# --------------------------------------------------------------------------- external lexicons, exact values


def test_external_values_exact(with_external, lexicon_dir):
    text = "The corrupt regime launched a brutal, barbaric crackdown!"
    row = _row(with_external, text)
    # 8 word tokens. Tags: corrupt/NN regime/NN launched/VBD brutal/NN barbaric/JJ crackdown/NN
    assert row["hu_liu_negative_rate"] == pytest.approx(3 / 8)  # corrupt, brutal, barbaric
    assert row["hu_liu_positive_rate"] == 0
    # MPQA honours POS: corrupt and brutal have adjective/verb clues only, and the tagger says NN;
    # barbaric (JJ) is strongsubj negative, crackdown (NN) weaksubj
    assert row["mpqa_strong_subjective_rate"] == pytest.approx(1 / 8)
    assert row["mpqa_strong_negative_rate"] == pytest.approx(1 / 8)
    assert row["mpqa_strong_positive_rate"] == 0
    assert row["mpqa_weak_subjective_rate"] == pytest.approx(1 / 8)
    # Recasens: bias lemmas regime, launch (launched/VBD -> launch); Riloff strong: corrupt, brutal,
    # barbaric; weak: crackdown
    assert row["recasens2013_bias_rate"] == pytest.approx(2 / 8)
    assert row["recasens2013_strong_subjective_rate"] == pytest.approx(3 / 8)
    assert row["recasens2013_weak_subjective_rate"] == pytest.approx(1 / 8)
    # MFD 2.0: corrupt (sanctity.vice); MFD: brutal* (care.vice)
    assert row["mfd2_sanctity_vice_rate"] == pytest.approx(1 / 8)
    assert row["mfd_care_vice_rate"] == pytest.approx(1 / 8)
    assert sum(v for k, v in row.items() if k.startswith("mfd")) == pytest.approx(2 / 8)
    # eMFD: the mean probability over the sentence's eMFD words, from the CSV itself
    with open(lexicon_dir / "emfd_hopp2021" / "emfd_scoring.csv", encoding="utf-8", newline="") as fh:
        table = {r["word"]: r for r in csv.DictReader(fh)}
    words = [w for w in ("the", "corrupt", "regime", "launched", "a", "brutal", "barbaric", "crackdown") if w in table]
    assert row["emfd_word_rate"] == pytest.approx(len(words) / 8)
    for foundation in ("care", "fairness", "loyalty", "authority", "sanctity"):
        mean = sum(float(table[w][f"{foundation}_p"]) for w in words) / len(words)
        assert row[f"emfd_{foundation}_p"] == pytest.approx(mean)


def test_recasens_bias_lemmas_of_irregular_and_doubled_forms(with_external):
    # framing.lexicons.inflection.lemma_candidates: said/VBD -> say, tried/VBD -> try, both bias
    # lemmas (as is launch); "tried" needs the -ied rule, "said" the irregular table.
    # 4 word tokens: He said they tried.
    text = "He said they tried."
    assert _row(with_external, text)["recasens2013_bias_rate"] == pytest.approx(2 / 4)
    words = [c.words for c in with_external.explain(text) if c.category == "recasens2013_bias"]
    assert words == ["said", "tried"]


def test_mpqa_stemming_and_both_polarities(with_external):
    text = "He abused them and the abuses continued while they boasted."
    # 10 word tokens. abused/VBD: abuse (verb, stemmed) strongsubj negative; abuses/NNS: weaksubj
    # noun clue; boasted/VBD: boast (verb, stemmed), listed both positive and negative
    row = _row(with_external, text)
    assert row["mpqa_strong_subjective_rate"] == pytest.approx(2 / 10)
    assert row["mpqa_strong_negative_rate"] == pytest.approx(2 / 10)
    assert row["mpqa_strong_positive_rate"] == pytest.approx(1 / 10)
    assert row["mpqa_weak_subjective_rate"] == pytest.approx(1 / 10)  # abuses


def test_hu_liu_literal_asterisks(with_external):
    # tokens What the f * * k is this ?: 6 word tokens, f**k matches as a literal phrase
    assert _row(with_external, "What the f**k is this?")["hu_liu_negative_rate"] == pytest.approx(1 / 6)
    assert _row(with_external, "The bull market rose by 5 percent today.")["hu_liu_negative_rate"] == 0.0


def test_external_lexicons_need_a_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("FRAMING_LEXICONS", raising=False)
    with pytest.raises(FileNotFoundError, match="lexicon_dir is None and \\$FRAMING_LEXICONS is not set"):
        LoadedLanguageFeatures(external=("mpqa",)).fit()
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "hu_liu_opinion" / "positive-words.txt"))):
        LoadedLanguageFeatures(external=("hu_liu",), lexicon_dir=tmp_path).fit()
    LoadedLanguageFeatures().fit()  # the default needs no external folder


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"external": ("nope",)}, ValueError, "unknown external lexicon 'nope'"),
        ({"external": ("mpqa", "mpqa")}, ValueError, "twice"),
        ({"external": "mpqa"}, ValueError, "sequence of lexicon names"),
        ({"lexicon": {"violence": ["kill"]}}, TypeError, "Lexicon"),
        ({"scare_quote_max_words": 0}, ValueError, "scare_quote_max_words"),
        ({"lexicon": Lexicon("x", {"superlative": (("best",),)})}, ValueError, "clash.*superlative_rate"),
    ],
)
def test_bad_parameters_fail_at_fit(params, error, message):
    features = LoadedLanguageFeatures(**params)  # __init__ validates nothing
    with pytest.raises(error, match=message):
        features.fit()


# --------------------------------------------------------------------------- the scikit-learn contract

TRAIN = [
    ("The council approved the budget on Tuesday by seven votes to four.", 0),
    ("The measure will take effect in January, officials said.", 0),
    ("According to the report, unemployment fell to 4.1 percent.", 0),
    ("The company declined to comment on the closure.", 0),
    ("Rainfall in March was close to the long-term average.", 0),
    ("The mayor met union leaders for two hours.", 0),
    ("The bridge will be closed for repairs until May.", 0),
    ("Police said the road reopened at noon.", 0),
    ("The minister is expected to visit the plant next week.", 0),
    ("Turnout was 61 percent, the election board said.", 0),
    ("The museum reopened after a two-year renovation.", 0),
    ("Ticket prices rose by three percent.", 0),
    ("The committee will publish its findings in June.", 0),
    ("The trial is scheduled to begin in the autumn.", 0),
    ("Wake up, people! They are DESTROYING our country!", 1),
    ("These corrupt traitors clearly want to ruin everything we love.", 1),
    ("Everyone knows the so-called 'experts' are lying to you.", 1),
    ("Only a fool would believe their pathetic excuses!", 1),
    ("Our brave heroes will never surrender to these thugs!", 1),
    ("It is undeniably the worst betrayal in our history.", 1),
    ("Why should we trust a regime that lies every single day?", 1),
    ("The radical mob wants to tear down everything!", 1),
    ("This shameful cover-up proves they despise ordinary people.", 1),
    ("You either stand with us or you stand with the terrorists.", 1),
    ("The \"peace process\" is a brutal sham!", 1),
    ("The most corrupt regime in history keeps lying.", 1),
]
X_TRAIN = [t for t, _ in TRAIN]
Y_TRAIN = np.array([y for _, y in TRAIN])


def test_init_stores_parameters_only():
    lexicon = Lexicon("x", {"a": (("b",),)})
    features = LoadedLanguageFeatures(lexicon=lexicon, external=("mpqa",), lexicon_dir="/nowhere", scare_quote_max_words=2)
    assert features.get_params() == {
        "lexicon": lexicon, "external": ("mpqa",), "lexicon_dir": "/nowhere", "scare_quote_max_words": 2,
    }
    assert set(vars(features)) == {"lexicon", "external", "lexicon_dir", "scare_quote_max_words"}


def test_clone_and_fit_keep_parameters():
    features = LoadedLanguageFeatures(scare_quote_max_words=2)
    before = features.get_params()
    features.fit(X_TRAIN)
    assert features.get_params() == before
    twin = clone(features)
    assert twin.get_params() == before and not hasattr(twin, "feature_names_out_")


def test_not_fitted():
    with pytest.raises(NotFittedError):
        LoadedLanguageFeatures().transform(X_TRAIN)
    with pytest.raises(NotFittedError):
        LoadedLanguageFeatures().explain("text")


def test_pickle_round_trip(with_external):
    X = with_external.transform(X_TRAIN)
    restored = pickle.loads(pickle.dumps(with_external))
    assert np.array_equal(restored.transform(X_TRAIN), X)
    assert restored.explain_many(X_TRAIN) == with_external.explain_many(X_TRAIN)


def test_names_match_columns(loaded):
    X = loaded.transform(X_TRAIN)
    assert X.shape == (len(X_TRAIN), len(loaded.get_feature_names_out())) == (len(X_TRAIN), 15)


def test_single_string_is_rejected(loaded):
    with pytest.raises(ValueError, match="string object received"):
        loaded.transform("The corrupt regime.")


def test_pipeline_union_and_grid_search():
    pipe = Pipeline([("f", LoadedLanguageFeatures()), ("clf", LogisticRegression())]).fit(X_TRAIN, Y_TRAIN)
    assert pipe.score(X_TRAIN, Y_TRAIN) > 0.5
    union = FeatureUnion([("tfidf", TfidfVectorizer()), ("loaded", LoadedLanguageFeatures())])
    X = union.fit_transform(X_TRAIN)
    assert X.shape[1] == len(union.get_feature_names_out())
    assert sum(n.startswith("loaded__loaded__") for n in union.get_feature_names_out()) == 15
    search = GridSearchCV(pipe, {"f__scare_quote_max_words": [1, 3]}, cv=2).fit(X_TRAIN, Y_TRAIN)
    assert len(search.cv_results_["params"]) == 2
    assert search.best_estimator_.named_steps["f"].scare_quote_max_words in (1, 3)


# --------------------------------------------------------------------------- PTC-2020 sentences


@pytest.mark.corpus
@pytest.mark.parametrize("external", [(), ALL_EXTERNAL], ids=["default", "all_external"])
def test_fast_path_equals_explained_path_on_ptc(shared_data, request, external):
    """On real sentences, transform's shortcuts give exactly the explained counts."""
    lexicon_dir = request.getfixturevalue("lexicon_dir") if external else None
    texts = []
    for path in sorted((shared_data / "ptc_semeval2020" / "train-articles").glob("article*.txt"))[:12]:
        texts += [line for line in path.read_bytes().decode("utf-8").split("\n") if line.strip()]
    assert len(texts) > 300
    features = LoadedLanguageFeatures(external=external, lexicon_dir=lexicon_dir).fit()
    X = features.transform(texts)
    explained = np.array([features._featurize(a, t, True)[0] for a, t in zip(annotate(texts), texts)])
    assert np.array_equal(X, explained)
    assert (X[:, :8] > 0).any(axis=0).all()  # every loaded.tsv category fires somewhere

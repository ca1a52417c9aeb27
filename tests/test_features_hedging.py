"""HedgingFeatures: exact values on hand-written sentences, cues, lexicon loading and errors.

Word counts in the comments are NLTK word tokens (tokens with a letter or
digit); punctuation tokens are not counted.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from framing.features.hedging import (
    EXTERNAL_CATEGORIES,
    PROJECT_CATEGORIES,
    HedgingFeatures,
    load_external_lexicon,
)
from framing.lexicons.external import entry_tokens
from framing.lexicons.lexicon import Lexicon, read_project_lexicon
from framing.resources import package_lexicon_dir

needs_project_lexicon = pytest.mark.skipif(
    not (package_lexicon_dir() / "hedging.tsv").is_file(), reason="framing/lexicons/hedging.tsv not written yet"
)


def _lexicon_dir() -> Path | None:
    env = os.environ.get("FRAMING_LEXICONS")
    if env:
        return Path(env)
    data = os.environ.get("FRAMING_DATA")
    if data and (Path(data).parent / "lexicons").is_dir():
        return Path(data).parent / "lexicons"  # the shared layout: lexicons/ next to data/
    return None


LEXICON_DIR = _lexicon_dir()
needs_external = pytest.mark.skipif(
    LEXICON_DIR is None or not LEXICON_DIR.is_dir(),
    reason="external lexicons not found: set FRAMING_LEXICONS (or FRAMING_DATA with lexicons/ beside it)",
)


def _row(features: HedgingFeatures, text: str) -> dict[str, float]:
    names = [n.split("__", 1)[1] for n in features.get_feature_names_out()]
    return dict(zip(names, features.transform([text])[0]))


def _expect(row: dict[str, float], **nonzero: float) -> None:
    """Every feature equals the expected value; those not named are 0."""
    for name, value in row.items():
        assert value == pytest.approx(nonzero.get(name, 0.0)), name
    assert set(nonzero) <= set(row)


# --------------------------------------------------------------------------- the project lexicon


@needs_project_lexicon
def test_project_lexicon_has_exactly_the_documented_categories():
    lexicon = read_project_lexicon("hedging")
    assert set(lexicon.categories) == set(PROJECT_CATEGORIES)
    assert all(lexicon.categories[c] for c in PROJECT_CATEGORIES)


@needs_project_lexicon
@pytest.mark.nltk
def test_project_lexicon_terms_are_nltk_tokens():
    # Terms must be written as NLTKWordTokenizer splits running text, or they never match.
    lexicon = read_project_lexicon("hedging")
    wrong = [
        (category, term)
        for category, terms in lexicon.categories.items()
        for term in terms
        if not any(t.endswith("*") for t in term) and entry_tokens(" ".join(term)) != term
    ]
    assert wrong == []


@pytest.fixture(scope="module")
def hedging(nltk_data):
    if not (package_lexicon_dir() / "hedging.tsv").is_file():
        pytest.skip("framing/lexicons/hedging.tsv not written yet")
    return HedgingFeatures().fit()


def test_feature_names(hedging):
    assert list(hedging.get_feature_names_out()) == [
        "hedging__hedge_rate",
        "hedging__booster_rate",
        "hedging__epistemic_modal_rate",
        "hedging__report_neutral_rate",
        "hedging__report_loaded_rate",
        "hedging__sourcing_count",
        "hedging__weasel_count",
        "hedging__conditional_count",
    ]


def test_two_hedges_and_an_epistemic_modal(hedging):
    # The "This might possibly suggest ..." (two hedges): "possibly" and
    # "suggest" are hedges; "might" (tagged MD) is counted in its own category,
    # epistemic_modal, not as a third hedge.
    # Words: This might possibly suggest that the plan failed = 8.
    text = "This might possibly suggest that the plan failed."
    _expect(_row(hedging, text), hedge_rate=2 / 8, epistemic_modal_rate=1 / 8)
    cues = [(c.category, c.start, c.end, c.words) for c in hedging.explain(text)]
    assert cues == [
        ("epistemic_modal", 5, 10, "might"),
        ("hedge", 11, 19, "possibly"),
        ("hedge", 20, 27, "suggest"),
    ]


def test_according_to_officials_is_one_sourcing_cue(hedging):
    # Words: According to officials the talks failed = 6; the phrase is one cue.
    text = "According to officials, the talks failed."
    _expect(_row(hedging, text), sourcing_count=1)
    [cue] = hedging.explain(text)
    assert (cue.category, cue.start, cue.end, cue.words) == ("sourcing", 0, 12, "According to")
    assert cue.source == "project:hedging"


def test_accordingly_does_not_fire_according_to(hedging):
    _expect(_row(hedging, "Accordingly, the talks failed."))
    assert hedging.explain("Accordingly, the talks failed.") == []


def test_epistemic_modal_needs_the_md_tag(hedging):
    # "May" the month is tagged NNP and does not count; "may" (MD) does.
    # Words: In May we may go = 5.
    text = "In May, we may go."
    _expect(_row(hedging, text), epistemic_modal_rate=1 / 5)
    assert [(c.category, c.start, c.words) for c in hedging.explain(text)] == [("epistemic_modal", 11, "may")]


def test_weasel_phrases_and_categories_matched_independently(hedging):
    # Words: Some say experts believe it = 5. Two weasel phrases; "say" inside
    # "some say" still counts as a neutral report verb (categories are separate).
    text = "Some say experts believe it."
    _expect(_row(hedging, text), weasel_count=2, report_neutral_rate=1 / 5)
    cues = [(c.category, c.start, c.end, c.words) for c in hedging.explain(text)]
    assert cues == [
        ("weasel", 0, 8, "Some say"),
        ("report_neutral", 5, 8, "say"),
        ("weasel", 9, 24, "experts believe"),
    ]


def test_conditionals(hedging):
    # Words: If it rains unless told otherwise we stay = 8.
    text = "If it rains, unless told otherwise, we stay."
    _expect(_row(hedging, text), conditional_count=3, report_neutral_rate=1 / 8)


def test_a_term_in_two_categories_counts_for_both(hedging):
    # "alleged" is a hedge and a loaded report verb. Words: The alleged plot failed = 4.
    text = "The alleged plot failed."
    _expect(_row(hedging, text), hedge_rate=1 / 4, report_loaded_rate=1 / 4)
    assert sorted(c.category for c in hedging.explain(text)) == ["hedge", "report_loaded"]


def test_revision_on_train_sort_of_and_charged_are_no_cues(hedging):
    # DATASHEET.md 5.3: "sort of" (mostly "this sort of behavior") and "charged" (mostly
    # the legal "charged with") were removed. Words: He was charged with this sort of fraud = 8.
    _expect(_row(hedging, "He was charged with this sort of fraud."))
    assert hedging.explain("He was charged with this sort of fraud.") == []


def test_booster_phrases(hedging):
    # Words: It is clear that he lied in fact = 8; "It is clear", "in fact".
    text = "It is clear that he lied, in fact."
    _expect(_row(hedging, text), booster_rate=2 / 8)
    cues = [(c.category, c.start, c.end, c.words) for c in hedging.explain(text)]
    assert cues == [("booster", 0, 11, "It is clear"), ("booster", 26, 33, "in fact")]


def test_attribution_sourcing_and_hedge(hedging):
    # Words: He said the report was in a statement unclear = 9.
    text = "He said the report was, in a statement, unclear."
    _expect(_row(hedging, text), report_neutral_rate=1 / 9, sourcing_count=1, hedge_rate=1 / 9)
    cues = [(c.category, c.words) for c in hedging.explain(text)]
    assert cues == [("report_neutral", "said"), ("sourcing", "in a statement"), ("hedge", "unclear")]


def test_no_words_gives_zeros(hedging):
    X = hedging.transform(["", "...", "!!"])
    assert X.shape == (3, 8)
    assert not X.any()


def test_explain_offsets_and_counts_agree_with_transform(hedging, assert_cues_match_features):
    texts = [
        "This might possibly suggest that the plan failed.",
        "He couldn't say, in my view, what he knew; they pointed out that officials said so.",
        "Critics say the so-called experts clearly claimed, according to sources, that it seems likely.",
        "If officials told reporters anything, it is believed to be unverified.",
    ]
    assert assert_cues_match_features(hedging, texts) >= 15


@pytest.mark.corpus
def test_cues_match_features_on_ptc_sentences(shared_data, hedging, assert_cues_match_features):
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
    assert assert_cues_match_features(hedging, texts) > 100


# --------------------------------------------------------------------------- errors and parameters


@pytest.mark.nltk
def test_parameter_errors():
    with pytest.raises(ValueError, match="unknown external lexicon"):
        HedgingFeatures(external=("nope",), lexicon=Lexicon("t", {})).fit()
    with pytest.raises(ValueError, match="not a string"):
        HedgingFeatures(external="wooorm", lexicon=Lexicon("t", {})).fit()
    with pytest.raises(ValueError, match="twice"):
        HedgingFeatures(external=("wooorm", "wooorm"), lexicon=Lexicon("t", {})).fit()
    with pytest.raises(ValueError, match="unknown categories"):
        HedgingFeatures(lexicon=Lexicon("t", {"hedges": (("maybe",),)})).fit()
    with pytest.raises(TypeError, match="lexicon must be"):
        HedgingFeatures(lexicon=42).fit()


def test_missing_lexicon_folder_names_parameter_and_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("FRAMING_LEXICONS", raising=False)
    with pytest.raises(FileNotFoundError, match="FRAMING_LEXICONS") as err:
        HedgingFeatures(external=("wooorm",), lexicon=Lexicon("t", {})).fit()
    assert "lexicon_dir" in str(err.value)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        HedgingFeatures(external=("wooorm",), lexicon=Lexicon("t", {}), lexicon_dir=tmp_path / "none").fit()
    expected = tmp_path / "wooorm_hedges_weasels_fillers" / "hedges.txt"
    with pytest.raises(FileNotFoundError, match="not found") as err:
        HedgingFeatures(external=("wooorm",), lexicon=Lexicon("t", {}), lexicon_dir=tmp_path).fit()
    assert str(expected) in str(err.value)


def test_lexicon_from_a_path(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("term\tcategory\nperhaps\thedge\nsome say\tweasel\n", encoding="utf-8")
    features = HedgingFeatures(lexicon=str(path)).fit()
    assert features.lexicon_.categories == {"hedge": (("perhaps",),), "weasel": (("some", "say"),)}


@pytest.mark.nltk
def test_small_lexicon_without_some_categories_gives_zero_columns():
    lexicon = Lexicon("t", {"hedge": (("possib*",),), "sourcing": (("according", "to"),)})
    features = HedgingFeatures(lexicon=lexicon).fit()
    # Words: Possibly according to him it works = 6.
    row = _row(features, "Possibly, according to him, it works.")
    _expect(row, hedge_rate=1 / 6, sourcing_count=1)


# --------------------------------------------------------------------------- the MD-tag rule (a filter on the matcher's matches)


@pytest.mark.nltk
def test_matches_starting_with_a_modal_need_the_md_tag_in_every_category():
    lexicon = Lexicon("t", {"hedge": (("may",), ("could", "n't")), "epistemic_modal": (("maybe",),)})
    features = HedgingFeatures(lexicon=lexicon).fit()
    # "May" the month (NNP) is no hedge; "may" (MD) is. Words: In May we may go = 5.
    assert _row(features, "In May, we may go.")["hedge_rate"] == pytest.approx(1 / 5)
    # A phrase starting with a modal counts when the modal is tagged MD. Words: He could n't go = 4.
    assert _row(features, "He couldn't go.")["hedge_rate"] == pytest.approx(1 / 4)
    # The epistemic_modal category counts only MD tokens, even for a word that is no modal
    # ("maybe" is RB). Words: Maybe = 1.
    assert _row(features, "Maybe.")["epistemic_modal_rate"] == 0


# --------------------------------------------------------------------------- external lexicons


@needs_external
def test_external_lexicons_load():
    sizes = {}
    for name in EXTERNAL_CATEGORIES:
        lexicon = load_external_lexicon(name, LEXICON_DIR)
        assert lexicon.name == name
        assert tuple(lexicon.categories) == EXTERNAL_CATEGORIES[name]
        sizes[name] = {c: len(t) for c, t in lexicon.categories.items()}
    assert sizes["hyland_hedges"] == {"hedge": 100}
    assert sizes["wooorm"] == {"hedge": 162, "weasel": 116}
    assert sizes["islam2020"]["booster"] == 128
    # Contractions are split as NLTK splits text.
    hyland = load_external_lexicon("hyland_hedges", LEXICON_DIR).categories["hedge"]
    assert ("could", "n't") in hyland and ("in", "my", "view") in hyland
    verbs = load_external_lexicon("recasens_verbs", LEXICON_DIR).categories
    assert ("said",) in verbs["report_verb"] and ("pointed", "out") in verbs["assertive"]
    assert ("odd",) in verbs["factive"] and ("odded",) not in verbs["factive"]


@needs_external
@needs_project_lexicon
@pytest.mark.nltk
def test_external_features_exact_values():
    features = HedgingFeatures(external=tuple(EXTERNAL_CATEGORIES), lexicon_dir=str(LEXICON_DIR)).fit()
    names = [n.split("__", 1)[1] for n in features.get_feature_names_out()]
    assert names[8:] == [
        "hyland_hedges_hedge_rate",
        "islam2020_hedge_rate",
        "islam2020_booster_rate",
        "wooorm_hedge_rate",
        "wooorm_weasel_rate",
        "recasens_verbs_factive_rate",
        "recasens_verbs_assertive_rate",
        "recasens_verbs_implicative_rate",
        "recasens_verbs_report_verb_rate",
    ]
    # Words: He could n't say in my view what he knew they pointed out that officials said so = 17.
    text = "He couldn't say, in my view, what he knew; they pointed out that officials said so."
    row = _row(features, text)
    # hyland: "couldn't" (longer than "could", same category), "in my view"
    assert row["hyland_hedges_hedge_rate"] == pytest.approx(2 / 17)
    # islam2020: the modal "could"
    assert row["islam2020_hedge_rate"] == pytest.approx(1 / 17)
    assert row["islam2020_booster_rate"] == 0
    # wooorm hedges: could, say, in my view; weasels: could, knew, that, so
    assert row["wooorm_hedge_rate"] == pytest.approx(3 / 17)
    assert row["wooorm_weasel_rate"] == pytest.approx(4 / 17)
    # recasens (lemmas, matched in all forms): know -> knew (factive); say, point out
    # -> "pointed out" (one match, not also "point"), say -> said (assertive, report)
    assert row["recasens_verbs_factive_rate"] == pytest.approx(1 / 17)
    assert row["recasens_verbs_assertive_rate"] == pytest.approx(3 / 17)
    assert row["recasens_verbs_report_verb_rate"] == pytest.approx(3 / 17)
    assert row["recasens_verbs_implicative_rate"] == 0
    cue = [c for c in features.explain(text) if c.category == "hyland_hedges_hedge"][0]
    assert (cue.start, cue.end, cue.words, cue.source) == (3, 11, "couldn't", "hyland_hedges")
    # Islam's epistemic verbs are matched inflected; "May" the month is no modal.
    # Words: In May she suggested as experts noted that it seems likely = 11.
    row = _row(features, "In May, she suggested, as experts noted, that it seems likely.")
    assert row["islam2020_hedge_rate"] == pytest.approx(3 / 11)
    assert row["hyland_hedges_hedge_rate"] == pytest.approx(3 / 11)


@needs_external
@needs_project_lexicon
@pytest.mark.nltk
def test_lexicon_dir_from_environment(monkeypatch):
    monkeypatch.setenv("FRAMING_LEXICONS", str(LEXICON_DIR))
    features = HedgingFeatures(external=("hyland_hedges",)).fit()
    assert features.get_feature_names_out()[-1] == "hedging__hyland_hedges_hedge_rate"
    assert np.allclose(features.transform(["Perhaps."]), [[1, 0, 0, 0, 0, 0, 0, 0, 1]])

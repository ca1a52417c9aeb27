"""The run and analysis reports' presentation: technique colours, figure labels, the article summary.

Colours: one fixed palette keyed by technique name, the same in every report,
every pair of a corpus's label set far apart in CIEDE2000 (``coloraide``, the
``dev`` extra). Figures: the class name where scikit-learn would write ``1``.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from framing.data.techniques import PTC2019_TECHNIQUES, SEMEVAL2020_TECHNIQUES, SEMEVAL2023_TECHNIQUES
from framing.report import html as rh
from framing.report.figures import (
    FEATURE_LABEL_SIZE,
    precision_recall_figure,
    top_features,
    top_features_figure,
)

LABEL_SETS = {"ptc2019": PTC2019_TECHNIQUES, "ptc2020": SEMEVAL2020_TECHNIQUES, "semeval2023": SEMEVAL2023_TECHNIQUES}
#: The smallest CIEDE2000 distance between two techniques' colours of one corpus (about 2.3 is a
#: just-noticeable difference side by side; 10 is clearly another colour on a small badge).
MIN_DELTA_E = 10.0


def test_label_sets_have_the_sizes_of_the_corpora():
    assert {k: len(v) for k, v in LABEL_SETS.items()} == {"ptc2019": 18, "ptc2020": 14, "semeval2023": 23}


@pytest.mark.parametrize("corpus", sorted(LABEL_SETS))
def test_every_technique_has_a_fixed_colour_far_from_the_others(corpus):
    coloraide = pytest.importorskip("coloraide", reason="coloraide (the dev extra) measures CIEDE2000")
    labels = LABEL_SETS[corpus]
    assert all(rh.technique_key(t) in rh.TECHNIQUE_COLOURS for t in labels)  # none falls back to a hash
    colours = {t: rh.technique_colour(t) for t in labels}
    assert len(set(colours.values())) == len(labels)
    distances = {(a, b): coloraide.Color(colours[a]).delta_e(colours[b], method="2000")
                 for a, b in itertools.combinations(labels, 2)}
    closest = min(distances, key=distances.get)
    assert distances[closest] >= MIN_DELTA_E, f"{closest}: {distances[closest]:.1f}"
    for t in labels:  # light enough for the badges' dark text, and not lost on the white page
        lab = coloraide.Color(colours[t]).convert("lab-d65")
        assert lab["lightness"] >= 70
        assert coloraide.Color(colours[t]).delta_e("white", method="2000") >= MIN_DELTA_E


def test_the_whole_palette_is_far_apart():
    coloraide = pytest.importorskip("coloraide", reason="coloraide (the dev extra) measures CIEDE2000")
    values = list(rh.TECHNIQUE_COLOURS.values())
    assert len(set(values)) == len(values)
    smallest = min(coloraide.Color(a).delta_e(b, method="2000") for a, b in itertools.combinations(values, 2))
    assert smallest >= MIN_DELTA_E


def test_colour_depends_on_the_name_alone_not_on_the_page():
    one = rh.technique_colours(["Doubt", "Loaded_Language"])
    other = rh.technique_colours(["Whataboutism", "Appeal_to_Authority", "Slogans", "Doubt", "Repetition"])
    assert one["Doubt"] == other["Doubt"] == rh.TECHNIQUE_COLOURS["doubt"]
    # the same technique under each release's spelling
    assert rh.technique_colour("Flag-Waving") == rh.technique_colour("Flag_Waving")
    assert rh.technique_colour("Exaggeration,Minimisation") == rh.technique_colour("Exaggeration-Minimisation")
    assert rh.technique_colour("Black-and-White_Fallacy") == rh.technique_colour("False_Dilemma-No_Choice")
    assert rh.technique_colour("Doubt") != rh.technique_colour("Loaded_Language")


def test_an_unknown_label_gets_a_deterministic_colour_from_a_hash():
    colour = rh.technique_colour("Some_New_Technique")
    assert re.fullmatch(r"#[0-9a-f]{6}", colour)
    assert colour == rh.technique_colour("Some_New_Technique") == rh.hashed_colour("Some_New_Technique")


def _page(techniques):
    text = "One sentence here."
    sentence = rh.SentenceView(0, len(text), 0.7, [(t, 0.6) for t in techniques])
    return rh.render_html([rh.ArticleView("a", text, [sentence])])


def _badge_colours(page: str) -> dict[str, str]:
    return dict((name, colour) for colour, name in
                re.findall(r'<span class="badge" style="background:(#[0-9a-f]{6})">([^<]+)</span>', page))


def test_two_reports_colour_a_technique_alike():
    first = _badge_colours(_page(["Doubt", "Appeal_to_Authority"]))
    second = _badge_colours(_page(["Bandwagon", "Causal_Oversimplification", "Doubt", "Slogans"]))
    assert first["Doubt"] == second["Doubt"]
    assert len(set(second.values())) == 4


def test_article_notices_are_shown_escaped():
    text = "Texte."
    view = rh.ArticleView("a", text, [rh.SentenceView(0, len(text))],
                          notices=[("warning", "not <English>"), ("caveat", "weak labels")])
    page = rh.render_html([view])
    assert '<p class="notice warning"><strong>warning:</strong> not &lt;English&gt;</p>' in page
    assert '<p class="notice caveat"><strong>caveat:</strong> weak labels</p>' in page


# --------------------------------------------------------------------------- figures


def _binary_pipeline():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    names = FunctionTransformer(feature_names_out=lambda self, names: np.array(["alpha", "beta", "gamma"]))
    return Pipeline([("features", names), ("clf", LogisticRegression())]).fit(X, y), X, y


def test_top_features_of_a_binary_model_are_titled_with_the_class_name():
    pipeline, _, _ = _binary_pipeline()
    rows = top_features(pipeline, k=2, class_names=["not propaganda", "propaganda"])
    assert {r["class"] for r in rows} == {"propaganda"}
    fig = top_features_figure(rows)
    ax = fig.axes[0]
    assert ax.get_title() == "strongest weights for class 'propaganda'"
    assert all(label.get_fontsize() >= FEATURE_LABEL_SIZE for label in ax.get_yticklabels())
    assert FEATURE_LABEL_SIZE >= 9


def test_precision_recall_names_the_positive_class():
    _, X, y = _binary_pipeline()
    fig = precision_recall_figure(y, X[:, 0], "dev: precision-recall", "propaganda")
    ax = fig.axes[0]
    assert "propaganda" in ax.get_xlabel() and "propaganda" in ax.get_ylabel()
    assert "Positive label: 1" not in ax.get_xlabel() + ax.get_ylabel()


def test_the_run_reports_row_count_says_what_a_row_is():
    from framing.report.views import _rows_label
    from framing.tasks import SITask, SLCTask

    assert _rows_label(SLCTask()) == "rows (sentences)"
    assert _rows_label(SITask()) == "rows (tokens)"

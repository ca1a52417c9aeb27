"""TextShapeFeatures: exact values, repetition counts, and the scikit-learn contract."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from framing.features.shape import FEATURES, TextShapeFeatures, repeat_count, repeat_counts


def frame(texts, repeats):
    return pd.DataFrame({"text": texts, "repeats": repeats})


def test_repeat_count_is_case_and_whitespace_insensitive():
    article = "Stop the war!\nThey said: stop the\nwar. STOP THE WAR now."
    assert repeat_count("stop the war", article) == 2  # three occurrences, minus the span itself
    assert repeat_count("peace", article) == 0
    assert repeat_count("   ", article) == 0
    assert repeat_counts(["stop the war", "peace", "   "], article) == [2, 0, 0]  # one normalisation per article


def test_exact_values():
    X = frame(['"Make America great again!"', "Why would anyone believe the NATO claims, or the UN?"], [2, 0])
    out = TextShapeFeatures().fit().transform(X)
    assert out.shape == (2, len(FEATURES))
    first = dict(zip(FEATURES, out[0]))
    assert first["log_chars"] == pytest.approx(math.log1p(27))
    assert first["log_words"] == pytest.approx(math.log1p(4))
    assert first["log_repeats"] == pytest.approx(math.log1p(2)) and first["repeated"] == 1
    assert (first["question"], first["exclamation"], first["quoted"]) == (0, 1, 1)
    assert first["capitalised_share"] == pytest.approx(2 / 4)  # "Make, "America"
    second = dict(zip(FEATURES, out[1]))
    assert (second["question"], second["quoted"], second["repeated"], second["commas"]) == (1, 0, 0, 1)
    assert second["all_caps_share"] == pytest.approx(2 / 10)  # NATO, UN of 10 words
    assert second["capitalised_share"] == pytest.approx(3 / 10)  # Why, NATO, UN


def test_contract():
    est = TextShapeFeatures()
    with pytest.raises(NotFittedError):
        est.transform(frame(["a"], [0]))
    assert clone(est).get_params() == est.get_params()
    X = frame(["One short one.", "A much longer sentence, with a comma!"], [0, 1])
    fitted = est.fit(X)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(fitted.transform(X), again.transform(X))
    assert len(fitted.get_feature_names_out()) == fitted.transform(X).shape[1]
    assert all(n.startswith("shape__") for n in fitted.get_feature_names_out())
    Pipeline([("f", TextShapeFeatures()), ("clf", LogisticRegression())]).fit(X, [0, 1]).predict(X)
    with pytest.raises(ValueError, match="repeats"):
        fitted.transform(pd.DataFrame({"text": ["no repeats column"]}))

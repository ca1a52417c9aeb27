"""The scikit-learn contract every feature family keeps (see ``framing/features/base.py``).

``check_estimator`` skips raw-text estimators, so the contract is tested by
hand: parameters stored unchanged, clone, NotFittedError, pickling, feature
names, Pipeline / FeatureUnion / GridSearchCV, input validation and cue
offsets. Families not written yet are skipped. Family-specific exact values
live in ``tests/test_features_<family>.py``.
"""

from __future__ import annotations

import inspect
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import FeatureUnion, Pipeline

from framing.lexicons.lexicon import Lexicon

pytestmark = [
    pytest.mark.nltk,
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

FAMILIES = [
    ("framing.features.agency", "AgencyFeatures"),
    ("framing.features.loaded", "LoadedLanguageFeatures"),
    ("framing.features.hedging", "HedgingFeatures"),
    ("framing.features.style", "StyleFeatures"),
]

#: A real two-value grid for the families whose parameters this file knows.
GRIDS = {
    "HedgingFeatures": {
        "f__lexicon": [None, Lexicon("small", {"hedge": (("perhaps",), ("may*",)), "sourcing": (("according", "to"),)})]
    },
    "StyleFeatures": {"f__ttr_window": [None, 5]},
}

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "train"

#: Used when the demo corpus is absent: propaganda-like (1) and neutral (0) sentences.
WRITTEN = [
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
    ("Researchers found that the new filter may reduce lead levels.", 0),
    ("The trial is scheduled to begin in the autumn.", 0),
    ("Some analysts say the figures might possibly be revised.", 0),
    ("The museum reopened after a two-year renovation.", 0),
    ("Ticket prices rose by three percent.", 0),
    ("The committee will publish its findings in June.", 0),
    ("Wake up, people! They are DESTROYING our country!", 1),
    ("These corrupt traitors clearly want to ruin everything we love.", 1),
    ("Everyone knows the so-called experts are lying to you.", 1),
    ("Mistakes were made, and the elites will never admit it.", 1),
    ("Only a fool would believe their pathetic excuses!", 1),
    ("Our brave heroes will never surrender to these thugs!", 1),
    ("It is undeniably the worst betrayal in our history.", 1),
    ("If we do nothing, our children will pay the price.", 1),
    ("Why should we trust a regime that lies every single day?", 1),
    ("The radical mob wants to tear down everything!", 1),
    ("Make our nation great and strong again!", 1),
    ("They claimed it was safe, but we all know the truth.", 1),
    ("Critics argue this disastrous plan is a total catastrophe.", 1),
    ("Enough is enough: stand up and fight for your freedom!", 1),
    ("This shameful cover-up proves they despise ordinary people.", 1),
    ("You either stand with us or you stand with the terrorists.", 1),
]


def _demo_sentences(max_articles: int = 6) -> list[tuple[str, int]]:
    """Sentences (non-blank lines) of the first demo articles, 1 when a span overlaps them."""
    rows = []
    for text_path in sorted(DEMO.glob("article*.txt"))[:max_articles]:
        text = text_path.read_bytes().decode("utf-8")
        label_path = text_path.with_name(text_path.name.replace(".txt", ".labels.tsv"))
        spans = []
        if label_path.exists():
            for line in label_path.read_bytes().decode("utf-8").splitlines():
                if line.strip():
                    _, _, start, end = line.split("\t")
                    spans.append((int(start), int(end)))
        for match in re.finditer(r"[^\n]+", text):
            if match.group().strip():
                label = int(any(s < match.end() and match.start() < e for s, e in spans))
                rows.append((match.group(), label))
    return rows


def _sentences() -> tuple[list[str], np.ndarray]:
    rows = _demo_sentences() if DEMO.is_dir() else []
    if len({label for _, label in rows}) < 2 or min(sum(l for _, l in rows), sum(1 - l for _, l in rows)) < 4:
        rows = WRITTEN
    return [t for t, _ in rows], np.array([label for _, label in rows])


X_TEXT, Y = _sentences()


@pytest.fixture(params=FAMILIES, ids=[name for _, name in FAMILIES])
def family(request):
    module_name, class_name = request.param
    module = pytest.importorskip(module_name, reason=f"{module_name} is not written yet")
    cls = getattr(module, class_name, None)
    if cls is None:
        pytest.skip(f"{module_name}.{class_name} is not written yet")
    return cls


@pytest.fixture
def fitted(family):
    return family().fit(X_TEXT)


def test_there_are_enough_sentences_of_both_classes():
    assert len(X_TEXT) >= 24
    assert 4 <= Y.sum() <= len(Y) - 4


def test_init_only_stores_keyword_parameters(family):
    signature = inspect.signature(family.__init__)
    for name, parameter in list(signature.parameters.items())[1:]:
        assert parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY), name
        assert parameter.default is not parameter.empty, f"{name} has no default"
    estimator = family()
    params = estimator.get_params(deep=False)
    assert set(vars(estimator)) == set(params)
    for name, value in params.items():
        assert value is signature.parameters[name].default
    assert isinstance(family.family, str) and family.family


def test_clone_and_fit_leave_parameters_unchanged(family):
    estimator = family()
    before = estimator.get_params(deep=False)
    fitted = estimator.fit(X_TEXT[:5])
    after = fitted.get_params(deep=False)
    assert set(before) == set(after)
    for name in before:
        assert after[name] is before[name], name
    fresh = clone(fitted)
    assert not hasattr(fresh, "feature_names_out_")
    assert fresh.get_params(deep=False).keys() == before.keys()


def test_not_fitted_error(family):
    estimator = family()
    with pytest.raises(NotFittedError):
        estimator.transform(X_TEXT[:2])
    with pytest.raises(NotFittedError):
        estimator.get_feature_names_out()
    with pytest.raises(NotFittedError):
        estimator.explain(X_TEXT[0])


def test_feature_names_match_columns(fitted):
    X = fitted.transform(X_TEXT)
    names = fitted.get_feature_names_out()
    assert X.shape == (len(X_TEXT), len(names))
    assert X.dtype == np.float64
    assert np.isfinite(X).all()
    assert len(set(names)) == len(names)
    assert all(name.startswith(f"{fitted.family}__") for name in names)
    # fitting on other data, or none, gives the same transformer
    assert np.array_equal(type(fitted)().fit().transform(X_TEXT), X)


def test_pickle_round_trip(fitted):
    X = fitted.transform(X_TEXT)
    restored = pickle.loads(pickle.dumps(fitted))
    assert np.array_equal(restored.transform(X_TEXT), X)
    assert list(restored.get_feature_names_out()) == list(fitted.get_feature_names_out())
    assert restored.explain_many(X_TEXT[:10]) == fitted.explain_many(X_TEXT[:10])


def test_single_string_or_non_strings_raise(fitted):
    with pytest.raises(ValueError):
        fitted.transform("one string is not a list of sentences")
    with pytest.raises(ValueError):
        fitted.explain_many("one string")
    with pytest.raises(ValueError):
        fitted.transform(["ok", 3])


def test_accepts_series_and_one_column_frame(fitted):
    pd = pytest.importorskip("pandas")
    X = fitted.transform(X_TEXT[:6])
    assert np.array_equal(fitted.transform(pd.Series(X_TEXT[:6])), X)
    assert np.array_equal(fitted.transform(pd.DataFrame({"text": X_TEXT[:6]})), X)


def test_explain_cues_have_exact_offsets(fitted):
    n_cues = 0
    for text, cues in zip(X_TEXT, fitted.explain_many(X_TEXT)):
        assert cues == sorted(cues, key=lambda c: (c.start, c.end, c.category))
        for cue in cues:
            assert cue.family == fitted.family
            assert 0 <= cue.start < cue.end <= len(text)
            assert text[cue.start : cue.end] == cue.words
        n_cues += len(cues)
    assert n_cues > 0


def test_sklearn_tags(family):
    tags = family().__sklearn_tags__()
    assert tags.input_tags.string
    assert tags.requires_fit


def test_in_pipeline(family):
    pipe = Pipeline([("f", family()), ("clf", LogisticRegression())])
    pipe.fit(X_TEXT, Y)
    assert pipe.predict(X_TEXT).shape == (len(X_TEXT),)
    assert pipe.predict_proba(X_TEXT[:3]).shape == (3, 2)


def test_in_feature_union_with_tfidf(family):
    union = FeatureUnion([("tfidf", TfidfVectorizer()), ("f", family())])
    X = union.fit_transform(X_TEXT)
    names = union.get_feature_names_out()
    n_family = len(family().fit().get_feature_names_out())
    assert X.shape == (len(X_TEXT), len(names))
    assert sum(name.startswith(f"f__{family.family}__") for name in names) == n_family
    pipe = Pipeline([("union", union), ("clf", LogisticRegression())]).fit(X_TEXT, Y)
    assert pipe.score(X_TEXT, Y) > 0


def test_in_grid_search(family):
    pipe = Pipeline([("f", family()), ("clf", LogisticRegression())])
    grid = GRIDS.get(family.__name__)
    if grid is None:
        # Unknown parameters: set each to its default (exercises set_params + clone) and vary C.
        grid = {f"f__{k}": [v] for k, v in family().get_params(deep=False).items()}
        grid["clf__C"] = [0.1, 1.0]
    search = GridSearchCV(pipe, grid, cv=2).fit(X_TEXT, Y)
    assert set(search.best_params_) == set(grid)
    assert len(search.cv_results_["params"]) == int(np.prod([len(v) for v in grid.values()]))
    assert search.predict(X_TEXT[:4]).shape == (4,)


# --------------------------------------------------------------------------- Hydra configs (conf/features)

CONFIG_OF = {"AgencyFeatures": "agency", "LoadedLanguageFeatures": "loaded", "HedgingFeatures": "hedging",
             "StyleFeatures": "style"}


def test_config_exposes_every_parameter_with_its_default(family, monkeypatch):
    from framing.config import compose
    from framing.models import instantiate_estimator, to_python

    monkeypatch.delenv("FRAMING_LEXICONS", raising=False)
    name = CONFIG_OF[family.__name__]
    spec = to_python(compose([f"features={name}"]).features)[name]
    assert set(spec) - {"_target_"} == set(family().get_params())
    estimator = instantiate_estimator(spec)
    assert estimator.get_params() == family().get_params()  # lists became tuples, as the defaults are
    estimator.fit()  # works with no public lexicons


def test_ext_configs_use_every_public_lexicon(lexicon_dir, monkeypatch):
    from framing.config import compose
    from framing.features.hedging import EXTERNAL_CATEGORIES
    from framing.features.loaded import EXTERNAL_NAMES
    from framing.models import instantiate_estimator, to_python

    monkeypatch.setenv("FRAMING_LEXICONS", str(lexicon_dir))
    features = to_python(compose(["features=all_ext"]).features)
    assert list(features) == ["tfidf_words", "loaded", "agency", "hedging", "style", "shape"]
    assert tuple(features["loaded"]["external"]) == EXTERNAL_NAMES  # config lists stay lists until instantiation
    assert tuple(features["hedging"]["external"]) == tuple(EXTERNAL_CATEGORIES)
    assert instantiate_estimator(features["loaded"]).external == EXTERNAL_NAMES  # a tuple, as its default
    assert features["agency"]["sap_lexicon"] == "auto"
    assert {features[f]["lexicon_dir"] for f in ("loaded", "agency", "hedging")} == {str(lexicon_dir)}
    plain = {"loaded": {"external": ()}, "hedging": {"external": ()}, "agency": {"sap_lexicon": None}}
    for option, name in (("loaded_ext", "loaded"), ("hedging_ext", "hedging"), ("agency_ext", "agency")):
        spec = to_python(compose([f"features={option}"]).features)
        assert list(spec) == [name]  # the _ext option replaces the family's plain one
        assert spec[name] == features[name]
        with_public = instantiate_estimator(spec[name]).fit()
        without = instantiate_estimator({**spec[name], **plain[name]}).fit()
        assert len(with_public.get_feature_names_out()) > len(without.get_feature_names_out())


# --------------------------------------------------------------------------- shared helpers of base.py


def test_families_of_a_union_share_one_annotation_lookup(monkeypatch):
    import framing.features.base as base
    from framing.features import default_families
    from framing.text import annotation_cache, forget_annotations

    batches = []
    real = base.annotate

    def recording(texts):
        found = real(texts)
        batches.append(id(found))
        return found

    monkeypatch.setattr(base, "annotate", recording)
    with annotation_cache():
        union = FeatureUnion([(f.family, f) for f in default_families()]).fit(X_TEXT)
        X = union.transform(list(X_TEXT))
        assert len(batches) == 4 and len(set(batches)) == 1  # the four families get one looked-up batch
        union.transform([t.upper() for t in X_TEXT])  # another batch is looked up
        assert len(set(batches)) == 2
        forget_annotations()
        assert np.array_equal(union.transform(list(X_TEXT)), X)
        assert len(set(batches[-4:])) == 1 and batches[-1] not in batches[:8]
    separate = np.hstack([f.fit(X_TEXT).transform(X_TEXT) for f in default_families()])
    assert np.array_equal(separate, X)


def test_word_count_and_token_memo():
    import pickle as _pickle

    from framing.features.base import IS_WORD, TokenMemo, is_word, word_count
    from framing.text import annotate

    # He said : " it 's 5 ! " -> He, said, it, 's, 5 are words; the punctuation is not.
    ann = annotate(['He said: "it\'s 5!"'])[0]
    assert word_count(ann) == word_count(ann.lower) == word_count(ann.tokens) == 5
    assert is_word("U.S.") == 1 and is_word("--") == 0 and IS_WORD["’s"] == 1
    memo = TokenMemo(len, limit=2)
    assert [memo[w] for w in ("a", "bb", "ccc")] == [1, 2, 3]
    assert len(memo) == 2  # the limit
    clone = _pickle.loads(_pickle.dumps(memo))
    assert len(clone) == 0 and clone["dddd"] == 4

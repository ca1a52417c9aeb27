"""Every config group option composes, and every estimator spec instantiates."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from framing.config import CONFIG_DIR, compose
from framing.models import build_pipeline, instantiate_estimator, to_python

GROUPS = ["dataset", "task", "features", "model", "tracking", "experiment"]


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))


def test_default_config_composes_and_resolves():
    cfg = compose([])
    resolved = OmegaConf.to_container(cfg, resolve=True)
    assert resolved["dataset"]["name"] == "demo"
    assert resolved["dataset"]["reader"]["root"].endswith("data/demo")
    assert resolved["tracking"]["uri"].startswith(("sqlite:////", "http", "file:", "postgresql"))
    assert set(resolved["features"]) == {"tfidf_words", "loaded", "agency", "hedging", "style", "shape"}


@pytest.mark.parametrize("group,option", [(g, o) for g in GROUPS for o in options(g)])
def test_every_option_composes(group, option):
    # dataset=jsonl has mandatory (???) file paths: the user's own corpus
    given = ["dataset.train=train.jsonl", "dataset.dev=dev.jsonl"] if (group, option) == ("dataset", "jsonl") else []
    cfg = compose([f"{group}={option}", *given])
    OmegaConf.to_container(cfg, resolve=True)  # no missing interpolation


@pytest.mark.parametrize("model", options("model"))
def test_every_model_builds_a_pipeline(model):
    cfg = compose([f"model={model}", "features=[tfidf_words]"])
    pipe = build_pipeline(to_python(cfg.features), cfg.model, seed=0)
    assert pipe.named_steps["clf"].__class__.__name__ in str(cfg.model._target_)


@pytest.mark.parametrize("option", options("features"))
def test_every_feature_option_instantiates(option):
    cfg = compose([f"features={option}"])
    for name, spec in to_python(cfg.features).items():
        estimator = instantiate_estimator(spec)
        assert hasattr(estimator, "fit"), name


def test_lists_become_tuples_for_sklearn():
    cfg = compose(["features=[tfidf_words]"])
    vec = instantiate_estimator(to_python(cfg.features)["tfidf_words"])
    assert vec.ngram_range == (1, 2)


def test_task_options_instantiate():
    for option in options("task"):
        task = instantiate_estimator(to_python(compose([f"task={option}"]).task))
        assert task.name and task.main_metric


def test_list_parameters_stay_lists_where_the_estimator_wants_a_list():
    cfg = compose(["features=[tfidf_words]", "+features.tfidf_words.stop_words=[the,a]"])
    pipe = build_pipeline(to_python(cfg.features), cfg.model, seed=0)
    (name, vec, column), = pipe.named_steps["features"].transformers
    assert vec.stop_words == ["the", "a"] and vec.ngram_range == (1, 2)
    vec.set_params(min_df=1).fit(["the cat sat", "a dog ran"])  # scikit-learn's own validation accepts both
    assert "the" not in vec.vocabulary_ and "cat sat" in vec.vocabulary_


@pytest.mark.parametrize("override, key, allowed", [
    ("features.tfidf_words.ngram_range=[2,1]", "features.tfidf_words.ngram_range", "tuple (min_n, max_n)"),
    ("features.tfidf_words.ngram_range=[1]", "features.tfidf_words.ngram_range", "tuple (min_n, max_n)"),
    ("model.C=-1", "model.C", "must be a float in the range (0.0, inf]"),
    # scikit-learn's message lists a set (its order varies); the documented values do not
    ("+model.penalty=l3", "model.penalty", "penalty : {'l1', 'l2', 'elasticnet', None}, default='l2'"),
    ("features.loaded.scare_quote_max_words=0", "features.loaded.scare_quote_max_words", "int >= 1"),
    ("+model.not_a_parameter=1", "model.not_a_parameter", "C, class_weight,"),
])
def test_an_invalid_estimator_value_names_the_config_key_and_the_allowed_values(override, key, allowed):
    from framing.errors import UserError
    from framing.models import InvalidParameterValue

    cfg = compose([override])
    with pytest.raises(InvalidParameterValue) as caught:
        build_pipeline(to_python(cfg.features), cfg.model, seed=0)
    message = str(caught.value)
    assert message.startswith(f"{key}=") and allowed in message and "\n" not in message
    assert isinstance(caught.value, UserError) and caught.value.exit_code == 2


def test_valid_values_that_only_fail_on_data_are_left_to_fit():
    # min_df=0.99 is a valid value; only a corpus can show that no term is in 99% of its rows
    cfg = compose(["features=[tfidf_words]", "features.tfidf_words.min_df=0.99"])
    build_pipeline(to_python(cfg.features), cfg.model, seed=0)


# The trial fit (framing.models._trial_fit) relies on one behaviour of the installed scikit-learn:
# fit checks the parameters before it reads X. These tests pin it for every configured model.
@pytest.mark.parametrize("model", options("model"))
def test_the_trial_fit_of_every_model_reaches_the_data_with_valid_values(model, monkeypatch):
    from framing import models

    reached = []
    original = models._NoData._reached

    def spy(self, *args, **kwargs):
        reached.append(True)
        original(self)

    monkeypatch.setattr(models._NoData, "_reached", spy)
    monkeypatch.setattr(models._NoData, "__len__", spy)
    monkeypatch.setattr(models._NoData, "__iter__", spy)
    monkeypatch.setattr(models._NoData, "__array__", spy)
    monkeypatch.setattr(models._NoData, "__getattr__", lambda self, name: spy(self))
    estimator = instantiate_estimator(to_python(compose([f"model={model}"]).model))
    assert models._trial_fit(estimator) is None
    assert reached, f"{model}: fit finished without reading its data"


@pytest.mark.parametrize("model, override, key", [
    ("linear_svm", "model.C=-1", "model.C"),
    ("random_forest", "model.n_estimators=0", "model.n_estimators"),
    ("hist_gradient_boosting", "model.learning_rate=0", "model.learning_rate"),
    ("mlp", "model.hidden_layer_sizes=[0]", "model.hidden_layer_sizes"),
    ("complement_nb", "model.alpha=-1", "model.alpha"),
    ("logreg", "model.class_weight=heavy", "model.class_weight"),
])
def test_every_configured_model_refuses_an_invalid_value_before_the_data(model, override, key):
    from framing.models import InvalidParameterValue

    cfg = compose([f"model={model}", "features=[tfidf_words]", override])
    with pytest.raises(InvalidParameterValue, match=rf"^{key}="):
        build_pipeline(to_python(cfg.features), cfg.model, seed=0)


def test_model_inputs_fill_the_optional_columns_and_name_the_required_ones():
    import pandas as pd

    from framing.models import ModelInputs

    spans = ModelInputs().fit(pd.DataFrame({"text": ["a"], "context": ["a b"], "repeats": [2]}))
    filled = spans.transform(pd.DataFrame({"text": ["x y", "z"]}))
    assert filled.to_dict("list") == {"text": ["x y", "z"], "context": ["x y", "z"], "repeats": [0, 0]}
    assert spans.transform(["x y"]).to_dict("list") == {"text": ["x y"], "context": ["x y"], "repeats": [0]}
    full = pd.DataFrame({"repeats": [1], "text": ["t"], "context": ["c"]})
    assert list(spans.transform(full).columns) == ["text", "context", "repeats"]  # the fitted order
    tokens = ModelInputs().fit(pd.DataFrame({"text": ["a"], "sentence": ["a"], "index": [0]}))
    with pytest.raises(ValueError, match=r"needs the input column\(s\) \['sentence', 'index'\]"):
        tokens.transform(pd.DataFrame({"text": ["a"]}))

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

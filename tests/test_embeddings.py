"""The embedding feature families and the encoder layer (framing.encoders).

A tiny sentence-transformers model (a static word-embedding bag over a
made-up vocabulary, built and saved by the test) covers the contract and the
cache without the shared model; the tests of the real all-MiniLM-L6-v2 skip
when ``FRAMING_MODELS`` does not hold it.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from framing import encoders
from framing.encoders import MissingExtraError, MissingModelError, forget_encoders, get_encoder, resolve_model
from framing.errors import UserError
from framing.features.embeddings import (
    DocumentEmbeddings,
    SentenceEmbeddings,
    SpanContextEmbeddings,
    encoder_cards,
)

st = pytest.importorskip("sentence_transformers", reason="the optional extra 'embeddings' is not installed")

WORDS = ("the police said protesters were violent radical terrible peaceful crowd gathered "
         "officials claimed reports suggest maybe a an of in and").split()
TEXTS = [
    "the police said protesters were violent",
    "a peaceful crowd gathered",
    "officials claimed the radical crowd was terrible",
    "reports suggest maybe a crowd gathered",
    "the terrible violent police",
    "a peaceful and calm crowd in the square",
]
Y = np.array([1, 0, 1, 0, 1, 0])


def build_tiny_model(folder: Path, seed: int) -> Path:
    """Save a sentence-transformers model of 16 dimensions: random static word embeddings, mean-pooled."""
    try:
        from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import StaticEmbedding
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"[UNK]": 0, **{w: i + 1 for i, w in enumerate(WORDS)}}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    torch.manual_seed(seed)
    st.SentenceTransformer(modules=[StaticEmbedding(tokenizer, embedding_dim=16)], device="cpu").save(str(folder))
    return folder


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("models") / "tiny-static", seed=0)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test embeds into its own cache folder and starts without loaded encoders."""
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    forget_encoders()
    yield
    forget_encoders()


def test_sentence_embeddings_shape_names_and_determinism(tiny_model):
    features = SentenceEmbeddings(model=str(tiny_model), progress=False)
    X = features.fit_transform(TEXTS)
    assert X.shape == (len(TEXTS), 16)
    assert np.isfinite(X).all()
    names = features.get_feature_names_out()
    assert list(names[:2]) == ["embeddings__dim_000", "embeddings__dim_001"] and len(names) == 16
    # a text's vector does not depend on its batch
    assert np.allclose(features.transform([TEXTS[2]])[0], X[2], atol=1e-6)
    assert not np.allclose(X[0], X[1])


def test_clone_pickle_and_params_only_in_init(tiny_model):
    features = SentenceEmbeddings(model=str(tiny_model), batch_size=2, progress=False)
    assert clone(features).get_params() == features.get_params()
    assert not hasattr(features, "encoder_")
    features.fit(TEXTS)
    expected = features.transform(TEXTS)
    blob = pickle.dumps(features)
    assert b"torch" not in blob  # the model is not inside: it is loaded again on use
    assert len(blob) < 5000
    forget_encoders()
    restored = pickle.loads(blob)
    assert np.allclose(restored.transform(TEXTS), expected)
    assert restored.encoder_["dimension"] == 16 and restored.encoder_["extra"] == "embeddings"


def test_in_pipeline_and_grid_search(tiny_model):
    pipe = Pipeline([("emb", SentenceEmbeddings(model=str(tiny_model), progress=False)),
                     ("clf", LogisticRegression(max_iter=200))])
    search = GridSearchCV(pipe, {"clf__C": [0.1, 1.0]}, cv=2).fit(TEXTS, Y)
    assert search.predict(TEXTS).shape == (len(TEXTS),)
    assert encoder_cards(search.best_estimator_)[0]["model"] == str(tiny_model)


def test_second_transform_does_not_call_the_encoder(tiny_model, tmp_path):
    features = SentenceEmbeddings(model=str(tiny_model), progress=False).fit(TEXTS)
    encoder = get_encoder(str(tiny_model))
    first = features.transform(TEXTS)
    calls = encoder.calls
    assert calls == 1
    assert np.array_equal(features.transform(TEXTS), first)
    assert encoder.calls == calls  # from memory
    # a new process (no encoder loaded): from the disk cache, still no call
    forget_encoders()
    again = features.transform(TEXTS)
    assert get_encoder(str(tiny_model)).calls == 0
    assert np.allclose(again, first)
    assert (tmp_path / "cache" / f"embeddings-v{encoders.EMBEDDING_VERSION}.sqlite").is_file()
    # a new text is the only one embedded
    features.transform(TEXTS + ["maybe the police"])
    assert get_encoder(str(tiny_model)).calls == 1


def test_cache_is_keyed_by_model_identity(tiny_model, tmp_path):
    copy = tmp_path / "copy"
    st.SentenceTransformer(str(tiny_model), device="cpu").save(str(copy))
    other = build_tiny_model(tmp_path / "other", seed=1)
    a = get_encoder(str(tiny_model))
    assert a.identity == get_encoder(str(copy)).identity  # same weights elsewhere: vectors shared
    b = get_encoder(str(other))
    assert a.identity != b.identity  # other weights: not shared, although the name and vocabulary match
    a.encode(TEXTS)
    forget_encoders()
    assert not np.allclose(get_encoder(str(other)).encode(TEXTS), get_encoder(str(tiny_model)).encode(TEXTS))
    assert get_encoder(str(other)).calls == 1


def test_span_context_embeddings(tiny_model):
    X = pd.DataFrame({"text": ["violent", "peaceful crowd"],
                      "context": ["the police said protesters were violent", "a peaceful crowd gathered"]})
    features = SpanContextEmbeddings(model=str(tiny_model), progress=False).fit(X)
    out = features.transform(X)
    assert out.shape == (2, 64)
    u, v = out[:, :16], out[:, 16:32]
    assert np.allclose(out[:, 32:48], u - v, atol=1e-6) and np.allclose(out[:, 48:], u * v, atol=1e-6)
    assert features.get_feature_names_out()[16] == "span_embeddings__context_dim_000"
    only = SpanContextEmbeddings(parts=["span"], model=str(tiny_model), progress=False).fit(X)
    assert np.allclose(only.transform(X), u)
    with pytest.raises(ValueError, match="parts"):
        SpanContextEmbeddings(parts=["spam"], model=str(tiny_model)).fit(X)


def test_document_embeddings_mean_and_truncate(tiny_model):
    doc = "the police said protesters were violent. a peaceful crowd gathered."
    mean = DocumentEmbeddings(model=str(tiny_model), progress=False).fit([doc])
    sentences = SentenceEmbeddings(model=str(tiny_model), progress=False).fit([doc])
    expected = sentences.transform(["the police said protesters were violent.", "a peaceful crowd gathered."])
    assert np.allclose(mean.transform([doc])[0], expected.mean(axis=0), atol=1e-6)
    truncate = DocumentEmbeddings(pooling="truncate", model=str(tiny_model), progress=False).fit([doc])
    assert truncate.transform([doc]).shape == (1, 16)
    with pytest.raises(ValueError, match="pooling"):
        DocumentEmbeddings(pooling="max", model=str(tiny_model)).fit([doc])


def test_missing_model_error_names_the_model_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_MODELS", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(MissingModelError) as info:
        SentenceEmbeddings(model="someone/no-such-encoder").fit(TEXTS)
    message = str(info.value)
    assert isinstance(info.value, UserError) and "\n" not in message
    assert "'someone/no-such-encoder'" in message and "$FRAMING_MODELS/no-such-encoder" in message
    # an experiment's pipeline is refused when it is built, before any data is read or a run exists
    from framing.models import build_pipeline

    with pytest.raises(MissingModelError):
        build_pipeline({"embeddings": {"_target_": "framing.features.embeddings.SentenceEmbeddings",
                                       "model": "someone/no-such-encoder"}},
                       {"_target_": "sklearn.linear_model.LogisticRegression"})


def test_framing_models_folder_is_looked_up_by_last_name_part(tiny_model, monkeypatch):
    monkeypatch.setenv("FRAMING_MODELS", str(tiny_model.parent))
    assert resolve_model("someone/tiny-static") == tiny_model.resolve()


def test_missing_extra_error_names_the_extra(tiny_model, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails as if not installed
    with pytest.raises(MissingExtraError) as info:
        SentenceEmbeddings(model=str(tiny_model)).fit(TEXTS)
    assert isinstance(info.value, UserError)
    assert "'embeddings'" in str(info.value) and "pip install" in str(info.value)


def test_build_pipeline_scales_the_block_and_reads_span_columns(tiny_model):
    from framing.models import build_pipeline

    spec = {"_target_": "framing.features.embeddings.SpanContextEmbeddings", "model": str(tiny_model),
            "progress": False}
    cue = {"_target_": "framing.features.hedging.HedgingFeatures"}
    pipe = build_pipeline({"span_embeddings": spec, "hedging": cue},
                          {"_target_": "sklearn.linear_model.LogisticRegression", "max_iter": 200})
    X = pd.DataFrame({"text": TEXTS, "context": TEXTS[::-1], "repeats": 0})
    pipe.fit(X, Y)
    names = pipe[:-1].get_feature_names_out()
    assert names[0] == "span_embeddings__span_dim_000"
    assert any(n.startswith("hedging__") for n in names)
    block = pipe.named_steps["features"].named_transformers_["span_embeddings"]
    assert block.steps[-1][0] == "scale"


REAL = Path(os.environ.get("FRAMING_MODELS") or "/nonexistent") / "all-MiniLM-L6-v2"


@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_dir(), reason="all-MiniLM-L6-v2 is not in $FRAMING_MODELS (../shared/models)")
def test_real_model_from_framing_models():
    features = SentenceEmbeddings().fit(TEXTS[:2])
    X = features.transform(["The police said the protesters were violent.", "A calm crowd gathered."])
    assert X.shape == (2, 384)
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-4)  # the model normalises
    assert features.encoder_["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    similar = features.transform(["The officers described the demonstrators as violent."])[0]
    assert X[0] @ similar > X[1] @ similar


def test_model_requirements_and_card_name_the_encoder_only_when_used(tiny_model):
    from framing.models import build_pipeline
    from framing.tracking.runs import model_requirements

    clf = {"_target_": "sklearn.linear_model.LogisticRegression", "max_iter": 200}
    with_encoder = build_pipeline({"embeddings": {"_target_": "framing.features.embeddings.SentenceEmbeddings",
                                                  "model": str(tiny_model), "progress": False}}, clf)
    without = build_pipeline({"hedging": {"_target_": "framing.features.hedging.HedgingFeatures"}}, clf)
    X = pd.DataFrame({"text": TEXTS})
    with_encoder.fit(X, Y)
    without.fit(X, Y)
    assert [c["dimension"] for c in encoder_cards(with_encoder)] == [16]
    assert encoder_cards(without) == []
    assert any(r.startswith("sentence-transformers") for r in model_requirements(with_encoder))
    assert not any(r.startswith(("sentence-transformers", "torch")) for r in model_requirements(without))


def test_no_progress_bar_when_stderr_is_not_a_terminal(tiny_model, capsys):
    # a bar written into a redirected log is noise (and glues the next line to it)
    features = SentenceEmbeddings(model=str(tiny_model), progress=True).fit(TEXTS)
    features.transform([f"text number {i}" for i in range(300)])  # over the bar's threshold
    assert "embedding (" not in capsys.readouterr().err

"""``framing analyze``: formats, JSON schema, HTML escaping, errors and exit codes, stdin, models.

Tiny SLC and sentence-techniques models are trained once on the demo corpus
into a temporary SQLite registry (registered as the analyzer's default
names, as ``experiment=analyzer_models`` does on the PTC).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from framing import analyze as an
from framing import analyze_cli
from framing.cli import main
from framing.models import predict_with_scores
from framing.resources import PROJECT_ROOT
from framing.text import segment
from framing.tracking.registry import ModelStore, StoredModel

ARTICLE = (
    "Officials Say Talks Will Resume\n"
    "\n"
    "The talks were suspended on Monday after the shelling of the city, officials said. "
    "Critics called the decision a shameful betrayal of the victims.\n"
    "It is possibly the worst crisis the region has seen, and the regime must be stopped, "
    "the minister said in a statement.\n"
    "\"We will never surrender!\" he told reporters.\n"
)


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> str:
    """A SQLite registry holding framing-slc/1 and framing-sentence_techniques/1 (demo corpus)."""
    from framing.config import compose
    from framing.experiment import run

    folder = tmp_path_factory.mktemp("analyze-registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    for task in ("slc", "sentence_techniques"):
        run(compose([f"task={task}", f"tracking.uri={uri}", 'tracking.register_model="framing-{task}"',
                     "report_articles=0"]))
    return uri


@pytest.fixture()
def article(tmp_path) -> Path:
    path = tmp_path / "talks.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _analyze(capsys, *argv) -> tuple[int, str, str]:
    code = main(["analyze", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def _validate(doc: dict) -> None:
    jsonschema.validate(doc, an.load_schema(), cls=jsonschema.Draft202012Validator)


# --------------------------------------------------------------------------- formats and content


def test_all_formats_are_written_and_the_json_follows_the_schema(registry, article, tmp_path, capsys):
    out = tmp_path / "out"
    code, stdout, err = _analyze(capsys, article, "--tracking-uri", registry, "--out", out,
                                 "--format", "json", "--format", "html", "--format", "text")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["talks.html", "talks.json", "talks.txt"]
    doc = json.loads((out / "talks.json").read_text(encoding="utf-8"))
    _validate(doc)
    assert doc["schema_version"] == an.SCHEMA_VERSION
    assert doc["text"] == ARTICLE
    assert doc["models"]["slc"]["uri"] == "models:/framing-slc/1"
    assert doc["models"]["techniques"]["uri"] == "models:/framing-sentence_techniques/1"

    # offsets index into the text, for sentences and cues
    sentences = doc["sentences"]
    assert [s["text"] for s in sentences][:3] == [
        "Officials Say Talks Will Resume",
        "The talks were suspended on Monday after the shelling of the city, officials said.",
        "Critics called the decision a shameful betrayal of the victims.",
    ]
    for s in sentences:
        assert ARTICLE[s["start"] : s["end"]] == s["text"]
        assert 0.0 <= s["propaganda_probability"] <= 1.0
        probs = [t["probability"] for t in s["techniques"]]
        assert probs == sorted(probs, reverse=True)
        assert {t["technique"] for t in s["techniques"]} == set(doc["models"]["techniques"]["labels"])
        for cue in s["cues"]:
            assert ARTICLE[cue["start"] : cue["end"]] == cue["words"]
            assert s["start"] <= cue["start"] < cue["end"] <= s["end"]

    # the cues the issue names are found where they are
    cues = {(c["family"], c["category"], c["words"]) for s in sentences for c in s["cues"]}
    assert ("agency", "passive_agentless", "were suspended") in cues
    assert ("agency", "passive_agentless", "be stopped") in cues
    assert ("hedging", "hedge", "possibly") in cues
    assert any(f == "loaded" and w in ("shameful", "betrayal") for f, _, w in cues)

    # per-article rates beside the training corpus's, from the model's metadata
    assert doc["corpus"]["dataset"] == "demo" and doc["corpus"]["n_words"] > 1000
    families = {e["family"]: e for e in doc["summary"]["cue_families"]}
    assert set(families) == {"loaded", "agency", "hedging", "style"}
    passives = next(e for e in doc["summary"]["cue_categories"] if e["category"] == "passive_agentless")
    assert passives["count"] == sum(c[1] == "passive_agentless" for s in sentences for c in
                                    [(x["family"], x["category"]) for x in s["cues"]])
    assert passives["per_1000_words"] == pytest.approx(1000 * passives["count"] / doc["article"]["n_words"], abs=1e-3)
    assert passives["ratio_to_corpus"] == pytest.approx(
        passives["per_1000_words"] / passives["corpus_per_1000_words"], rel=1e-2)
    top = doc["summary"]["most_propagandistic"]
    assert len(top) == 3
    assert [t["propaganda_probability"] for t in top] == sorted(
        (s["propaganda_probability"] for s in sentences), reverse=True)[:3]

    text = (out / "talks.txt").read_text(encoding="utf-8")
    assert "agentless passives" in text and "x the corpus rate" in text
    assert "Most propagandistic sentences:" in text
    html = (out / "talks.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Cues per 1,000 words" in html
    assert "wrote" in err


def test_text_to_stdout_is_the_default(registry, article, capsys):
    code, stdout, err = _analyze(capsys, article, "--tracking-uri", registry)
    assert code == 0, err
    assert stdout.startswith("== talks.txt ")
    assert re.search(r"^\[  2\] 0\.\d\d ", stdout, re.M)  # sentence number and probability
    assert "techniques:" in stdout and "cues:" in stdout
    assert "\x1b[" not in stdout  # no colour when not a terminal


def test_several_articles_to_stdout_as_json_lines(registry, article, tmp_path, capsys):
    other = tmp_path / "sub" / "talks.txt"
    other.parent.mkdir()
    other.write_text("The regime lied again. Nobody was held responsible.\n", encoding="utf-8")
    code, stdout, _ = _analyze(capsys, article, other, "--tracking-uri", registry, "--format", "json")
    assert code == 0
    docs = [json.loads(line) for line in stdout.splitlines()]
    assert [d["article"]["source"] for d in docs] == [str(article), str(other)]
    for d in docs:
        _validate(d)
    # same stem twice with --out: the second file gets a suffix
    code, _, _ = _analyze(capsys, article, other, "--tracking-uri", registry, "--format", "json",
                          "--out", tmp_path / "o")
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["talks-2.json", "talks.json"]


def test_one_model_given_by_uri(registry, article, capsys):
    code, stdout, err = _analyze(capsys, article, "--tracking-uri", registry, "--model",
                                 "models:/framing-sentence_techniques/1", "--format", "json")
    assert code == 0, err
    doc = json.loads(stdout)
    _validate(doc)
    assert doc["models"]["slc"] is None and doc["summary"]["propaganda"] is None
    assert all(s["propaganda_probability"] is None for s in doc["sentences"])
    assert doc["summary"]["most_propagandistic"] == []
    assert doc["corpus"]["model"] == "models:/framing-sentence_techniques/1"

    code, _, err = _analyze(capsys, article, "--tracking-uri", registry,
                            "--model", "models:/framing-slc/1", "--model", "models:/framing-slc/latest")
    assert code == analyze_cli.EXIT_MODEL and "two slc models" in err


def test_cues_only_without_a_model(article, tmp_path, capsys):
    code, stdout, err = _analyze(capsys, article, "--no-model", "--format", "json",
                                 "--tracking-uri", f"sqlite:///{tmp_path / 'none.db'}")
    assert code == 0, err
    doc = json.loads(stdout)
    _validate(doc)
    assert doc["models"] == {"slc": None, "techniques": None} and doc["corpus"] is None
    assert any(s["cues"] for s in doc["sentences"])
    assert all(e["corpus_per_1000_words"] is None for e in doc["summary"]["cue_families"])
    assert not (tmp_path / "none.db").exists()


# --------------------------------------------------------------------------- HTML safety


def test_html_shows_markup_in_the_article_as_text(registry, tmp_path, capsys):
    hostile = (
        "Officials <script>alert('x')</script> denied it.\n"
        'The "><img src=x onerror=alert(1)> regime was blamed by critics.\n'
        "See http://example.com/track.png and <a href=\"https://evil.example\">this</a>!\n"
    )
    path = tmp_path / "hostile.txt"
    path.write_text(hostile, encoding="utf-8")
    code, html, err = _analyze(capsys, path, "--tracking-uri", registry, "--format", "html")
    assert code == 0, err
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<a href=\"http" not in lowered
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # the markup a browser sees: only our own tags, nothing that loads or runs anything
    tags = _tags(html)
    assert {t for t, _ in tags} <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div",
                                    "strong", "br", "span", "dl", "dt", "dd", "table", "caption", "thead",
                                    "tbody", "tr", "th", "td", "a"}
    for tag, attrs in tags:
        assert not {name for name, _ in attrs} - {"lang", "charset", "class", "style", "title", "id", "href"}, tag
        assert all(value.startswith("#") for name, value in attrs if name == "href")
        assert not any(name.startswith("on") for name, _ in attrs)
    assert "url(" not in lowered and "@import" not in lowered


def _tags(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, [(k, v or "") for k, v in attrs]))

    Collect().feed(html)
    return found


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "name,content,problem",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n\t\n", "only whitespace"),
        ("latin1.txt", "Caf\u00e9 society\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at byte offset 3, line 1)"),
    ],
)
def test_unreadable_files_give_a_clear_error_and_exit_2(registry, tmp_path, capsys, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, path, "--tracking-uri", registry, "--out", out)
    assert code == analyze_cli.EXIT_INPUT
    assert str(path) in err and problem in err
    assert not out.exists() or not any(out.iterdir())


def test_missing_file_and_directory(registry, tmp_path, capsys):
    code, _, err = _analyze(capsys, tmp_path / "nope.txt", "--tracking-uri", registry)
    assert code == 2 and f"{tmp_path / 'nope.txt'}: no such file" in err
    code, _, err = _analyze(capsys, tmp_path, "--tracking-uri", registry)
    assert code == 2 and f"{tmp_path}: is a directory" in err


def test_good_files_are_still_analysed_when_another_fails(registry, article, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe broken")
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, bad, article, "--tracking-uri", registry, "--out", out, "--format", "json")
    assert code == analyze_cli.EXIT_INPUT and f"{bad}: not valid UTF-8" in err
    assert [p.name for p in out.iterdir()] == ["talks.json"]


def test_several_formats_to_stdout_is_a_usage_error(article, capsys):
    code, _, err = _analyze(capsys, article, "--format", "json", "--format", "html", "--no-model")
    assert code == 2 and "need --out" in err


def test_control_characters_of_the_article_do_not_reach_the_terminal(tmp_path, capsys):
    path = tmp_path / "ansi.txt"
    path.write_text("Normal sentence here.\n\x1b]0;pwned\x07\x1b[31mRed evil text\x1b[0m is terrible.\x00\n",
                    encoding="utf-8")
    code, out, _ = _analyze(capsys, path, "--no-model")
    assert code == 0
    assert not any(ch in out for ch in "\x1b\x07\x00")
    assert "\u241b[31mRed evil text" in out  # shown as a visible stand-in (ESC -> U+241B)
    code, out, _ = _analyze(capsys, path, "--no-model", "--colour", "always")
    assert "\x1b[1mevil\x1b[0m" in out  # our own bold survives; the article's escapes do not
    assert "\x1b]0;" not in out and "\x1b[31m" not in out


def test_bad_out_folder_and_negative_counts_are_usage_errors(article, tmp_path, capsys):
    code, _, err = _analyze(capsys, article, "--no-model", "--out", article)
    assert code == 2 and "--out" in err and "output folder" in err
    with pytest.raises(SystemExit) as exit_info:
        _analyze(capsys, article, "--no-model", "--top-sentences", "-1")
    assert exit_info.value.code == 2
    assert "expected a whole number >= 0" in capsys.readouterr().err


@pytest.mark.parametrize("uri, problem", [("garbage-uri", "not a model URI"),
                                          ("http://localhost:1/x", "not a model URI"),
                                          (".", "a folder without an MLmodel file")])
def test_malformed_model_uri_says_what_a_model_uri_looks_like(article, capsys, uri, problem):
    code, _, err = _analyze(capsys, article, "--model", uri)
    assert code == analyze_cli.EXIT_MODEL and problem in err and "runs:/<run id>/<path>" in err


def test_unreachable_tracking_server_fails_fast(article, capsys):
    code, _, err = _analyze(capsys, article, "--tracking-uri", "http://127.0.0.1:1")
    assert code == analyze_cli.EXIT_MODEL and "cannot reach the MLflow tracking server" in err


# --------------------------------------------------------------------------- models


def test_no_registered_model_prints_the_training_command(article, tmp_path, capsys):
    missing_db = tmp_path / "absent.db"
    code, stdout, err = _analyze(capsys, article, "--tracking-uri", f"sqlite:///{missing_db}")
    assert code == analyze_cli.EXIT_MODEL and stdout == ""
    assert "no analyzer models are registered" in err
    assert an.TRAIN_COMMAND in err and "experiment=analyzer_models" in an.TRAIN_COMMAND
    assert not missing_db.exists()  # looking did not create a database

    # an existing registry without the analyzer's models: the same answer
    from framing.tracking import Tracker

    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    Tracker(empty, "framing")
    code, _, err = _analyze(capsys, article, "--tracking-uri", empty)
    assert code == analyze_cli.EXIT_MODEL and an.TRAIN_COMMAND in err


def test_unknown_model_uri_is_a_model_error(registry, article, capsys):
    code, _, err = _analyze(capsys, article, "--tracking-uri", registry, "--model", "models:/framing-slc/99")
    assert code == analyze_cli.EXIT_MODEL and "models:/framing-slc/99" in err


def test_models_are_cached_by_version_and_latest_is_asked_again_only_after_a_change(registry, monkeypatch, tmp_path):
    import framing.tracking.registry as registry_module

    store = ModelStore(registry, cache=tmp_path / "models")
    first = an.load_model(store, f"models:/{an.SLC_MODEL_NAME}/latest")
    assert first.uri == f"models:/{an.SLC_MODEL_NAME}/1" and first.role == "slc"
    assert first.card["labels"] == ["non-propaganda", "propaganda"]
    assert first.card["cue_rates"]["n_words"] > 0

    # unchanged registry: neither the registry nor the artifact store is asked again
    def fail(*args, **kwargs):
        raise AssertionError("MLflow was asked although nothing changed")

    monkeypatch.setattr(registry_module, "latest_model_version", fail)
    monkeypatch.setattr(registry_module, "download_model", fail)
    again = an.load_model(ModelStore(registry, cache=tmp_path / "models"), f"models:/{an.SLC_MODEL_NAME}/latest")
    assert again.uri == first.uri
    monkeypatch.undo()

    # a new version makes the database change: "latest" is resolved again
    from mlflow.tracking import MlflowClient

    client = MlflowClient(registry, registry_uri=registry)
    source = client.get_model_version(an.SLC_MODEL_NAME, "1")
    client.create_model_version(an.SLC_MODEL_NAME, source.source, run_id=source.run_id)
    try:
        newer = an.load_model(ModelStore(registry, cache=tmp_path / "models"), f"models:/{an.SLC_MODEL_NAME}/latest")
        assert newer.uri == f"models:/{an.SLC_MODEL_NAME}/2"
    finally:
        client.delete_model_version(an.SLC_MODEL_NAME, "2")


def test_an_alias_is_loaded_and_its_version_recorded(registry, tmp_path, monkeypatch):
    import tempfile

    from mlflow.tracking import MlflowClient

    MlflowClient(registry, registry_uri=registry).set_registered_model_alias(an.SLC_MODEL_NAME, "champion", "1")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    model = an.load_model(ModelStore(registry, cache=tmp_path / "models"), f"models:/{an.SLC_MODEL_NAME}@champion")
    assert model.describe()["registered_name"] == an.SLC_MODEL_NAME and model.describe()["version"] == "1"
    # an alias can move: it is downloaded to a temporary folder, not cached, and the folder is removed
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())
    assert not any(scratch.iterdir())


def test_runs_uri_and_cue_rates_artifact(registry, article, capsys):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(registry, registry_uri=registry)
    version = client.get_model_version(an.TECHNIQUES_MODEL_NAME, "1")
    rates = json.loads(Path(client.download_artifacts(version.run_id, "model/cue_rates.json")).read_text())
    assert set(rates["families"]) == {"loaded", "agency", "hedging", "style"}
    assert rates["n_texts"] > 100 and rates["n_words"] > 1000

    code, stdout, err = _analyze(capsys, article, "--tracking-uri", registry, "--format", "json",
                                 "--model", f"runs:/{version.run_id}/model")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["models"]["techniques"]["run_id"] == version.run_id
    assert doc["summary"]["cue_families"][0]["corpus_per_1000_words"] == pytest.approx(
        rates["families"][doc["summary"]["cue_families"][0]["family"]]["per_1000_words"], abs=1e-3)


@pytest.mark.parametrize("how", ["models:/framing-slc/1", "runs", "default models, URI from the environment"])
def test_analyze_from_another_folder_with_a_fresh_cache_uses_the_named_registry(registry, tmp_path, how):
    """The model is resolved and downloaded from the registry named, not from MLflow's default store."""
    from mlflow.tracking import MlflowClient

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env["FRAMING_CACHE"] = str(tmp_path / "fresh-cache")
    argv = [sys.executable, "-m", "framing.cli", "analyze", "talks.txt", "--format", "json"]
    if how == "runs":
        run_id = MlflowClient(registry, registry_uri=registry).get_model_version(an.SLC_MODEL_NAME, "1").run_id
        argv += ["--tracking-uri", registry, "--model", f"runs:/{run_id}/model"]
    elif how.startswith("models:/"):
        argv += ["--tracking-uri", registry, "--model", how]
    else:
        env["MLFLOW_TRACKING_URI"] = registry
    done = subprocess.run(argv, capture_output=True, env=env, cwd=elsewhere, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    doc = json.loads(done.stdout)
    assert doc["models"]["slc"]["run_id"], doc["models"]
    assert sorted(p.name for p in elsewhere.iterdir()) == ["talks.txt"]  # no mlflow.db, no mlruns
    assert any((tmp_path / "fresh-cache" / "models").iterdir())


def test_training_and_the_analyzer_build_identical_rows(registry, monkeypatch):
    """The analyzer feeds each model the rows its task builds for a training document of the same text."""
    from framing.data.model import Document, Span
    from framing.data.techniques import PTC2019_TECHNIQUES

    text = ARTICLE + "Critics called the decision a shameful betrayal of the victims.\n"  # repeated: repeats > 0
    start = text.index("shameful")
    training_doc = Document("a1", text, (Span(start, start + len("shameful betrayal"), "Loaded_Language"),))
    seen = []

    def recording(model, X):
        seen.append(X.copy())
        return predict_with_scores(model, X)

    monkeypatch.setattr(an, "predict_with_scores", recording)
    store = ModelStore(registry)
    models = [an.load_model(store, f"models:/{name}/1") for name in (an.SLC_MODEL_NAME, an.TECHNIQUES_MODEL_NAME)]
    doc = an.Analyzer.from_models(models).analyze(an.Article("a.txt", "a", text))
    assert len(seen) == 2
    for model, X in zip(models, seen):
        train = model.task.examples([training_doc], PTC2019_TECHNIQUES, an.SEGMENTATION)
        pd.testing.assert_frame_equal(X, train.X)
        assert train.y is not None and train.y.any()  # a real training document, with gold
    assert max(seen[0]["repeats"]) > 0
    assert [(s["start"], s["end"]) for s in doc["sentences"]] == [
        (s.start, s.end) for s in segment(text, an.SEGMENTATION)]


def test_models_of_other_tasks_or_without_labels_are_refused():
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 1, 0, 1])
    binary = Pipeline([("clf", LogisticRegression().fit(X, y))])
    with pytest.raises(an.ModelError, match="is a bias model; analyze takes an SLC model"):
        an.as_analyzer_model(StoredModel(binary, {"task": "bias", "kind": "binary"}, "runs:/x/model"), None)
    with pytest.raises(an.ModelError, match="is a tc model"):
        an.as_analyzer_model(StoredModel(binary, {"task": "tc", "kind": "multiclass"}, "runs:/x/model"), None)
    assert an.as_analyzer_model(StoredModel(binary, {}, "runs:/x/model"), None).role == "slc"  # an older SLC model
    with pytest.raises(an.ModelError, match="expected a techniques model"):
        an.as_analyzer_model(StoredModel(binary, {}, "runs:/x/model"), "techniques")

    Y = np.array([[0, 1], [1, 0], [0, 1], [1, 1]])
    multi = Pipeline([("clf", OneVsRestClassifier(LogisticRegression()).fit(X, Y))])
    with pytest.raises(an.ModelError, match="does not name its techniques"):
        an.as_analyzer_model(StoredModel(multi, {}, "runs:/x/model"), None)
    with pytest.raises(an.ModelError, match="names 3 techniques but the model has 2 outputs"):
        an.as_analyzer_model(StoredModel(multi, {"kind": "multilabel", "labels": ["a", "b", "c"]}, "u"), None)
    ok = an.as_analyzer_model(StoredModel(multi, {"kind": "multilabel", "labels": ["Doubt", "Slogans"]}, "u"), None)
    assert ok.role == "techniques" and ok.labels == ["Doubt", "Slogans"]


# --------------------------------------------------------------------------- stdin and size


def _cli(*argv, stdin: bytes = b"", uri: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MLFLOW_TRACKING_URI": uri}
    return subprocess.run([sys.executable, "-m", "framing.cli", "analyze", *map(str, argv)], input=stdin,
                          capture_output=True, env=env, cwd=PROJECT_ROOT, timeout=600)


def test_stdin_is_read_as_utf8(registry, tmp_path):
    done = _cli("-", "--format", "json", stdin=ARTICLE.encode("utf-8"), uri=registry)
    assert done.returncode == 0, done.stderr.decode()
    doc = json.loads(done.stdout)
    _validate(doc)
    assert doc["article"]["source"] == "-" and doc["article"]["name"] == "<stdin>" and doc["text"] == ARTICLE

    done = _cli("-", "--format", "html", "--out", tmp_path, stdin=ARTICLE.encode("utf-8"), uri=registry)
    assert done.returncode == 0 and (tmp_path / "stdin.html").exists()

    done = _cli("-", stdin=b"", uri=registry)
    assert done.returncode == 2 and b"<stdin>: the file is empty" in done.stderr
    done = _cli("-", stdin=b"\xe9t\xe9", uri=registry)
    assert done.returncode == 2 and b"<stdin>: not valid UTF-8" in done.stderr


def test_stdin_via_run_command(registry):
    args = an_parser().parse_args(["analyze", "-", "--tracking-uri", registry, "--format", "json"])
    out, err = io.StringIO(), io.StringIO()
    code = analyze_cli.run_command(args, stdin=io.BytesIO(ARTICLE.encode("utf-8")), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue())["article"]["n_sentences"] == len(segment(ARTICLE, "punkt"))


def an_parser():
    from framing.cli import build_parser

    return build_parser()


def test_a_one_megabyte_article_finishes(registry, tmp_path, capsys):
    demo = sorted((PROJECT_ROOT / "data" / "demo").glob("*/article*.txt"))
    text, n = "", 0
    while len(text.encode("utf-8")) < 1_000_000:
        text += demo[n % len(demo)].read_text(encoding="utf-8") + "\n"
        n += 1
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    code, _, err = _analyze(capsys, path, "--tracking-uri", registry, "--out", tmp_path / "out",
                            "--format", "json", "--format", "html", "--format", "text")
    elapsed = time.perf_counter() - started
    assert code == 0, err
    doc = json.loads((tmp_path / "out" / "big.json").read_text(encoding="utf-8"))
    assert doc["article"]["n_characters"] == len(text) and doc["article"]["n_sentences"] > 5000
    assert (tmp_path / "out" / "big.html").stat().st_size > len(text)
    print(f"1 MB article ({len(text):,} characters, {doc['article']['n_sentences']:,} sentences): {elapsed:.1f} s")


# --------------------------------------------------------------------------- language check, technique caveat

RUSSIAN = ("Министр заявил в понедельник, что переговоры возобновятся после обстрела города и что правительство "
           "не намерено уступать тому, что он назвал позорным предательством. Критики назвали это решение "
           "позором, а оппозиция потребовала отставки правительства.\n")


def test_a_russian_article_is_flagged_in_text_json_and_html(registry, article, tmp_path, capsys):
    path = tmp_path / "ru.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, path, article, "--tracking-uri", registry, "--out", out,
                            "--format", "json", "--format", "html", "--format", "text")
    assert code == 0, err
    ru, en = (json.loads((out / f"{stem}.json").read_text(encoding="utf-8")) for stem in ("ru", "talks"))
    _validate(ru)
    _validate(en)
    assert ru["language"]["detected"] == "russian" and ru["language"]["english"] is False
    assert ru["language"]["english_stopword_share"] == 0.0 and ru["language"]["confidence"] > 0.5
    assert en["language"]["detected"] == "english" and en["language"]["english"] is True
    warning = "does not look English"
    assert f"WARNING: this text {warning}" in (out / "ru.txt").read_text(encoding="utf-8")
    assert warning not in (out / "talks.txt").read_text(encoding="utf-8")
    html = (out / "ru.html").read_text(encoding="utf-8")
    assert f'<p class="notice warning"><strong>warning:</strong> this text {warning}' in html
    assert "closest stopword list: russian" in html
    assert warning not in (out / "talks.html").read_text(encoding="utf-8")


def test_the_technique_caveat_quotes_the_models_measured_micro_f1(registry, article, tmp_path, capsys):
    code, stdout, err = _analyze(capsys, article, "--tracking-uri", registry, "--format", "json")
    assert code == 0, err
    doc = json.loads(stdout)
    evaluation = doc["models"]["techniques"]["evaluation"]
    assert evaluation["split"] == "dev" and evaluation["main_metric"] == "micro_f1"
    micro_f1 = evaluation["metrics"]["micro_f1"]
    assert 0.0 <= micro_f1 <= 1.0 and "micro_precision" in evaluation["metrics"]
    assert doc["models"]["slc"]["evaluation"]["main_metric"] == "f1"  # every model's card carries its scores
    expected = f"micro-F1 on demo dev is {micro_f1:.2f}"
    code, text, _ = _analyze(capsys, article, "--tracking-uri", registry)
    assert "caveat: Technique labels are weak evidence: this model's " in text
    assert expected in " ".join(text.split())  # wrapped to the terminal width
    code, html, _ = _analyze(capsys, article, "--tracking-uri", registry, "--format", "html")
    assert '<p class="notice caveat"><strong>caveat:</strong> Technique labels are weak evidence' in html
    assert expected in html
    # without a techniques model, no caveat about techniques
    code, text, _ = _analyze(capsys, article, "--tracking-uri", registry, "--model", "models:/framing-slc/1")
    assert "Technique labels" not in text


def test_a_card_without_scores_says_so():
    from framing.report.summary import techniques_caveat

    doc = {"models": {"techniques": {"dataset": "ptc2020", "evaluation": None}}}
    assert "holds no measured score" in techniques_caveat(doc)
    assert techniques_caveat({"models": {"techniques": None}}) is None

"""``framing reproduce``: experiment files, the paper-vs-ours table, MLflow parent/child runs, LengthFeatures.

The end-to-end test reproduces two test-only experiment files on the demo
corpus (one good, one that fails) into a temporary SQLite database and a
temporary RESULTS.md; nothing here needs the shared corpora.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from mlflow.tracking import MlflowClient
from omegaconf import OmegaConf
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from framing.cli import main as cli_main
from framing.config import EXPERIMENTS_DIR, compose
from framing.features.length import LengthFeatures
from framing.models import build_pipeline, to_python
from framing.reproduce import (
    COLUMNS,
    ExperimentRuns,
    SeedRun,
    compose_experiment,
    experiment_names,
    parse_paper,
    scored_split,
    table_rows,
)

SHIPPED = experiment_names([EXPERIMENTS_DIR])


# --------------------------------------------------------------------------- LengthFeatures


def test_length_features_count_characters_and_word_tokens():
    texts = ["Hello, world!", "", "It's a “test” — really"]
    f = LengthFeatures().fit(texts)
    assert list(f.get_feature_names_out()) == ["length__chars", "length__words"]
    np.testing.assert_array_equal(f.transform(texts), [[13, 2], [0, 0], [22, 5]])
    only_chars = LengthFeatures(units=("chars",)).fit(texts)
    assert only_chars.transform(texts).shape == (3, 1)
    assert list(LengthFeatures(units=["words", "chars"]).fit(texts).get_feature_names_out()) == ["length__words", "length__chars"]


def test_length_features_keep_the_sklearn_contract():
    f = LengthFeatures(units=("chars",))
    assert f.get_params() == {"units": ("chars",)}
    with pytest.raises(NotFittedError):
        f.transform(["a"])
    fitted = f.fit(["a b"])
    assert f.get_params() == {"units": ("chars",)}  # fit leaves parameters alone
    assert clone(fitted).get_params() == fitted.get_params()
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.transform(["a b c"]), fitted.transform(["a b c"]))
    assert fitted.explain("anything") == [] and fitted.explain_many(["a", "b"]) == [[], []]
    for bad in ((), ("chars", "chars"), ("bytes",), "chars"):
        with pytest.raises(ValueError):
            LengthFeatures(units=bad).fit(["x"])
    with pytest.raises(ValueError, match="string"):
        fitted.transform("a single string")
    with pytest.raises(ValueError, match="expected str"):
        fitted.transform(["ok", 3])


def test_length_features_in_a_pipeline_and_grid_search():
    X = ["short", "tiny", "a much longer sentence with many words in it", "another long sentence, with words and words"] * 3
    y = [0, 0, 1, 1] * 3
    pipe = Pipeline([("f", LengthFeatures()), ("clf", LogisticRegression())])
    grid = GridSearchCV(pipe, {"f__units": [("chars",), ("chars", "words")]}, cv=2).fit(X, y)
    assert grid.best_estimator_.predict(["x", "a very long sentence that goes on and on and on"]).tolist() == [0, 1]


# --------------------------------------------------------------------------- experiment files


PAPER = {
    "citation": "A. Author (2020). A Paper.",
    "short": "Author 2020",
    "table": "Table 2",
    "row": "BERT",
    "task": "SLC",
    "split": "test",
    "tolerance": 0.02,
    "metrics": [{"name": "F1", "ours": "f1", "reported": 0.5774, "same_metric": True}],
}


def test_paper_block_is_validated():
    ref = parse_paper(PAPER, "x")
    assert ref.metrics[0].reported == pytest.approx(0.5774) and ref.tolerance == 0.02
    assert ref.metrics[0].source == "Table 2" and ref.metrics[0].row == "BERT" and ref.metrics[0].split == "test"
    with pytest.raises(ValueError, match="no paper block"):
        parse_paper(None, "x")
    with pytest.raises(ValueError, match="lacks split"):
        parse_paper({**PAPER, "split": ""}, "x")
    with pytest.raises(ValueError, match="without a source"):
        parse_paper({**PAPER, "table": ""}, "x")
    with pytest.raises(ValueError, match=r"57.74 % -> 0.5774"):
        parse_paper({**PAPER, "metrics": [{"name": "F1", "ours": "f1", "reported": 57.74}]}, "x")
    with pytest.raises(ValueError, match="needs name, ours and reported"):
        parse_paper({**PAPER, "metrics": [{"name": "F1", "reported": 0.5}]}, "x")
    with pytest.raises(ValueError, match="say why in unverified"):
        parse_paper({**PAPER, "metrics": [{"name": "F1", "ours": "f1", "reported": None}]}, "x")
    unverified = parse_paper({**PAPER, "metrics": [{"name": "F1", "ours": "f1", "reported": None,
                                                    "unverified": "table not readable"}]}, "x")
    assert unverified.metrics[0].reported is None and unverified.metrics[0].unverified == "table not readable"


def test_the_required_experiment_files_are_shipped():
    for name in (
        "ptc2019_slc_length_baseline", "ptc2019_slc_tfidf_lr", "ptc2019_slc_best",
        "ptc2020_tc_length_baseline", "ptc2020_tc_best",
        "babe_bias_tfidf_lr",
    ):
        assert name in SHIPPED, name


@pytest.mark.parametrize("name", SHIPPED)
def test_every_experiment_file_composes_and_builds_its_pipeline(name):
    cfg = compose_experiment(name)
    resolved = OmegaConf.to_container(cfg, resolve=True)  # no missing interpolation
    paper = parse_paper(resolved["paper"], name)
    text = (EXPERIMENTS_DIR / "experiment" / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# @package _global_")
    assert paper.citation and paper.metrics
    assert all(m.source if m.reported is not None else m.unverified for m in paper.metrics)
    assert "issue" not in text.lower()  # sources a reader can follow, not our tracker
    from framing.encoders import MissingExtraError, MissingModelError

    try:
        pipe = build_pipeline(to_python(cfg.features), cfg.model, seed=0)
    except (MissingModelError, MissingExtraError) as exc:  # an embeddings file without the shared model
        pytest.skip(f"{name} needs an encoder that is not available here: {exc}")
    assert pipe.named_steps["clf"] is not None


def test_length_baselines_use_the_organisers_single_feature():
    for name in ("ptc2019_slc_length_baseline", "ptc2020_tc_length_baseline"):
        cfg = compose_experiment(name)
        assert list(cfg.features) == ["length"] and list(cfg.features.length.units) == ["chars"]
        assert cfg.model["_target_"].endswith("LogisticRegression") and cfg.model.class_weight == "balanced"
    assert list(compose_experiment("ptc2020_tc_length_baseline").task.context_features) == []


def test_test_labels_reach_ptc2019_only(tmp_path):
    cfg = compose_experiment("ptc2019_slc_tfidf_lr", test_labels_dir=tmp_path)
    assert cfg.dataset.test_labels_dir == str(tmp_path.resolve())
    assert cfg.dataset.reader.test_labels_dir == str(tmp_path.resolve())  # through the interpolation
    assert "test_labels_dir" not in compose_experiment("babe_bias_tfidf_lr", test_labels_dir=tmp_path).dataset


def test_unknown_experiment_is_an_error_naming_the_known_ones():
    with pytest.raises(ValueError, match="ptc2019_slc_tfidf_lr"):
        compose_experiment("no_such_experiment")


def test_framing_experiment_finds_experiment_files_from_any_directory(tmp_path):
    # the installed entry point (Hydra app), launched elsewhere: the search path is absolute
    out = subprocess.run(
        [sys.executable, "-m", "framing.experiment", "experiment=ptc2019_slc_tfidf_lr", "--cfg", "job"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    job = OmegaConf.create(out.stdout)
    assert job.dataset.name == "ptc2019" and job.paper.metrics[0].row == "BERT"


# --------------------------------------------------------------------------- the table, without running


def _exp(metrics_per_seed, paper=PAPER, overrides=(), failed=0):
    cfg = compose(["dataset=ptc2019", "task=slc", *overrides])
    exp = ExperimentRuns("x", parse_paper(paper, "x"), cfg)
    exp.runs = [SeedRun(i, "FINISHED", m, f"run{i}") for i, m in enumerate(metrics_per_seed)]
    exp.runs += [SeedRun(len(exp.runs) + i, "FAILED", error="ValueError: boom") for i in range(failed)]
    return exp


def test_dev_is_scored_and_said_when_the_paper_split_has_no_gold():
    exp = _exp([{"dev_f1": 0.55}, {"dev_f1": 0.57}])
    prefix, label, reason = scored_split(exp, "f1")
    assert (prefix, label) == ("dev", "dev (paper: test)") and "--test-labels" in reason
    [row] = table_rows([exp])
    assert row["split"] == "dev (paper: test)" and row["metric_key"] == "dev_f1"
    assert row["mean"] == pytest.approx(0.56)
    assert row["sd"] == pytest.approx(np.std([0.55, 0.57], ddof=1))  # sample sd over seeds
    assert row["ours mean ± sd"] == "0.5600 ± 0.0141"
    # another split: not comparable, so no difference and no verdict
    assert row["comparison"].startswith("not comparable: dev vs test") and not row["comparable"]
    assert row["Δ"] == "" and row["within tolerance"] == "" and row["delta"] is None


def test_same_split_same_metric_rows_get_a_verdict():
    exp = _exp([{"dev_f1": 0.1, "test_f1": 0.62}], overrides=["dataset.test_labels_dir=/somewhere"])
    [row] = table_rows([exp])
    assert row["split"] == "test" and row["metric_key"] == "test_f1" and row["reason"] == ""
    assert row["comparison"] == "same split, same metric" and row["Δ"] == "+0.0426"
    assert row["within tolerance"] == "no (above)" and row["ours mean ± sd"] == "0.6200 (1 seed)"
    other_metric = {**PAPER, "metrics": [{"name": "F1", "ours": "f1", "reported": 0.5774}]}
    [row] = table_rows([_exp([{"test_f1": 0.58}], paper=other_metric, overrides=["dataset.test_labels_dir=/x"])])
    assert row["comparison"] == "not comparable: another metric definition" and row["Δ"] == ""


def test_label_source_and_unverified_numbers_are_said():
    paper = {**PAPER, "labels": "official"}
    [row] = table_rows([_exp([{"test_f1": 0.6}], paper=paper, overrides=["dataset.test_labels_dir=/x"])])
    assert row["labels"] == "derived" and row["comparison"] == "not comparable: derived vs official labels"
    [row] = table_rows([_exp([{"test_f1": 0.6}], paper=paper,
                             overrides=["dataset.test_labels_dir=/x", "dataset.slc_labels_dir=/slc"])])
    assert row["labels"] == "official" and row["comparison"] == "same split, same metric"
    unverified = {**PAPER, "metrics": [{"name": "F1", "ours": "f1", "reported": None, "unverified": "unreadable"}]}
    [row] = table_rows([_exp([{"dev_f1": 0.6}], paper=unverified)])
    assert row["reported"] == "—" and "no verified published number" in row["comparison"] and row["Δ"] == ""


def test_bootstrap_intervals_of_the_runs_are_shown():
    runs = [{"dev_f1": 0.55, "dev_f1_ci_low": 0.50, "dev_f1_ci_high": 0.60},
            {"dev_f1": 0.57, "dev_f1_ci_low": 0.52, "dev_f1_ci_high": 0.62}]
    [row] = table_rows([_exp(runs)])
    assert row["95% CI"] == "[0.5100, 0.6100]" and row["ci"] == pytest.approx([0.51, 0.61])
    [row] = table_rows([_exp([{"dev_f1": 0.55}])])
    assert row["95% CI"] == "" and row["ci"] is None


def test_cross_validation_rows_and_failed_seeds():
    paper = {**PAPER, "split": "5-fold CV", "metrics": [{"name": "macro-F1", "ours": "macro_f1", "reported": 0.804,
                                                          "same_metric": True}]}
    exp = _exp([{"cv_macro_f1": 0.78, "cv_macro_f1_std": 0.01}, {"cv_macro_f1": 0.79, "cv_macro_f1_std": 0.02}],
               paper=paper, failed=1)
    [row] = table_rows([exp])
    assert row["split"] == "5-fold CV" and row["fold_sd"] == [0.01, 0.02]
    assert row["comparison"] == "same split, same metric" and row["within tolerance"] == "yes"  # -0.019
    assert row["status"] == "PARTIAL" and "1 of 3 seeds FAILED" in row["ours mean ± sd"]
    [row] = table_rows([_exp([{"cv_macro_f1": 0.6}], paper={**paper, "split": "test"})])
    assert row["split"] == "5-fold CV (paper: test)" and row["comparison"] == "not comparable: 5-fold CV vs test"
    all_failed = _exp([], failed=2)
    [row] = table_rows([all_failed])
    assert row["ours mean ± sd"] == "FAILED" and row["within tolerance"] == "FAILED" and row["Δ"] == ""


# --------------------------------------------------------------------------- end to end on the demo corpus


def _write_experiments(root: Path) -> Path:
    folder = root / "experiment"
    folder.mkdir(parents=True)
    (folder / "demo_slc_tfidf.yaml").write_text(textwrap.dedent("""\
        # @package _global_
        # smoke test: the demo corpus is fictional, the "paper" is made up
        defaults:
          - override /dataset: demo
          - override /task: slc
          - override /features: [tfidf_words]
          - override /model: logreg
        paper:
          citation: "Nobody (2024). A made-up paper for the smoke test."
          short: Nobody 2024
          table: Table 1
          row: baseline
          task: SLC
          split: dev
          tolerance: 0.05
          metrics:
            - {name: F1, ours: f1, reported: 0.5, same_metric: true}
            - {name: P, ours: precision, reported: 0.6, same_metric: true}
          note: smoke test
        """), encoding="utf-8")
    (folder / "demo_broken.yaml").write_text(textwrap.dedent("""\
        # @package _global_
        defaults:
          - override /dataset: demo
          - override /task: slc
          - override /features: [tfidf_words]
        # a valid value, but no term is in 99% of the sentences: fit fails on the corpus
        features:
          tfidf_words:
            min_df: 0.99
        paper:
          citation: "Nobody (2024). A made-up paper for the smoke test."
          short: Nobody 2024
          table: Table 1
          row: broken
          task: SLC
          split: test
          tolerance: 0.05
          metrics:
            - {name: F1, ours: f1, reported: 0.5}
        """), encoding="utf-8")
    return root


def test_reproduce_end_to_end_on_the_demo_corpus(tmp_path, tracking_uri, capsys):
    root = _write_experiments(tmp_path / "exps")
    output = tmp_path / "out" / "RESULTS.md"
    code = cli_main([
        "reproduce", "--all", "--seeds", "2", "--experiments-dir", str(root), "--output", str(output),
        f"tracking.uri={tracking_uri}", "tracking.log_model=false", "report_articles=0",
    ])
    printed = capsys.readouterr().out
    assert code == 1  # one experiment failed: reported, and the exit status says so
    assert all(c in printed for c in ("paper", "ours mean ± sd", "within tolerance"))

    client = MlflowClient(tracking_uri)
    [exp] = [e for e in client.search_experiments() if e.name == "framing"]
    runs = client.search_runs([exp.experiment_id], max_results=100)
    [parent] = [r for r in runs if r.info.run_name == "reproduce"]
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    assert parent.info.status == "FINISHED"
    assert sorted(r.info.run_name for r in children) == [
        "demo_broken-seed0", "demo_broken-seed1", "demo_slc_tfidf-seed0", "demo_slc_tfidf-seed1",
    ]
    status = {r.info.run_name: r.info.status for r in children}
    assert status["demo_broken-seed0"] == "FAILED" and status["demo_slc_tfidf-seed1"] == "FINISHED"
    good = sorted((r for r in children if r.info.run_name.startswith("demo_slc")), key=lambda r: r.info.run_name)
    assert [r.data.params["seed"] for r in good] == ["0", "1"]
    dev_f1 = [r.data.metrics["dev_f1"] for r in good]
    dev_p = [r.data.metrics["dev_precision"] for r in good]

    # RESULTS.md: header, the table with the columns, notes
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Reproduced results")
    assert "framing reproduce --all --seeds 2" in text and "Seeds: 0, 1" in text and "Wall time:" in text
    assert parent.info.run_id in text
    header = "| " + " | ".join(COLUMNS) + " |"
    assert header in text
    lines = [line for line in text.splitlines() if line.startswith("| demo_")]
    cells = {(c[0], c[3]): c for c in ([x.strip() for x in line.strip("|").split("|")] for line in lines)}
    f1 = cells[("demo_slc_tfidf", "F1")]
    assert f1[1] == "Nobody 2024, baseline" and f1[2] == "SLC" and f1[4] == "dev" and f1[5] == "0.5000"
    mean, sd = np.mean(dev_f1), np.std(dev_f1, ddof=1)
    assert f1[6] == f"{mean:.4f} ± {sd:.4f}"
    assert f1[8] == "same split, same metric"
    assert f1[9] == f"{mean - 0.5:+.4f}"
    assert f1[10] == ("yes" if abs(mean - 0.5) <= 0.05 else ("no (below)" if mean < 0.5 else "no (above)"))
    p = cells[("demo_slc_tfidf", "P")]
    assert p[6].startswith(f"{np.mean(dev_p):.4f} ± ")
    broken = cells[("demo_broken", "F1")]
    assert broken[6] == "FAILED" and broken[10] == "FAILED" and broken[4] == "dev (paper: test)"
    assert "seed 0 FAILED: ValueError: After pruning, no terms remain" in text and "- Note: smoke test" in text

    # the same table is logged to the parent run
    logged = Path(client.download_artifacts(parent.info.run_id, "RESULTS.md", str(tmp_path / "dl"))).read_text(encoding="utf-8")
    assert header in logged and logged.count("| demo_") == 3
    table = json.loads(Path(client.download_artifacts(parent.info.run_id, "results.json", str(tmp_path / "dl2"))).read_text())
    rows = [dict(zip(table["columns"], r)) for r in table["data"]]
    row = next(r for r in rows if r["experiment"] == "demo_slc_tfidf" and r["metric"] == "F1")
    assert row["mean"] == pytest.approx(mean) and json.loads(row["values"]) == pytest.approx(dev_f1)
    assert parent.data.metrics["demo_slc_tfidf.dev_f1_mean"] == pytest.approx(mean)


def test_reproduce_refuses_unknown_names_before_running(tmp_path, tracking_uri, capsys):
    root = _write_experiments(tmp_path / "exps")
    code = cli_main(["reproduce", "--experiments-dir", str(root), "--output", str(tmp_path / "R.md"),
                     "nope", f"tracking.uri={tracking_uri}"])
    assert code == 2 and "no experiment 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "R.md").exists() and not (tmp_path / "mlflow.db").exists()


def test_a_run_of_named_files_leaves_the_full_table_alone(tmp_path, tracking_uri, capsys):
    root = _write_experiments(tmp_path / "exps")
    code = cli_main(["reproduce", "--experiments-dir", str(root), "--seeds", "1",
                     "demo_slc_tfidf", f"tracking.uri={tracking_uri}", "tracking.log_model=false"])
    out = capsys.readouterr().out
    assert code == 0 and "demo_slc_tfidf" in out
    assert "RESULTS.md left as it is" in out and not (root / "RESULTS.md").exists()


def test_a_test_labels_folder_without_label_files_is_refused_before_any_run(tmp_path, tracking_uri, capsys):
    root = _write_experiments(tmp_path / "exps")
    empty = tmp_path / "labels"
    empty.mkdir()
    code = cli_main(["reproduce", "--experiments-dir", str(root), "--test-labels", str(empty),
                     "demo_slc_tfidf", f"tracking.uri={tracking_uri}"])
    assert code == 2 and "holds no article<ID>.labels.tsv files" in capsys.readouterr().err
    assert not (tmp_path / "mlflow.db").exists()  # nothing ran

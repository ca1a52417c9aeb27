"""Our SemEval-2020 Task 11 prediction files, run through the organisers' own scorers.

The scorers have no licence, so they are never copied into the project: they
are run by path from ``$FRAMING_SCORERS`` (the folder holding
``semeval2020_task11/``, or that folder itself), else from ``scorers/`` beside
the corpora folder (``$FRAMING_DATA/../scorers``) or beside the project
(``../shared/scorers``). The predictions are the dev gold with deterministic
errors, so no model is trained; the point is that the organisers' scorer
accepts our files and prints our numbers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from framing.resources import PROJECT_ROOT
from framing.data import read_semeval2020
from framing.tasks import SITask, TCTask


def _scorers() -> Path:
    candidates = []
    if os.environ.get("FRAMING_SCORERS"):
        env = Path(os.environ["FRAMING_SCORERS"]).expanduser()
        candidates += [env, env / "semeval2020_task11"]
    if os.environ.get("FRAMING_DATA"):
        candidates.append(Path(os.environ["FRAMING_DATA"]).expanduser().parent / "scorers" / "semeval2020_task11")
    candidates.append(PROJECT_ROOT.parent / "shared" / "scorers" / "semeval2020_task11")
    for folder in candidates:
        if (folder / "task-TC_scorer.py").is_file() and (folder / "task-SI_scorer.py").is_file():
            return folder
    pytest.skip("the SemEval-2020 Task 11 organisers' scorers are not available (set FRAMING_SCORERS to the folder "
                "holding semeval2020_task11/ with task-SI_scorer.py and task-TC_scorer.py)")


@pytest.fixture(scope="module")
def scorers() -> Path:
    return _scorers()


@pytest.fixture(scope="module")
def release(shared_data: Path) -> Path:
    root = shared_data / "ptc_semeval2020"
    if not (root / "dev-task-flc-tc.labels").is_file():
        pytest.skip(f"{root} is missing: the SemEval-2020 Task 11 release is needed")
    return root


@pytest.fixture(scope="module")
def dev(release):
    return read_semeval2020(release, ("dev",))


def _run(scorer: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, scorer.name, *args], cwd=scorer.parent, capture_output=True, text=True,
                          timeout=600)
    return done.stdout + done.stderr


def _number(name: str, output: str) -> float:
    found = re.findall(rf"{name}=([0-9.]+)", output)
    assert found, f"the scorer printed no {name}:\n{output[-2000:]}"
    return float(found[-1])


def test_tc_file_in_gold_order_is_accepted_and_scored_as_ours(scorers, release, dev, tmp_path):
    task = TCTask()
    ex = task.examples(dev["dev"], dev.labels, "lines")
    pred = np.array(ex.y, dtype=object)
    pred[::3] = "Loaded_Language"  # every third span relabelled
    pred[1::7] = "Doubt"
    ours = task.score(ex, pred, None, None).metrics["micro_f1"]
    name, content = task.official_predictions(ex, pred)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = _run(scorers / "task-TC_scorer.py", "-s", str(path), "-r", str(release / "dev-task-flc-tc.labels"),
               "-p", str(scorers / "data" / "propaganda-techniques-names-semeval2020task11.txt"))
    assert "OK: submission file format appears to be correct" in out, out[-2000:]
    assert _number("F1", out) == pytest.approx(ours, abs=5e-7)
    assert 0.3 < ours < 0.9


def test_si_file_is_accepted_and_scored_as_ours(scorers, release, dev, tmp_path):
    task = SITask()
    ex = task.examples(dev["dev"], dev.labels, "lines")
    tags = np.array(ex.y, dtype=np.int64)
    rng = np.random.default_rng(0)
    tags[rng.random(len(tags)) < 0.08] ^= 1  # flip 8 % of the token tags: errors everywhere, gold-less article included
    scores = task.score(ex, tags, None, None)
    name, content = task.official_predictions(ex, tags)
    article_without_gold = "730081389"
    assert article_without_gold in {s.doc_id for s in task.predicted_spans(ex, tags)}  # predicted there ...
    assert article_without_gold not in {row.split("\t")[0] for row in content.splitlines()}  # ... but not submitted
    assert scores.notes and article_without_gold in scores.notes[0]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = _run(scorers / "task-SI_scorer.py", "-s", str(path), "-r", str(release / "dev-task-si.labels"))
    assert "Precision=" in out, out[-2000:]
    precision = float(re.findall(r"Precision=[0-9.]+/[0-9]+=([0-9.]+)", out)[-1])
    recall = float(re.findall(r"Recall=[0-9.]+/[0-9]+=([0-9.]+)", out)[-1])
    assert precision == pytest.approx(scores.metrics["precision"], abs=5e-7)
    assert recall == pytest.approx(scores.metrics["recall"], abs=5e-7)
    assert _number("F1", out) == pytest.approx(scores.metrics["f1"], abs=5e-7)
    assert scores.metrics["precision_all_articles"] < scores.metrics["precision"]

"""The team set-up with real parts: an MLflow server on PostgreSQL, sweeps as SLURM jobs through submitit.

``server`` tests start PostgreSQL (Debian's ``postgresql``) and ``mlflow server
--backend-store-uri postgresql+psycopg://...`` on 127.0.0.1; ``slurm`` tests
also start munge and a one-node SLURM cluster (partition ``cpu``) and submit a
sweep with ``framing-experiment -m hydra/launcher=slurm``. The services are
started once for this module and stopped at its end (tests/live_services.py).
Where a tool is missing the tests are skipped with the reason, and fail instead
when ``FRAMING_REQUIRE_SERVICES=1`` (CI). Lines starting with ``[cluster]`` in
the test log show what ran where: SLURM job ids and states, the server's backend.

``submitit_local`` needs no service and runs in the fast suite.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from live_services import REQUIRE_ENV, MlflowServer, Postgres, ServiceUnavailable, SlurmCluster, services_required
from mlflow.tracking import MlflowClient

from framing.config import compose
from framing.experiment import run

BIN = Path(sys.executable).parent
# compared between the server and SQLite: everything but wall-clock times and memory peaks
VOLATILE = ("time_", "peak_")
SMALL = ["features=[tfidf_words]", "tracking.log_model=false", "report_articles=0", "bootstrap.resamples=50"]

ARTICLE = (
    "Officials Say Talks Will Resume\n\n"
    "The talks were suspended on Monday after the shelling of the city, officials said. "
    "Critics called the decision a shameful betrayal of the victims.\n"
)


def _unavailable(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: the service tests must run here)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def say(pytestconfig):
    """``say(line)``: a ``[cluster]`` line in the test log (shown even when output is captured)."""
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")

    def line(text: str) -> None:
        if reporter is None or capture is None:
            print(f"[cluster] {text}", file=sys.__stderr__, flush=True)
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"[cluster] {text}")

    return line


@pytest.fixture(scope="module")
def postgres(say):
    if importlib.util.find_spec("psycopg") is None:
        _unavailable('psycopg is not installed (MLflow\'s PostgreSQL driver): pip install -e ".[server]"')
    try:
        pg = Postgres()
    except ServiceUnavailable as exc:
        _unavailable(str(exc))
    try:
        pg.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pg.stop()
        _unavailable(f"PostgreSQL did not start: {exc}")
    say(f"PostgreSQL started: {pg.version()} on 127.0.0.1:{pg.port}, database {pg.database}")
    yield pg
    pg.stop()
    say("PostgreSQL stopped")


@pytest.fixture(scope="module")
def server(postgres, say):
    srv = MlflowServer(postgres.url)
    try:
        srv.start()
    except (RuntimeError, OSError) as exc:
        srv.stop()
        pytest.fail(f"mlflow server on PostgreSQL did not start: {exc}")
    say(f"mlflow server {srv.url} --backend-store-uri {postgres.url.replace(postgres.password, '***')}")
    yield srv
    srv.stop()
    say("mlflow server stopped")


@pytest.fixture(scope="module")
def slurm(say):
    try:
        cluster = SlurmCluster(cpus=min(2, os.cpu_count() or 1))
    except ServiceUnavailable as exc:
        _unavailable(str(exc))
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        cluster.stop()
        _unavailable(f"the one-node SLURM cluster did not start: {exc}")
    say("SLURM cluster started: " + " | ".join(cluster.run("sinfo", "-h", "-o", "%P %a %D %T %N %c").split("\n")[:1]))
    yield cluster
    cluster.stop()
    say("SLURM cluster stopped (slurmctld, slurmd, munged)")


def _in_postgres(pg: Postgres, run_id: str) -> str:
    """A run's status read from PostgreSQL itself (not through MLflow)."""
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=pg.port, user=pg.user, password=pg.password,
                         dbname=pg.database) as con:
        row = con.execute("SELECT status FROM runs WHERE run_uuid = %s", (run_id,)).fetchone()
    return row[0] if row else "missing"


def _sweep(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900):
    return subprocess.run([str(BIN / "framing-experiment"), "-m", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "HYDRA_FULL_ERROR": "0", **(env or {})}, timeout=timeout)


def _parent_and_children(uri: str, experiment: str = "framing"):
    client = MlflowClient(uri)
    exp = client.get_experiment_by_name(experiment)
    runs = client.search_runs([exp.experiment_id])
    parents = [r for r in runs if r.data.tags.get("sweep") == "true"]
    assert len(parents) == 1, [r.info.run_name for r in runs]
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parents[0].info.run_id]
    return client, parents[0], children


# --------------------------------------------------------------------------- the tracking server


@pytest.mark.server
@pytest.mark.slow
def test_a_run_on_the_postgres_server_equals_the_same_run_on_sqlite_and_reads_back(
    server, postgres, tmp_path, say, capsys
):
    from framing.cli import main

    overrides = ["features=[tfidf_words]", "report_articles=1", "bootstrap.resamples=50"]
    # SQLite first: logging a model sets MLflow's process-wide tracking URI, which models:/ look-ups follow
    local = run(compose([f"tracking.uri=sqlite:///{tmp_path / 'mlflow.db'}", *overrides]))
    logged = run(compose([f"tracking.uri={server.url}", "tracking.register_model=framing-live-slc", *overrides]))
    client = MlflowClient(server.url)
    on_server = client.get_run(logged.run_id)
    assert on_server.info.status == "FINISHED"
    assert _in_postgres(postgres, logged.run_id) == "FINISHED"
    stable = {k: v for k, v in on_server.data.metrics.items() if not k.startswith(VOLATILE)}
    assert stable and stable == pytest.approx(
        {k: v for k, v in local.metrics.items() if not k.startswith(VOLATILE)})
    say(f"run {logged.run_id} on {server.url}: status FINISHED in PostgreSQL, "
        f"dev_f1 {stable['dev_f1']:.4f} (SQLite: {local.metrics['dev_f1']:.4f}), {len(stable)} metrics equal")

    # artifacts go through the server's proxy into its --artifacts-destination
    names = {a.path for a in client.list_artifacts(logged.run_id)}
    assert {"config.yaml", "predictions", "report", "model"} <= names
    config = Path(client.download_artifacts(logged.run_id, "config.yaml", str(tmp_path)))
    assert "tfidf_words" in config.read_text()
    assert any((server.root / "artifacts").rglob("config.yaml"))

    # the registered model: version 1 (MLflow returns versions as str or int), loadable by framing analyze
    versions = client.search_model_versions("name='framing-live-slc'")
    assert [int(v.version) for v in versions] == [1]
    capsys.readouterr()  # MLflow's "View run" lines
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["analyze", str(article), "--tracking-uri", server.url, "--model", "models:/framing-live-slc/1",
                 "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["models"]["slc"]["uri"] == "models:/framing-live-slc/1"
    assert all(0.0 <= s["propaganda_probability"] <= 1.0 for s in doc["sentences"])

    assert main(["compare", "--uri", server.url, "--format", "tsv", "--columns", "dev_f1,status"]) == 0
    out = capsys.readouterr().out
    assert logged.run_id in out and "FINISHED" in out


@pytest.mark.server
@pytest.mark.slow
def test_a_parallel_sweep_on_the_server_has_a_parent_and_a_failed_child_and_goes_on(server, tmp_path, say):
    # two jobs at once (joblib); the second fails in fit: min_df=0.99 leaves no term on this corpus
    proc = _sweep(["features=[tfidf_words]", "features.tfidf_words.min_df=1,0.99", f"tracking.uri={server.url}",
                   "tracking.experiment_name=joblib-sweep",
                   "tracking.log_model=false", "report_articles=0", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                   f"hydra.sweep.dir={tmp_path / 'multirun'}"], tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "2 runs (1 finished, 1 failed)" in proc.stdout, proc.stdout + proc.stderr
    client, parent, children = _parent_and_children(server.url, "joblib-sweep")
    assert parent.info.status == "FINISHED" and parent.data.tags["children_failed"] == "1"
    assert sorted(r.info.status for r in children) == ["FAILED", "FINISHED"]
    failed = next(r for r in children if r.info.status == "FAILED")
    traceback = Path(client.download_artifacts(failed.info.run_id, "error/traceback.txt", str(tmp_path)))
    assert "no terms remain" in traceback.read_text()
    say(f"joblib sweep on {server.url}: parent {parent.info.run_id} FINISHED, children "
        + ", ".join(f"{r.info.run_id} {r.info.status}" for r in children))


# --------------------------------------------------------------------------- SLURM


@pytest.mark.server
@pytest.mark.slurm
@pytest.mark.slow
def test_a_sweep_submitted_to_slurm_runs_as_jobs_of_partition_cpu_and_logs_to_the_server(
    slurm, server, tmp_path, say
):
    sweep_dir = tmp_path / "multirun"
    started = time.monotonic()
    proc = _sweep(["hydra/launcher=slurm", f"hydra.launcher.partition={slurm.partition}",
                   "hydra.launcher.cpus_per_task=1", "hydra.launcher.mem_gb=1", "hydra.launcher.timeout_min=10",
                   "model=logreg,linear_svm", *SMALL, f"tracking.uri={server.url}", "tracking.experiment_name=slurm-sweep",
                   f"hydra.sweep.dir={sweep_dir}"],
                  tmp_path, env=slurm.env, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 runs (2 finished, 0 failed)" in proc.stdout, proc.stdout + proc.stderr

    job_ids = sorted(p.name for p in (sweep_dir / ".submitit").iterdir() if re.fullmatch(r"\d+_\d+", p.name))
    assert len(job_ids) == 2, job_ids
    for job_id in job_ids:
        job = slurm.job(job_id)
        assert (job.get("JobState"), job.get("Partition")) == ("COMPLETED", "cpu"), job
        log = (sweep_dir / ".submitit" / job_id / f"{job_id}_0_log.out").read_text()
        assert f"framing: SLURM job {job['JobId']}" in log  # the launcher's setup hook ran in the job
        say(f"SLURM job {job_id} (JobId {job['JobId']}): JobState={job['JobState']} Partition={job['Partition']} "
            f"NodeList={job.get('NodeList')} ExitCode={job.get('ExitCode')}")

    _, parent, children = _parent_and_children(server.url, "slurm-sweep")
    assert parent.info.status == "FINISHED"
    assert sorted(r.info.status for r in children) == ["FINISHED", "FINISHED"]
    assert sorted(r.data.tags.get("slurm_job_id") for r in children) == job_ids
    assert {r.data.tags.get("slurm_partition") for r in children} == {"cpu"}
    assert sorted(r.data.tags["model"] for r in children) == ["LinearSVC", "LogisticRegression"]
    for r in children:
        say(f"MLflow run {r.info.run_id} ({r.info.run_name}) {r.info.status} on {server.url}, "
            f"logged from SLURM job {r.data.tags['slurm_job_id']}, dev_f1 {r.data.metrics['dev_f1']:.4f}")
    say(f"SLURM sweep: parent {parent.info.run_id} FINISHED, 2 jobs in {time.monotonic() - started:.0f} s")


@pytest.mark.slow
def test_a_sweep_with_the_submitit_local_launcher_has_a_parent_and_its_children(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    proc = _sweep(["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10", "hydra.launcher.cpus_per_task=1",
                   "model=logreg,linear_svm", *SMALL, f"tracking.uri={uri}",
                   f"hydra.sweep.dir={tmp_path / 'multirun'}"], tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 runs (2 finished, 0 failed)" in proc.stdout, proc.stdout + proc.stderr
    _, parent, children = _parent_and_children(uri)
    assert parent.info.status == "FINISHED"
    assert sorted(r.data.tags["model"] for r in children) == ["LinearSVC", "LogisticRegression"]
    assert {r.info.status for r in children} == {"FINISHED"}
    assert not any("slurm_job_id" in r.data.tags for r in children)


def test_scheduler_tags_name_the_slurm_job_as_squeue_shows_it():
    from framing.tracking import scheduler_state

    assert scheduler_state({}) == {}
    assert scheduler_state({"SLURM_JOB_ID": "7", "SLURM_JOB_PARTITION": "cpu", "SLURMD_NODENAME": "n1"}) == {
        "slurm_job_id": "7", "slurm_partition": "cpu", "slurm_node": "n1"}
    # a task of an array: its own job id differs from the array's id shown by squeue
    assert scheduler_state({"SLURM_JOB_ID": "12", "SLURM_ARRAY_JOB_ID": "10", "SLURM_ARRAY_TASK_ID": "2",
                            "SLURM_RESTART_COUNT": "1"}) == {"slurm_job_id": "10_2", "slurm_restart_count": "1"}

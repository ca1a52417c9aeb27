"""Real services for the cluster tests: PostgreSQL, an MLflow server on it, munge and a one-node SLURM cluster.

Each service runs from a fresh temporary folder on free ports of 127.0.0.1 and
is stopped by its ``stop()`` (the test fixtures call it at the end of the
session), so the machine is left as it was found. Nothing here touches the
system's own PostgreSQL cluster, munge key or ``/etc/slurm``.

- :class:`Postgres`: ``initdb`` + ``pg_ctl`` of Debian's ``postgresql`` package
  (run as the ``postgres`` user when the tests run as root, since PostgreSQL
  refuses to run as root), a login role and a database for MLflow.
- :class:`MlflowServer`: ``mlflow server --backend-store-uri postgresql+psycopg://...``
  with a local ``--artifacts-destination`` (artifacts proxied over HTTP).
- :class:`SlurmCluster`: ``munged`` with its own key, then ``slurmctld`` and
  ``slurmd`` (Debian's ``slurm-wlm``) from a generated ``slurm.conf``: one node
  ``localhost``, one partition ``cpu``, no cgroups, no accounting database.
  Clients find it through ``SLURM_CONF``.

A missing tool raises :class:`ServiceUnavailable` with the reason; the test
fixtures turn it into a skip, or a failure when ``FRAMING_REQUIRE_SERVICES=1``
(as CI sets it: there, a service that cannot start is an error, never a pass).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

#: Set to 1 to fail (instead of skip) when a service cannot be started.
REQUIRE_ENV = "FRAMING_REQUIRE_SERVICES"
BIN = Path(sys.executable).parent


class ServiceUnavailable(RuntimeError):
    """A service cannot be started here (a tool is missing or refused to start); the message says which."""


def services_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") == "1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_root() -> bool:
    return os.geteuid() == 0


def _as_user(user: str) -> list[str]:
    """Command prefix that runs a command as ``user`` when we are root (nothing otherwise)."""
    if not _is_root():
        return []
    runuser = shutil.which("runuser") or shutil.which("setpriv")
    if runuser is None:
        raise ServiceUnavailable(f"running as root and neither runuser nor setpriv is installed to start {user} services")
    try:
        pwd.getpwnam(user)
    except KeyError as exc:
        raise ServiceUnavailable(f"running as root and the system user {user!r} does not exist") from exc
    if runuser.endswith("runuser"):
        return [runuser, "-u", user, "--"]
    return [runuser, f"--reuid={user}", f"--regid={user}", "--init-groups", "--"]


def _chown(path: Path, user: str) -> None:
    if _is_root():
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return f"(no log at {path})"


def _wait_for(check, timeout: float, what: str, log: Path | None = None, proc: subprocess.Popen | None = None) -> None:
    """Poll ``check()`` until true; raise with the log's tail after ``timeout`` s or when ``proc`` died."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - any failure of a probe means "not yet"
            pass
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}:\n{_tail(log) if log else ''}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {timeout:.0f} s:\n{_tail(log) if log else ''}")
        time.sleep(0.5)


def _stop(proc: subprocess.Popen | None, timeout: float = 30) -> None:
    """End a service started with ``start_new_session=True``: its whole process group (workers, wrapped daemons)."""
    if proc is None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=timeout)
            # the leader is gone; give its group a moment, then make sure nothing of it is left
            time.sleep(1)
            os.killpg(proc.pid, signal.SIGKILL)
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            pass
        return


def _service_dir(prefix: str) -> Path:
    """A fresh folder under the system temp dir that service users can enter (pytest's are 0700 root)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


# --------------------------------------------------------------------------- PostgreSQL


def postgres_bindir() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl`` (newest Debian ``/usr/lib/postgresql/<v>/bin``, else PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3].split(".")[0]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    raise ServiceUnavailable("PostgreSQL is not installed (no initdb/pg_ctl): apt-get install postgresql")


class Postgres:
    """A throw-away PostgreSQL cluster on 127.0.0.1 with one login role and one database.

    Attributes
    ----------
    url : str
        SQLAlchemy URL for MLflow, ``postgresql+psycopg://<user>:<password>@127.0.0.1:<port>/<db>``.
    """

    user = "framing"
    database = "mlflow"

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self.root = _service_dir("framing-pg-")
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self.password = secrets.token_hex(12)
        self.url = f"postgresql+psycopg://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"
        self.started = False

    def _run(self, *argv: str, as_owner: bool = True) -> str:
        cmd = (_as_user("postgres") if as_owner else []) + list(argv)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.root)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}\n{_tail(self.log)}")
        return proc.stdout

    def start(self) -> Postgres:
        _chown(self.root, "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-E", "UTF8",
                  "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "120", "start")
        self.started = True
        psql = [str(self.bindir / "psql"), "-h", str(self.root), "-p", str(self.port), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q", "-c"]
        self._run(*psql, f"CREATE ROLE {self.user} LOGIN PASSWORD '{self.password}'")
        self._run(*psql, f"CREATE DATABASE {self.database} OWNER {self.user}")
        return self

    def version(self) -> str:
        return self._run(str(self.bindir / "postgres"), "--version").strip()

    def stop(self) -> None:
        if self.started:
            subprocess.run(_as_user("postgres") + [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                                   "-w", "-t", "60", "stop"], capture_output=True, timeout=120)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


# --------------------------------------------------------------------------- MLflow server


class MlflowServer:
    """``mlflow server`` on 127.0.0.1 with a given backend store and a local artifact folder it serves."""

    def __init__(self, backend_store_uri: str) -> None:
        if not (BIN / "mlflow").exists():
            raise ServiceUnavailable(f"no mlflow command beside {sys.executable}")
        self.backend_store_uri = backend_store_uri
        self.root = _service_dir("framing-mlflow-")
        self.log = self.root / "mlflow-server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> MlflowServer:
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "mlflow"), "server", "--backend-store-uri", self.backend_store_uri,
                 "--artifacts-destination", str(self.root / "artifacts"),
                 "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1"],
                stdout=log, stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True,
            )

        def healthy() -> bool:
            with urllib.request.urlopen(f"{self.url}/health", timeout=2) as resp:
                return resp.status == 200

        # the first start on an empty database creates MLflow's tables (a minute on a loaded machine)
        _wait_for(healthy, timeout, "mlflow server", self.log, self.proc)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            # the server's uvicorn/gunicorn workers are its children: _stop ends the whole group
            _stop(self.proc)
            self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)


# --------------------------------------------------------------------------- SLURM


def _mem_total_mb() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    raise ServiceUnavailable("cannot read MemTotal from /proc/meminfo")


SLURM_CONF = """\
# One-node SLURM cluster for the framing tests (generated; see tests/live_services.py).
ClusterName=framing
SlurmctldHost=localhost
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser={user}
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={munge_socket}
CredType=cred/munge
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
# finished jobs stay visible to scontrol for 10 minutes (there is no accounting database for sacct)
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={mem_mb} State=UNKNOWN
PartitionName=cpu Nodes=localhost Default=YES MaxTime=60 State=UP
"""


class SlurmCluster:
    """munged + slurmctld + slurmd on localhost; partition ``cpu`` with one node of ``cpus`` CPUs.

    Needs root (slurmd starts job steps as the submitting user). ``env`` holds
    ``SLURM_CONF`` for the clients (``sbatch``, ``squeue``, ``scontrol``) and
    the processes that call them (submitit).
    """

    partition = "cpu"

    def __init__(self, cpus: int = 2) -> None:
        missing = [t for t in ("munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo") if not shutil.which(t)]
        if missing:
            raise ServiceUnavailable(f"SLURM is not installed (missing {', '.join(missing)}): "
                                     "apt-get install slurm-wlm munge")
        if not _is_root():
            raise ServiceUnavailable("a one-node SLURM cluster needs root (slurmd starts jobs as their user)")
        self.cpus = cpus
        self.root = _service_dir("framing-slurm-")
        self.conf = self.root / "slurm.conf"
        self.munge_dir = self.root / "munge"
        self.munge_socket = self.munge_dir / "munge.socket.2"
        self.env = {"SLURM_CONF": str(self.conf)}
        self.procs: dict[str, subprocess.Popen] = {}

    def _munge(self) -> None:
        # munged wants its socket folder enterable by all (clients connect as any user), not writable by them
        self.munge_dir.mkdir()
        self.munge_dir.chmod(0o755)
        key = self.munge_dir / "munge.key"
        if shutil.which("mungekey"):
            subprocess.run(["mungekey", "--create", f"--keyfile={key}", "--force"], check=True, capture_output=True)
        else:
            key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        _chown(key, "munge")
        _chown(self.munge_dir, "munge")
        log = self.munge_dir / "munged.log"
        self.procs["munged"] = subprocess.Popen(
            _as_user("munge") + ["munged", "--foreground", f"--key-file={key}", f"--socket={self.munge_socket}",
                                 f"--pid-file={self.munge_dir / 'munged.pid'}", f"--log-file={log}",
                                 f"--seed-file={self.munge_dir / 'munged.seed'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        _wait_for(self.munge_socket.exists, 30, "munged", log, self.procs["munged"])

    def start(self, timeout: float = 120) -> SlurmCluster:
        self._munge()
        for sub in ("state", "spool"):
            (self.root / sub).mkdir()
        self.conf.write_text(SLURM_CONF.format(
            ctld_port=free_port(), slurmd_port=free_port(), user=pwd.getpwuid(os.geteuid()).pw_name,
            munge_socket=self.munge_socket, root=self.root, cpus=self.cpus,
            mem_mb=int(_mem_total_mb() * 0.8),
        ))
        env = {**os.environ, **self.env}
        self.procs["slurmctld"] = subprocess.Popen(
            ["slurmctld", "-D", "-c", "-i", "-f", str(self.conf)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.procs["slurmd"] = subprocess.Popen(
            ["slurmd", "-D", "-N", "localhost", "-f", str(self.conf)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )

        def idle() -> bool:
            for name in ("slurmctld", "slurmd"):
                if self.procs[name].poll() is not None:
                    raise RuntimeError(f"{name} exited with status {self.procs[name].returncode}:\n"
                                       + _tail(self.root / f"{name}.log"))
            state = self.run("sinfo", "-h", "-p", self.partition, "-o", "%T").strip()
            if state.startswith(("down", "drain")):
                self.run("scontrol", "update", "nodename=localhost", "state=resume", check=False)
            return state.startswith("idle")

        try:
            _wait_for(idle, timeout, "slurm node localhost in partition cpu", self.root / "slurmctld.log")
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\nslurmd.log:\n{_tail(self.root / 'slurmd.log')}") from None
        return self

    def run(self, *argv: str, check: bool = True) -> str:
        """Output of a SLURM client command against this cluster."""
        proc = subprocess.run(list(argv), env={**os.environ, **self.env}, capture_output=True, text=True, timeout=60)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc.stdout

    def job(self, job_id: str) -> dict[str, str]:
        """``scontrol show job`` fields of one job (``JobState``, ``Partition``, ``NodeList``...)."""
        fields: dict[str, str] = {}
        for token in self.run("scontrol", "show", "job", "-o", job_id).split():
            key, sep, value = token.partition("=")
            if sep and key not in fields:
                fields[key] = value
        return fields

    def stop(self) -> None:
        for name in ("slurmd", "slurmctld", "munged"):
            _stop(self.procs.pop(name, None))
        shutil.rmtree(self.root, ignore_errors=True)

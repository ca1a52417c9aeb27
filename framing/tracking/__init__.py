"""Tracking with MLflow: the only package that imports mlflow.

- :mod:`framing.tracking.runs`: :class:`~framing.tracking.runs.Tracker` (an
  experiment) and :class:`~framing.tracking.runs.RunLog` (one run: params,
  metrics, artifacts, the model), :func:`~framing.tracking.runs.search_runs`;
- :mod:`framing.tracking.registry`: the model store (resolve a model URI,
  download it once into a local cache, load it), as ``framing analyze`` uses it.

This package face does not import mlflow (importing it takes longer than
analysing an article): it defines the default tracking URI, the SQLite path
parsing and the store check once, and hands the names of the two modules on
when they are first asked for (``from framing.tracking import Tracker``).

The default tracking URI is a SQLite database at an absolute path in the
project root (``sqlite:///<project>/mlflow.db``), with artifacts in
``<project>/mlartifacts``: absolute, because Hydra jobs may run in other
working directories and MLflow's relative defaults would scatter ``mlruns``
folders. ``MLFLOW_TRACKING_URI`` or ``tracking.uri`` override it.
"""

from __future__ import annotations

import importlib
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from framing.errors import UserError
from framing.resources import PROJECT_ROOT, console_script

#: Environment variable through which a sweep's parent run id reaches its jobs.
PARENT_RUN_ENV = "FRAMING_MLFLOW_PARENT_RUN_ID"
#: File in the Hydra sweep directory holding the parent run id.
PARENT_RUN_FILE = "mlflow_parent_run_id"


def default_tracking_uri() -> str:
    """``$MLFLOW_TRACKING_URI``, else SQLite at ``<project root>/mlflow.db``."""
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{PROJECT_ROOT / 'mlflow.db'}"



def sqlite_path(uri: str) -> Path | None:
    """The database file of a ``sqlite:///`` URI (None for other stores)."""
    if uri.startswith("sqlite:///"):
        return Path(uri[len("sqlite:///") :].split("?", 1)[0])
    return None


class TrackingError(UserError, ValueError):
    """The tracking URI cannot be used: its server does not answer, or its database does not exist."""


def check_store(uri: str, must_exist: bool = False, timeout: float = 5.0) -> None:
    """Fail fast, with a clear message, on a tracking store that cannot answer.

    MLflow retries an unreachable server for minutes before raising; this asks
    the server's ``/health`` endpoint once instead.

    Parameters
    ----------
    uri : str
        Tracking URI.
    must_exist : bool
        For commands that only read: a ``sqlite:///`` database must exist
        (MLflow would silently create an empty one).
    timeout : float
        Seconds to wait for an ``http(s)://`` server.

    Raises
    ------
    TrackingError
        If the server does not answer or the database is missing.
    """
    if uri.startswith(("http://", "https://")):
        try:
            urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=timeout).close()
        except urllib.error.HTTPError:
            return  # it answered (a proxy may not route /health)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TrackingError(
                f"cannot reach the MLflow tracking server {uri}: {reason} "
                "(is `mlflow server` running there? check --uri / MLFLOW_TRACKING_URI)"
            ) from None
    elif must_exist and uri.startswith("sqlite:///"):
        db = sqlite_path(uri)
        if not db.exists():
            raise TrackingError(f"no MLflow database at {db}: nothing has been logged there (check --uri / MLFLOW_TRACKING_URI)")


def local_artifact_location(uri: str) -> str | None:
    """Absolute artifact folder beside a local SQLite database (None for servers)."""
    db = sqlite_path(uri)
    return (db.resolve().parent / "mlartifacts").as_uri() if db is not None else None


def ui_command(uri: str) -> str:
    """The command that opens the MLflow UI on a tracking URI, runnable as printed (:func:`console_script`)."""
    if uri.startswith(("http://", "https://")):
        return f"open {uri}"
    location = local_artifact_location(uri)
    extra = f" --default-artifact-root {location}" if location else ""
    return f"{console_script('mlflow')} ui --backend-store-uri {uri}{extra}"  # .venv/bin/mlflow under make


# Names of the modules below, handed on when first used (they import mlflow).
_LAZY = {
    "runs": ("Tracker", "RunLog", "flatten", "git_state", "scheduler_state", "model_requirements", "read_run", "search_runs",
             "FilterSyntaxError"),
    "registry": ("ModelError", "ModelStore", "download_model", "latest_model_version", "registry_fingerprint"),
}


def __getattr__(name: str) -> Any:
    for module, names in _LAZY.items():
        if name in names:
            return getattr(importlib.import_module(f"framing.tracking.{module}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

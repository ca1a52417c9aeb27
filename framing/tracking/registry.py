"""The model store: resolve a logged model's URI, download it once, load it.

Used by ``framing analyze`` and by anyone applying a logged pipeline to new
text. Importing mlflow takes longer than analysing an article, so mlflow is
only imported to resolve and download a model the first time. Models are
kept in ``<FRAMING_CACHE>/models/`` keyed by their immutable URI
(``runs:/<id>/...``, ``models:/<name>/<version>``), and the pickled pipeline
is loaded straight from the downloaded MLflow model folder. "The latest
version of <name>" in a local SQLite registry is remembered together with the
database file's size and modification time, and asked again only when the
database has changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.errors import UserError
from framing.resources import cache_dir
from framing.tracking import TrackingError, check_store, default_tracking_uri, sqlite_path

# Schemes MLflow resolves through the tracking server / registry (or its artifact stores).
_MODEL_URI_SCHEMES = ("runs:/", "models:/", "file:", "s3:", "gs:", "wasbs:", "hdfs:", "dbfs:", "mlflow-artifacts:")
_IMMUTABLE_URI = re.compile(r"^(runs:/[^/]+/.+|models:/[^/@]+/\d+|models:/m-[0-9a-f]+)$")


class ModelError(UserError):
    """No usable model: none registered, a URI that names nothing, a model of the wrong kind (exit status 1)."""

    exit_code = 1


@dataclass
class StoredModel:
    """A loaded model and its entry in MLflow.

    Parameters
    ----------
    pipeline : fitted estimator
        The unpickled scikit-learn pipeline.
    card : dict
        Its ``MLmodel`` metadata (:func:`framing.models.model_card`; empty for
        models logged without one).
    uri : str
        The immutable URI it was loaded from (or the local folder).
    name, version : str or None
        Registered name and version, when loaded through the registry.
    run_id : str or None
    """

    pipeline: Any
    card: dict
    uri: str
    name: str | None = None
    version: str | None = None
    run_id: str | None = None


def incompatible_message(uri: str, exc: BaseException, retrain: str = "") -> str:
    """What to say when a pickled model does not fit the installed framing code.

    ``retrain`` is the command to suggest (default: the run's own command).
    """
    how = f"e.g. with: {retrain}" if retrain else "with the command of its run (its config.yaml artifact)"
    return (
        f"{uri} cannot be used with the installed version of framing ({type(exc).__name__}: "
        f"{first_line(exc)}); it was probably trained with other feature code (see the run's git_commit "
        f"tag). Retrain it, {how}"
    )


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name when empty)."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def latest_model_version(name: str, uri: str | None = None) -> str | None:
    """The highest READY version registered under ``name``, or None.

    Parameters
    ----------
    name : str
        Registered model name (``framing-slc``).
    uri : str, optional
        Tracking (and registry) URI; default :func:`default_tracking_uri`.

    Returns
    -------
    str or None
        The version number as MLflow writes it (``"3"``); None when the name
        is not registered or has no READY version.
    """
    if "'" in name:
        raise ValueError(f"registered model names with quotes are not supported: {name!r}")
    from mlflow.tracking import MlflowClient

    uri = uri or default_tracking_uri()
    check_store(uri)
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    versions = client.search_model_versions(f"name = '{name}'")
    ready = [int(v.version) for v in versions if str(v.status).upper().endswith("READY")]
    return str(max(ready)) if ready else None


def download_model(model_uri: str, dst: str | Path, uri: str | None = None) -> dict[str, Any]:
    """Download an MLflow scikit-learn model and describe it.

    Parameters
    ----------
    model_uri : str
        ``runs:/<run id>/<path>``, ``models:/<name>/<version>``,
        ``models:/<name>@<alias>`` or ``models:/<model id>``.
    dst : str or Path
        Folder to download into (created).
    uri : str, optional
        Tracking (and registry) URI; default :func:`default_tracking_uri`.

    Returns
    -------
    dict
        ``path`` (the local model folder), ``pickled_model`` (file name in it),
        ``serialization_format``, ``sklearn_version``, ``metadata`` (the
        ``MLmodel`` metadata, ``{}`` when none), ``run_id``, and for
        registered versions ``name`` and ``version``.

    Raises
    ------
    ValueError
        If the model has no scikit-learn flavor.
    mlflow.exceptions.MlflowException
        If the URI names nothing (MLflow's message says what is missing).
    """
    from mlflow.artifacts import download_artifacts
    from mlflow.models import Model

    uri = uri or default_tracking_uri()
    check_store(uri, must_exist=True)  # reading must not create an empty database
    info: dict[str, Any] = {"model_uri": model_uri, "name": None, "version": None, "run_id": None}
    location = artifact_location(model_uri, uri, info)
    Path(dst).mkdir(parents=True, exist_ok=True)
    # ``location`` is a plain artifact URI (file:, mlflow-artifacts:, s3:...): MLflow resolves no
    # runs:/ or models:/ URI against its default store, which would be the working directory's mlflow.db.
    with _mlflow_uris(uri):
        local = download_artifacts(artifact_uri=location, dst_path=str(dst), tracking_uri=uri)
    model = Model.load(local)
    flavor = model.flavors.get("sklearn")
    if flavor is None:
        raise ValueError(f"{model_uri} is not a scikit-learn model (flavors: {sorted(model.flavors)})")
    info.update(
        path=str(local),
        pickled_model=flavor["pickled_model"],
        serialization_format=flavor.get("serialization_format", "cloudpickle"),
        sklearn_version=flavor.get("sklearn_version"),
        metadata=dict(model.metadata or {}),
        run_id=info["run_id"] or model.run_id,
    )
    return info


def artifact_location(model_uri: str, uri: str, info: dict[str, Any] | None = None) -> str:
    """Where a model's files are, asked of the tracking store at ``uri`` alone.

    MLflow's own resolution of ``models:/`` (and of ``runs:/<id>/<model>``,
    which MLflow 3 turns into ``models:/<model id>``) asks the default
    registry, not the one the caller names: from a folder other than the one
    holding the database it finds nothing and creates an empty ``mlflow.db``
    there. This resolves every form with a client bound to ``uri``.

    Parameters
    ----------
    model_uri : str
        ``runs:/<run id>/<path>``, ``models:/<name>/<version>[/<path>]``,
        ``models:/<name>@<alias>[/<path>]``, ``models:/<model id>`` or an
        artifact URI (returned as it is).
    uri : str
        Tracking (and registry) URI.
    info : dict, optional
        Filled with ``name``, ``version`` and ``run_id`` where known.

    Returns
    -------
    str
        An artifact URI (``file:///...``, ``mlflow-artifacts:/...``, ``s3://...``).

    Raises
    ------
    mlflow.exceptions.MlflowException
        If the name, version, alias, model or run does not exist in ``uri``.
    """
    from mlflow.tracking import MlflowClient

    info = info if info is not None else {}
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    if model_uri.startswith("models:/"):
        head, _, rest = model_uri[len("models:/") :].partition("/")
        if "@" in head:  # models:/<name>@<alias>[/<path>]
            name, _, alias = head.partition("@")
            found = client.get_model_version_by_alias(name, alias)
            version, path = str(found.version), rest
        elif rest.split("/", 1)[0].isdigit():  # models:/<name>/<version>[/<path>]
            name = head
            version, _, path = rest.partition("/")
            found = client.get_model_version(name, version)
        else:  # models:/<model id>[/<path>]
            logged = client.get_logged_model(head)
            info["run_id"] = logged.source_run_id
            return _join(logged.artifact_location, rest)
        info.update(name=name, version=version, run_id=found.run_id)
        return _join(client.get_model_version_download_uri(name, version), path)
    if model_uri.startswith("runs:/"):
        run_id, _, path = model_uri[len("runs:/") :].partition("/")
        run = client.get_run(run_id)
        info["run_id"] = run_id
        model_name, _, rest = path.partition("/")
        if model_name:  # a model logged by the run (MLflow 3 keeps it outside the run's artifacts)
            page_token = None
            while True:
                page = client.search_logged_models(experiment_ids=[run.info.experiment_id],
                                                   filter_string=f"name = '{model_name}'", page_token=page_token)
                for logged in page:
                    if logged.source_run_id == run_id:
                        return _join(logged.artifact_location, rest)
                page_token = page.token
                if not page_token:
                    break
        return _join(run.info.artifact_uri, path)
    return model_uri


def _join(base: str, path: str) -> str:
    return f"{base.rstrip('/')}/{path.strip('/')}" if path.strip("/") else base


class _mlflow_uris:
    """``MLFLOW_TRACKING_URI`` and ``MLFLOW_REGISTRY_URI`` set to ``uri`` within the block.

    A second guard: any lookup MLflow makes of its default store inside the
    block asks the store the caller named, never a database in the working
    directory.
    """

    _names = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def __enter__(self):
        self.before = {k: os.environ.get(k) for k in self._names}
        os.environ.update({k: self.uri for k in self._names})

    def __exit__(self, *exc) -> None:
        for key, value in self.before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def registry_fingerprint(uri: str) -> list[int] | None:
    """Size and modification time of a local SQLite registry (and its WAL file).

    Unchanged values mean no model was registered since; None for other
    stores, whose answers are not cached.
    """
    db = sqlite_path(uri)
    if db is None:
        return None
    out = []
    for path in (db, db.with_name(db.name + "-wal")):
        try:
            st = path.stat()
            out += [st.st_size, st.st_mtime_ns]
        except FileNotFoundError:
            out += [-1, -1]
    return out


class ModelStore:
    """Finds, downloads (once) and loads logged scikit-learn models.

    Parameters
    ----------
    tracking_uri : str, optional
        MLflow tracking and registry URI; default ``$MLFLOW_TRACKING_URI`` or
        the project's ``mlflow.db``.
    cache : Path or None, optional
        Folder of downloaded models; default ``<FRAMING_CACHE>/models``
        (``None`` when ``FRAMING_CACHE=off``: download to a temporary folder
        on every call).
    """

    def __init__(self, tracking_uri: str | None = None, cache: Path | None | str = "default") -> None:
        self.tracking_uri = tracking_uri or default_tracking_uri()
        if cache == "default":
            root = cache_dir()
            cache = root / "models" if root is not None else None
        self.cache = Path(cache) if cache is not None else None

    def _folder(self, uri: str) -> Path:
        """Cache folder of an immutable model URI."""
        return self.cache / hashlib.sha1(f"{self.tracking_uri}\n{uri}".encode()).hexdigest()[:20]

    # -- resolving
    def _registry_cache(self) -> dict:
        if self.cache is None:
            return {}
        try:
            return json.loads((self.cache / "registry.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def latest_version(self, name: str) -> str | None:
        """The latest registered version of ``name`` (None when there is none)."""
        db = sqlite_path(self.tracking_uri)
        if db is not None and not db.exists():
            return None  # asking MLflow would create an empty database
        key = f"{self.tracking_uri}\n{name}"
        fingerprint = registry_fingerprint(self.tracking_uri)
        remembered = self._registry_cache().get(key)
        if fingerprint is not None and remembered and remembered.get("fingerprint") == fingerprint:
            return remembered.get("version")
        try:
            version = latest_model_version(name, self.tracking_uri)
        except TrackingError as exc:
            raise ModelError(str(exc)) from None
        # remember the answer only if nothing was registered while MLflow answered
        if fingerprint is not None and self.cache is not None and registry_fingerprint(self.tracking_uri) == fingerprint:
            data = self._registry_cache()
            data[key] = {"version": version, "fingerprint": fingerprint}
            _write_json_atomic(self.cache / "registry.json", data)
        return version

    def resolve(self, reference: str) -> str:
        """An immutable URI for ``reference`` (``models:/name/latest`` -> ``models:/name/7``)."""
        if reference.startswith("models:/") and reference.endswith("/latest"):
            name = reference[len("models:/") : -len("/latest")]
            version = self.latest_version(name)
            if version is None:
                raise ModelError(f"no version of {name!r} is registered in {self.tracking_uri}")
            return f"models:/{name}/{version}"
        return reference

    # -- fetching and loading
    def fetch(self, uri: str) -> dict:
        """Local copy of a model and its description (downloaded on first use)."""
        if ":/" not in uri and (Path(uri) / "MLmodel").exists():  # a model folder on disk
            return describe_local_folder(Path(uri))
        if not uri.startswith(_MODEL_URI_SCHEMES):
            what = "a folder without an MLmodel file" if Path(uri).is_dir() else "not a model URI"
            raise ModelError(f"{uri}: {what}; expected runs:/<run id>/<path>, models:/<name>/<version>, "
                             "models:/<name>/latest, models:/<name>@<alias>, models:/<model id>, or a model folder")
        cacheable = bool(_IMMUTABLE_URI.match(uri)) and self.cache is not None
        if cacheable:
            folder = self._folder(uri)
            try:
                return json.loads((folder / "framing-model.json").read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                pass
        import tempfile

        os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")  # keep stderr readable
        parent = self.cache if cacheable else None
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="download-", dir=parent))
        try:
            info = download_model(uri, staging / "model", self.tracking_uri)
        except Exception as exc:  # MlflowException, missing run, unreachable server...
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
            raise ModelError(f"cannot load model {uri} from {self.tracking_uri}: {first_line(exc)}") from exc
        info["path"] = str(Path(info["path"]).relative_to(staging))
        if not cacheable:  # removed by load() once unpickled
            info["path"] = str(staging / info["path"])
            info["temporary"] = str(staging)
            return info
        _write_json_atomic(staging / "framing-model.json", info)
        try:
            os.replace(staging, folder)
        except OSError:  # another process stored it first: use theirs
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
        stored = json.loads((folder / "framing-model.json").read_text(encoding="utf-8"))
        return stored

    def load(self, reference: str) -> StoredModel:
        """Load a model (downloading it on first use).

        Parameters
        ----------
        reference : str
            ``runs:/<run id>/<path>``, ``models:/<name>/<version>``,
            ``models:/<name>/latest``, ``models:/<name>@<alias>``,
            ``models:/<model id>`` or a local MLflow model folder.

        Raises
        ------
        ModelError
            If the URI names nothing, the model is not a scikit-learn model,
            or it cannot be unpickled with the installed code.
        framing.encoders.MissingExtraError
            If the model has embedding features and the extra ``embeddings`` is not installed.
        """
        uri = self.resolve(reference)
        info = self.fetch(uri)
        folder = Path(info["path"])
        if not folder.is_absolute():
            folder = self._folder(uri) / folder
        import pickle

        try:
            if info.get("serialization_format") not in (None, "cloudpickle", "pickle"):
                raise ModelError(f"{uri}: serialization format {info['serialization_format']!r} is not supported")
            # cloudpickle writes ordinary pickles for importable classes; pickle.load reads them
            with open(folder / info["pickled_model"], "rb") as fh:
                pipeline = pickle.load(fh)
        except (AttributeError, ImportError, pickle.UnpicklingError, EOFError, TypeError) as exc:
            raise ModelError(incompatible_message(uri, exc)) from exc
        finally:
            if info.get("temporary"):
                import shutil

                shutil.rmtree(info["temporary"], ignore_errors=True)
        metadata = dict(info.get("metadata") or {})
        if metadata.get("encoders"):
            from framing.encoders import require_extra

            require_extra()  # a model with embedding features: says which extra to install
        return StoredModel(pipeline, metadata, uri,
                           name=info.get("name"), version=info.get("version"), run_id=info.get("run_id"))


def _write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def describe_local_folder(folder: Path) -> dict:
    """Describe an MLflow model folder on disk (reads its MLmodel through mlflow)."""
    from mlflow.models import Model

    model = Model.load(str(folder))
    flavor = model.flavors.get("sklearn")
    if flavor is None:
        raise ModelError(f"{folder} is not a scikit-learn MLflow model")
    return {
        "model_uri": str(folder), "path": str(folder.resolve()), "pickled_model": flavor["pickled_model"],
        "serialization_format": flavor.get("serialization_format"), "metadata": dict(model.metadata or {}),
        "run_id": model.run_id, "name": None, "version": None,
    }

"""``framing analyze``: sentence-level predictions and framing cues for raw news articles.

For each article (plain UTF-8 text, one paragraph per line or hard-wrapped)
the analyzer segments sentences with exact character offsets
(:func:`framing.text.segment`, Punkt), and reports per sentence

- the SLC model's propaganda probability (NLP4IF-2019 sentence-level
  classification; a binary pipeline whose ``predict_proba[:, 1]`` is the
  propaganda class),
- the sentence-techniques model's probability of each technique (one-vs-rest
  multi-label pipeline; technique names as in the training corpus),
- every cue the models' own cue extractors find (``explain``: family,
  category, character offsets into the article, words),

and per article the count and rate (per 1,000 words) of each cue family and
category beside the training corpus's rates, and the most propagandistic
sentences. Output: a terminal rendering, a versioned JSON document
(``framing/schemas/analysis-v1.json``, documented in ``docs/analyze.md``) or
one self-contained HTML file (:mod:`framing.highlight`).

Models are MLflow models logged by ``framing-experiment``: their ``MLmodel``
metadata (written by :func:`framing.run_artifacts.model_card`) names the
task, the label of each ``predict_proba`` column and the training corpus's cue
rates. Without ``--model`` the latest registered versions of
:data:`SLC_MODEL_NAME` and :data:`TECHNIQUES_MODEL_NAME` are used.

Speed: importing mlflow takes longer than the whole analysis of an article,
so mlflow is only imported to resolve and download a model the first time.
Models are kept in ``<FRAMING_CACHE>/models/`` keyed by their immutable URI
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
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Version of the JSON document (``schema_version``); see docs/analyze.md.
SCHEMA_VERSION = "1.0"
#: The JSON Schema of that document, shipped with the package.
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "analysis-v1.json"

#: Registered model names the analyzer uses by default (``framing-<task name>``).
SLC_MODEL_NAME = "framing-slc"
TECHNIQUES_MODEL_NAME = "framing-sentence_techniques"
#: The one command that trains and registers both default models.
TRAIN_COMMAND = "FRAMING_DATA=/path/to/corpora framing-experiment -m experiment=analyzer_models"

#: Exit codes: bad input (missing, empty, non-UTF-8 file, bad flags) and no usable model.
EXIT_INPUT, EXIT_MODEL = 2, 1

#: How a sentence probability counts as a positive prediction (LogisticRegression's predict).
THRESHOLD = 0.5

FAMILY_NAMES = {
    "loaded": "loaded language",
    "agency": "agency shifts",
    "hedging": "hedging and attribution",
    "style": "style",
}

#: Readable names of cue categories; others are shown with spaces for underscores.
CATEGORY_NAMES = {
    "passive_agentless": "agentless passives",
    "passive_with_agent": "passives with an agent",
    "nominalisation": "nominalisations",
    "event_verb": "event verbs",
    "impersonal_subject": "impersonal subjects",
    "personal_subject": "personal subjects",
    "hedge": "hedges",
    "booster": "boosters",
    "epistemic_modal": "epistemic modals",
    "report_neutral": "neutral reporting verbs",
    "report_loaded": "loaded reporting verbs",
    "sourcing": "sourcing phrases",
    "weasel": "weasel phrases",
    "conditional": "conditionals",
    "evaluative_negative": "negative evaluative words",
    "evaluative_positive": "positive evaluative words",
    "fear_threat": "fear and threat words",
    "violence": "violence words",
    "moral_outrage": "moral outrage words",
    "name_calling": "name calling",
    "absolutes_exaggeration": "absolutes and exaggeration",
    "intensifiers": "intensifiers",
    "superlative": "superlatives",
    "all_caps": "words in capitals",
    "exclamation": "exclamations",
    "scare_quote": "scare quotes",
    "quote_mark": "quotation marks",
    "exclamation_mark": "exclamation marks",
    "question_mark": "question marks",
    "first_person_singular": "first person singular",
    "first_person_plural": "first person plural",
    "second_person": "second person",
    "third_person": "third person",
}


def category_name(category: str) -> str:
    """Readable name of a cue category (``passive_agentless`` -> ``agentless passives``)."""
    return CATEGORY_NAMES.get(category, category.replace("_", " "))


# --------------------------------------------------------------------------- errors


class AnalyzeError(Exception):
    """A problem the command reports in one line, with its exit code."""

    exit_code = EXIT_INPUT


class InputError(AnalyzeError):
    """An input cannot be analysed (missing, a directory, empty, not UTF-8).

    Parameters
    ----------
    source : str
        The path as given (``-`` for stdin, shown as ``<stdin>``).
    problem : str
    """

    exit_code = EXIT_INPUT

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{'<stdin>' if source == '-' else source}: {problem}")


class ModelError(AnalyzeError):
    """No usable model: none registered, a URI that names nothing, a model of the wrong kind."""

    exit_code = EXIT_MODEL


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class Article:
    """One input text.

    Parameters
    ----------
    source : str
        The path as given, ``-`` for stdin.
    stem : str
        Output file stem (``stdin`` for stdin).
    text : str
        The text exactly as decoded (offsets index into it).
    """

    source: str
    stem: str
    text: str

    @property
    def name(self) -> str:
        return "<stdin>" if self.source == "-" else Path(self.source).name


def decode_text(data: bytes, source: str) -> str:
    """Strict UTF-8 decoding of an input; the error names the file, line and byte.

    Raises
    ------
    InputError
        If ``data`` is not valid UTF-8 or holds no text (empty or whitespace only).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            source,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start}, line {line}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8",
        ) from None
    if not text.strip().lstrip("\ufeff").strip():
        raise InputError(source, "the file is empty" if not text else "the file holds only whitespace")
    return text


def read_article(source: str, stdin=None) -> Article:
    """Read one input: a path, or ``-`` for UTF-8 bytes from stdin.

    Parameters
    ----------
    source : str
    stdin : binary file, optional
        Where ``-`` reads from (default ``sys.stdin.buffer``).

    Returns
    -------
    Article

    Raises
    ------
    InputError
        Missing file, a directory, unreadable, empty or not UTF-8.
    """
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return Article("-", "stdin", decode_text(stream.read(), "-"))
    path = Path(source)
    if not path.exists():
        raise InputError(source, "no such file")
    if path.is_dir():
        raise InputError(source, "is a directory (give the article files, e.g. DIR/*.txt)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None
    return Article(source, path.stem or "article", decode_text(data, source))


# --------------------------------------------------------------------------- models


def default_tracking_uri() -> str:
    """As :func:`framing.tracking.default_tracking_uri`, without importing mlflow."""
    from framing.resources import PROJECT_ROOT

    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{PROJECT_ROOT / 'mlflow.db'}"


def _sqlite_path(uri: str) -> Path | None:
    if uri.startswith("sqlite:///"):
        return Path(uri[len("sqlite:///") :].split("?", 1)[0])
    return None


def registry_fingerprint(uri: str) -> list[int] | None:
    """Size and modification time of a local SQLite registry (and its WAL file).

    Unchanged values mean no model was registered since; None for other
    stores, whose answers are not cached.
    """
    db = _sqlite_path(uri)
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


# Schemes MLflow resolves through the tracking server / registry (or its artifact stores).
_MODEL_URI_SCHEMES = ("runs:/", "models:/", "file:", "s3:", "gs:", "wasbs:", "hdfs:", "dbfs:", "mlflow-artifacts:")
_IMMUTABLE_URI = re.compile(r"^(runs:/[^/]+/.+|models:/[^/@]+/\d+|models:/m-[0-9a-f]+)$")


@dataclass
class AnalyzerModel:
    """A loaded model and what its metadata says about it.

    Parameters
    ----------
    role : {"slc", "techniques"}
    pipeline : sklearn.pipeline.Pipeline
        Takes a DataFrame with a ``text`` column.
    labels : list of str
        ``role="techniques"``: the technique of each ``predict_proba`` column.
    uri : str
        The immutable model URI it was loaded from (or a local folder).
    card : dict
        The ``MLmodel`` metadata (task, kind, labels, dataset, cue_rates...).
    """

    role: str
    pipeline: Any
    labels: list[str]
    uri: str
    card: dict
    name: str | None = None
    version: str | None = None
    run_id: str | None = None

    def describe(self) -> dict:
        """The ``models.<role>`` entry of the JSON document."""
        return {
            "uri": self.uri,
            "registered_name": self.name,
            "version": self.version,
            "run_id": self.run_id,
            "task": self.card.get("task"),
            "dataset": self.card.get("dataset"),
            "train_split": self.card.get("train_split"),
            "labels": list(self.labels) if self.role in ("techniques", "frames") else None,
        }


class ModelStore:
    """Finds, downloads (once) and loads the analyzer's models.

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
            from framing.resources import cache_dir

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
        db = _sqlite_path(self.tracking_uri)
        if db is not None and not db.exists():
            return None  # asking MLflow would create an empty database
        key = f"{self.tracking_uri}\n{name}"
        fingerprint = registry_fingerprint(self.tracking_uri)
        remembered = self._registry_cache().get(key)
        if fingerprint is not None and remembered and remembered.get("fingerprint") == fingerprint:
            return remembered.get("version")
        from framing.tracking import TrackingError, latest_model_version

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
    def _fetch(self, uri: str) -> dict:
        """Local copy of a model and its description (downloaded on first use)."""
        if ":/" not in uri and (Path(uri) / "MLmodel").exists():  # a model folder on disk
            return _describe_local_folder(Path(uri))
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
        from framing.tracking import download_model

        parent = self.cache if cacheable else None
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="download-", dir=parent))
        try:
            info = download_model(uri, staging / "model", self.tracking_uri)
        except Exception as exc:  # MlflowException, missing run, unreachable server...
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
            raise ModelError(f"cannot load model {uri} from {self.tracking_uri}: {_first_line(exc)}") from exc
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

    def load(self, reference: str, role: str | None = None) -> AnalyzerModel:
        """Load a model; its role comes from its metadata unless given.

        Raises
        ------
        ModelError
            If the URI names nothing, the model is not a scikit-learn SLC or
            sentence-techniques pipeline, or it lacks the label names.
        """
        uri = self.resolve(reference)
        info = self._fetch(uri)
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
        card = dict(info.get("metadata") or {})
        return _as_analyzer_model(pipeline, card, uri, info, role)

    def default_models(self) -> tuple[list[AnalyzerModel], list[str]]:
        """The latest registered SLC and sentence-techniques models.

        Returns
        -------
        models : list of AnalyzerModel
        notes : list of str
            Which default name is not registered (when the other one is).

        Raises
        ------
        ModelError
            If neither name is registered (the message gives the command that
            trains and registers both).
        """
        found, missing = [], []
        for name, role in ((SLC_MODEL_NAME, "slc"), (TECHNIQUES_MODEL_NAME, "techniques")):
            version = self.latest_version(name)
            if version is None:
                missing.append(name)
            else:
                found.append((f"models:/{name}/{version}", role))
        if not found:
            raise ModelError(no_model_message(self.tracking_uri))
        notes = [
            f"note: no {name!r} model is registered in {self.tracking_uri}; "
            f"analysing without it (train and register both with: {TRAIN_COMMAND})"
            for name in missing
        ]
        return [self.load(uri, role) for uri, role in found], notes


def incompatible_message(uri: str, exc: BaseException) -> str:
    """What to say when a pickled model does not fit the installed framing code."""
    return (
        f"{uri} cannot be used with the installed version of framing ({type(exc).__name__}: "
        f"{_first_line(exc)}); it was probably trained with other feature code (see the run's git_commit "
        f"tag). Retrain it, e.g. with: {TRAIN_COMMAND}"
    )


def no_model_message(tracking_uri: str) -> str:
    """What to say when no analyzer model is registered."""
    return (
        f"no analyzer models are registered in {tracking_uri} "
        f"(looked for {SLC_MODEL_NAME!r} and {TECHNIQUES_MODEL_NAME!r}).\n"
        f"Train and register both (PTC, SemEval-2020 release) with:\n\n    {TRAIN_COMMAND}\n\n"
        "or pass a model with --model URI, or analyse cues only with --no-model."
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _describe_local_folder(folder: Path) -> dict:
    """Describe an MLflow model folder on disk (reads its MLmodel through mlflow)."""
    from mlflow.models import Model  # a local folder is rare: the slow import is fine here

    model = Model.load(str(folder))
    flavor = model.flavors.get("sklearn")
    if flavor is None:
        raise ModelError(f"{folder} is not a scikit-learn MLflow model")
    return {
        "model_uri": str(folder), "path": str(folder.resolve()), "pickled_model": flavor["pickled_model"],
        "serialization_format": flavor.get("serialization_format"), "metadata": dict(model.metadata or {}),
        "run_id": model.run_id, "name": None, "version": None,
    }


def _as_analyzer_model(pipeline, card: dict, uri: str, info: Mapping, role: str | None) -> AnalyzerModel:
    """Decide the model's role from its metadata (or, for old models, its classifier)."""
    clf = pipeline[-1] if hasattr(pipeline, "steps") else pipeline
    kind = card.get("kind")
    if kind is None:  # logged before models carried a card
        kind = "multilabel" if type(clf).__name__ == "OneVsRestClassifier" else (
            "binary" if len(getattr(clf, "classes_", ())) == 2 else "multiclass")
    task = card.get("task")
    detected = {"binary": "slc", "multilabel": "techniques"}.get(kind)
    if task == "frames":  # article-level frames model (SemEval-2023 subtask 2): frames of the whole article
        detected = "frames"
    if task in ("si", "flc"):  # token tagger: propaganda spans (SI) or technique spans (FLC) of the article
        detected = "spans"
    if detected is None or (detected == "slc" and task not in (None, "slc")):
        raise ModelError(
            f"{uri} is a {task or kind} model; analyze takes an SLC model (task=slc), a "
            "sentence-techniques model (task=sentence_techniques), a frames model (task=frames) and a span "
            "model (task=si or task=flc)"
        )
    if role is not None and role != detected:
        raise ModelError(f"{uri} is a {detected} model, expected a {role} model")
    if not hasattr(pipeline, "predict_proba"):
        raise ModelError(f"{uri}: the classifier has no predict_proba; train it with model=logreg")
    labels = list(card.get("labels") or [])
    if detected in ("techniques", "frames"):
        n = len(getattr(clf, "estimators_", ()) or getattr(clf, "classes_", ()))
        if not labels:
            raise ModelError(
                f"{uri} does not name its techniques (it was logged before models carried their labels); "
                f"retrain it, e.g. {TRAIN_COMMAND}"
            )
        if n and len(labels) != n:
            raise ModelError(f"{uri}: its metadata names {len(labels)} techniques but the model has {n} outputs")
    return AnalyzerModel(detected, pipeline, labels, uri, card,
                         name=info.get("name"), version=info.get("version"), run_id=info.get("run_id"))


# --------------------------------------------------------------------------- cue rates


def pipeline_cue_extractors(pipeline) -> list:
    """The fitted cue families a pipeline reads its ``text`` column with.

    (As :func:`framing.run_artifacts.cue_extractors`, without importing the
    reporting modules.)
    """
    from framing.features.base import CueFeatures

    union = pipeline.named_steps.get("features") if hasattr(pipeline, "named_steps") else None
    found = []
    for _, transformer, column in getattr(union, "transformers_", ()):
        inner = transformer.steps[0][1] if hasattr(transformer, "steps") else transformer
        if isinstance(inner, CueFeatures) and column == "text":
            found.append(inner)
    return found


def count_words(texts: Sequence[str]) -> list[int]:
    """Word tokens per text (:func:`framing.features.base.word_count`: tokens with a letter or digit)."""
    from framing.features.base import word_count
    from framing.text import annotate

    return [word_count(a) for a in annotate(list(texts))]


def per_thousand(count: float, words: int) -> float:
    """``count`` per 1,000 words (0 for no words)."""
    return 1000.0 * count / words if words else 0.0


def corpus_cue_rates(extractors: Sequence, texts: Sequence[str]) -> dict:
    """Cue counts per 1,000 words over a set of texts (a training corpus).

    The same counting as the analyzer's per-article rates: every cue
    ``explain`` returns counts once, words are
    :func:`framing.features.base.word_count` tokens.

    Parameters
    ----------
    extractors : sequence of fitted CueFeatures
    texts : sequence of str of length n_texts
        The training rows (sentences for SLC and sentence techniques).

    Returns
    -------
    dict
        ``{"version": 1, "n_texts": int, "n_words": int,
        "families": {family: {"count": int, "per_1000_words": float}},
        "categories": {family: {category: {"count", "per_1000_words"}}}}``;
        every extractor's family appears (count 0 if none fired), categories
        only when they fired.
    """
    texts = list(texts)
    n_words = sum(count_words(texts)) if texts else 0
    families: Counter = Counter()
    categories: Counter = Counter()
    for extractor in extractors:
        families[extractor.family] += 0
        for cues in extractor.explain_many(texts) if texts else []:
            for cue in cues:
                families[cue.family] += 1
                categories[cue.family, cue.category] += 1
    out_categories: dict[str, dict] = {}
    for (family, category), count in sorted(categories.items()):
        out_categories.setdefault(family, {})[category] = {
            "count": count, "per_1000_words": round(per_thousand(count, n_words), 4)}
    return {
        "version": 1,
        "n_texts": len(texts),
        "n_words": n_words,
        "families": {f: {"count": c, "per_1000_words": round(per_thousand(c, n_words), 4)}
                     for f, c in sorted(families.items())},
        "categories": out_categories,
    }


# --------------------------------------------------------------------------- sentences


def article_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets of a raw article: Punkt within each line (:func:`framing.text.segment`).

    A leading byte-order mark is left out of the first sentence.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` character offsets into ``text``, end exclusive.
    """
    from framing.text import segment

    out = []
    for s in segment(text, "punkt"):
        start = s.start + 1 if s.text.startswith("\ufeff") else s.start
        if start < s.end:
            out.append((start, s.end))
    return out


class SentencePrefetch:
    """Segment and annotate the articles in a forked process while this one loads the models.

    After the libraries both need (numpy, scipy, pandas: imported first,
    once), unpickling the models and loading NLTK, Punkt, the tagger and
    VADER and annotating an article can overlap on two or more cores. The
    child writes its annotations to the on-disk annotation cache
    (:class:`framing.text.AnnotationCache`), where this process then finds
    them, and sends the sentence offsets through a pipe. Used only where ``fork`` exists, with two or more cores, the disk
    cache on, no other thread running, and ``FRAMING_ANALYZE_FORK`` not
    ``0``; any failure in the child leaves :meth:`result` returning None,
    and the work is then done here as usual.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        import threading

        from framing.resources import cache_dir

        self.pid = None
        self.fd = None
        # forking a process that runs other threads (an embedding application, a test
        # session that imported mlflow) can deadlock the child: do the work here instead
        if (not hasattr(os, "fork") or cache_dir() is None or (os.cpu_count() or 1) < 2
                or threading.active_count() > 1 or os.environ.get("FRAMING_ANALYZE_FORK", "1") == "0"):
            return
        # Both processes need numpy, scipy and pandas (scikit-learn and NLTK import them):
        # import them once, before forking, rather than once in each process.
        import sklearn.base  # noqa: F401
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never return into the caller's code
            code = 1
            try:
                os.close(read_fd)
                from framing.text import annotate

                offsets = [article_sentences(t) for t in texts]
                annotate([t[a:b] for t, spans in zip(texts, offsets) for a, b in spans])
                payload = json.dumps(offsets).encode()
                view = memoryview(payload)
                while view:
                    view = view[os.write(write_fd, view):]
                code = 0
            except BaseException:  # the parent falls back to doing the work itself
                pass
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self.fd = pid, read_fd

    def result(self) -> list[list[tuple[int, int]]] | None:
        """The sentence offsets of each text (None if the child failed or never ran)."""
        if self.pid is None:
            return None
        chunks = []
        with os.fdopen(self.fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if status != 0 or not chunks:
            return None
        try:
            return [[(int(a), int(b)) for a, b in spans] for spans in json.loads(b"".join(chunks))]
        except (ValueError, TypeError):
            return None


# --------------------------------------------------------------------------- analysis


@dataclass
class Analyzer:
    """Analyses articles with up to two models and cue extractors.

    Parameters
    ----------
    slc : AnalyzerModel, optional
    techniques : AnalyzerModel, optional
    extractors : list of CueFeatures, optional
        Default: the cue families of the first model that has any, else the
        four families with default parameters.
    corpus_rates : dict, optional
        :func:`corpus_cue_rates` of the training corpus; default: from the
        model the extractors come from.
    corpus_source : dict, optional
        Where ``corpus_rates`` come from (the document's ``corpus`` entry).
    top_sentences : int
        How many of the most propagandistic sentences the summary lists.
    frames : AnalyzerModel, optional
        An article-level frames model (task=frames): the document then has
        ``models.frames`` and ``frames`` (each frame's probability).
    spans : AnalyzerModel, optional
        A span model (task=si or task=flc): the document then has
        ``models.spans`` and ``spans`` (character spans, with techniques for FLC).
    """

    slc: AnalyzerModel | None = None
    techniques: AnalyzerModel | None = None
    extractors: list | None = None
    corpus_rates: dict | None = None
    corpus_source: dict | None = None
    top_sentences: int = 3
    frames: AnalyzerModel | None = None
    spans: AnalyzerModel | None = None

    def __post_init__(self) -> None:
        if self.extractors is None:
            for model in (self.slc, self.techniques):
                if model is None:
                    continue
                found = pipeline_cue_extractors(model.pipeline)
                if found:
                    self.extractors = found
                    if self.corpus_rates is None and model.card.get("cue_rates"):
                        self.corpus_rates = model.card["cue_rates"]
                        self.corpus_source = {
                            "model": model.uri, "dataset": model.card.get("dataset"),
                            "split": model.card.get("train_split"),
                            "n_texts": self.corpus_rates.get("n_texts"),
                            "n_words": self.corpus_rates.get("n_words"),
                        }
                    break
        if self.extractors is None:
            from framing.features import default_families

            self.extractors = [f.fit() for f in default_families()]

    @classmethod
    def from_models(cls, models: Iterable[AnalyzerModel], **kwargs) -> Analyzer:
        """Put each model in its slot; two models of one role are an error."""
        slots: dict[str, AnalyzerModel] = {}
        for model in models:
            if model.role in slots:
                raise ModelError(f"two {model.role} models given: {slots[model.role].uri} and {model.uri}")
            slots[model.role] = model
        return cls(slc=slots.get("slc"), techniques=slots.get("techniques"), frames=slots.get("frames"),
                   spans=slots.get("spans"), **kwargs)

    def analyze(self, article: Article, offsets: Sequence[tuple[int, int]] | None = None) -> dict:
        """The analysis document of one article (the JSON schema's shape).

        Parameters
        ----------
        article : Article
        offsets : sequence of (int, int), optional
            Its sentences, if already segmented (:func:`article_sentences`).
        """
        text = article.text
        if offsets is None:
            offsets = article_sentences(text)
        sentences = [(a, b, text[a:b]) for a, b in offsets]
        texts = [t for _, _, t in sentences]
        words = count_words(texts)
        slc_p = self._slc_probabilities(texts, text)
        tech_p = self._technique_probabilities(texts, text)
        cues = self._cues(texts)

        rows = []
        for i, (start, end, sentence) in enumerate(sentences):
            row: dict[str, Any] = {
                "index": i,
                "start": start,
                "end": end,
                "text": sentence,
                "n_words": words[i],
                "propaganda_probability": None if slc_p is None else round(float(slc_p[i]), 4),
                "techniques": [],
                "cues": [
                    {"family": c.family, "category": c.category, "start": c.start + start,
                     "end": c.end + start, "words": c.words, "source": c.source}
                    for c in cues[i]
                ],
            }
            if tech_p is not None:
                ranked = sorted(zip(self.techniques.labels, tech_p[i]), key=lambda x: (-x[1], x[0]))
                row["techniques"] = [
                    {"technique": t, "probability": round(float(p), 4), "predicted": bool(p >= THRESHOLD)}
                    for t, p in ranked
                ]
            rows.append(row)
        n_words = sum(words)
        doc = {
            "schema_version": SCHEMA_VERSION,
            "article": {
                "source": article.source,
                "name": article.name,
                "n_characters": len(text),
                "n_sentences": len(rows),
                "n_words": n_words,
                "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            },
            "text": text,
            "models": {
                "slc": self.slc.describe() if self.slc else None,
                "techniques": self.techniques.describe() if self.techniques else None,
            },
            "corpus": self.corpus_source,
            "threshold": THRESHOLD,
            "sentences": rows,
            "summary": self._summary(rows, n_words),
        }
        if self.frames is not None:  # only with a frames model: documents without one are unchanged
            doc["models"]["frames"] = self.frames.describe()
            doc["frames"] = self._article_frames(text)
        if self.spans is not None:  # only with a span model (task=si/flc)
            doc["models"]["spans"] = self.spans.describe()
            doc["spans"] = self._article_spans(text)
        return doc

    # -- pieces
    @staticmethod
    def _predict_proba(model: AnalyzerModel, texts, article: str | None = None):
        import pandas as pd

        from framing.features.shape import repeat_counts

        # the columns the tasks give their sentence rows: the text and how often it recurs in the article
        repeats = repeat_counts(texts, article) if article is not None else [0] * len(texts)
        try:
            return model.pipeline.predict_proba(pd.DataFrame({"text": texts, "repeats": repeats}))
        except (AttributeError, KeyError, TypeError) as exc:  # fitted state the current code does not know
            raise ModelError(incompatible_message(model.uri, exc)) from exc

    def _slc_probabilities(self, texts, article: str):
        if self.slc is None or not texts:
            return None
        proba = self._predict_proba(self.slc, texts, article)
        classes = list(getattr(self.slc.pipeline, "classes_", [0, 1]))
        return proba[:, classes.index(1) if 1 in classes else 1]

    def _article_frames(self, text: str) -> list[dict]:
        """The frames model's probability of each frame for the whole article, highest first.

        ``predicted`` as :class:`framing.tasks.frames.FramesTask` decodes: probability >= the
        threshold, and the best frame when none reaches it (every gold article has a frame).
        """
        import numpy as np

        from framing.tasks.frames import FramesTask

        proba = np.asarray(self._predict_proba(self.frames, [text]), dtype=float)
        predicted = FramesTask().decode(None, (proba >= THRESHOLD).astype(int), proba, None)[0]
        ranked = sorted(zip(self.frames.labels, proba[0], predicted), key=lambda x: (-x[1], x[0]))
        return [{"frame": f, "probability": round(float(p), 4), "predicted": bool(y)} for f, p, y in ranked]

    def _article_spans(self, text: str) -> list[dict]:
        """The span model's spans in the article, decoded as in its run (:func:`framing.tasks.si.predict_spans`)."""
        from framing.tasks.si import span_task_from_card

        task = span_task_from_card(self.spans.card, self.spans.pipeline)
        try:
            found = task.predict_spans(self.spans.pipeline, text, segmentation="punkt")
        except (AttributeError, KeyError, TypeError) as exc:  # fitted state the current code does not know
            raise ModelError(incompatible_message(self.spans.uri, exc)) from exc
        return [{"start": s.start, "end": s.end, "text": text[s.start:s.end], "technique": s.label,
                 "score": None if s.score is None else round(float(s.score), 4)} for s in found]

    def _technique_probabilities(self, texts, article: str):
        if self.techniques is None or not texts:
            return None
        return self._predict_proba(self.techniques, texts, article)

    def _cues(self, texts) -> list[list]:
        per_sentence: list[list] = [[] for _ in texts]
        if not texts:
            return per_sentence
        for extractor in self.extractors:
            try:
                found_all = extractor.explain_many(texts)
            except (AttributeError, KeyError, TypeError) as exc:
                source = self.corpus_source["model"] if self.corpus_source else "the cue extractors"
                raise ModelError(incompatible_message(source, exc)) from exc
            for i, found in enumerate(found_all):
                per_sentence[i].extend(found)
        for found in per_sentence:
            found.sort(key=lambda c: (c.start, c.end, c.family, c.category))
        return per_sentence

    def _corpus_rate(self, family: str, category: str | None) -> float | None:
        rates = self.corpus_rates
        if not rates:
            return None
        if category is None:
            entry = rates.get("families", {}).get(family)
            return None if entry is None else float(entry["per_1000_words"])
        if family not in rates.get("families", {}):
            return None  # the model did not use this family: no corpus rate
        entry = rates.get("categories", {}).get(family, {}).get(category)
        return 0.0 if entry is None else float(entry["per_1000_words"])

    def _rate_entry(self, family: str, category: str | None, count: int, n_words: int) -> dict:
        rate = per_thousand(count, n_words)
        corpus = self._corpus_rate(family, category)
        entry = {"family": family}
        if category is not None:
            entry["category"] = category
        entry.update(
            count=count,
            per_1000_words=round(rate, 3),
            corpus_per_1000_words=None if corpus is None else round(corpus, 3),
            ratio_to_corpus=round(rate / corpus, 3) if corpus else None,
        )
        return entry

    def _summary(self, rows: list[dict], n_words: int) -> dict:
        families: Counter = Counter({e.family: 0 for e in self.extractors})
        categories: Counter = Counter()
        for row in rows:
            for cue in row["cues"]:
                families[cue["family"]] += 1
                categories[cue["family"], cue["category"]] += 1
        if self.corpus_rates:  # categories the corpus has but the article lacks: 0x
            for family, cats in self.corpus_rates.get("categories", {}).items():
                if family in families:
                    for category in cats:
                        categories[family, category] += 0
        probs = [r["propaganda_probability"] for r in rows if r["propaganda_probability"] is not None]
        ranked = sorted((r for r in rows if r["propaganda_probability"] is not None),
                        key=lambda r: (-r["propaganda_probability"], r["index"]))
        technique_counts: Counter = Counter()
        for row in rows:
            for t in row["techniques"]:
                if t["predicted"]:
                    technique_counts[t["technique"]] += 1
        return {
            "propaganda": None if self.slc is None else {
                "mean_probability": round(sum(probs) / len(probs), 4) if probs else None,
                "n_sentences_predicted": sum(p >= THRESHOLD for p in probs),
            },
            "techniques_predicted": None if self.techniques is None else [
                {"technique": t, "n_sentences": n}
                for t, n in sorted(technique_counts.items(), key=lambda x: (-x[1], x[0]))
            ],
            "cue_families": [self._rate_entry(f, None, c, n_words) for f, c in sorted(families.items())],
            "cue_categories": [
                self._rate_entry(f, cat, c, n_words)
                for (f, cat), c in sorted(categories.items(), key=lambda x: (x[0][0], -x[1], x[0][1]))
            ],
            "most_propagandistic": [
                {"index": r["index"], "propaganda_probability": r["propaganda_probability"], "text": r["text"]}
                for r in ranked[: self.top_sentences]
            ],
        }


def standout_cues(doc: Mapping, k: int = 5, min_count: int = 2) -> list[dict]:
    """Cue categories most over-represented against the corpus (at least ``min_count`` cues)."""
    entries = [e for e in doc["summary"]["cue_categories"]
               if e["count"] >= min_count and e["ratio_to_corpus"] is not None]
    return sorted(entries, key=lambda e: (-e["ratio_to_corpus"], -e["count"]))[:k]


def ratio_phrase(entry: Mapping) -> str:
    """``"3, 2.1x the corpus rate"`` (or ``"not seen in the corpus"``)."""
    if entry.get("corpus_per_1000_words") is None:
        return f"{entry['count']}"
    if not entry["corpus_per_1000_words"]:
        return f"{entry['count']}, not seen in the training corpus"
    return f"{entry['count']}, {entry['ratio_to_corpus']:.1f}x the corpus rate"


# --------------------------------------------------------------------------- JSON


def to_json(doc: Mapping, indent: int | None = 2) -> str:
    """The document as JSON text (UTF-8, non-ASCII kept)."""
    return json.dumps(doc, ensure_ascii=False, indent=indent)


def load_schema() -> dict:
    """The JSON Schema of the analysis document (``schemas/analysis-v1.json``)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- text


# Control characters of an article must not drive the terminal (escape sequences, title changes):
# C0 controls, DEL and C1 controls become visible stand-ins of the same length (U+2400 control
# pictures, U+FFFD), so cue offsets into the sentence still hold; line-breaking ones become spaces.
_TERMINAL_SAFE = (
    {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
    | {0x0B: 0x20, 0x0C: 0x20, 0x0D: 0x20, 0x7F: 0x2421}
    | {c: 0xFFFD for c in range(0x80, 0xA0)}
)


def _terminal_safe(text: str) -> str:
    """``text`` without characters a terminal would act on (same length, tab and newline kept)."""
    return text.translate(_TERMINAL_SAFE)


def _count(value: str) -> int:
    """argparse type: a whole number >= 0."""
    import argparse

    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value!r}")
    return number


def render_text(doc: Mapping, top_techniques: int = 3, width: int = 100, colour: bool = False) -> str:
    """A terminal rendering of one analysis document.

    Parameters
    ----------
    doc : dict
        :meth:`Analyzer.analyze` output.
    top_techniques : int
        Techniques shown per sentence (the most likely ones).
    width : int
        Line width for wrapping.
    colour : bool
        Bold the cue words with ANSI escapes (for terminals).
    """
    import textwrap

    art = doc["article"]
    name = _terminal_safe(art["name"])
    out = [f"== {name} " + "=" * max(3, width - len(name) - 4)]
    out.append(f"{art['n_sentences']} sentences, {art['n_words']} words, {art['n_characters']} characters")
    for role, label in (("slc", "SLC model"), ("techniques", "techniques model")):
        m = doc["models"][role]
        if m:
            out.append(f"{label}: {m['uri']}  (trained on {m['dataset']} {m['train_split']})")
        else:
            out.append(f"{label}: none")
    if doc.get("frames") is not None:
        m = doc["models"]["frames"]
        out.append(f"frames model: {m['uri']}  (trained on {m['dataset']} {m['train_split']})")
        out.append("frames (article): " + ", ".join(
            f"{f['frame']} {f['probability']:.2f}" for f in doc["frames"] if f["predicted"]))
    if doc.get("spans") is not None:
        m = doc["models"]["spans"]
        out.append(f"spans model: {m['uri']}  (trained on {m['dataset']} {m['train_split']})")
        out.append(f"spans ({len(doc['spans'])}): " + "; ".join(
            f"[{s['start']},{s['end']}) " + (f"{s['technique']} " if s["technique"] else "")
            + _terminal_safe(repr(s["text"])) for s in doc["spans"]))
    out.append("")
    indent = 18
    body_width = max(40, width - indent)
    pad = " " * indent
    out.append(f"{'#':>5} {'P(prop)':<11} sentence / techniques (* = predicted) / cues (family/category \"words\" offsets)")
    for row in doc["sentences"]:
        row = {**row, "text": _terminal_safe(row["text"])}
        p = row["propaganda_probability"]
        bar = "" if p is None else ("#" * int(round(p * 5))).ljust(5, ".")
        head = f"[{row['index'] + 1:>3}] " + ("-" if p is None else f"{p:.2f} {bar}")
        shown = _bold_cues(row) if colour else row["text"]
        lines = _wrap_ansi(shown, body_width) if colour else textwrap.wrap(shown, body_width)
        out.append(f"{head:<{indent}}{lines[0] if lines else ''}")
        out.extend(pad + line for line in lines[1:])
        if row["techniques"]:
            top = row["techniques"][:top_techniques]
            top += [t for t in row["techniques"][top_techniques:] if t["predicted"]]
            out.extend(pad + line for line in textwrap.wrap("techniques: " + ", ".join(
                f"{t['technique']} {t['probability']:.2f}" + ("*" if t["predicted"] else "") for t in top),
                body_width, break_on_hyphens=False))
        if row["cues"]:
            items = [f"{c['family']}/{c['category']} {_terminal_safe(json.dumps(c['words'], ensure_ascii=False))} "
                     f"{c['start']}-{c['end']}" for c in row["cues"]]
            wrapped = textwrap.wrap("cues: " + "; ".join(items), body_width, break_on_hyphens=False)
            out.extend(pad + line for line in wrapped)
    out.append("")
    for line in map(_terminal_safe, _summary_lines(doc, width)):
        out.extend(textwrap.wrap(line, width, subsequent_indent="    ", break_on_hyphens=False)
                   if len(line) > width else [line])
    return "\n".join(out) + "\n"


def _summary_lines(doc: Mapping, width: int = 100) -> list[str]:
    summary = doc["summary"]
    corpus = doc.get("corpus")
    out = []
    if summary["propaganda"]:
        p = summary["propaganda"]
        mean = "n/a" if p["mean_probability"] is None else f"{p['mean_probability']:.2f}"
        out.append(f"Propaganda: {p['n_sentences_predicted']} of {doc['article']['n_sentences']} sentences "
                   f"at probability >= {doc['threshold']}; mean probability {mean}.")
    if summary["techniques_predicted"]:
        out.append("Techniques predicted (sentences): " + ", ".join(
            f"{t['technique']} ({t['n_sentences']})" for t in summary["techniques_predicted"]))
    if corpus:
        out.append(f"Cues per 1,000 words, against the training corpus ({corpus['dataset']} {corpus['split']}, "
                   f"{corpus['n_texts']:,} sentences, {corpus['n_words']:,} words):")
    else:
        out.append("Cues per 1,000 words (no model, so no training-corpus rates to compare with):")
    out.append(f"  {'family / category':<36}{'count':>7}{'per 1k':>9}{'corpus':>9}{'ratio':>8}")
    by_family: dict[str, list] = {}
    for entry in summary["cue_categories"]:
        by_family.setdefault(entry["family"], []).append(entry)
    for fam in summary["cue_families"]:
        out.append(_rate_line(FAMILY_NAMES.get(fam["family"], fam["family"]), fam, 2))
        for entry in by_family.get(fam["family"], []):
            if entry["count"] or (entry["corpus_per_1000_words"] or 0) >= 1.0:
                out.append(_rate_line(category_name(entry["category"]), entry, 4))
    standout = standout_cues(doc)
    if standout:
        out.append("Most over-represented cues: " + "; ".join(
            f"{category_name(e['category'])}: {ratio_phrase(e)}" for e in standout) + ".")
    if summary["most_propagandistic"]:
        out.append("Most propagandistic sentences:")
        for item in summary["most_propagandistic"]:
            room = width - 14
            text = item["text"] if len(item["text"]) <= room else item["text"][: room - 3] + "..."
            out.append(f"  [{item['index'] + 1:>3}] {item['propaganda_probability']:.2f}  {text}")
    return out


def _rate_line(name: str, entry: Mapping, indent: int) -> str:
    corpus = entry["corpus_per_1000_words"]
    ratio = entry["ratio_to_corpus"]
    label = (" " * indent + name)[:36]
    return (f"{label:<36}{entry['count']:>7}{entry['per_1000_words']:>9.1f}"
            f"{'' if corpus is None else f'{corpus:.1f}':>9}"
            f"{'' if ratio is None else f'{ratio:.1f}x':>8}")


def _bold_cues(row: Mapping) -> str:
    start = row["start"]
    marks = [False] * (row["end"] - start)
    for c in row["cues"]:
        for k in range(c["start"] - start, c["end"] - start):
            marks[k] = True
    out, on = [], False
    for ch, m in zip(row["text"], marks):
        if m != on:
            out.append("\x1b[1m" if m else "\x1b[0m")
            on = m
        out.append(ch)
    if on:
        out.append("\x1b[0m")
    return "".join(out)


def _wrap_ansi(text: str, width: int) -> list[str]:
    """Wrap text holding ANSI escapes, counting only visible characters."""
    lines, line, visible = [], "", 0
    for word in text.split(" "):
        length = len(re.sub(r"\x1b\[[0-9;]*m", "", word))
        if line and visible + 1 + length > width:
            lines.append(line)
            line, visible = word, length
        else:
            line, visible = (f"{line} {word}", visible + 1 + length) if line else (word, length)
    lines.append(line)
    return lines


# --------------------------------------------------------------------------- HTML


def render_html(docs: Sequence[Mapping], top_techniques: int = 3, title: str | None = None) -> str:
    """One self-contained HTML page (inline CSS, no scripts, no network) for the documents."""
    from framing.features.base import Cue
    from framing.highlight import ArticleView, SentenceView
    from framing.highlight import render_html as render

    views = []
    for doc in docs:
        cues = [Cue(c["family"], c["category"], c["start"], c["end"], c["words"], c["source"])
                for row in doc["sentences"] for c in row["cues"]]
        cues += [Cue("spans", s["technique"] or "propaganda span", s["start"], s["end"], s["text"], "prediction")
                 for s in doc.get("spans") or ()]
        sentences = []
        for row in doc["sentences"]:
            top = row["techniques"][:top_techniques] + [
                t for t in row["techniques"][top_techniques:] if t["predicted"]]
            sentences.append(SentenceView(row["start"], row["end"], row["propaganda_probability"],
                                          [(t["technique"], t["probability"]) for t in top]))
        views.append(ArticleView(doc["article"]["name"], doc["text"], sentences, cues,
                                 summary=_html_summary(doc), tables=_html_tables(doc), numbered=True))
    names = ", ".join(d["article"]["name"] for d in docs)
    return render(
        views,
        title=title or f"framing analyze: {names}",
        intro=("Sentence by sentence: the propaganda probability (SLC model), the most likely techniques "
               "(sentence-techniques model) and the framing cues the models' feature families found. "
               "Cue rates are per 1,000 words, beside the training corpus's rates."),
    )


def _html_summary(doc: Mapping) -> list[tuple[str, str]]:
    art, summary = doc["article"], doc["summary"]
    items = [("source", art["source"] if art["source"] != "-" else "<stdin>"),
             ("size", f"{art['n_sentences']} sentences, {art['n_words']} words")]
    for role, label in (("slc", "SLC model"), ("techniques", "techniques model")):
        m = doc["models"][role]
        items.append((label, f"{m['uri']} (trained on {m['dataset']} {m['train_split']})" if m else "none"))
    if doc.get("frames") is not None:
        items.append(("frames (article)", ", ".join(
            f"{f['frame']} {f['probability']:.2f}" for f in doc["frames"] if f["predicted"])))
    if doc.get("spans") is not None:
        items.append(("predicted spans", f"{len(doc['spans'])} (marked in the text)"))
    if doc.get("corpus"):
        c = doc["corpus"]
        items.append(("corpus rates", f"{c['dataset']} {c['split']}: {c['n_texts']:,} sentences, {c['n_words']:,} words"))
    if summary["propaganda"]:
        p = summary["propaganda"]
        mean = "n/a" if p["mean_probability"] is None else f"{p['mean_probability']:.2f}"
        items.append(("propaganda", f"{p['n_sentences_predicted']} of {art['n_sentences']} sentences at "
                                    f">= {doc['threshold']}; mean probability {mean}"))
    if summary["techniques_predicted"]:
        items.append(("techniques predicted", ", ".join(
            f"{t['technique']} ({t['n_sentences']})" for t in summary["techniques_predicted"])))
    standout = standout_cues(doc)
    if standout:
        items.append(("most over-represented cues", "; ".join(
            f"{category_name(e['category'])}: {ratio_phrase(e)}" for e in standout)))
    return items


def _html_tables(doc: Mapping) -> list:
    from framing.highlight import Table

    summary = doc["summary"]
    by_family: dict[str, list] = {}
    for entry in summary["cue_categories"]:
        by_family.setdefault(entry["family"], []).append(entry)
    rows, families = [], []

    def cells(name, e):
        return (name, str(e["count"]), f"{e['per_1000_words']:.1f}",
                "" if e["corpus_per_1000_words"] is None else f"{e['corpus_per_1000_words']:.1f}",
                "" if e["ratio_to_corpus"] is None else f"{e['ratio_to_corpus']:.1f}x")

    for fam in summary["cue_families"]:
        rows.append(cells(FAMILY_NAMES.get(fam["family"], fam["family"]), fam))
        families.append(fam["family"])
        for entry in by_family.get(fam["family"], []):
            if entry["count"]:
                rows.append(cells("\u2003" + category_name(entry["category"]), entry))
                families.append(f"{fam['family']}:{entry['category']}")
    tables = [Table("Cues per 1,000 words", ("family / category", "count", "per 1,000 words",
                                              "training corpus", "ratio"), rows, families)]
    if summary["most_propagandistic"]:
        tables.append(Table(
            "Most propagandistic sentences", ("#", "probability", "sentence"),
            [(str(m["index"] + 1), f"{m['propaganda_probability']:.2f}", m["text"])
             for m in summary["most_propagandistic"]],
            links=[m["index"] for m in summary["most_propagandistic"]],
        ))
    return tables


# --------------------------------------------------------------------------- command line

FORMATS = {"text": ".txt", "json": ".json", "html": ".html"}


def register(subparsers) -> None:
    """Add ``framing analyze`` to the ``framing`` command line."""
    p = subparsers.add_parser(
        "analyze",
        help="predictions and highlighted framing cues for raw news articles",
        description=(
            "Sentence by sentence: propaganda probability (SLC), the most likely techniques, and every "
            "framing cue (loaded language, hedging, agency shifts, style); per article: cue rates beside the "
            "training corpus's. Without --model, the latest registered "
            f"{SLC_MODEL_NAME!r} and {TECHNIQUES_MODEL_NAME!r} models are used."
        ),
        epilog=(
            f"Train and register both models with: {TRAIN_COMMAND}. Exit codes: 0 every input analysed, "
            "1 no usable model, 2 an input could not be read (the others are still analysed) or bad usage. "
            "JSON schema and details: docs/analyze.md."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="UTF-8 text files; - reads stdin")
    p.add_argument("--model", action="append", default=[], metavar="URI",
                   help="an MLflow model URI (runs:/ID/model, models:/NAME/VERSION, models:/NAME/latest) or "
                        "a local MLflow model folder; repeat for the SLC, the techniques, a frames model (task=frames) and a "
                        "span model (task=si or task=flc; "
                        "the kind is read from the model). Default: the latest registered versions")
    p.add_argument("--no-model", action="store_true", help="cues only: no predictions, no corpus rates")
    p.add_argument("--format", action="append", choices=sorted(FORMATS), metavar="{text,json,html}",
                   help="output format (default text); repeat with --out to write several")
    p.add_argument("--out", metavar="DIR", help="write <stem>.txt/.json/.html per article into DIR")
    p.add_argument("--tracking-uri", metavar="URI",
                   help="MLflow tracking/registry URI (default: $MLFLOW_TRACKING_URI or the project's mlflow.db)")
    p.add_argument("--top-techniques", type=_count, default=3, metavar="K",
                   help="techniques shown per sentence in text and HTML (default 3; predicted ones always)")
    p.add_argument("--top-sentences", type=_count, default=3, metavar="N",
                   help="most propagandistic sentences listed per article (default 3)")
    p.add_argument("--colour", choices=["auto", "always", "never"], default="auto",
                   help="bold cue words in text output (auto: when stdout is a terminal)")
    p.set_defaults(func=run_command)


def run_command(args, stdin=None, stdout=None, stderr=None) -> int:
    """Run ``framing analyze``; return the exit code (0, 1: no model, 2: bad input).

    Every readable input is analysed; an input that cannot be read is
    reported (naming the file) and nothing is written for it, and the exit
    code is then 2.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    formats = list(dict.fromkeys(args.format or ["text"]))
    if len(formats) > 1 and not args.out:
        print("framing analyze: error: several --format values need --out DIR", file=stderr)
        return EXIT_INPUT
    if args.paths.count("-") > 1:
        print("framing analyze: error: stdin (-) can be read once", file=stderr)
        return EXIT_INPUT
    if args.no_model and args.model:
        print("framing analyze: error: --no-model and --model exclude each other", file=stderr)
        return EXIT_INPUT

    articles, failed = [], 0
    for source in args.paths:
        try:
            articles.append(read_article(source, stdin))
        except InputError as exc:
            print(f"framing analyze: error: {exc}", file=stderr)
            failed += 1
    if not articles:
        return EXIT_INPUT

    started = time.perf_counter()
    prefetch = SentencePrefetch([a.text for a in articles])
    try:
        store = ModelStore(args.tracking_uri)
        notes: list[str] = []
        if args.no_model:
            models = []
        elif args.model:
            models = [store.load(uri) for uri in args.model]
        else:
            models, notes = store.default_models()
        analyzer = Analyzer.from_models(models, top_sentences=args.top_sentences)
    except AnalyzeError as exc:
        prefetch.result()  # reap the child
        print(f"framing analyze: error: {exc}", file=stderr)
        return exc.exit_code
    for note in notes:
        print(note, file=stderr)

    offsets = prefetch.result() or [None] * len(articles)
    try:
        docs = [analyzer.analyze(a, o) for a, o in zip(articles, offsets)]
    except ModelError as exc:
        print(f"framing analyze: error: {exc}", file=stderr)
        return exc.exit_code
    colour = args.colour == "always" or (
        args.colour == "auto" and not args.out and hasattr(stdout, "isatty") and stdout.isatty()
        and not os.environ.get("NO_COLOR"))
    if args.out:
        out_dir = Path(args.out)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file of that name, no permission...
            print(f"framing analyze: error: --out {out_dir}: cannot use it as the output folder: {exc.strerror}",
                  file=stderr)
            return EXIT_INPUT
        used: set[str] = set()
        for article, doc in zip(articles, docs):
            stem = _unique_stem(article.stem, used)
            for fmt in formats:
                path = out_dir / f"{stem}{FORMATS[fmt]}"
                path.write_text(_render(fmt, [doc], args.top_techniques, False), encoding="utf-8")
                print(f"wrote {path}", file=stderr)
    else:
        fmt = formats[0]
        if fmt == "json" and len(docs) > 1:  # several documents: JSON Lines
            stdout.write("".join(to_json(d, indent=None) + "\n" for d in docs))
        elif fmt == "text":
            stdout.write("\n".join(render_text(d, args.top_techniques, colour=colour) for d in docs))
        else:
            stdout.write(_render(fmt, docs, args.top_techniques, colour))
    print(f"analysed {len(docs)} article(s) in {time.perf_counter() - started:.2f} s", file=stderr)
    return EXIT_INPUT if failed else 0


def _render(fmt: str, docs: Sequence[Mapping], top_techniques: int, colour: bool) -> str:
    if fmt == "json":
        return to_json(docs[0]) + "\n"
    if fmt == "html":
        return render_html(docs, top_techniques)
    return "\n".join(render_text(d, top_techniques, colour=colour) for d in docs)


def _unique_stem(stem: str, used: set[str]) -> str:
    candidate, n = stem, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate)
    return candidate

"""The analyzer behind ``framing analyze``: sentence-level predictions and framing cues for raw articles.

For each article (plain UTF-8 text, one paragraph per line or hard-wrapped)
the analyzer asks each model's task for the rows it was trained on
(:meth:`framing.tasks.base.Task.rows_for_text`: sentences with exact
character offsets for SLC and sentence techniques, the whole article for
frames, tokens for SI/FLC), predicts (:func:`framing.models.predict_with_scores`),
decodes as the task does, and reports per sentence

- the SLC model's propaganda probability (NLP4IF-2019 sentence-level
  classification; a binary pipeline whose ``predict_proba[:, 1]`` is the
  propaganda class),
- the sentence-techniques model's probability of each technique (one-vs-rest
  multi-label pipeline; technique names as in the training corpus),
- every cue the models' own cue extractors find (``explain``: family,
  category, character offsets into the article, words),

and per article the count and rate (per 1,000 words) of each cue family and
category beside the training corpus's rates, the most propagandistic
sentences, and whether the text looks English (:func:`framing.language.detect_language`:
the lexicons, tagger and models are English), as a versioned JSON document (``framing/schemas/analysis-v1.json``,
documented in ``docs/analyze.md``). The terminal and HTML renderings are in
:mod:`framing.report.terminal` and :mod:`framing.report.analysis_html`; the
command line (reading inputs, options) in :mod:`framing.analyze_cli`.

Models are MLflow models logged by ``framing-experiment``, loaded through the
model store (:class:`framing.tracking.registry.ModelStore`); their card
(:func:`framing.models.model_card`) names the task, the label of each
``predict_proba`` column and the training corpus's cue rates. Without a
model given, the latest registered versions of :data:`SLC_MODEL_NAME` and
:data:`TECHNIQUES_MODEL_NAME` are used.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from framing.features.rates import cue_extractors, default_extractors, per_thousand, word_counts
from framing.language import detect_language
from framing.models import predict_with_scores
from framing.tasks import Task, task_from_card
from framing.tasks.spans import span_task_from_card
from framing.text import segment
from framing.tracking.registry import ModelError, ModelStore, StoredModel, incompatible_message

#: Version of the JSON document (``schema_version``); see docs/analyze.md.
SCHEMA_VERSION = "1.1"
#: The JSON Schema of that document, shipped with the package.
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "analysis-v1.json"

#: Registered model names the analyzer uses by default (``framing-<task name>``).
SLC_MODEL_NAME = "framing-slc"
TECHNIQUES_MODEL_NAME = "framing-sentence_techniques"
#: The one command that trains and registers both default models.
TRAIN_COMMAND = "FRAMING_DATA=/path/to/corpora framing-experiment -m experiment=analyzer_models"

#: How a sentence probability counts as a positive prediction (LogisticRegression's predict).
THRESHOLD = 0.5
#: How the analyzer splits an article into sentences (:func:`framing.text.segment`).
SEGMENTATION = "punkt"


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




@dataclass
class AnalyzerModel:
    """A loaded model and what its metadata says about it.

    Parameters
    ----------
    role : {"slc", "techniques", "frames", "spans"}
    pipeline : sklearn.pipeline.Pipeline
        Takes the rows of its task (a DataFrame with a ``text`` column...).
    labels : list of str
        ``role="techniques"``: the technique of each ``predict_proba`` column.
    uri : str
        The immutable model URI it was loaded from (or a local folder).
    card : dict
        The ``MLmodel`` metadata (task, kind, labels, dataset, cue_rates...).
    name, version, run_id : str or None
        Where it is registered and which run logged it.
    task : Task
        The task it was trained for, which builds its rows and decodes its output.
    """

    role: str
    pipeline: Any
    labels: list[str]
    uri: str
    card: dict
    name: str | None = None
    version: str | None = None
    run_id: str | None = None
    task: Task | None = field(default=None, repr=False)

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
            "evaluation": self.card.get("evaluation"),
        }


#: The task of each sentence or article role.
_ROLE_TASKS = {"slc": "slc", "techniques": "sentence_techniques", "frames": "frames"}


def as_analyzer_model(stored: StoredModel, role: str | None = None) -> AnalyzerModel:
    """Decide a loaded model's role from its card (or, for old models, its classifier).

    Parameters
    ----------
    stored : StoredModel
        From :meth:`ModelStore.load`.
    role : {"slc", "techniques", "frames", "spans"}, optional
        The role it must have.

    Raises
    ------
    ModelError
        If it is a model of another task, has no ``predict_proba``, or lacks
        its label names.
    """
    pipeline, card, uri = stored.pipeline, stored.card, stored.uri
    clf = pipeline[-1] if hasattr(pipeline, "steps") else pipeline
    kind = card.get("kind")
    if kind is None:  # logged before models carried a card
        kind = "multilabel" if type(clf).__name__ == "OneVsRestClassifier" else (
            "binary" if len(getattr(clf, "classes_", ())) == 2 else "multiclass")
    task_name = card.get("task")
    detected = {"binary": "slc", "multilabel": "techniques"}.get(kind)
    if task_name == "frames":  # article-level frames model (SemEval-2023 subtask 2): frames of the whole article
        detected = "frames"
    if task_name in ("si", "flc"):  # token tagger: propaganda spans (SI) or technique spans (FLC) of the article
        detected = "spans"
    if detected is None or (detected == "slc" and task_name not in (None, "slc")):
        raise ModelError(
            f"{uri} is a {task_name or kind} model; analyze takes an SLC model (task=slc), a "
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
    if detected == "spans":
        task = span_task_from_card(card, pipeline)
    else:  # models logged before cards named their task: the role's task
        task = task_from_card({**card, "task": task_name or _ROLE_TASKS[detected]})
    return AnalyzerModel(detected, pipeline, labels, uri, card, name=stored.name, version=stored.version,
                         run_id=stored.run_id, task=task)

def load_model(store: ModelStore, reference: str, role: str | None = None) -> AnalyzerModel:
    """Load a model through the store and decide its role (:func:`as_analyzer_model`)."""
    return as_analyzer_model(store.load(reference), role)


def default_models(store: ModelStore) -> tuple[list[AnalyzerModel], list[str]]:
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
        version = store.latest_version(name)
        if version is None:
            missing.append(name)
        else:
            found.append((f"models:/{name}/{version}", role))
    if not found:
        raise ModelError(no_model_message(store.tracking_uri))
    notes = [
        f"note: no {name!r} model is registered in {store.tracking_uri}; "
        f"analysing without it (train and register both with: {TRAIN_COMMAND})"
        for name in missing
    ]
    return [load_model(store, uri, role) for uri, role in found], notes


def no_model_message(tracking_uri: str) -> str:
    """What to say when no analyzer model is registered."""
    return (
        f"no analyzer models are registered in {tracking_uri} "
        f"(looked for {SLC_MODEL_NAME!r} and {TECHNIQUES_MODEL_NAME!r}).\n"
        f"Train and register both (PTC, SemEval-2020 release) with:\n\n    {TRAIN_COMMAND}\n\n"
        "or pass a model with --model URI, or analyse cues only with --no-model."
    )


def _incompatible(uri: str, exc: BaseException) -> ModelError:
    return ModelError(incompatible_message(uri, exc, retrain=TRAIN_COMMAND))


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
                found = cue_extractors(model.pipeline)
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
            self.extractors = default_extractors()

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

    def analyze(self, article: Article) -> dict:
        """The analysis document of one article (the JSON schema's shape).

        Each model gets its task's rows of the article (:meth:`Task.rows_for_text`),
        exactly as training built them; the sentences of the document are the
        sentence models' rows (:data:`SEGMENTATION`).

        Parameters
        ----------
        article : Article

        Raises
        ------
        ModelError
            If a model does not fit the installed code (it was trained with other feature code).
        """
        text = article.text
        slc = self._sentence_predictions(self.slc, text)
        techniques = self._sentence_predictions(self.techniques, text)
        rows_of = slc or techniques
        if rows_of is not None:
            refs = rows_of[0].refs
            offsets = list(zip(refs["start"].tolist(), refs["end"].tolist()))
        else:
            offsets = [(s.start, s.end) for s in segment(text, SEGMENTATION)]
        sentences = [(a, b, text[a:b]) for a, b in offsets]
        texts = [t for _, _, t in sentences]
        words = word_counts(texts)
        slc_p = None if slc is None else self._propaganda_probability(slc)
        tech_p = None if techniques is None else techniques[2]
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
            "language": detect_language(text).to_dict(),
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
    def _predict(model: AnalyzerModel, text: str):
        """``(rows, y_pred, y_score)`` of a model on its task's rows of ``text``, decoded as the task does."""
        rows = model.task.rows_for_text(text, SEGMENTATION)
        if not len(rows):
            return rows, None, None
        try:
            y_pred, y_score = predict_with_scores(model.pipeline, rows.X)
            classes = getattr(model.pipeline, "classes_", None)
            return rows, model.task.decode(rows, y_pred, y_score, classes), y_score
        except (AttributeError, KeyError, TypeError) as exc:  # fitted state the current code does not know
            raise _incompatible(model.uri, exc) from exc

    def _sentence_predictions(self, model: AnalyzerModel | None, text: str):
        return None if model is None else self._predict(model, text)

    def _propaganda_probability(self, predictions) -> np.ndarray | None:
        """P(propaganda) per sentence: the SLC model's probability of class 1."""
        _, _, proba = predictions
        if proba is None:
            return None
        classes = list(getattr(self.slc.pipeline, "classes_", [0, 1]))
        return proba[:, classes.index(1) if 1 in classes else 1]

    def _article_frames(self, text: str) -> list[dict]:
        """The frames model's probability of each frame for the whole article, highest first.

        ``predicted`` as :class:`framing.tasks.frames.FramesTask` decodes: probability >= the
        threshold, and the best frame when none reaches it (every gold article has a frame).
        """
        _, predicted, proba = self._predict(self.frames, text)
        proba = np.asarray(proba, dtype=float)
        ranked = sorted(zip(self.frames.labels, proba[0], predicted[0]), key=lambda x: (-x[1], x[0]))
        return [{"frame": f, "probability": round(float(p), 4), "predicted": bool(y)} for f, p, y in ranked]

    def _article_spans(self, text: str) -> list[dict]:
        """The span model's spans in the article, decoded as in its run (its card's task parameters)."""
        rows, tags, y_score = self._predict(self.spans, text)
        if tags is None:
            return []
        found = self.spans.task.predicted_spans(rows, tags, y_score, getattr(self.spans.pipeline, "classes_", None))
        return [{"start": s.start, "end": s.end, "text": text[s.start:s.end], "technique": s.label,
                 "score": None if s.score is None else round(float(s.score), 4)} for s in found]

    def _cues(self, texts) -> list[list]:
        per_sentence: list[list] = [[] for _ in texts]
        if not texts:
            return per_sentence
        for extractor in self.extractors:
            try:
                found_all = extractor.explain_many(texts)
            except (AttributeError, KeyError, TypeError) as exc:
                source = self.corpus_source["model"] if self.corpus_source else "the cue extractors"
                raise _incompatible(source, exc) from exc
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


def to_json(doc: Mapping, indent: int | None = 2) -> str:
    """The document as JSON text (UTF-8, non-ASCII kept)."""
    return json.dumps(doc, ensure_ascii=False, indent=indent)


def load_schema() -> dict:
    """The JSON Schema of the analysis document (``schemas/analysis-v1.json``)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

"""Build the scikit-learn pipeline of an experiment; predict with scores; describe a fitted model.

The pipeline is ``ColumnTransformer(features per text column) -> classifier``.
What the classifier can take decides the glue, read from scikit-learn's own
estimator tags: dense cue features are standardised (min-max scaled for
models that need non-negative input, such as complement naive Bayes), and for
models without sparse support (histogram gradient boosting) each TF-IDF block
is reduced with truncated SVD.

:func:`predict_with_scores` is how every part of the toolkit applies a fitted
pipeline (evaluation, cross-validation, ``framing analyze``), and
:func:`model_card` is what a logged model carries about itself.
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from omegaconf import DictConfig, ListConfig, OmegaConf
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.validation import check_is_fitted

from framing.errors import UserError
from framing.features.rates import corpus_cue_rates, cue_extractors


def to_python(cfg: Any) -> Any:
    """Plain Python values (dicts, lists, scalars) from an OmegaConf node.

    Lists stay lists: :func:`instantiate_estimator` makes a tuple of a list
    only for a parameter that wants one.
    """
    if isinstance(cfg, (DictConfig, ListConfig)):
        cfg = OmegaConf.to_container(cfg, resolve=True)
    if isinstance(cfg, Mapping):
        return {k: to_python(v) for k, v in cfg.items()}
    if isinstance(cfg, (list, tuple)):
        return [to_python(v) for v in cfg]
    return cfg


class InvalidParameterValue(UserError, ValueError):
    """A configured parameter its estimator refuses; the message names the config key and the allowed values."""


def _init_parameters(cls) -> dict[str, inspect.Parameter] | None:
    """The keyword parameters of ``cls.__init__`` (None when it takes ``**kwargs``)."""
    parameters = inspect.signature(cls).parameters
    if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
        return None
    return {name: p for name, p in parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _as_config(value: Any) -> str:
    """A value as it is written in a config or an override: ``[2, 1]``, ``l3``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_as_config(v) for v in value) + "]"
    return str(value)


def documented_type(cls, name: str) -> str | None:
    """The type line of parameter ``name`` in the numpydoc docstring of ``cls``.

    ``documented_type(TfidfVectorizer, "ngram_range")`` is
    ``"tuple (min_n, max_n), default=(1, 1)"``: the allowed values as the
    estimator documents them (None when its docstring does not say).
    """
    for klass in getattr(cls, "__mro__", (cls,)):
        match = re.search(rf"^\s*{re.escape(name)} : (.+)$", klass.__doc__ or "", re.MULTILINE)
        if match:
            return match.group(1).strip()
    return None


class _DataReached(BaseException):
    """A trial fit reached its data: the estimator accepted its parameters.

    A ``BaseException``, so that no ``except Exception`` inside an estimator
    swallows it.
    """


class _NoData:
    """Stands in for ``X`` and ``y`` in a trial fit: any use of it raises :class:`_DataReached`."""

    def _reached(self, *args, **kwargs):
        raise _DataReached

    __len__ = __iter__ = __getitem__ = __contains__ = __array__ = __bool__ = _reached

    def __getattr__(self, name):
        raise _DataReached


def _trial_fit(estimator) -> Exception | None:
    """What ``fit`` raises before it reads any data (None: the parameters passed).

    scikit-learn checks an estimator's parameters as the first thing ``fit``
    does (its parameter constraints, then checks such as ``ngram_range``'s
    bounds or a solver's penalties), and only then reads ``X``. Fitting on a
    stand-in that raises :class:`_DataReached` at its first use therefore
    runs exactly those checks, through public ``fit`` alone, and stops. A
    check that needs the data (``min_df`` against the number of rows) is
    left to the real fit. Warnings of the trial (deprecations...) are not
    shown: the real fit shows them.
    """
    fit_arity = len([p for p in inspect.signature(estimator.fit).parameters.values()
                     if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            estimator.fit(*[_NoData() for _ in range(min(fit_arity, 2))])
    except _DataReached:
        return None
    except (ValueError, TypeError) as exc:
        if isinstance(exc, UserError):
            raise  # a missing resource or file: its own message says what to do
        return exc
    return None


def check_parameters(estimator, key: str, given: Mapping[str, Any]) -> None:
    """Refuse, before any data is read, parameter values the estimator's ``fit`` would refuse.

    Parameters
    ----------
    estimator : estimator
        Unfitted; it is not modified (a clone is tried).
    key : str
        Its config key (``model``, ``features.tfidf_words``), to name the culprit.
    given : mapping of str to object
        The parameters the config set (the candidates for the culprit).

    Raises
    ------
    InvalidParameterValue
        Naming ``<key>.<parameter>=<value>``, the estimator's own message and
        the allowed values as its docstring documents them. When no single
        parameter fails alone (an incompatible combination), the message
        names every given parameter.
    """
    error = _trial_fit(clone(estimator))
    if error is None:
        return
    cls = type(estimator)
    culprits = []
    for name in given:
        try:
            alone = _trial_fit(cls(**{name: estimator.get_params(deep=False)[name]}))
        except Exception:  # the class needs other parameters too: no verdict on this one
            alone = None
        if alone is not None:
            culprits.append((name, alone))
    if not culprits:
        values = ", ".join(f"{key}.{n}={_as_config(v)}" for n, v in given.items())
        raise InvalidParameterValue(f"{key} ({values or 'defaults'}): {cls.__name__} refuses them: {_one_line(error)}")
    parts = []
    for name, exc in culprits:
        documented = documented_type(cls, name)
        part = f"{key}.{name}={_as_config(given[name])}: {_one_line(exc)}"
        parts.append(part + (f" ({cls.__name__} documents {name} : {documented})" if documented else ""))
    raise InvalidParameterValue("; ".join(parts))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def instantiate_estimator(spec: Mapping[str, Any], key: str | None = None) -> BaseEstimator:
    """Create an estimator from ``{"_target_": "module.Class", **params}``.

    A list becomes a tuple where the class's default for that parameter is a
    tuple (``ngram_range``, ``units``), and stays a list elsewhere
    (``stop_words``): scikit-learn's parameter validation tells the two
    apart, and Hydra hands over lists only.

    Parameters
    ----------
    spec : mapping
        ``_target_`` and keyword arguments.
    key : str, optional
        The spec's config key (``model``, ``features.loaded``). When given,
        the parameters are checked here, before any data is read: names the
        class does not take, and values its ``fit`` refuses
        (:func:`check_parameters`).

    Raises
    ------
    ValueError
        If ``_target_`` is missing or does not name a class.
    InvalidParameterValue
        With ``key``: for an unknown parameter or a refused value.
    """
    from hydra.utils import get_class

    spec = dict(to_python(spec))
    target = spec.pop("_target_", None)
    if not target:
        raise ValueError(f"estimator config needs a _target_: {spec}")
    cls = get_class(target)
    parameters = _init_parameters(cls)
    if parameters is not None:
        unknown = [name for name in spec if name not in parameters]
        if unknown and key is not None:
            raise InvalidParameterValue(
                f"{key}.{unknown[0]}={_as_config(spec[unknown[0]])}: {cls.__name__} has no parameter "
                f"{unknown[0]!r}; its parameters: {', '.join(sorted(parameters))}"
            )
        for name, value in spec.items():
            if isinstance(value, list) and name in parameters and isinstance(parameters[name].default, tuple):
                spec[name] = tuple(value)
    estimator = cls(**spec)
    if key is not None and callable(getattr(estimator, "fit", None)):
        check_parameters(estimator, key, spec)
    return estimator


#: The model inputs besides ``text`` that a caller may leave out, and what they default to.
#: ``repeats``: other occurrences of the row's text in its article (shape features); 0 says
#: the text occurs once. ``context``: the lines around a TC span; by default the span itself.
OPTIONAL_INPUTS: dict[str, str] = {
    "repeats": "optional, default 0: other occurrences of the text in its article",
    "context": "optional, default the text itself: the lines around the span (TC)",
}


class ModelInputs(TransformerMixin, BaseEstimator):
    """First step of every pipeline: the columns the model was fitted on, optional ones filled in.

    A fitted model can then be applied to a DataFrame with a ``text`` column
    alone (as ``mlflow.pyfunc`` serves it): a missing ``repeats`` column is
    filled with 0 and a missing ``context`` with the row's ``text``
    (:data:`OPTIONAL_INPUTS`). A one-dimensional sequence of strings is taken
    as the ``text`` column. Any other missing column is an error.
    """

    def fit(self, X, y=None):
        """Remember the input columns (``X`` a DataFrame of n_samples rows)."""
        self.columns_ = list(getattr(X, "columns", ["text"]))
        return self

    def transform(self, X):
        """The rows with the fitted columns, in the fitted order.

        Parameters
        ----------
        X : pandas.DataFrame of shape (n_samples, n_columns), or sequence of str of length n_samples

        Returns
        -------
        pandas.DataFrame of shape (n_samples, len(columns_))

        Raises
        ------
        ValueError
            If a column without a default is missing.
        """
        import pandas as pd

        check_is_fitted(self, "columns_")
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame({"text": list(X)})
        missing = [c for c in self.columns_ if c not in X.columns]
        if not missing:
            return X if list(X.columns) == self.columns_ else X[self.columns_]
        required = [c for c in missing if c not in OPTIONAL_INPUTS or (c == "context" and "text" not in X.columns)]
        if required:
            raise ValueError(f"the model needs the input column(s) {required}; it reads {self.columns_}")
        X = X.copy()
        for column in missing:
            X[column] = 0 if column == "repeats" else X["text"]
        return X[self.columns_]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "columns_")
        return np.asarray(self.columns_, dtype=object)


def input_descriptions(pipeline) -> dict[str, str]:
    """What each input column of a fitted pipeline is: required, or optional with its default."""
    inputs = pipeline.named_steps.get("inputs") if hasattr(pipeline, "named_steps") else None
    columns = getattr(inputs, "columns_", None) or ["text"]
    return {c: OPTIONAL_INPUTS.get(c, "required") if c != "text" else "required: the text to classify"
            for c in columns}


def is_sparse_text_vectorizer(estimator: BaseEstimator) -> bool:
    """Whether a transformer outputs sparse bag-of-words or indicator features.

    Besides scikit-learn's text vectorizers, a transformer may say so with a
    ``sparse_output = True`` attribute (as ``OneHotEncoder`` does, and
    :class:`framing.features.token.TokenFeatures`).
    """
    return isinstance(estimator, (CountVectorizer, HashingVectorizer)) or getattr(estimator, "sparse_output", False) is True


def feature_name(transformer_name: str, feature: str) -> str:
    """Output feature names: ``loaded__fear_threat_rate``, ``context_tfidf_words__police``.

    Cue families already prefix their names with the family, so the
    transformer name is not repeated.
    """
    family = feature.split("__", 1)[0] if "__" in feature else None
    if family and (transformer_name == family or transformer_name.endswith("_" + family)):
        return transformer_name + feature[len(family) :]
    return f"{transformer_name}__{feature}"


def build_features(
    features: Mapping[str, Mapping[str, Any]],
    columns: Mapping[str, Sequence[str]] | None = None,
    *,
    dense_only: bool = False,
    nonnegative: bool = False,
    svd_components: int = 300,
    seed: int | None = None,
    sequence_column: str | None = None,
) -> ColumnTransformer:
    """The feature union of an experiment, as a ``ColumnTransformer``.

    Parameters
    ----------
    features : mapping of name to estimator spec
        ``{"tfidf_words": {"_target_": ..., ...}, "loaded": {...}}``.
    columns : mapping of column to feature names, optional
        Which features read which text column; default: every feature reads
        ``text``. Entries for other columns are named ``<column>_<feature>``.
        A feature whose class has an ``input_columns`` attribute reads those
        columns instead (once, under its own name).
    dense_only : bool
        Reduce sparse text blocks with ``TruncatedSVD(svd_components)``.
    nonnegative : bool
        Scale dense blocks to [0, 1] (``MinMaxScaler``) instead of standardising.
    seed : int, optional
        ``random_state`` of the SVD.
    sequence_column : str, optional
        Pass this column through as the last output column (sequence
        models such as :class:`framing.crf.CRFTagger` read token positions there).

    Returns
    -------
    ColumnTransformer
    """
    if not features:
        raise ValueError("no features configured: choose at least one, e.g. features=[tfidf_words]")
    columns = dict(columns or {"text": list(features)})
    built = {name: instantiate_estimator(spec, key=f"features.{name}") for name, spec in features.items()}
    entries = []
    for column, names in columns.items():
        for name in names:
            if name not in built:
                raise ValueError(f"column {column!r} asks for feature {name!r}, which is not configured")
            estimator = clone(built[name])
            # a transformer of several columns (the SI token table) names them: added once
            reads = getattr(estimator, "input_columns", None)
            if reads is not None and column != "text":
                continue
            if is_sparse_text_vectorizer(estimator):
                steps = [(name, estimator)]
                if dense_only:
                    steps.append(("svd", TruncatedSVD(n_components=svd_components, random_state=seed)))
            else:
                scaler = MinMaxScaler(clip=True) if nonnegative else StandardScaler()
                steps = [(name, estimator), ("scale", scaler)]
            entry = name if column == "text" else f"{column}_{name}"
            entries.append((entry, Pipeline(steps) if len(steps) > 1 else estimator,
                            list(reads) if reads is not None else column))
    if sequence_column:
        entries.append(("sequence", "passthrough", [sequence_column]))
    return ColumnTransformer(
        entries,
        sparse_threshold=0.0 if dense_only else 0.3,
        verbose_feature_names_out=feature_name,
    )


def build_pipeline(
    features: Mapping[str, Mapping[str, Any]],
    model: Mapping[str, Any],
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
    multilabel: bool = False,
    svd_components: int = 300,
    seed: int | None = None,
) -> Pipeline:
    """``Pipeline([("inputs", ModelInputs), ("features", ColumnTransformer), ("clf", classifier)])``.

    Parameters
    ----------
    features : mapping of name to estimator spec
    model : estimator spec of the classifier
    columns : see :func:`build_features`
    multilabel : bool
        Wrap the classifier in ``OneVsRestClassifier`` (one binary model per label).
    svd_components : int
        SVD size for models that need dense input.
    seed : int, optional

    Returns
    -------
    sklearn.pipeline.Pipeline
    """
    classifier = instantiate_estimator(model, key="model")
    tags = classifier.__sklearn_tags__()
    union = build_features(
        features,
        columns,
        dense_only=not tags.input_tags.sparse,
        nonnegative=tags.input_tags.positive_only,
        svd_components=svd_components,
        seed=seed,
        sequence_column=getattr(classifier, "sequence_column", None),
    )
    if multilabel:
        classifier = OneVsRestClassifier(classifier)
    return Pipeline([("inputs", ModelInputs()), ("features", union), ("clf", classifier)])


def predict_with_scores(pipeline, X) -> tuple[np.ndarray, np.ndarray | None]:
    """Predictions and per-class scores (probabilities, else decision values).

    The features are computed once and handed to the final estimator for both,
    as ``Pipeline.predict`` and ``Pipeline.predict_proba`` would each compute them.

    Parameters
    ----------
    pipeline : fitted estimator
        Usually a :func:`build_pipeline` pipeline.
    X : pandas.DataFrame of shape (n_samples, n_columns)
        The task's rows (``Examples.X``).

    Returns
    -------
    y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
    y_score : ndarray of shape (n_samples, n_classes) or None
        ``predict_proba``, else ``decision_function`` (binary decision values
        as two columns ``[-d, d]``), else None.
    """
    model = pipeline
    if isinstance(pipeline, Pipeline) and len(pipeline.steps) > 1:
        X, model = pipeline[:-1].transform(X), pipeline.steps[-1][1]
    y_pred = model.predict(X)
    y_score = None
    if hasattr(model, "predict_proba"):
        try:
            y_score = model.predict_proba(X)
        except (AttributeError, NotImplementedError):
            y_score = None
    if y_score is None and hasattr(model, "decision_function"):
        y_score = model.decision_function(X)
        if y_score.ndim == 1:  # binary decision values -> two columns like predict_proba
            y_score = np.column_stack([-y_score, y_score])
    return y_pred, y_score


def model_card(task, pipeline, classes, *, labels: Sequence[str], dataset: str, train_split: str,
               segmentation: str, task_params: Mapping[str, Any], train_texts: Sequence[str],
               evaluation: Mapping[str, Any] | None = None) -> dict:
    """What reading a fitted model's output needs, stored in its ``MLmodel`` metadata.

    Parameters
    ----------
    task : framing.tasks.Task
    pipeline : fitted Pipeline
    classes : ndarray or None
        The classifier's ``classes_``.
    labels : sequence of str
        The examples' labels (the technique list of a multi-label task).
    dataset, train_split, segmentation : str
        Where the model was trained, and how its texts were split into sentences.
    task_params : mapping
        The task config's keyword arguments (how the task decodes: SI/FLC
        tagging, threshold...), to decode the same way later.
    train_texts : sequence of str
        The training rows' texts, for the cue rates.
    evaluation : mapping, optional
        What the run measured (:func:`card_evaluation`): ``split``,
        ``main_metric`` and that split's ``metrics``, so that whoever applies
        the model can say how good it is (``framing analyze`` quotes it).

    Returns
    -------
    dict
        ``task``, ``kind``, ``labels`` (the name of each ``predict_proba``
        column; for multi-label tasks the corpus's technique list),
        ``dataset``, ``train_split``, ``segmentation``, ``task_params``,
        ``inputs`` (each input column: required, or optional with its
        default, :func:`input_descriptions`), ``usage`` (how to apply the
        logged model through ``mlflow.pyfunc``) and
        ``cue_rates``: the training sentences' cue counts per 1,000 words from
        the pipeline's own cue extractors
        (:func:`framing.features.rates.corpus_cue_rates`), which ``framing
        analyze`` compares articles with (None for tasks whose rows are not
        sentences: spans, tokens or documents would give rates no article is
        compared with), ``evaluation`` (None when not given) and ``encoders``:
        the pre-trained encoders the model's embedding features need
        (:func:`framing.features.embeddings.encoder_cards`: model name, weights
        identity, dimension, the extra to install); empty for a model without them.
    """
    from framing.features.embeddings import encoder_cards

    if task.kind == "multilabel":
        names = list(labels)
    elif task.kind == "binary" and classes is not None:
        names = task.label_names(np.asarray(classes), classes)
    else:
        names = [str(c) for c in classes] if classes is not None else []
    return {
        "task": task.name,
        "kind": task.kind,
        "labels": names,
        "dataset": dataset,
        "train_split": str(train_split),
        "segmentation": str(segmentation),
        "task_params": dict(task_params),
        "inputs": input_descriptions(pipeline),
        "usage": _usage(input_descriptions(pipeline), task.kind),
        "cue_rates": corpus_cue_rates(cue_extractors(pipeline), list(train_texts))
        if task.name in ("slc", "sentence_techniques") else None,
        "evaluation": None if evaluation is None else dict(evaluation),
        "encoders": encoder_cards(pipeline),
    }


def card_evaluation(metrics: Mapping[str, float], main_metric: str, task_metric: str) -> dict | None:
    """The model card's ``evaluation``: the split of the run's main metric and that split's scores.

    Parameters
    ----------
    metrics : mapping of str to float
        The run's metrics (``dev_micro_f1``, ``dev_micro_f1_ci_low``, ``test_f1``...).
    main_metric : str
        The run's main metric with its split (``dev_micro_f1``; empty when nothing was scored).
    task_metric : str
        The task's main metric without the split (``micro_f1``).

    Returns
    -------
    dict or None
        ``{"split": "dev", "main_metric": "micro_f1", "metrics": {"micro_f1": 0.26, ...}}``
        (interval bounds and fold deviations left out); None when no split was scored.
    """
    suffix = f"_{task_metric}"
    if not main_metric or not main_metric.endswith(suffix) or main_metric not in metrics:
        return None
    split = main_metric[: -len(suffix)]
    scores = {key[len(split) + 1:]: round(float(value), 4) for key, value in metrics.items()
              if key.startswith(f"{split}_") and not key.endswith(("_ci_low", "_ci_high", "_std"))}
    return {"split": split, "main_metric": task_metric, "metrics": scores}


def _usage(inputs: Mapping[str, str], kind: str) -> str:
    """How to apply a logged model through ``mlflow.pyfunc``, for the model card."""
    required = [c for c, what in inputs.items() if what.startswith("required")]
    frame = ", ".join(f'"{c}": [...]' for c in required)
    output = ("one row of 0/1 per label (the labels' order: `labels`)" if kind == "multilabel"
             else "one prediction per row (label names: `labels`)")
    optional = [c for c in inputs if c not in required]
    return (f"mlflow.pyfunc.load_model(model_uri).predict(pandas.DataFrame({{{frame}}})) gives {output}"
            + (f"; optional columns: {', '.join(optional)} (see `inputs`)" if optional else ""))

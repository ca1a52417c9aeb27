"""Which span task a fitted token tagger belongs to, and its spans in a raw text.

A model logged by ``framing-experiment task=si`` or ``task=flc`` carries its
task and decoding parameters in its card (:func:`framing.models.model_card`);
older models are recognised by their classes. Used by ``framing analyze`` and
by anyone holding such a model.
"""

from __future__ import annotations

import inspect

from framing.tasks.flc import FLCTask
from framing.tasks.si import SITask
from framing.tasks.tagging import BEGIN, INSIDE, OUTSIDE, PredictedSpan


def infer_span_task(model) -> SITask:
    """The SI or FLC task a fitted token tagger was trained for, from its classes.

    ``[0, 1]``: SI with ``io`` tags; ``B``/``I``/``O``: SI with ``bio``;
    technique names (with ``O``): FLC, ``bio`` when they carry ``B-``/``I-``.

    Raises
    ------
    ValueError
        If the model's classes are none of these.
    """
    classes = [c.item() if hasattr(c, "item") else c for c in getattr(model, "classes_", [])]
    if sorted(map(str, classes)) == ["0", "1"]:
        return SITask(tagging="io")
    if set(classes) == {OUTSIDE, BEGIN, INSIDE}:
        return SITask(tagging="bio")
    if OUTSIDE in classes and all(isinstance(c, str) for c in classes):
        bio = any(c.startswith(("B-", "I-")) for c in classes if c != OUTSIDE)
        return FLCTask(tagging="bio" if bio else "io")
    raise ValueError(f"not a span tagger: classes {classes[:5]}")


def span_task_from_card(card, model=None) -> SITask:
    """The SI/FLC task a logged model was evaluated with, from its ``MLmodel`` metadata.

    :func:`framing.models.model_card` stores ``task`` (``"si"``,
    ``"flc"``) and ``task_params`` (tagging, threshold...), so spans are
    decoded as in the run. Without them (older models) the task is inferred
    from the model's classes with default decoding (:func:`infer_span_task`).

    Raises
    ------
    ValueError
        If the card names another task, or (without a card) the model is not a span tagger.
    """
    card = dict(card or {})
    name = card.get("task")
    if name is None:
        return infer_span_task(model)
    if name not in ("si", "flc"):
        raise ValueError(f"a {name} model is not a span tagger (task=si or task=flc)")
    cls = SITask if name == "si" else FLCTask
    accepted = set(inspect.signature(cls).parameters)
    params = {k: v for k, v in dict(card.get("task_params") or {}).items() if k in accepted}
    if not params and model is not None:
        return infer_span_task(model)
    return cls(**params)


def predict_spans(model, text: str, task: SITask | None = None, segmentation: str = "punkt") -> list[PredictedSpan]:
    """Propaganda spans (SI) or technique spans (FLC) of a raw text.

    Parameters
    ----------
    model : fitted token-tagging pipeline (``framing-experiment task=si`` or ``task=flc``)
    text : str
    task : SITask or FLCTask, optional
        How to decode (threshold, tagging...); default: inferred from the
        model's classes with default decoding (:func:`infer_span_task`).
    segmentation : {"punkt", "lines", "paragraphs"}, default "punkt"

    Returns
    -------
    list of PredictedSpan
    """
    task = task or infer_span_task(model)
    return task.predict_spans(model, text, segmentation)

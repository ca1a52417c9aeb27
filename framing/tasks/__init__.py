"""Tasks: how documents become rows, and how predictions are scored and written.

:data:`TASKS` maps each task name (``slc``, ``tc``, ...) to its class;
:func:`task_from_card` rebuilds the task a logged model was trained for.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from framing.tasks.base import Examples, Task
from framing.tasks.bias import SentenceBiasTask
from framing.tasks.flc import FLCTask
from framing.tasks.frames import FramesTask
from framing.tasks.genre import GenreTask
from framing.tasks.si import SITask
from framing.tasks.slc import SLCTask
from framing.tasks.tc import TCTask
from framing.tasks.techniques import SentenceTechniquesTask

#: Task name -> class.
TASKS: dict[str, type[Task]] = {
    cls.name: cls
    for cls in (SLCTask, SentenceTechniquesTask, TCTask, SITask, FLCTask, FramesTask, GenreTask, SentenceBiasTask)
}


def task_from_card(card: Mapping[str, Any]) -> Task:
    """The task a logged model was trained and decoded with, from its card.

    Parameters
    ----------
    card : mapping
        The model's ``MLmodel`` metadata (:func:`framing.models.model_card`):
        ``task`` (a :data:`TASKS` name) and ``task_params`` (the task config's
        keyword arguments; unknown ones are ignored).

    Returns
    -------
    Task

    Raises
    ------
    ValueError
        If the card names no task or an unknown one.
    """
    name = card.get("task")
    if name not in TASKS:
        raise ValueError(f"the model card names task {name!r}; known tasks: {sorted(TASKS)}")
    cls = TASKS[name]
    accepted = set(inspect.signature(cls).parameters)
    return cls(**{k: v for k, v in dict(card.get("task_params") or {}).items() if k in accepted})


__all__ = ["TASKS", "Examples", "FLCTask", "FramesTask", "GenreTask", "SITask", "SLCTask", "SentenceBiasTask",
           "SentenceTechniquesTask", "TCTask", "Task", "task_from_card"]

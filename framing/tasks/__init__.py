"""Tasks: how documents become rows, and how predictions are scored and written."""

from framing.tasks.base import Examples, Task
from framing.tasks.bias import SentenceBiasTask
from framing.tasks.flc import FLCTask
from framing.tasks.frames import FramesTask
from framing.tasks.genre import GenreTask
from framing.tasks.si import SITask
from framing.tasks.slc import SLCTask
from framing.tasks.tc import TCTask
from framing.tasks.techniques import SentenceTechniquesTask

__all__ = ["Examples", "FLCTask", "FramesTask", "GenreTask", "SITask", "SLCTask", "SentenceBiasTask", "SentenceTechniquesTask", "TCTask", "Task"]

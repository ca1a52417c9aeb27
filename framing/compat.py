"""Old import paths that keep working for one release, with a ``DeprecationWarning``.

A module that moved leaves behind a stub whose attributes forward to the new
module. Models pickled before the move name classes by their old paths
(``framing.features.lexicon.Lexicon``), so the stubs also let those load.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import Any


def moved_module(old: str, new: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``old`` that forwards to ``new`` and warns.

    Parameters
    ----------
    old, new : str
        Dotted module names (``"framing.features.lexicon"``, ``"framing.lexicons.lexicon"``).

    Returns
    -------
    callable
        Assign it to the stub module's ``__getattr__``.
    """

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        warnings.warn(f"{old} moved to {new}; import {name} from there ({old} goes in the next release)",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(new), name)

    return __getattr__

"""Run parameters within MLflow's limits, and parameters compared by value.

MLflow stores a parameter as a string of at most 6,000 characters under a key
of at most 250 (``mlflow.utils.validation``); a longer key fails the whole
``log_batch``, a longer value is refused or cut by the store. A run's params
are made to fit here, visibly: a value over the limit is cut and ends with a
marker (the full config is the run's ``config.yaml``), a key over the limit
becomes a prefix plus a hash of the whole key. Tags have their own limit
(8,000 characters) and are cut the same way.

Since params are strings, ``1`` and ``1.0`` differ to MLflow's search;
:func:`same_value` compares a logged param with a wanted value as values.
No mlflow import: the limits are plain numbers.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

#: MLflow's limits (``mlflow.utils.validation``: MAX_PARAM_VAL_LENGTH, MAX_ENTITY_KEY_LENGTH, MAX_TAG_VAL_LENGTH).
MAX_PARAM_VALUE = 6000
MAX_KEY = 250
MAX_TAG_VALUE = 8000


def truncated(value: str, limit: int, where: str = "config.yaml") -> str:
    """``value`` cut to ``limit`` characters, ending with a marker that says so (unchanged when it fits)."""
    if len(value) <= limit:
        return value
    marker = f"… [truncated from {len(value)} characters; the full value is in {where}]"
    return value[: max(0, limit - len(marker))] + marker


def short_key(key: str, limit: int = MAX_KEY) -> str:
    """``key`` itself when it fits, else its first characters, ``-`` and 8 hex digits of its sha256.

    Deterministic: the same long key gets the same short key in every run,
    so runs stay comparable on it.
    """
    if len(key) <= limit:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{key[: limit - 9]}-{digest}"  # MLflow keys allow - but not ~


def fit_params(params: Mapping[str, Any]) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Params as MLflow will take them.

    Parameters
    ----------
    params : mapping of str to object
        Flattened params (values are turned into strings).

    Returns
    -------
    fitted : dict of str to str
        Keys at most :data:`MAX_KEY` characters, values at most :data:`MAX_PARAM_VALUE`.
    truncated_keys : list of str
        The (fitted) keys whose values were cut.
    shortened : dict of str to str
        ``{short key: original key}`` for the keys that were too long.
    """
    fitted: dict[str, str] = {}
    cut: list[str] = []
    shortened: dict[str, str] = {}
    for key, value in params.items():
        name = short_key(str(key))
        if name != key:
            shortened[name] = str(key)
        text = str(value)
        fitted[name] = truncated(text, MAX_PARAM_VALUE)
        if fitted[name] != text:
            cut.append(name)
    return fitted, cut, shortened


def param_value(text: str | None) -> Any:
    """A logged param string read back as a value: a number, a bool, None, a list or dict, else the string.

    ``"1"`` and ``"1.0"`` give 1.0; ``"[1, 2]"`` (JSON, as :func:`framing.tracking.flatten`
    writes lists) and ``"[1,2]"`` give ``[1, 2]``; ``"None"`` (``str(None)``) and ``"null"`` give None.
    """
    if text is None:
        return None
    stripped = text.strip()
    try:
        number = float(stripped)
    except ValueError:
        pass
    else:
        return number if not math.isnan(number) else stripped
    if stripped in ("None", "null", "~"):
        return None
    if stripped in ("True", "true"):
        return True
    if stripped in ("False", "false"):
        return False
    if stripped[:1] in "[{":
        try:
            return _numbers_as_floats(json.loads(stripped))
        except ValueError:
            import yaml  # Hydra's override style: [a,b] without quotes

            try:
                return _numbers_as_floats(yaml.safe_load(stripped))
            except yaml.YAMLError:
                pass
    return stripped


def _numbers_as_floats(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [_numbers_as_floats(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _numbers_as_floats(v) for k, v in value.items()}
    return value


def same_value(logged: str | None, wanted: str) -> bool:
    """Whether a logged param equals a wanted value as values (``1.0`` = ``1``, ``[1, 2]`` = ``[1,2]``)."""
    return logged is not None and (logged == wanted or param_value(logged) == param_value(wanted))

"""The ``paper`` block of an experiment file: published numbers, where to check them, and whether they compare.

Every experiment file in ``experiments/experiment/`` names the published
numbers it sits beside::

    paper:
      citation: "Blaschke, Korniyenko, Tureski (2020). CyberWallE at SemEval-2020 Task 11 ..."
      short: Blaschke et al. 2020 (CyberWallE)
      task: TC
      split: test                  # the split of the numbers (default for each metric)
      row: CyberWallE, final model # the system (default for each metric)
      labels: official             # optional: the gold's label source (SLC: official files vs derived)
      tolerance: 0.02
      metrics:                     # one results-table row each
        - name: micro-F1           # the paper's name of the metric
          ours: micro_f1           # our metric, without the split prefix
          reported: 0.6642         # a fraction; null when no number could be verified
          split: dev               # optional, overrides paper.split
          same_metric: true        # the number is our metric's definition (the file says why)
          source: "paper/Latex/semeval2020.tex line 343 (cicl-iscl/CyberWallE-propaganda-detection)"
      note: what differs, and how each number was checked

A row is *comparable* only on the same split, the same metric definition and
the same label source; ``framing reproduce`` shows a difference and a verdict
for comparable rows only (:func:`comparability`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: What a comparable row says in the results table.
SAME = "same split, same metric"


@dataclass(frozen=True)
class PaperMetric:
    """One published number and the metric of ours it is set beside.

    Parameters
    ----------
    name : str
        The paper's name for the metric.
    ours : str
        Our metric name without the split prefix (``f1``, ``micro_f1``).
    reported : float or None
        The number as a fraction in [0, 1]; None when it could not be verified.
    split : str
        The split the number was measured on.
    row : str
        The system (row of the paper's table).
    source : str
        Where to check the number (repository file and line, or table).
    same_metric : bool
        Whether the number has our metric's definition.
    unverified : str
        Why there is no number (with ``reported`` None).
    """

    name: str
    ours: str
    reported: float | None
    split: str
    row: str
    source: str = ""
    same_metric: bool = False
    unverified: str = ""


@dataclass(frozen=True)
class PaperRef:
    """The ``paper`` block of an experiment file (see the module docstring).

    Parameters
    ----------
    citation, short, task : str
    split : str
        Default split of the metrics.
    tolerance : float
        Band around a reported value within which a comparable row says "yes".
    metrics : tuple of PaperMetric
    note : str
    labels : str
        The gold's label source of the paper's numbers (``"official"``), or "".
    table, row : str
        Defaults for each metric's ``source`` and ``row``.
    """

    citation: str
    short: str
    task: str
    split: str
    tolerance: float
    metrics: tuple[PaperMetric, ...]
    note: str = ""
    labels: str = ""
    table: str = ""
    row: str = ""


def _unit_number(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {value!r}") from None
    if not 0.0 <= number <= 1.0 or math.isnan(number):
        raise ValueError(f"{what} = {value!r} is outside [0, 1]: give scores as fractions (57.74 % -> 0.5774)")
    return number


def parse_paper(block: Mapping[str, Any] | None, name: str, where: str | None = None) -> PaperRef:
    """Validate an experiment's ``paper`` block.

    Parameters
    ----------
    block : mapping or None
        ``cfg.paper`` as plain Python.
    name : str
        The experiment's name, for error messages.
    where : str, optional
        How to name the file in messages (default ``experiment/<name>.yaml``).

    Returns
    -------
    PaperRef

    Raises
    ------
    ValueError
        A missing block or field; a reported value or tolerance that is not a
        fraction in [0, 1]; a reported number without a ``source`` (or a
        ``table`` default); a null ``reported`` without ``unverified``.
    """
    where = where or f"experiment {name!r} (experiment/{name}.yaml)"
    if not block:
        raise ValueError(f"{where} has no paper block: every reproduced result needs one (see framing/papers.py)")
    missing = [k for k in ("citation", "short", "task", "split", "tolerance", "metrics") if block.get(k) in (None, "")]
    if missing:
        raise ValueError(f"{where}: the paper block lacks {', '.join(missing)}")
    metrics = []
    for i, item in enumerate(block["metrics"]):
        what = f"{where}: paper.metrics[{i}]"
        if not isinstance(item, Mapping) or any(item.get(k) in (None, "") for k in ("name", "ours")) or "reported" not in item:
            raise ValueError(f"{what} needs name, ours and reported; got {item!r}")
        reported = None if item["reported"] is None else _unit_number(item["reported"], f"{what}.reported")
        source = str(item.get("source") or block.get("table") or "")
        unverified = " ".join(str(item.get("unverified") or "").split())
        if reported is not None and not source:
            raise ValueError(f"{what} reports {reported} without a source: give source (repository file and line, "
                             "or the paper's table)")
        if reported is None and not unverified:
            raise ValueError(f"{what} has no reported number: say why in unverified")
        row = str(item.get("row") or block.get("row") or "")
        if not row:
            raise ValueError(f"{what} needs a row (the system), here or in the paper block")
        metrics.append(PaperMetric(str(item["name"]), str(item["ours"]), reported, str(item.get("split") or block["split"]),
                                   row, source, bool(item.get("same_metric", False)), unverified))
    if not metrics:
        raise ValueError(f"{where}: paper.metrics is empty")
    return PaperRef(
        citation=" ".join(str(block["citation"]).split()),
        short=str(block["short"]),
        task=str(block["task"]),
        split=str(block["split"]),
        tolerance=_unit_number(block["tolerance"], f"{where}: paper.tolerance"),
        metrics=tuple(metrics),
        note=" ".join(str(block.get("note") or "").split()),
        labels=str(block.get("labels") or ""),
        table=str(block.get("table") or ""),
        row=str(block.get("row") or ""),
    )


def comparability(metric: PaperMetric, split_reason: str, ours_labels: str, paper_labels: str) -> tuple[bool, str]:
    """Whether a row compares like with like, and the table's words for it.

    Parameters
    ----------
    metric : PaperMetric
    split_reason : str
        Empty when our scored split is the number's split, else a short
        statement of the difference (``"dev vs test"``).
    ours_labels, paper_labels : str
        Label sources (``"official"``, ``"derived"``); "" when not applicable.

    Returns
    -------
    comparable : bool
    text : str
        ``"same split, same metric"`` or ``"not comparable: <reasons>"``.
    """
    reasons = []
    if metric.reported is None:
        reasons.append("no verified published number")
    if split_reason:
        reasons.append(split_reason)
    if metric.reported is not None and not metric.same_metric:
        reasons.append("another metric definition")
    if paper_labels and ours_labels != paper_labels:
        reasons.append(f"{ours_labels or 'other'} vs {paper_labels} labels")
    return (not reasons), (SAME if not reasons else "not comparable: " + "; ".join(reasons))

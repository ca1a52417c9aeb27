"""Plain-text and Markdown tables for the command line (stats, compare, reproduce)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _cell(value: Any, digits: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def format_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, fmt: str = "table", digits: int = 4) -> str:
    """Render rows as an aligned text table or a Markdown table.

    Parameters
    ----------
    rows : sequence of mapping
        One mapping per row; missing keys render empty.
    columns : sequence of str, optional
        Column order (default: keys of the first row, then new keys in order).
    fmt : {"table", "markdown", "tsv"}
    digits : int
        Decimals for floats.

    Returns
    -------
    str
    """
    if columns is None:
        columns = list(dict.fromkeys(k for row in rows for k in row))
    cells = [[_cell(row.get(c), digits) for c in columns] for row in rows]
    if fmt == "tsv":
        return "\n".join("\t".join(r) for r in [list(columns), *cells])
    numeric = [all(_is_number(r[i]) for r in cells if r[i]) and any(r[i] for r in cells) for i in range(len(columns))]
    if fmt == "markdown":
        head = "| " + " | ".join(columns) + " |"
        rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
        body = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in cells]
        return "\n".join([head, rule, *body])
    if fmt != "table":
        raise ValueError(f"unknown table format {fmt!r}; use table, markdown or tsv")
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _is_number(text: str) -> bool:
    try:
        float(text.replace("±", "").split()[0])
        return True
    except (ValueError, IndexError):
        return False

"""Self-contained HTML reports that highlight framing cues and predictions in articles.

One file, inline CSS, no scripts and no network: each sentence is a row with
its propaganda probability, its predicted techniques and its text, in which
every cue from the feature families' ``explain`` is marked (one visual style
per family, so overlapping cues stay visible) with details on hover. Every
piece of the user's text goes through :func:`html.escape`.
"""

from __future__ import annotations

import bisect
import colorsys
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from framing.features.base import Cue

#: Family -> (CSS, legend description). Each family uses a different CSS
#: property, so cues of several families on the same words combine.
FAMILY_STYLES: dict[str, tuple[str, str]] = {
    "loaded": ("background-color:#ffd6d6;", "loaded language (background)"),
    "hedging": ("border-bottom:3px solid #2e86c1;", "hedging, boosting, attribution (blue underline)"),
    "agency": ("outline:2px dashed #1e8449;outline-offset:1px;", "agency shifts: passives, nominalisations (green box)"),
    "style": ("text-decoration:underline dotted #7f8c8d;", "style cues (dotted underline)"),
    "spans": ("box-shadow:inset 0 -0.45em 0 #fff2a8;", "predicted or gold spans (yellow marker)"),
}

#: (family, category) -> (CSS, legend): fainter marks for categories that fire in
#: most sentences (grammatical subjects), so the agency shifts stay visible.
CATEGORY_STYLES: dict[tuple[str, str], tuple[str, str]] = {
    ("agency", "personal_subject"): ("outline:1px dotted #82c99b;outline-offset:1px;", "agency: sentence subjects (faint green dots)"),
    ("agency", "impersonal_subject"): ("outline:1px dotted #82c99b;outline-offset:1px;", "agency: sentence subjects (faint green dots)"),
}


def _family_style(family: str, categories: set[str]) -> str:
    """CSS for the cues of one family on a piece of text (faint when all are quiet categories)."""
    quiet = [CATEGORY_STYLES.get((family, c)) for c in categories]
    if quiet and all(quiet):
        return quiet[0][0]
    return FAMILY_STYLES.get(family, ("", ""))[0]


@dataclass
class SentenceView:
    """A sentence row: offsets into the article, probability, techniques."""

    start: int
    end: int
    probability: float | None = None
    techniques: Sequence[tuple[str, float]] = ()
    gold: Sequence[str] = ()


@dataclass
class Table:
    """A small table shown under an article's summary (every cell is escaped).

    Parameters
    ----------
    title : str
    header : sequence of str
    rows : sequence of sequence of str
    families : sequence of str, optional
        Per row, ``family`` or ``family:category``, whose cue style marks the
        first cell (a colour key).
    links : sequence of int, optional
        Per row, the index of a sentence the first cell links to (``#<article>-s<index>``).
    """

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    families: Sequence[str] = ()
    links: Sequence[int] = ()


@dataclass
class ArticleView:
    """What the report shows of one article.

    Parameters
    ----------
    id : str
    text : str
        The article text (escaped when rendered).
    sentences : sequence of SentenceView
    cues : sequence of Cue
        Offsets into ``text``.
    summary : sequence of (str, str)
        Key-value lines shown above the article (counts, rates, frames...).
    tables : sequence of Table
        Tables shown under the summary (cue rates, top sentences...).
    numbered : bool
        Show each sentence's 1-based number in its row.
    notices : sequence of (str, str)
        ``(kind, message)`` boxes shown above the summary; ``kind`` is
        ``"warning"`` (red: e.g. the text is not English) or ``"caveat"`` (amber).
    """

    id: str
    text: str
    sentences: Sequence[SentenceView]
    cues: Sequence[Cue] = ()
    summary: Sequence[tuple[str, str]] = field(default_factory=tuple)
    tables: Sequence[Table] = ()
    numbered: bool = False
    notices: Sequence[tuple[str, str]] = ()


#: The same technique under the names of several releases: PTC-2019/SemEval-2020 name -> the
#: SemEval-2023 name (Piskorski et al., 2023, renamed or merged them), as :func:`technique_key` spells them.
TECHNIQUE_ALIASES = {
    "black_and_white_fallacy": "false_dilemma_no_choice",
    "thought_terminating_cliches": "conversation_killer",
    "bandwagon": "appeal_to_popularity",
    "straw_men": "straw_man",
    "obfuscation_intentional_vagueness_confusion": "obfuscation_vagueness_confusion",
}

#: One fixed colour per technique of PTC-2019 (18), SemEval-2020 (14) and SemEval-2023 (23), and for
#: predicted propaganda spans, keyed by :func:`technique_key`, so a technique has the same colour in
#: every report whatever else the page shows. Light (CIELAB L* 74-92, dark text stays readable) and
#: at least 10.8 CIEDE2000 apart from each other and from white (scripts/technique_palette.py picked
#: them; tests/test_report_html.py checks the distances), the most frequent techniques first.
TECHNIQUE_COLOURS = {
    "loaded_language": "#58cb88",
    "name_calling_labeling": "#f794e3",
    "repetition": "#f6a35e",
    "doubt": "#28c7e1",
    "exaggeration_minimisation": "#e8e482",
    "appeal_to_fear_prejudice": "#a7b2f8",
    "flag_waving": "#d0aeab",
    "causal_oversimplification": "#b1f5e7",
    "slogans": "#afb9ab",
    "appeal_to_authority": "#ecd9f7",
    "false_dilemma_no_choice": "#fcdab2",
    "conversation_killer": "#b8f9a1",
    "whataboutism": "#bedbed",
    "reductio_ad_hitlerum": "#a9be7e",
    "red_herring": "#76bcf7",
    "appeal_to_popularity": "#d3b34f",
    "obfuscation_vagueness_confusion": "#24cbc0",
    "straw_man": "#f79cac",
    "bandwagon_reductio_ad_hitlerum": "#f7a08c",
    "whataboutism_straw_men_red_herring": "#ebeac5",
    "questioning_the_reputation": "#b7b3cc",
    "guilt_by_association": "#d8b9fe",
    "appeal_to_values": "#35f1ca",
    "appeal_to_hypocrisy": "#c3b595",
    "consequential_oversimplification": "#96bdc0",
    "appeal_to_time": "#f0dbd4",
    "propaganda_span": "#b4d8b8",
}


def technique_key(label: str) -> str:
    """The palette key of a technique name: lower case, ``_`` between words, release aliases merged.

    ``Flag-Waving`` (PTC) and ``Flag_Waving`` (SemEval-2023) give ``flag_waving``;
    ``Black-and-White_Fallacy`` gives ``false_dilemma_no_choice`` (:data:`TECHNIQUE_ALIASES`).
    """
    key = re.sub(r"[^0-9a-z]+", "_", label.lower()).strip("_")
    return TECHNIQUE_ALIASES.get(key, key)


def hashed_colour(label: str) -> str:
    """A deterministic light colour for a name outside :data:`TECHNIQUE_COLOURS` (from its SHA-1)."""
    hue = int(hashlib.sha1(label.encode()).hexdigest()[:6], 16) / 0xFFFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.82, 0.65)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def technique_colour(label: str) -> str:
    """The badge colour of a technique: its fixed palette colour, else a colour from a hash of its name."""
    return TECHNIQUE_COLOURS.get(technique_key(label)) or hashed_colour(label)


def technique_colours(labels) -> dict[str, str]:
    """The badge colour of each technique on a page (:func:`technique_colour`: independent of the others)."""
    return {t: technique_colour(t) for t in sorted(set(labels))}


def _marked_text(text: str, start: int, end: int, cues: Sequence[Cue]) -> str:
    """``text[start:end]`` with cue markup; cues may overlap."""
    inside = [c for c in cues if c.start < end and c.end > start]
    points = sorted({start, end, *(max(start, c.start) for c in inside), *(min(end, c.end) for c in inside)})
    out = []
    for a, b in zip(points, points[1:]):
        piece = escape(text[a:b])
        active = [c for c in inside if c.start <= a and c.end >= b]
        if not active:
            out.append(piece)
            continue
        families = sorted({c.family for c in active})
        style = "".join(_family_style(f, {c.category for c in active if c.family == f}) for f in families)
        title = "; ".join(
            sorted({f"{c.family}: {c.category}" + (f" ({c.source})" if c.source else "") for c in active})
        )
        classes = " ".join(f"cue-{escape(f)}" for f in families)
        out.append(f'<span class="cue {classes}" style="{style}" title="{escape(title)}">{piece}</span>')
    return "".join(out)


def _probability_cell(p: float | None) -> str:
    if p is None:
        return '<td class="prob"></td>'
    alpha = 0.12 + 0.75 * max(0.0, min(1.0, p))
    return (
        f'<td class="prob" style="background:rgba(230,126,34,{alpha:.2f})" '
        f'title="propaganda probability {p:.3f}">{p:.2f}</td>'
    )


def _technique_badges(techniques: Sequence[tuple[str, float]], gold: Sequence[str], colours=None) -> str:
    colours = colours or {}
    badges = [
        f'<span class="badge{" predicted" if p >= 0.5 else ""}" '
        f'style="background:{colours.get(t) or technique_colour(t)}" title="{escape(t)}: {p:.3f}">'
        f"{escape(t)} {p:.2f}</span>"
        for t, p in techniques
    ]
    if gold:
        badges.append('<span class="gold" title="gold techniques">gold: ' + escape(", ".join(gold)) + "</span>")
    return " ".join(badges)


def _cues_by_sentence(sentences: Sequence[SentenceView], cues: Sequence[Cue]) -> list[list[Cue]]:
    """The cues overlapping each sentence, found by bisection (long articles have many of both)."""
    ordered = sorted(cues, key=lambda c: c.start)
    starts = [c.start for c in ordered]
    longest = max((c.end - c.start for c in ordered), default=0)
    out = []
    for sent in sentences:
        lo = bisect.bisect_left(starts, sent.start - longest)
        hi = bisect.bisect_left(starts, sent.end)
        out.append([c for c in ordered[lo:hi] if c.start < sent.end and c.end > sent.start])
    return out


def _table(table: Table, anchor: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    rows = []
    for i, row in enumerate(table.rows):
        cells = [escape(str(c)) for c in row]
        if i < len(table.links) and cells:
            cells[0] = f'<a href="#{anchor}-s{int(table.links[i])}">{cells[0]}</a>'
        family, _, category = (table.families[i] if i < len(table.families) else "").partition(":")
        if cells and family in FAMILY_STYLES:
            style = _family_style(family, {category} if category else set())
            cells[0] = f'<span class="cue" style="{style}">{cells[0]}</span>'
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f'<table class="data"><caption>{escape(table.title)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:70em;color:#222;line-height:1.5}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
table.article{border-collapse:collapse;width:100%} table.article td{vertical-align:top;padding:.3em .5em;border-bottom:1px solid #f0f0f0}
td.prob{width:3.2em;text-align:center;font-variant-numeric:tabular-nums;font-size:.85em}
td.tech{width:17em;font-size:.75em} td.text{white-space:pre-wrap}
.badge{display:inline-block;border-radius:.6em;padding:0 .45em;margin:.1em;color:#222}
.badge.predicted{font-weight:600;box-shadow:0 0 0 1.5px #444}
.gold{display:inline-block;color:#555;font-style:italic}
.legend span.cue{padding:0 .3em;margin-right:1em} .legend{margin:1em 0;padding:.6em;background:#fafafa;border:1px solid #eee}
dl.summary{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;font-size:.9em} dl.summary dt{color:#555}
td.num{width:2.2em;text-align:right;color:#888;font-size:.8em;font-variant-numeric:tabular-nums}
table.data{border-collapse:collapse;font-size:.85em;margin:.8em 1.5em .8em 0;display:inline-table;vertical-align:top}
table.data caption{text-align:left;font-weight:600;padding:.2em 0} table.data th{text-align:left;color:#555;font-weight:500;border-bottom:1px solid #ddd;padding:.15em .6em}
table.data td{padding:.1em .6em;border-bottom:1px solid #f3f3f3;font-variant-numeric:tabular-nums} table.data td:first-child{white-space:nowrap}
table.data a{color:inherit}
p.notice{padding:.5em .8em;border-left:.35em solid;border-radius:.2em;margin:.6em 0}
p.notice.warning{background:#fdecea;border-color:#c0392b} p.notice.caveat{background:#fef5e7;border-color:#d68910}
"""


def render_html(articles: Sequence[ArticleView], title: str = "framing report", intro: str = "") -> str:
    """One self-contained HTML page for the articles.

    Parameters
    ----------
    articles : sequence of ArticleView
    title : str
        Page title (escaped).
    intro : str
        A paragraph under the title (escaped).

    Returns
    -------
    str
        The HTML document.
    """
    families = sorted({c.family for a in articles for c in a.cues} | {"loaded", "hedging", "agency"})
    legend = "".join(
        f'<span class="cue" style="{FAMILY_STYLES[f][0]}">{escape(FAMILY_STYLES[f][1])}</span>'
        for f in families
        if f in FAMILY_STYLES
    )
    present = {(c.family, c.category) for a in articles for c in a.cues}
    legend += "".join(
        f'<span class="cue" style="{css}">{escape(label)}</span>'
        for css, label in dict.fromkeys(v for k, v in CATEGORY_STYLES.items() if k in present)
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
    ]
    if intro:
        parts.append(f"<p>{escape(intro)}</p>")
    techniques = sorted({t for a in articles for s in a.sentences for t, _ in s.techniques})
    colours = technique_colours(techniques)
    technique_legend = "".join(
        f'<span class="badge" style="background:{colours[t]}">{escape(t)}</span>' for t in techniques
    )
    parts.append(
        f'<div class="legend"><strong>Cues:</strong> {legend}<br>'
        + (f"<strong>Techniques:</strong> {technique_legend}<br>" if techniques else "")
        + "<strong>Probability:</strong> "
        "the shaded number is the sentence's propaganda probability; badges are techniques "
        "with their probabilities, outlined in bold from 0.5 (predicted). Hover a marked word for details.</div>"
    )
    for number, article in enumerate(articles):
        anchor = f"a{number + 1}"
        parts.append(f'<h2 id="{anchor}">Article {escape(str(article.id))}</h2>')
        parts.extend(f'<p class="notice {"warning" if kind == "warning" else "caveat"}">'
                     f"<strong>{escape(kind)}:</strong> {escape(message)}</p>" for kind, message in article.notices)
        if article.summary:
            parts.append(
                '<dl class="summary">'
                + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in article.summary)
                + "</dl>"
            )
        parts.extend(_table(t, anchor) for t in article.tables)
        parts.append('<table class="article">')
        for i, (sent, cues) in enumerate(zip(article.sentences, _cues_by_sentence(article.sentences, article.cues))):
            parts.append(
                f'<tr id="{anchor}-s{i}">'
                + (f'<td class="num">{i + 1}</td>' if article.numbered else "")
                + _probability_cell(sent.probability)
                + f'<td class="tech">{_technique_badges(sent.techniques, sent.gold, colours)}</td>'
                + f'<td class="text">{_marked_text(article.text, sent.start, sent.end, cues)}</td>'
                + "</tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)

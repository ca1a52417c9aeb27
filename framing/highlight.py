"""Self-contained HTML reports that highlight framing cues and predictions in articles.

One file, inline CSS, no scripts and no network: each sentence is a row with
its propaganda probability, its predicted techniques and its text, in which
every cue from the feature families' ``explain`` is marked (one visual style
per family, so overlapping cues stay visible) with details on hover. Every
piece of the user's text goes through :func:`html.escape`.
"""

from __future__ import annotations

import colorsys
import hashlib
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


@dataclass
class SentenceView:
    """A sentence row: offsets into the article, probability, techniques."""

    start: int
    end: int
    probability: float | None = None
    techniques: Sequence[tuple[str, float]] = ()
    gold: Sequence[str] = ()


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
    """

    id: str
    text: str
    sentences: Sequence[SentenceView]
    cues: Sequence[Cue] = ()
    summary: Sequence[tuple[str, str]] = field(default_factory=tuple)


def technique_colour(label: str) -> str:
    """A stable, readable pastel colour for a technique name."""
    hue = int(hashlib.sha1(label.encode()).hexdigest()[:6], 16) / 0xFFFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.82, 0.65)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


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
        style = "".join(FAMILY_STYLES.get(f, ("", ""))[0] for f in families)
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


def _technique_badges(techniques: Sequence[tuple[str, float]], gold: Sequence[str]) -> str:
    badges = [
        f'<span class="badge" style="background:{technique_colour(t)}" title="{escape(t)}: {p:.3f}">'
        f"{escape(t)} {p:.2f}</span>"
        for t, p in techniques
    ]
    if gold:
        badges.append('<span class="gold" title="gold techniques">gold: ' + escape(", ".join(gold)) + "</span>")
    return " ".join(badges)


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:70em;color:#222;line-height:1.5}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
table.article{border-collapse:collapse;width:100%} table.article td{vertical-align:top;padding:.3em .5em;border-bottom:1px solid #f0f0f0}
td.prob{width:3.2em;text-align:center;font-variant-numeric:tabular-nums;font-size:.85em}
td.tech{width:17em;font-size:.75em} td.text{white-space:pre-wrap}
.badge{display:inline-block;border-radius:.6em;padding:0 .45em;margin:.1em;color:#222}
.gold{display:inline-block;color:#555;font-style:italic}
.legend span.cue{padding:0 .3em;margin-right:1em} .legend{margin:1em 0;padding:.6em;background:#fafafa;border:1px solid #eee}
dl.summary{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;font-size:.9em} dl.summary dt{color:#555}
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
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
    ]
    if intro:
        parts.append(f"<p>{escape(intro)}</p>")
    parts.append(
        f'<div class="legend"><strong>Cues:</strong> {legend}<br><strong>Probability:</strong> '
        "the shaded number is the sentence's propaganda probability; badges are predicted techniques "
        "with their probabilities. Hover a marked word for details.</div>"
    )
    for article in articles:
        parts.append(f"<h2>Article {escape(str(article.id))}</h2>")
        if article.summary:
            parts.append(
                '<dl class="summary">'
                + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in article.summary)
                + "</dl>"
            )
        parts.append('<table class="article">')
        for sent in article.sentences:
            parts.append(
                "<tr>"
                + _probability_cell(sent.probability)
                + f'<td class="tech">{_technique_badges(sent.techniques, sent.gold)}</td>'
                + f'<td class="text">{_marked_text(article.text, sent.start, sent.end, article.cues)}</td>'
                + "</tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)

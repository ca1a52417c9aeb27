"""``framing analyze`` in the terminal: one analysis document as wrapped, optionally bold text.

Nothing of the article reaches the terminal raw: control characters become
visible stand-ins of the same length (:func:`terminal_safe`), so an article
cannot drive the terminal and cue offsets still hold.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping

from framing.report.summary import (
    FAMILY_NAMES,
    category_name,
    language_warning,
    ratio_phrase,
    standout_cues,
    techniques_caveat,
)

# Control characters of an article must not drive the terminal (escape sequences, title changes):
# C0 controls, DEL and C1 controls become visible stand-ins of the same length (U+2400 control
# pictures, U+FFFD), so cue offsets into the sentence still hold; line-breaking ones become spaces.
_TERMINAL_SAFE = (
    {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
    | {0x0B: 0x20, 0x0C: 0x20, 0x0D: 0x20, 0x7F: 0x2421}
    | {c: 0xFFFD for c in range(0x80, 0xA0)}
)


def terminal_safe(text: str) -> str:
    """``text`` without characters a terminal would act on (same length, tab and newline kept)."""
    return text.translate(_TERMINAL_SAFE)


def render_text(doc: Mapping, top_techniques: int = 3, width: int = 100, colour: bool = False) -> str:
    """A terminal rendering of one analysis document.

    Parameters
    ----------
    doc : dict
        :meth:`Analyzer.analyze` output.
    top_techniques : int
        Techniques shown per sentence (the most likely ones).
    width : int
        Line width for wrapping.
    colour : bool
        Bold the cue words with ANSI escapes (for terminals).
    """
    art = doc["article"]
    name = terminal_safe(art["name"])
    out = [f"== {name} " + "=" * max(3, width - len(name) - 4)]
    out.append(f"{art['n_sentences']} sentences, {art['n_words']} words, {art['n_characters']} characters")
    for role, label in (("slc", "SLC model"), ("techniques", "techniques model")):
        m = doc["models"][role]
        if m:
            out.append(f"{label}: {m['uri']}  (trained on {m['dataset']} {m['train_split']})")
        else:
            out.append(f"{label}: none")
    if doc.get("frames") is not None:
        m = doc["models"]["frames"]
        out.append(f"frames model: {m['uri']}  (trained on {m['dataset']} {m['train_split']})")
        out.append("frames (article): " + ", ".join(
            f"{f['frame']} {f['probability']:.2f}" for f in doc["frames"] if f["predicted"]))
    if doc.get("spans") is not None:
        m = doc["models"]["spans"]
        out.append(f"spans model: {m['uri']}  (trained on {m['dataset']} {m['train_split']})")
        out.append(f"spans ({len(doc['spans'])}): " + "; ".join(
            f"[{s['start']},{s['end']}) " + (f"{s['technique']} " if s["technique"] else "")
            + terminal_safe(repr(s["text"])) for s in doc["spans"]))
    for prefix, message in (("WARNING: ", language_warning(doc)), ("caveat: ", techniques_caveat(doc))):
        if message:
            out.extend(textwrap.wrap(prefix + message, width, subsequent_indent="    ", break_on_hyphens=False))
    out.append("")
    indent = 18
    body_width = max(40, width - indent)
    pad = " " * indent
    out.append(f"{'#':>5} {'P(prop)':<11} sentence / techniques (* = predicted) / cues (family/category \"words\" offsets)")
    for row in doc["sentences"]:
        row = {**row, "text": terminal_safe(row["text"])}
        p = row["propaganda_probability"]
        bar = "" if p is None else ("#" * int(round(p * 5))).ljust(5, ".")
        head = f"[{row['index'] + 1:>3}] " + ("-" if p is None else f"{p:.2f} {bar}")
        shown = _bold_cues(row) if colour else row["text"]
        lines = _wrap_ansi(shown, body_width) if colour else textwrap.wrap(shown, body_width)
        out.append(f"{head:<{indent}}{lines[0] if lines else ''}")
        out.extend(pad + line for line in lines[1:])
        if row["techniques"]:
            top = row["techniques"][:top_techniques]
            top += [t for t in row["techniques"][top_techniques:] if t["predicted"]]
            out.extend(pad + line for line in textwrap.wrap("techniques: " + ", ".join(
                f"{t['technique']} {t['probability']:.2f}" + ("*" if t["predicted"] else "") for t in top),
                body_width, break_on_hyphens=False))
        if row["cues"]:
            items = [f"{c['family']}/{c['category']} {terminal_safe(json.dumps(c['words'], ensure_ascii=False))} "
                     f"{c['start']}-{c['end']}" for c in row["cues"]]
            wrapped = textwrap.wrap("cues: " + "; ".join(items), body_width, break_on_hyphens=False)
            out.extend(pad + line for line in wrapped)
    out.append("")
    for line in map(terminal_safe, _summary_lines(doc, width)):
        out.extend(textwrap.wrap(line, width, subsequent_indent="    ", break_on_hyphens=False)
                   if len(line) > width else [line])
    return "\n".join(out) + "\n"


def _summary_lines(doc: Mapping, width: int = 100) -> list[str]:
    summary = doc["summary"]
    corpus = doc.get("corpus")
    out = []
    if summary["propaganda"]:
        p = summary["propaganda"]
        mean = "n/a" if p["mean_probability"] is None else f"{p['mean_probability']:.2f}"
        out.append(f"Propaganda: {p['n_sentences_predicted']} of {doc['article']['n_sentences']} sentences "
                   f"at probability >= {doc['threshold']}; mean probability {mean}.")
    if summary["techniques_predicted"]:
        out.append("Techniques predicted (sentences): " + ", ".join(
            f"{t['technique']} ({t['n_sentences']})" for t in summary["techniques_predicted"]))
    if corpus:
        out.append(f"Cues per 1,000 words, against the training corpus ({corpus['dataset']} {corpus['split']}, "
                   f"{corpus['n_texts']:,} sentences, {corpus['n_words']:,} words):")
    else:
        out.append("Cues per 1,000 words (no model, so no training-corpus rates to compare with):")
    out.append(f"  {'family / category':<36}{'count':>7}{'per 1k':>9}{'corpus':>9}{'ratio':>8}")
    by_family: dict[str, list] = {}
    for entry in summary["cue_categories"]:
        by_family.setdefault(entry["family"], []).append(entry)
    for fam in summary["cue_families"]:
        out.append(_rate_line(FAMILY_NAMES.get(fam["family"], fam["family"]), fam, 2))
        for entry in by_family.get(fam["family"], []):
            if entry["count"] or (entry["corpus_per_1000_words"] or 0) >= 1.0:
                out.append(_rate_line(category_name(entry["category"]), entry, 4))
    standout = standout_cues(doc)
    if standout:
        out.append("Most over-represented cues: " + "; ".join(
            f"{category_name(e['category'])}: {ratio_phrase(e)}" for e in standout) + ".")
    if summary["most_propagandistic"]:
        out.append("Most propagandistic sentences:")
        for item in summary["most_propagandistic"]:
            room = width - 14
            text = item["text"] if len(item["text"]) <= room else item["text"][: room - 3] + "..."
            out.append(f"  [{item['index'] + 1:>3}] {item['propaganda_probability']:.2f}  {text}")
    return out


def _rate_line(name: str, entry: Mapping, indent: int) -> str:
    corpus = entry["corpus_per_1000_words"]
    ratio = entry["ratio_to_corpus"]
    label = (" " * indent + name)[:36]
    return (f"{label:<36}{entry['count']:>7}{entry['per_1000_words']:>9.1f}"
            f"{'' if corpus is None else f'{corpus:.1f}':>9}"
            f"{'' if ratio is None else f'{ratio:.1f}x':>8}")


def _bold_cues(row: Mapping) -> str:
    start = row["start"]
    marks = [False] * (row["end"] - start)
    for c in row["cues"]:
        for k in range(c["start"] - start, c["end"] - start):
            marks[k] = True
    out, on = [], False
    for ch, m in zip(row["text"], marks):
        if m != on:
            out.append("\x1b[1m" if m else "\x1b[0m")
            on = m
        out.append(ch)
    if on:
        out.append("\x1b[0m")
    return "".join(out)


def _wrap_ansi(text: str, width: int) -> list[str]:
    """Wrap text holding ANSI escapes, counting only visible characters."""
    lines, line, visible = [], "", 0
    for word in text.split(" "):
        length = len(re.sub(r"\x1b\[[0-9;]*m", "", word))
        if line and visible + 1 + length > width:
            lines.append(line)
            line, visible = word, length
        else:
            line, visible = (f"{line} {word}", visible + 1 + length) if line else (word, length)
    lines.append(line)
    return lines

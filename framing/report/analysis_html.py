"""``framing analyze`` as one self-contained HTML page: the analysis documents drawn as articles.

Adapts the analyzer's JSON document (:meth:`framing.analyze.Analyzer.analyze`)
to the highlight report of :mod:`framing.report.html` (sentences with their
probabilities and techniques, cues marked in the text, summary and tables);
every piece of the user's text is escaped there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from framing.features.base import Cue
from framing.report.html import ArticleView, SentenceView, Table
from framing.report.html import render_html as render_articles
from framing.report.summary import (
    FAMILY_NAMES,
    category_name,
    language_warning,
    ratio_phrase,
    standout_cues,
    techniques_caveat,
)


def render_html(docs: Sequence[Mapping], top_techniques: int = 3, title: str | None = None) -> str:
    """One self-contained HTML page (inline CSS, no scripts, no network) for the documents."""
    views = []
    for doc in docs:
        cues = [Cue(c["family"], c["category"], c["start"], c["end"], c["words"], c["source"])
                for row in doc["sentences"] for c in row["cues"]]
        cues += [Cue("spans", s["technique"] or "propaganda span", s["start"], s["end"], s["text"], "prediction")
                 for s in doc.get("spans") or ()]
        sentences = []
        for row in doc["sentences"]:
            top = row["techniques"][:top_techniques] + [
                t for t in row["techniques"][top_techniques:] if t["predicted"]]
            sentences.append(SentenceView(row["start"], row["end"], row["propaganda_probability"],
                                          [(t["technique"], t["probability"]) for t in top]))
        notices = [("warning", m) for m in [language_warning(doc)] if m]
        notices += [("caveat", m) for m in [techniques_caveat(doc)] if m]
        views.append(ArticleView(doc["article"]["name"], doc["text"], sentences, cues,
                                 summary=_html_summary(doc), tables=_html_tables(doc), numbered=True,
                                 notices=notices))
    names = ", ".join(d["article"]["name"] for d in docs)
    return render_articles(
        views,
        title=title or f"framing analyze: {names}",
        intro=("Sentence by sentence: the propaganda probability (SLC model), the most likely techniques "
               "(sentence-techniques model) and the framing cues the models' feature families found. "
               "Cue rates are per 1,000 words, beside the training corpus's rates."),
    )


def _html_summary(doc: Mapping) -> list[tuple[str, str]]:
    art, summary = doc["article"], doc["summary"]
    items = [("source", art["source"] if art["source"] != "-" else "<stdin>"),
             ("size", f"{art['n_sentences']} sentences, {art['n_words']} words")]
    lang = doc.get("language")
    if lang and lang["detected"]:
        items.append(("language", f"{lang['detected']} (confidence {lang['confidence']:.2f}; "
                                  f"{lang['english_stopword_share']:.0%} English stopwords)"))
    for role, label in (("slc", "SLC model"), ("techniques", "techniques model")):
        m = doc["models"][role]
        items.append((label, f"{m['uri']} (trained on {m['dataset']} {m['train_split']})" if m else "none"))
    if doc.get("frames") is not None:
        items.append(("frames (article)", ", ".join(
            f"{f['frame']} {f['probability']:.2f}" for f in doc["frames"] if f["predicted"])))
    if doc.get("spans") is not None:
        items.append(("predicted spans", f"{len(doc['spans'])} (marked in the text)"))
    if doc.get("corpus"):
        c = doc["corpus"]
        items.append(("corpus rates", f"{c['dataset']} {c['split']}: {c['n_texts']:,} sentences, {c['n_words']:,} words"))
    if summary["propaganda"]:
        p = summary["propaganda"]
        mean = "n/a" if p["mean_probability"] is None else f"{p['mean_probability']:.2f}"
        items.append(("propaganda", f"{p['n_sentences_predicted']} of {art['n_sentences']} sentences at "
                                    f">= {doc['threshold']}; mean probability {mean}"))
    if summary["techniques_predicted"]:
        items.append(("techniques predicted", ", ".join(
            f"{t['technique']} ({t['n_sentences']})" for t in summary["techniques_predicted"])))
    standout = standout_cues(doc)
    if standout:
        items.append(("most over-represented cues", "; ".join(
            f"{category_name(e['category'])}: {ratio_phrase(e)}" for e in standout)))
    return items


def _html_tables(doc: Mapping) -> list:
    summary = doc["summary"]
    by_family: dict[str, list] = {}
    for entry in summary["cue_categories"]:
        by_family.setdefault(entry["family"], []).append(entry)
    rows, families = [], []

    def cells(name, e):
        return (name, str(e["count"]), f"{e['per_1000_words']:.1f}",
                "" if e["corpus_per_1000_words"] is None else f"{e['corpus_per_1000_words']:.1f}",
                "" if e["ratio_to_corpus"] is None else f"{e['ratio_to_corpus']:.1f}x")

    for fam in summary["cue_families"]:
        rows.append(cells(FAMILY_NAMES.get(fam["family"], fam["family"]), fam))
        families.append(fam["family"])
        for entry in by_family.get(fam["family"], []):
            if entry["count"]:
                rows.append(cells("\u2003" + category_name(entry["category"]), entry))
                families.append(f"{fam['family']}:{entry['category']}")
    tables = [Table("Cues per 1,000 words", ("family / category", "count", "per 1,000 words",
                                              "training corpus", "ratio"), rows, families)]
    if summary["most_propagandistic"]:
        tables.append(Table(
            "Most propagandistic sentences", ("#", "probability", "sentence"),
            [(str(m["index"] + 1), f"{m['propaganda_probability']:.2f}", m["text"])
             for m in summary["most_propagandistic"]],
            links=[m["index"] for m in summary["most_propagandistic"]],
        ))
    return tables

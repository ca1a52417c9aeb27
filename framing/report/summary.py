"""How an analysis summary is worded: cue family and category names, the cues that stand out.

Shared by the terminal (:mod:`framing.report.terminal`) and HTML
(:mod:`framing.report.analysis_html`) renderings of ``framing analyze``'s
document.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Readable names of the cue families.
FAMILY_NAMES = {
    "loaded": "loaded language",
    "agency": "agency shifts",
    "hedging": "hedging and attribution",
    "style": "style",
}

#: Readable names of cue categories; others are shown with spaces for underscores.
CATEGORY_NAMES = {
    "passive_agentless": "agentless passives",
    "passive_with_agent": "passives with an agent",
    "nominalisation": "nominalisations",
    "event_verb": "event verbs",
    "impersonal_subject": "impersonal subjects",
    "personal_subject": "personal subjects",
    "hedge": "hedges",
    "booster": "boosters",
    "epistemic_modal": "epistemic modals",
    "report_neutral": "neutral reporting verbs",
    "report_loaded": "loaded reporting verbs",
    "sourcing": "sourcing phrases",
    "weasel": "weasel phrases",
    "conditional": "conditionals",
    "evaluative_negative": "negative evaluative words",
    "evaluative_positive": "positive evaluative words",
    "fear_threat": "fear and threat words",
    "violence": "violence words",
    "moral_outrage": "moral outrage words",
    "name_calling": "name calling",
    "absolutes_exaggeration": "absolutes and exaggeration",
    "intensifiers": "intensifiers",
    "superlative": "superlatives",
    "all_caps": "words in capitals",
    "exclamation": "exclamations",
    "scare_quote": "scare quotes",
    "quote_mark": "quotation marks",
    "exclamation_mark": "exclamation marks",
    "question_mark": "question marks",
    "first_person_singular": "first person singular",
    "first_person_plural": "first person plural",
    "second_person": "second person",
    "third_person": "third person",
}


def category_name(category: str) -> str:
    """Readable name of a cue category (``passive_agentless`` -> ``agentless passives``)."""
    return CATEGORY_NAMES.get(category, category.replace("_", " "))


def standout_cues(doc: Mapping, k: int = 5, min_count: int = 2) -> list[dict]:
    """Cue categories most over-represented against the corpus (at least ``min_count`` cues)."""
    entries = [e for e in doc["summary"]["cue_categories"]
               if e["count"] >= min_count and e["ratio_to_corpus"] is not None]
    return sorted(entries, key=lambda e: (-e["ratio_to_corpus"], -e["count"]))[:k]


def ratio_phrase(entry: Mapping) -> str:
    """``"3, 2.1x the corpus rate"`` (or ``"not seen in the corpus"``)."""
    if entry.get("corpus_per_1000_words") is None:
        return f"{entry['count']}"
    if not entry["corpus_per_1000_words"]:
        return f"{entry['count']}, not seen in the training corpus"
    return f"{entry['count']}, {entry['ratio_to_corpus']:.1f}x the corpus rate"


def language_warning(doc: Mapping) -> str | None:
    """The warning for a text that does not look English (None when it does, or for documents before 1.1).

    The cue lexicons, the POS tagger and the models are English: on another
    language their probabilities, techniques and cues mean nothing.
    """
    lang = doc.get("language")
    if not lang or lang["english"]:
        return None
    closest = f"; closest stopword list: {lang['detected']}" if lang["detected"] else ""
    return (f"this text does not look English: {lang['english_stopword_share']:.0%} of its {lang['n_words']} words "
            f"are English stopwords (English news: 27-56%){closest}. The cue lexicons, the tagger and the "
            "models are English, so the probabilities, techniques and cues below are not meaningful.")


def techniques_caveat(doc: Mapping) -> str | None:
    """The caveat about the sentence-techniques labels, with the model's measured score (None without that model).

    The score is the card's main metric on the split the model was scored on
    (``models.techniques.evaluation``); a model logged before cards carried
    scores is named as such.
    """
    model = doc["models"].get("techniques")
    if not model:
        return None
    evaluation = model.get("evaluation")
    if evaluation and evaluation["main_metric"] in evaluation["metrics"]:
        metrics = evaluation["metrics"]
        name = evaluation["main_metric"].replace("_", "-").replace("f1", "F1")  # micro_f1 -> micro-F1
        score = (f"this model's {name} on {model['dataset']} "
                 f"{evaluation['split']} is {metrics[evaluation['main_metric']]:.2f}")
        if "micro_precision" in metrics:
            score += f" (precision {metrics['micro_precision']:.2f})"
    else:
        score = "this model's card holds no measured score (logged before cards carried them)"
    return (f"Technique labels are weak evidence: {score}, so many sentences marked with a technique are not "
            "labelled with it in the corpus. Read them as pointers to the sentence; the cues (exact lexicon and "
            "pattern matches) are the explanation.")

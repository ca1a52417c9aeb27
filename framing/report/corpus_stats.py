"""Corpus statistics: articles, sentences, spans and propaganda sentences per technique and split.

Three kinds of gold are counted where they are: character spans (PTC; sentences labelled by the
NLP4IF-2019 SLC rule), paragraph labels without spans (SemEval-2023 Task 3 dev), and one label per
sentence (BABE, MBIC: the document is the sentence).
"""

from __future__ import annotations

from collections import Counter

from framing.data.model import Corpus, Document, Sentence, label_sentences
from framing.text import segment


def _labelled_units(doc: Document, segmentation: str) -> tuple[list[Sentence], bool]:
    """The document's sentences (or paragraphs) with their labels, and whether they carry technique gold."""
    if "label_bias" in doc.metadata:  # BABE / MBIC: one sentence, one bias label, no techniques
        label = doc.metadata["label_bias"]
        return [Sentence(0, len(doc.text), doc.text, (label,) if label else ())], False
    if doc.metadata.get("span_gold") is False and doc.metadata.get("paragraphs") is not None:
        return list(doc.metadata["paragraphs"]), True  # paragraph labels only (SemEval-2023 dev)
    return label_sentences(segment(doc.text, segmentation), doc.spans if doc.labelled else ()), True


def corpus_stats(corpus: Corpus, splits=None, segmentation: str = "lines") -> tuple[list[dict], list[dict]]:
    """Counts of a corpus, per split.

    Parameters
    ----------
    corpus : Corpus
    splits : sequence of str, optional
        Default: every split of the corpus.
    segmentation : str
        How sentences are found (:func:`framing.text.segment` mode).

    Returns
    -------
    overview : list of dict
        Per split: ``split``, ``articles`` (documents; a sentence in BABE and
        MBIC), ``labelled``, ``sentences`` (paragraphs where the corpus labels
        paragraphs), ``spans`` (None without span gold), ``propaganda_sentences``
        (sentences a span overlaps, the NLP4IF-2019 SLC rule, or paragraphs with
        a technique label; None for bias corpora) and their share.
    per_technique : list of dict
        Per label: ``<split> spans`` (splits with span gold only) and
        ``<split> sentences`` (sentences or paragraphs with that label; for
        BABE and MBIC, sentences with that bias label).
    """
    splits = list(splits or corpus.splits)
    overview, spans_by, sents_by = [], {}, {}
    for split in splits:
        docs = corpus[split]
        n_sent = n_prop = 0
        span_counts, sent_counts = Counter(), Counter()
        labelled = all(d.labelled for d in docs)
        techniques = False
        for doc in docs:
            sentences, has_techniques = _labelled_units(doc, segmentation)
            techniques |= has_techniques
            n_sent += len(sentences)
            n_prop += sum(s.is_propaganda for s in sentences)
            for s in sentences:
                sent_counts.update(s.labels)
            span_counts.update(sp.label for sp in doc.spans if doc.labelled and sp.label)
        labelled_techniques = labelled and techniques
        overview.append(
            {
                "split": split,
                "articles": len(docs),
                "labelled": "yes" if labelled else "no",
                "sentences": n_sent,
                "spans": sum(span_counts.values()) if labelled and span_counts else None,
                "propaganda_sentences": n_prop if labelled_techniques else None,
                "propaganda_share": round(n_prop / n_sent, 4) if labelled_techniques and n_sent else None,
            }
        )
        spans_by[split], sents_by[split] = (span_counts or None), sent_counts
    per_technique = []
    for label in corpus.labels:
        row = {"technique": label}
        for split in splits:
            if overview[splits.index(split)]["labelled"] == "yes":
                if spans_by[split] is not None:  # a split with span gold
                    row[f"{split} spans"] = spans_by[split].get(label, 0)
                row[f"{split} sentences"] = sents_by[split].get(label, 0)
        per_technique.append(row)
    return overview, per_technique

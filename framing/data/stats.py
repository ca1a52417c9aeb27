"""Corpus statistics: articles, sentences, spans and propaganda sentences per technique and split."""

from __future__ import annotations

from collections import Counter

from framing.data.model import Corpus, label_sentences
from framing.text import segment


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
        Per split: ``split``, ``articles``, ``labelled``, ``sentences``,
        ``spans``, ``propaganda_sentences`` (sentences a span overlaps, the
        NLP4IF-2019 SLC rule) and their share.
    per_technique : list of dict
        Per technique: ``<split> spans`` and ``<split> sentences`` (sentences
        with at least one span of that technique).
    """
    splits = list(splits or corpus.splits)
    overview, spans_by, sents_by = [], {}, {}
    for split in splits:
        docs = corpus[split]
        n_sent = n_prop = 0
        span_counts, sent_counts = Counter(), Counter()
        labelled = all(d.labelled for d in docs)
        for doc in docs:
            sentences = label_sentences(segment(doc.text, segmentation), doc.spans if doc.labelled else ())
            n_sent += len(sentences)
            n_prop += sum(s.is_propaganda for s in sentences)
            for s in sentences:
                sent_counts.update(s.labels)
            span_counts.update(sp.label for sp in doc.spans if doc.labelled and sp.label)
        overview.append(
            {
                "split": split,
                "articles": len(docs),
                "labelled": "yes" if labelled else "no",
                "sentences": n_sent,
                "spans": sum(span_counts.values()) if labelled else None,
                "propaganda_sentences": n_prop if labelled else None,
                "propaganda_share": round(n_prop / n_sent, 4) if labelled and n_sent else None,
            }
        )
        spans_by[split], sents_by[split] = span_counts, sent_counts
    per_technique = []
    for label in corpus.labels:
        row = {"technique": label}
        for split in splits:
            if overview[splits.index(split)]["labelled"] == "yes":
                row[f"{split} spans"] = spans_by[split].get(label, 0)
                row[f"{split} sentences"] = sents_by[split].get(label, 0)
        per_technique.append(row)
    return overview, per_technique

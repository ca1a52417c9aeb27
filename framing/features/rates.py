"""Cue rates: how often each cue family and category fires per 1,000 words.

The same counting serves a training corpus (stored in a model's card, so
that ``framing analyze`` can compare an article with it) and one article:
every cue ``explain`` returns counts once, and words are
:func:`framing.features.base.word_count` tokens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from framing.features.base import CueFeatures, word_count
from framing.text import annotate


def cue_extractors(pipeline) -> list[CueFeatures]:
    """The fitted cue families a pipeline reads its ``text`` column with.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        A pipeline of :func:`framing.models.build_pipeline` (a ``features``
        ColumnTransformer, then the classifier); anything else has none.

    Returns
    -------
    list of CueFeatures
        In the pipeline's order; empty when it has no cue family.
    """
    union = pipeline.named_steps.get("features") if hasattr(pipeline, "named_steps") else None
    found = []
    for _, transformer, column in getattr(union, "transformers_", ()):
        inner = transformer.steps[0][1] if hasattr(transformer, "steps") else transformer
        if isinstance(inner, CueFeatures) and column == "text":
            found.append(inner)
    return found


def default_extractors() -> list[CueFeatures]:
    """The four families with their default configuration, fitted."""
    from framing.features import default_families

    return [f.fit() for f in default_families()]


def word_counts(texts: Sequence[str]) -> list[int]:
    """Word tokens per text (:func:`framing.features.base.word_count`: tokens with a letter or digit)."""
    return [word_count(a) for a in annotate(list(texts))]


def per_thousand(count: float, words: int) -> float:
    """``count`` per 1,000 words (0 for no words)."""
    return 1000.0 * count / words if words else 0.0


def corpus_cue_rates(extractors: Sequence[CueFeatures], texts: Sequence[str]) -> dict:
    """Cue counts per 1,000 words over a set of texts (a training corpus).

    Parameters
    ----------
    extractors : sequence of fitted CueFeatures
    texts : sequence of str of length n_texts
        The training rows (sentences for SLC and sentence techniques).

    Returns
    -------
    dict
        ``{"version": 1, "n_texts": int, "n_words": int,
        "families": {family: {"count": int, "per_1000_words": float}},
        "categories": {family: {category: {"count", "per_1000_words"}}}}``;
        every extractor's family appears (count 0 if none fired), categories
        only when they fired.
    """
    texts = list(texts)
    n_words = sum(word_counts(texts)) if texts else 0
    families: Counter = Counter()
    categories: Counter = Counter()
    for extractor in extractors:
        families[extractor.family] += 0
        for cues in extractor.explain_many(texts) if texts else []:
            for cue in cues:
                families[cue.family] += 1
                categories[cue.family, cue.category] += 1
    out_categories: dict[str, dict] = {}
    for (family, category), count in sorted(categories.items()):
        out_categories.setdefault(family, {})[category] = {
            "count": count, "per_1000_words": round(per_thousand(count, n_words), 4)}
    return {
        "version": 1,
        "n_texts": len(texts),
        "n_words": n_words,
        "families": {f: {"count": c, "per_1000_words": round(per_thousand(c, n_words), 4)}
                     for f, c in sorted(families.items())},
        "categories": out_categories,
    }

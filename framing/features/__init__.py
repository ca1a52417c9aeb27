"""Feature families: explainable scikit-learn transformers over raw sentences.

- :class:`~framing.features.loaded.LoadedLanguageFeatures`: loaded vocabulary
- :class:`~framing.features.agency.AgencyFeatures`: agency shifts
- :class:`~framing.features.hedging.HedgingFeatures`: hedging and attribution
- :class:`~framing.features.style.StyleFeatures`: NELA-like style baseline

Each has ``explain(text)``; :func:`explain` runs several at once.

Shared by the families: :mod:`~framing.features.base` (the transformer contract,
:class:`Cue`, the word count and per-token memo), :mod:`~framing.lexicons.lexicon`
(:class:`~framing.lexicons.lexicon.Lexicon` and the one
:class:`~framing.lexicons.lexicon.LexiconMatcher`), :mod:`~framing.lexicons.external`
(loaders of the public lexicons) and :mod:`~framing.lexicons.inflection` (English
verb and noun forms, candidate lemmas).
"""

from __future__ import annotations

from collections.abc import Sequence

from framing.features.base import Cue, CueFeatures

FAMILIES = ("loaded", "agency", "hedging", "style")


def family_class(name: str) -> type[CueFeatures]:
    """The transformer class of a family name (``"loaded"``, ``"agency"``...)."""
    if name == "loaded":
        from framing.features.loaded import LoadedLanguageFeatures as cls
    elif name == "agency":
        from framing.features.agency import AgencyFeatures as cls
    elif name == "hedging":
        from framing.features.hedging import HedgingFeatures as cls
    elif name == "style":
        from framing.features.style import StyleFeatures as cls
    else:
        raise ValueError(f"unknown feature family {name!r}; choose from {FAMILIES}")
    return cls


def default_families(names: Sequence[str] = FAMILIES) -> list[CueFeatures]:
    """Unfitted transformers of the named families, default parameters."""
    return [family_class(name)() for name in names]


def explain(text: str, extractors: Sequence[CueFeatures] | None = None) -> list[Cue]:
    """Every cue the (fitted) extractors find in ``text``, sorted by offset.

    Parameters
    ----------
    text : str
        A sentence or short passage.
    extractors : sequence of CueFeatures, optional
        Fitted families; default: all four with default parameters.

    Returns
    -------
    list of Cue
    """
    extractors = extractors or [f.fit() for f in default_families()]
    cues = [c for e in extractors for c in e.explain(text)]
    return sorted(cues, key=lambda c: (c.start, c.end, c.family, c.category))


_CLASS_FAMILIES = {
    "LoadedLanguageFeatures": "loaded",
    "AgencyFeatures": "agency",
    "HedgingFeatures": "hedging",
    "StyleFeatures": "style",
}


def __getattr__(name: str):
    # The family classes are imported on first use: `import framing.features`
    # stays cheap for code that only needs Cue or explain().
    if name in _CLASS_FAMILIES:
        return family_class(_CLASS_FAMILIES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FAMILIES",
    "AgencyFeatures",
    "Cue",
    "CueFeatures",
    "HedgingFeatures",
    "LoadedLanguageFeatures",
    "StyleFeatures",
    "default_families",
    "explain",
    "family_class",
]

"""Corpus readers and the data model (:class:`Document`, :class:`Span`, :class:`Sentence`)."""

from framing.data.errors import BadSpanWarning, CorpusFormatError, OffsetUnitWarning
from framing.data.model import Corpus, Document, Sentence, Span, label_sentences

__all__ = [
    "BadSpanWarning",
    "Corpus",
    "CorpusFormatError",
    "Document",
    "OffsetUnitWarning",
    "Sentence",
    "Span",
    "label_sentences",
]

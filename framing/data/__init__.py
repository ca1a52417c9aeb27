"""Corpus readers and the data model (:class:`Document`, :class:`Span`, :class:`Sentence`)."""

from framing.data.errors import BadSpanWarning, CorpusFormatError, OffsetUnitWarning
from framing.data.model import Corpus, Document, Sentence, Span, label_sentences
from framing.data.babe import read_babe, read_mbic
from framing.data.jsonl import read_jsonl
from framing.data.semeval2023 import read_semeval2023
from framing.data.ptc2019 import read_ptc2019
from framing.data.semeval2020 import read_semeval2020, read_semeval2020_labels, read_tc_template

__all__ = [
    "BadSpanWarning",
    "Corpus",
    "CorpusFormatError",
    "Document",
    "OffsetUnitWarning",
    "Sentence",
    "Span",
    "label_sentences",
    "read_babe",
    "read_jsonl",
    "read_mbic",
    "read_semeval2023",
    "read_ptc2019",
    "read_semeval2020",
    "read_semeval2020_labels",
    "read_tc_template",
]

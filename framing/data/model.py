"""The data model every reader returns: documents with character-offset spans.

Offsets are Python string indices into the document text read as UTF-8 with
``newline=''`` (no newline translation): ``text[span.start:span.end]`` is the
annotated fragment, ``end`` exclusive. U+FEFF and ``\\r`` count as characters,
as they do in the corpora's own offsets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled character span of a document.

    Parameters
    ----------
    start, end : int
        Character offsets into the document text, ``0 <= start < end``; ``end``
        is exclusive.
    label : str or None
        The technique (``"Loaded_Language"``, ``"Name_Calling,Labeling"``...),
        ``None`` for an unlabelled span (SemEval-2020 SI gold), ``"?"`` for a
        prediction template slot.

    Raises
    ------
    ValueError
        If the offsets are negative or ``start >= end``.
    """

    start: int
    end: int
    label: str | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span offsets [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, start: int, end: int) -> bool:
        """Whether this span shares at least one character with ``[start, end)``."""
        return self.start < end and start < self.end


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or paragraph) of a document, with its exact offsets.

    Parameters
    ----------
    start, end : int
        Character offsets into the document text; ``text == doc.text[start:end]``.
    text : str
        The sentence as it appears in the document.
    labels : tuple of str
        Techniques whose spans overlap the sentence, sorted and unique (empty
        tuple: no propaganda). Following NLP4IF-2019, a sentence is propaganda
        when at least one technique span overlaps it.
    """

    start: int
    end: int
    text: str
    labels: tuple[str, ...] = ()

    @property
    def is_propaganda(self) -> bool:
        """SLC label (NLP4IF-2019): at least one technique span overlaps."""
        return bool(self.labels)


@dataclass(frozen=True, slots=True)
class Document:
    """An article (or, for sentence corpora such as BABE, one sentence).

    Parameters
    ----------
    id : str
        The corpus's identifier (PTC article id without the ``article`` prefix).
    text : str
        The full text exactly as in the file (nothing stripped or normalised).
    spans : tuple of Span
        Gold spans, sorted by ``(start, end, label)``. Empty when the document
        has no annotation or its split is unlabelled (see ``labelled``).
    metadata : mapping
        Read-only corpus-specific fields (``split``, ``path``, ``genre``,
        ``frames``, ``label_bias`` ...).
    labelled : bool
        False for texts without gold (prediction-only splits); their ``spans``
        say nothing about propaganda.
    """

    id: str
    text: str
    spans: tuple[Span, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    labelled: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "spans", tuple(sorted(self.spans)))
        object.__setattr__(self, "metadata", _frozen_mapping(self.metadata))
        n = len(self.text)
        for span in self.spans:
            if span.end > n:
                raise ValueError(
                    f"document {self.id}: span [{span.start}, {span.end}) "
                    f"is outside the text (length {n})"
                )

    def span_text(self, span: Span) -> str:
        """The fragment of ``text`` a span covers."""
        return self.text[span.start : span.end]

    @property
    def techniques(self) -> tuple[str, ...]:
        """Sorted unique labels of the gold spans."""
        return tuple(sorted({s.label for s in self.spans if s.label is not None}))


@dataclass(frozen=True)
class Corpus:
    """Documents of one corpus release, by split.

    Parameters
    ----------
    name : str
        Short name (``ptc2019``, ``ptc2020``, ``semeval2023_en``, ``babe`` ...).
    labels : tuple of str
        The corpus's label set (techniques, frames or bias classes), in the
        order the corpus documents them.
    splits : mapping of str to tuple of Document
        ``{"train": (...), "dev": (...), ...}``.
    files : tuple of Path
        Every file read, for provenance (see :meth:`sha256`).
    citation : str
        How to cite the corpus.
    """

    name: str
    labels: tuple[str, ...]
    splits: Mapping[str, tuple[Document, ...]]
    files: tuple[Path, ...] = ()
    citation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "splits", MappingProxyType({k: tuple(v) for k, v in self.splits.items()})
        )
        object.__setattr__(self, "files", tuple(self.files))

    def __getitem__(self, split: str) -> tuple[Document, ...]:
        try:
            return self.splits[split]
        except KeyError:
            raise KeyError(
                f"corpus {self.name} has no split {split!r}; it has {sorted(self.splits)}"
            ) from None

    def __iter__(self) -> Iterator[Document]:
        for docs in self.splits.values():
            yield from docs

    def sha256(self) -> str:
        """Digest of the files read: sha256 over sorted ``(name, sha256(bytes))`` pairs.

        Two corpora read from byte-identical files get the same digest,
        wherever the files live.
        """
        outer = hashlib.sha256()
        entries = []
        for path in self.files:
            entries.append((Path(path).name, Path(path).parent.name, _file_sha256(path)))
        for name, parent, digest in sorted(entries):
            outer.update(f"{parent}/{name}\t{digest}\n".encode())
        return outer.hexdigest()


def _file_sha256(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def label_sentences(sentences: Sequence[Sentence], spans: Sequence[Span]) -> list[Sentence]:
    """Attach to each sentence the techniques of the spans that overlap it.

    This is how NLP4IF-2019 derived its sentence-level (SLC) gold from the
    fragment annotation: a sentence is propaganda when any technique span
    shares a character with it.

    Parameters
    ----------
    sentences : sequence of Sentence
        Sentences of one document, in any order.
    spans : sequence of Span
        That document's spans; spans without a label count as ``"propaganda"``
        (SI gold carries no technique).

    Returns
    -------
    list of Sentence
        The same sentences (same order) with ``labels`` set: sorted, unique.
    """
    ordered = sorted(spans)
    out = []
    for sent in sentences:
        labels = {
            span.label if span.label is not None else "propaganda"
            for span in ordered
            if span.start < sent.end and sent.start < span.end
        }
        out.append(Sentence(sent.start, sent.end, sent.text, tuple(sorted(labels))))
    return out

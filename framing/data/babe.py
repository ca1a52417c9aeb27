"""Readers for the sentence-level media-bias corpora BABE and MBIC.

Both corpora come from the Media Bias Group's repository
``Media-Bias-Group/Neural-Media-Bias-Detection-Using-Distant-Supervision-With-BABE``
as ``;``-separated UTF-8 CSV files with one annotated sentence per row:

* BABE, "Bias Annotations By Experts" (Spinde et al., Findings of EMNLP 2021):
  ``final_labels_SG2.csv`` (5 expert annotators per sentence) and
  ``final_labels_SG1.csv`` (8 experts, the MBIC sentences). Header
  ``text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words``.
* MBIC, "Media Bias Including Characteristics" (Spinde et al., iConference 2021):
  ``final_labels_MBIC.csv``, aggregated crowd labels, with the extra columns
  ``group_id``, ``num_sent`` and ``article`` (the full article text).

Each sentence becomes one :class:`~framing.data.model.Document` without spans.
The ``biased_words`` column lists words the annotators marked as biased; the
list is annotator-chosen and carries no offsets (a word may be inflected
differently from the sentence, or occur in it several times), so it is kept
as ``metadata["biased_words"]`` and never turned into spans.

Rows whose ``label_bias`` is ``"No agreement"`` (the annotators did not reach a
majority) are dropped by default, as in the BABE paper's classification
experiments; the number dropped is logged at INFO level on the
``framing.data.babe`` logger. Neither corpus has an official split (the papers
report cross-validation), so the corpus has the single split ``"all"``. The
SG1 and MBIC sentences are (almost) a subset of SG2: deduplicate by text
before combining corpora.
"""

from __future__ import annotations

import ast
import csv
import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from framing.data.errors import CorpusFormatError
from framing.data.io import read_text
from framing.data.model import Corpus, Document
from framing.data.techniques import BIAS_LABELS

logger = logging.getLogger(__name__)

#: ``label_opinion`` values as spelled in the final-label CSVs (note U+2019 in "writer’s").
OPINION_LABELS: tuple[str, ...] = (
    "Entirely factual",
    "Somewhat factual but also opinionated",
    "Expresses writer’s opinion",
    "No agreement",
)

NO_AGREEMENT = "No agreement"

BABE_COLUMNS: tuple[str, ...] = (
    "text",
    "news_link",
    "outlet",
    "topic",
    "type",
    "label_bias",
    "label_opinion",
    "biased_words",
)
MBIC_COLUMNS: tuple[str, ...] = BABE_COLUMNS + ("group_id", "num_sent", "article")

BABE_CITATION = (
    "Timo Spinde, Manuel Plank, Jan-David Krieger, Terry Ruas, Bela Gipp, Akiko Aizawa. "
    "Neural Media Bias Detection Using Distant Supervision With BABE - Bias Annotations "
    "By Experts. Findings of EMNLP 2021, pp. 1166-1177."
)
MBIC_CITATION = (
    "Timo Spinde, Lada Rudnitckaia, Kanishka Sinha, Felix Hamborg, Bela Gipp, "
    "Karsten Donnay. MBIC - A Media Bias Annotation Dataset Including Annotator "
    "Characteristics. iConference 2021."
)


def read_babe(
    root: str | Path, file: str = "final_labels_SG2.csv", *, keep_no_agreement: bool = False
) -> Corpus:
    """Read BABE (Spinde et al., Findings of EMNLP 2021), one document per sentence.

    Parameters
    ----------
    root : str or Path
        The folder holding the CSV files (``.../babe``).
    file : str, default "final_labels_SG2.csv"
        ``final_labels_SG2.csv`` is BABE proper (3,674 sentences, 5 experts);
        ``final_labels_SG1.csv`` is the 8-expert labelling of the MBIC sentences.
    keep_no_agreement : bool, default False
        Keep rows labelled ``"No agreement"`` (and add that label to
        ``Corpus.labels``). When false they are dropped and the count is
        logged at INFO level.

    Returns
    -------
    Corpus
        ``name`` ``"babe"`` for SG2, ``"babe_sg1"`` for SG1 (else
        ``"babe_<file stem>"``); ``labels`` ``("Biased", "Non-biased")`` (plus
        ``"No agreement"`` when kept); one split ``"all"``. Each document has
        ``id`` ``"<name>-<row>"`` (``row``: 1-based data row in the file,
        stable whether or not rows are dropped), ``text`` the sentence exactly
        as in the file, no spans, and ``metadata`` with ``label_bias``,
        ``label_opinion``, ``biased_words`` (tuple of str, annotator-chosen
        words, not offset-anchored), ``outlet``, ``topic``, ``type`` (outlet
        leaning ``left``/``center``/``right``; ``None`` when the cell is empty,
        as in 1,000 SG2 rows), ``news_link``, ``split`` (``"all"``), ``row`` and
        ``line`` (1-based line where the record starts).

    Raises
    ------
    FileNotFoundError
        If the CSV does not exist.
    CorpusFormatError
        If the file is not UTF-8, a required column is missing, a row has the
        wrong number of fields or broken quoting, a label is not one of
        :data:`~framing.data.techniques.BIAS_LABELS` / :data:`OPINION_LABELS`,
        the text is empty, or ``biased_words`` is not a Python-style list of
        strings. The message names the file and line.
    """
    path = Path(root) / file
    stem = Path(file).stem
    name = {"final_labels_SG2": "babe", "final_labels_SG1": "babe_sg1"}.get(stem, f"babe_{stem}")
    return _read_bias_csv(path, name, BABE_COLUMNS, keep_no_agreement, BABE_CITATION)


def read_mbic(
    root: str | Path, file: str = "final_labels_MBIC.csv", *, keep_no_agreement: bool = False
) -> Corpus:
    """Read MBIC (Spinde et al., iConference 2021): crowd labels, one document per sentence.

    Parameters
    ----------
    root : str or Path
        The folder holding the CSV (``.../mbic``).
    file : str, default "final_labels_MBIC.csv"
        The ``;``-separated CSV (1,700 sentences).
    keep_no_agreement : bool, default False
        Keep rows labelled ``"No agreement"``; see :func:`read_babe`.

    Returns
    -------
    Corpus
        ``name`` ``"mbic"``, split ``"all"``, documents ``"mbic-<row>"`` with the
        metadata of :func:`read_babe` plus ``group_id`` and ``num_sent`` (int)
        and ``article`` (the full article text the sentence was taken from;
        ``None`` when the cell is empty, as in 100 rows).

    Raises
    ------
    FileNotFoundError
        If the CSV does not exist.
    CorpusFormatError
        As for :func:`read_babe`, and when ``group_id`` or ``num_sent`` is not
        an integer.
    """
    path = Path(root) / file
    return _read_bias_csv(path, "mbic", MBIC_COLUMNS, keep_no_agreement, MBIC_CITATION)


def _read_bias_csv(
    path: Path, name: str, columns: Sequence[str], keep_no_agreement: bool, citation: str
) -> Corpus:
    # read_text reports undecodable bytes with their line; the BOM is csv noise, not data.
    text = read_text(path).removeprefix("\ufeff")
    # strict: a stray quote is an error instead of silently merged fields.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    header, header_line = _next_record(reader, path, 0)
    if header is None:
        raise CorpusFormatError(path, None, "the file has no header row")
    missing = [c for c in columns if c not in header]
    if missing:
        raise CorpusFormatError(
            path, header_line, f"missing column(s) {missing}; the header is {header}"
        )
    index = {c: header.index(c) for c in columns}

    docs: list[Document] = []
    dropped = 0
    row = 0
    last_line = reader.line_num
    while True:
        record, line = _next_record(reader, path, last_line)
        last_line = reader.line_num
        if record is None:
            break
        if not record:  # blank line
            continue
        row += 1
        if len(record) != len(header):
            raise CorpusFormatError(
                path, line, f"expected {len(header)} ';'-separated fields, found {len(record)}"
            )
        fields = {c: record[i] for c, i in index.items()}
        metadata = _row_metadata(fields, path, line)
        if not fields["text"].strip():
            raise CorpusFormatError(path, line, "empty text")
        if metadata["label_bias"] == NO_AGREEMENT and not keep_no_agreement:
            dropped += 1
            continue
        metadata.update(split="all", row=row, line=line)
        docs.append(Document(id=f"{name}-{row}", text=fields["text"], metadata=metadata))

    if dropped:
        logger.info(
            "%s: dropped %d of %d rows labelled %r (keep_no_agreement=False)",
            path,
            dropped,
            row,
            NO_AGREEMENT,
        )
    labels = tuple(x for x in BIAS_LABELS if keep_no_agreement or x != NO_AGREEMENT)
    return Corpus(name=name, labels=labels, splits={"all": docs}, files=(path,), citation=citation)


def _next_record(reader: Any, path: Path, last_line: int) -> tuple[list[str] | None, int]:
    """Next CSV record and the 1-based line it starts on (``None`` at the end)."""
    try:
        record = next(reader)
    except StopIteration:
        return None, last_line + 1
    except csv.Error as exc:
        raise CorpusFormatError(path, last_line + 1, f"malformed CSV record: {exc}") from None
    return record, last_line + 1


def _row_metadata(fields: dict[str, str], path: Path, line: int) -> dict[str, Any]:
    bias = fields["label_bias"]
    if bias not in BIAS_LABELS:
        raise CorpusFormatError(
            path, line, f"unknown label_bias {bias!r}; expected one of {list(BIAS_LABELS)}"
        )
    opinion = fields["label_opinion"]
    if opinion not in OPINION_LABELS:
        raise CorpusFormatError(
            path, line, f"unknown label_opinion {opinion!r}; expected one of {list(OPINION_LABELS)}"
        )
    metadata: dict[str, Any] = {
        "label_bias": bias,
        "label_opinion": opinion,
        "biased_words": _biased_words(fields["biased_words"], path, line),
        "outlet": fields["outlet"],
        "topic": fields["topic"],
        "type": fields["type"] or None,
        "news_link": fields["news_link"],
    }
    for column in ("group_id", "num_sent"):
        if column in fields:
            try:
                metadata[column] = int(fields[column])
            except ValueError:
                raise CorpusFormatError(
                    path, line, f"{column} must be an integer, got {fields[column]!r}"
                ) from None
    if "article" in fields:
        metadata["article"] = fields["article"] or None
    return metadata


def _biased_words(value: str, path: Path, line: int) -> tuple[str, ...]:
    """Parse the Python-style list (``"['bizarre', 'fringe']"``) without evaluating code."""
    try:
        words = ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        words = None
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
        raise CorpusFormatError(
            path, line, f"biased_words must be a Python-style list of strings, got {value!r}"
        )
    return tuple(words)

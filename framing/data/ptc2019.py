"""Reader for the Propaganda Techniques Corpus, EMNLP-2019 release (18 techniques).

Source: Da San Martino, Yu, Barrón-Cedeño, Petrov, Nakov, "Fine-Grained Analysis of
Propaganda in News Articles", EMNLP-IJCNLP 2019. Layout, as distributed with the paper's
code (``protechn_corpus_eval``)::

    <root>/<split>/article<ID>.txt          article text
    <root>/<split>/article<ID>.labels.tsv   id<TAB>technique<TAB>start<TAB>end (end exclusive)

Offsets are code points of the UTF-8 text read without newline translation (U+FEFF
counts), except in five train files whose offsets after an emoji count UTF-16 code units
(see ``on_utf16_offsets`` and :func:`framing.data._spans.detect_utf16_offsets`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from framing.data._spans import (
    BAD_SPAN_POLICIES,
    UTF16_POLICIES,
    BadSpanReport,
    apply_bad_span_policy,
    check_policy,
    detect_utf16_offsets,
    read_span_rows,
)
from framing.data.errors import CorpusFormatError, OffsetUnitWarning
from framing.data.io import read_text
from framing.data.model import Corpus, Document
from framing.data.techniques import PTC2019_TECHNIQUES

CITATION = (
    "Giovanni Da San Martino, Seunghak Yu, Alberto Barrón-Cedeño, Rostislav Petrov, "
    "Preslav Nakov. Fine-Grained Analysis of Propaganda in News Articles. EMNLP-IJCNLP 2019, pp. 5636-5646."
)

_TEXT_NAME = re.compile(r"article(\d+)\.txt")
_LABELS_NAME = re.compile(r"article(\d+)\.labels\.tsv")


def _files_by_id(folder: Path, pattern: re.Pattern[str]) -> dict[str, Path]:
    found = {}
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match and path.is_file():
            found[match.group(1)] = path
    return found


def _labels_folders(
    splits: Sequence[str],
    labels_dirs: Mapping[str, str | Path] | None,
    test_labels_dir: str | Path | None,
) -> dict[str, Path]:
    folders = {split: Path(d) for split, d in (labels_dirs or {}).items()}
    if test_labels_dir is not None:
        if "test" in folders and folders["test"] != Path(test_labels_dir):
            raise ValueError(
                f"two labels folders for the test split: labels_dirs['test']={folders['test']} "
                f"and test_labels_dir={test_labels_dir}"
            )
        folders["test"] = Path(test_labels_dir)
    unknown = sorted(set(folders) - set(splits))
    if unknown:
        raise ValueError(f"labels folders given for splits that are not read: {unknown}")
    for split, folder in folders.items():
        if not folder.is_dir():
            raise FileNotFoundError(f"labels folder for split {split!r} not found: {folder}")
    return folders


def read_ptc2019(
    root: str | Path,
    splits: Sequence[str] = ("train", "dev", "test"),
    *,
    labels_dirs: Mapping[str, str | Path] | None = None,
    test_labels_dir: str | Path | None = None,
    on_bad_span: str = "error",
    on_utf16_offsets: str = "error",
    slc_labels_dir: str | Path | None = None,
) -> Corpus:
    """Read the PTC EMNLP-2019 release (18 techniques, character spans).

    Parameters
    ----------
    root : str or Path
        Folder holding one sub-folder per split with ``article<ID>.txt`` files.
    splits : sequence of str, default ("train", "dev", "test")
        Sub-folders to read (a single string is one split).
    labels_dirs : mapping of str to path, optional
        Per split, a folder holding that split's ``article<ID>.labels.tsv`` instead of
        the split folder (the released test gold is supplied this way).
    test_labels_dir : str or Path, optional
        Shorthand for ``labels_dirs={"test": ...}``.
    on_bad_span : {"error", "drop", "clip"}, default "error"
        What to do with a span that ends past its article (one in train:
        ``article776368676`` Loaded_Language 4187-4225 in a 4185-character text).
        ``"drop"`` leaves it out; ``"clip"`` cuts its end to the text length and drops it
        when nothing is left (that span starts past the end, so it is dropped either
        way). Both emit one :class:`~framing.data.errors.BadSpanWarning` per read.
    on_utf16_offsets : {"error", "convert", "keep"}, default "error"
        What to do with a label file whose offsets are UTF-16 code units (five train
        articles with flag emoji; rule in
        :func:`framing.data._spans.detect_utf16_offsets`). ``"convert"`` converts that
        file's offsets to code points, ``"keep"`` keeps them as written; both emit one
        :class:`~framing.data.errors.OffsetUnitWarning` listing the files and span counts.
    slc_labels_dir : str or Path, optional
        A folder of official NLP4IF-2019 SLC label files (``*.task-SLC.labels``,
        one row per article line): they become the sentence gold of the splits
        they cover (:func:`framing.data.slc_labels.attach_slc_labels`, which
        also reports where they differ from the span-derived labels). Default:
        labels are derived from the spans.

    Returns
    -------
    Corpus
        ``name="ptc2019"``, ``labels=PTC2019_TECHNIQUES``, documents sorted by numeric id.
        ``Document.id`` is the numeric id string; ``metadata`` has ``split``, ``path``,
        ``labels_path`` (None for a prediction-only split) and ``offset_unit``
        (``"code point"``, ``"utf-16 converted"`` or ``"utf-16 kept"``). A split with no
        label files and no labels folder (the released test split) is prediction-only:
        ``labelled=False``, no spans. With ``slc_labels_dir``, documents of covered
        splits also carry ``slc_labels``, ``slc_labels_path`` and ``slc_disagreements``.

    Raises
    ------
    FileNotFoundError
        A split folder or given labels folder does not exist.
    CorpusFormatError
        Naming file and line: a split without article files, an empty or non-UTF-8
        article, a labelled split where an article lacks its label file, a label file
        without an article, a malformed row (field count, integers, ``start < end``,
        ``0 <= start``), an unknown technique, an id column that differs from the file
        name, a span past the text (``on_bad_span="error"``) or UTF-16 offsets
        (``on_utf16_offsets="error"``).
    ValueError
        An unknown policy, or labels folders that conflict or name splits not read.
    """
    check_policy("on_bad_span", on_bad_span, BAD_SPAN_POLICIES)
    check_policy("on_utf16_offsets", on_utf16_offsets, UTF16_POLICIES)
    root = Path(root)
    splits = (splits,) if isinstance(splits, str) else tuple(splits)
    folders = _labels_folders(splits, labels_dirs, test_labels_dir)
    bad_spans = BadSpanReport("ptc2019", on_bad_span)
    utf16_files: list[str] = []
    files: list[Path] = []
    docs_by_split = {}
    for split in splits:
        docs_by_split[split] = _read_split(
            root, split, folders.get(split), on_bad_span, on_utf16_offsets,
            bad_spans, utf16_files, files,
        )
    bad_spans.warn()
    if slc_labels_dir is not None:
        from framing.data.slc_labels import PATTERN, attach_slc_labels

        docs_by_split = attach_slc_labels(docs_by_split, slc_labels_dir, "ptc2019")
        files.extend(sorted(Path(slc_labels_dir).expanduser().glob(PATTERN)))
    if utf16_files:
        action = "converted to code points" if on_utf16_offsets == "convert" else "kept as written"
        warnings.warn(
            f"ptc2019: {len(utf16_files)} label file(s) count offsets in UTF-16 code units; "
            f"{action} (on_utf16_offsets={on_utf16_offsets!r}): {'; '.join(utf16_files)}",
            OffsetUnitWarning,
            stacklevel=2,
        )
    return Corpus(
        name="ptc2019",
        labels=PTC2019_TECHNIQUES,
        splits=docs_by_split,
        files=tuple(files),
        citation=CITATION,
    )


def _read_split(
    root: Path,
    split: str,
    labels_folder: Path | None,
    on_bad_span: str,
    on_utf16_offsets: str,
    bad_spans: BadSpanReport,
    utf16_files: list[str],
    files: list[Path],
) -> tuple[Document, ...]:
    folder = root / split
    if not folder.is_dir():
        raise FileNotFoundError(
            f"PTC-2019 split folder not found: {folder} (expected <root>/{split}/article<ID>.txt)"
        )
    texts = _files_by_id(folder, _TEXT_NAME)
    if not texts:
        raise CorpusFormatError(folder, None, "no article<ID>.txt files in this split folder")
    searched = labels_folder if labels_folder is not None else folder
    label_files = _files_by_id(searched, _LABELS_NAME)
    labelled = labels_folder is not None or bool(label_files)
    if labelled:
        missing = sorted(set(texts) - set(label_files), key=int)
        if missing:
            raise CorpusFormatError(
                searched / f"article{missing[0]}.labels.tsv",
                None,
                f"article {missing[0]} ({texts[missing[0]]}) has no label file in {searched}; "
                f"the {split!r} split is labelled and {len(missing)} of its {len(texts)} "
                f"articles lack one ({', '.join(missing[:5])}"
                f"{' ...' if len(missing) > 5 else ''})",
            )
        orphans = sorted(set(label_files) - set(texts), key=int)
        if orphans:
            raise CorpusFormatError(
                label_files[orphans[0]],
                None,
                f"label file for article {orphans[0]}, which has no article{orphans[0]}.txt in "
                f"{folder} ({len(orphans)} such label file(s))",
            )
    docs = []
    for article_id in sorted(texts, key=int):
        text_path = texts[article_id]
        text = read_text(text_path)
        files.append(text_path)
        metadata = {
            "split": split,
            "path": str(text_path),
            "labels_path": None,
            "offset_unit": None,
        }
        if not labelled:
            docs.append(Document(article_id, text, (), metadata, labelled=False))
            continue
        labels_path = label_files[article_id]
        files.append(labels_path)
        metadata["labels_path"] = str(labels_path)
        rows = read_span_rows(
            labels_path, with_label=True, labels=PTC2019_TECHNIQUES, article_id=article_id
        )
        metadata["offset_unit"] = "code point"
        evidence = detect_utf16_offsets(text, rows)
        if evidence is not None:
            if on_utf16_offsets == "error":
                row = evidence.example
                fixed = evidence.converted[rows.index(row)]
                raise CorpusFormatError(
                    labels_path,
                    row.line,
                    f"offsets look like UTF-16 code units, not code points ({text_path} has "
                    f"characters outside the BMP): {row.label} [{row.start}, {row.end}) reads "
                    f"{text[row.start:row.end]!r} as code points but "
                    f"{text[fixed.start:fixed.end]!r} as UTF-16 units "
                    f"({evidence.codepoint_misplaced} vs {evidence.utf16_misplaced} span "
                    "boundaries inside a word); pass on_utf16_offsets='convert' or 'keep'",
                )
            utf16_files.append(f"{labels_path} ({evidence.changed} of {len(rows)} spans shift)")
            if on_utf16_offsets == "convert":
                rows = list(evidence.converted)
                metadata["offset_unit"] = "utf-16 converted"
            else:
                metadata["offset_unit"] = "utf-16 kept"
        spans = apply_bad_span_policy(
            rows, text, path=labels_path, policy=on_bad_span, report=bad_spans,
            text_path=text_path,
        )
        docs.append(Document(article_id, text, spans, metadata, labelled=True))
    return tuple(docs)

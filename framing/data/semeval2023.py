"""Reader for SemEval-2023 Task 3 (Piskorski et al., 2023): genre, framing, persuasion techniques.

The release has one folder per language (``en``, ``fr``, ``ge`` = German,
``it``, ``po`` = Polish, ``ru``) and, per subtask, its own article folder
``{split}-articles-subtask-{1,2,3}/article<ID>.txt`` (the three folders differ
in ids and some texts, so each subtask reads its own). Label files:

* subtask 1 (news genre): ``train-labels-subtask-1.txt``, ``id<TAB>genre``;
* subtask 2 (framing, the 14 Media Frames Corpus dimensions):
  ``train-labels-subtask-2.txt``, ``id<TAB>frame1,frame2,...``;
* subtask 3 (23 persuasion techniques, paragraph level):
  ``{split}-labels-subtask-3.txt``, ``id<TAB>line<TAB>tech1,tech2,...`` (empty:
  none), where ``line`` is the 1-based line of the paragraph in the article;
  ``.template`` files ``id<TAB>line<TAB>paragraph text``; and character spans
  ``train-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt``,
  ``id<TAB>technique<TAB>start<TAB>end``.

Offsets count every character of the file read with ``newline=''``: the
non-English articles mostly use CRLF line ends and the span offsets count the
``\\r``. Python's default newline translation would move 1,641-3,062 train
spans per language onto other characters and 36-84 past the article's end.

The release has no dev gold for subtasks 1 and 2 and no test articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from framing.data._spans import (
    BAD_SPAN_POLICIES,
    BadSpanReport,
    apply_bad_span_policy,
    check_policy,
    read_span_rows,
)
from framing.data.errors import CorpusFormatError
from framing.data.io import read_lines, read_text
from framing.data.model import Corpus, Document, Sentence, Span
from framing.data.techniques import (
    SEMEVAL2023_FRAMES,
    SEMEVAL2023_GENRES,
    SEMEVAL2023_TECHNIQUES,
)

#: Language folders of the release (``ge`` is German, ``po`` Polish).
SEMEVAL2023_LANGUAGES: tuple[str, ...] = ("en", "fr", "ge", "it", "po", "ru")

SEMEVAL2023_CITATION = (
    "Jakub Piskorski, Nicolas Stefanovitch, Giovanni Da San Martino, Preslav Nakov. "
    "SemEval-2023 Task 3: Detecting the Category, the Framing, and the Persuasion "
    "Techniques in Online News in a Multi-lingual Setup. SemEval 2023."
)

_ARTICLE = re.compile(r"article(\d+)\.txt")
_SPAN_FILE = re.compile(r"article(\d+)-labels-subtask-3\.txt")


def read_semeval2023(
    root: str | Path,
    language: str = "en",
    subtask: int = 3,
    splits: Iterable[str] = ("train", "dev"),
    *,
    on_bad_span: str = "error",
) -> Corpus:
    """Read one language and subtask of SemEval-2023 Task 3.

    Parameters
    ----------
    root : str or Path
        The release folder holding the language folders (``.../semeval2023_task3``).
    language : {"en", "fr", "ge", "it", "po", "ru"}, default "en"
    subtask : {1, 2, 3}, default 3
        1: news genre; 2: frames; 3: persuasion techniques.
    splits : iterable of str, default ("train", "dev")
        Splits to read; each needs ``{split}-articles-subtask-{subtask}/``.
    on_bad_span : {"error", "drop", "clip"}, default "error"
        Policy for a span outside its article (subtask 3): raise; drop it
        with a :class:`~framing.data.errors.BadSpanWarning`; or clip it.

    Returns
    -------
    Corpus
        ``name`` ``f"semeval2023_{language}"``; ``labels``
        :data:`~framing.data.techniques.SEMEVAL2023_GENRES`,
        :data:`~framing.data.techniques.SEMEVAL2023_FRAMES` or
        :data:`~framing.data.techniques.SEMEVAL2023_TECHNIQUES` by subtask.
        Documents (id without the ``article`` prefix, sorted numerically) have
        the exact file text and ``metadata`` ``split``, ``path``, ``language``,
        ``subtask``, and by subtask:

        * 1: ``genre`` (str) when the split has gold;
        * 2: ``frames`` (tuple of str, file order) when the split has gold;
        * 3: ``paragraphs``, a tuple of :class:`~framing.data.model.Sentence`
          (one per annotated line, end before the line break; ``labels`` the
          sorted techniques, empty for none), ``paragraph_lines`` (the 1-based
          line number of each paragraph, for the official submission format)
          and ``span_gold`` (bool: the article has a span file; only train
          has them). ``spans`` are the technique spans when ``span_gold``.

        ``labelled`` is true when the split has gold for the subtask: train
        for all subtasks, dev for subtask 3 (paragraph gold only: check
        ``span_gold`` before using ``spans`` as span gold). Documents of an
        unlabelled split have no ``genre``/``frames``; for subtask 3 their
        ``paragraphs`` come from the template, if there is one, with empty
        labels.

    Raises
    ------
    ValueError
        If ``language``, ``subtask`` or ``on_bad_span`` is unknown.
    FileNotFoundError
        If a split has no article folder for the subtask.
    CorpusFormatError
        If a label, template or span file is malformed: wrong field count,
        unknown genre/frame/technique, an id without an article, a duplicate
        entry, a line number outside the article, a template text that differs
        from the article line, or (``on_bad_span="error"``) a span outside
        the article. The message names the file and line.

    Notes
    -----
    The combined ``train-labels-subtask-3.template`` of fr/ge/it/po/ru
    concatenates the per-article templates without their final line break,
    so the first paragraph of 16-85 articles is glued to the previous line.
    When the per-article folder ``{split}-labels-subtask-3/`` exists the
    reader checks against its ``.template`` files instead. Template and
    article line are compared without trailing whitespace: the dev templates
    carry ``\\r`` where the articles do not, and two (it 2685:14, po 2559:11)
    differ from their article only in trailing spaces.
    """
    if language not in SEMEVAL2023_LANGUAGES:
        raise ValueError(f"language must be one of {SEMEVAL2023_LANGUAGES}, got {language!r}")
    if subtask not in (1, 2, 3):
        raise ValueError(f"subtask must be 1, 2 or 3, got {subtask!r}")
    check_policy("on_bad_span", on_bad_span, BAD_SPAN_POLICIES)
    if isinstance(splits, str):
        splits = (splits,)
    folder = Path(root) / language
    files: list[Path] = []
    report = BadSpanReport(f"semeval2023_{language}", on_bad_span)
    out: dict[str, list[Document]] = {}
    for split in splits:
        articles = _read_articles(folder / f"{split}-articles-subtask-{subtask}", files)
        base = {"split": split, "language": language, "subtask": subtask}
        if subtask in (1, 2):
            gold = _read_document_labels(
                folder / f"{split}-labels-subtask-{subtask}.txt", subtask, articles, files
            )
            key = "genre" if subtask == 1 else "frames"
            docs = []
            for id_, (path, text) in articles.items():
                meta = {**base, "path": str(path)}
                if gold is not None:
                    meta[key] = gold[id_]
                docs.append(Document(id_, text, metadata=meta, labelled=gold is not None))
        else:
            docs = _subtask3_documents(folder, split, articles, base, files, on_bad_span, report)
        out[split] = docs
    report.warn()
    labels = {1: SEMEVAL2023_GENRES, 2: SEMEVAL2023_FRAMES, 3: SEMEVAL2023_TECHNIQUES}[subtask]
    return Corpus(
        name=f"semeval2023_{language}",
        labels=labels,
        splits=out,
        files=tuple(files),
        citation=SEMEVAL2023_CITATION,
    )


# --------------------------------------------------------------------------- articles


def _read_articles(folder: Path, files: list[Path]) -> dict[str, tuple[Path, str]]:
    """``{id: (path, text)}`` sorted numerically by id."""
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{folder}: no such article folder (the release has train and dev articles only)"
        )
    found = []
    for path in folder.iterdir():
        match = _ARTICLE.fullmatch(path.name)
        if match:
            found.append((int(match.group(1)), match.group(1), path))
    if not found:
        raise FileNotFoundError(f"{folder}: no article<ID>.txt files")
    articles = {}
    for _, id_, path in sorted(found):
        # Exact text: CRLF stays two characters, a BOM stays one (offsets count them).
        articles[id_] = (path, read_text(path, allow_empty=True))
        files.append(path)
    return articles


def _fields(path: Path, number: int, line: str, count: int, layout: str) -> list[str]:
    parts = line.split("\t", count - 1)
    if len(parts) != count:
        raise CorpusFormatError(
            path, number, f"expected {count} tab-separated fields ({layout}), found {len(parts)}"
        )
    return parts


def _known_id(path: Path, number: int, id_: str, articles: dict[str, Any]) -> None:
    if id_ not in articles:
        raise CorpusFormatError(path, number, f"article id {id_!r} has no article file")


# --------------------------------------------------------------------------- subtasks 1 and 2


def _read_document_labels(
    path: Path, subtask: int, articles: dict[str, Any], files: list[Path]
) -> dict[str, Any] | None:
    """Genre (subtask 1) or frames tuple (subtask 2) per article; None without gold."""
    if not path.exists():
        return None
    files.append(path)
    allowed = SEMEVAL2023_GENRES if subtask == 1 else SEMEVAL2023_FRAMES
    layout = "id, genre" if subtask == 1 else "id, comma-separated frames"
    gold: dict[str, Any] = {}
    for number, line in read_lines(path):
        id_, value = _fields(path, number, line, 2, layout)
        _known_id(path, number, id_, articles)
        if id_ in gold:
            raise CorpusFormatError(path, number, f"article {id_} is labelled twice")
        if subtask == 1:
            if value not in allowed:
                raise CorpusFormatError(
                    path, number, f"unknown genre {value!r}; expected one of {list(allowed)}"
                )
            gold[id_] = value
        else:
            frames = tuple(value.split(",")) if value else ()
            for frame in frames:
                if frame not in allowed:
                    raise CorpusFormatError(
                        path, number, f"unknown frame {frame!r}; expected one of {list(allowed)}"
                    )
            if len(set(frames)) != len(frames):
                raise CorpusFormatError(path, number, f"a frame is listed twice in {value!r}")
            gold[id_] = frames
    missing = [id_ for id_ in articles if id_ not in gold]
    if missing:
        raise CorpusFormatError(
            path, None, f"{len(missing)} article(s) have no label, e.g. {missing[:5]}"
        )
    return gold


# --------------------------------------------------------------------------- subtask 3


def _line_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each ``\\n``-separated line, end before ``\\r\\n`` / ``\\n``."""
    bounds = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        bounds.append((start, end - 1 if line.endswith("\r") else end))
        start = end + 1
    return bounds


def _subtask3_documents(
    folder: Path,
    split: str,
    articles: dict[str, tuple[Path, str]],
    base: dict[str, Any],
    files: list[Path],
    on_bad_span: str,
    report: BadSpanReport,
) -> list[Document]:
    bounds = {id_: _line_bounds(text) for id_, (_, text) in articles.items()}
    gold_path = folder / f"{split}-labels-subtask-3.txt"
    gold = None
    if gold_path.exists():
        files.append(gold_path)
        gold = _read_paragraph_labels(gold_path, articles, bounds)
    template = _read_templates(folder, split, articles, bounds, files)
    if gold is not None and template is not None:
        _same_paragraphs(gold, template)
    paragraphs = gold if gold is not None else template

    span_dir = folder / f"{split}-labels-subtask-3-spans"
    spans = {}
    if span_dir.is_dir():
        spans = _read_spans(span_dir, articles, files, on_bad_span, report)

    docs = []
    for id_, (path, text) in articles.items():
        meta = {**base, "path": str(path), "span_gold": id_ in spans}
        if paragraphs is not None:
            rows = sorted(paragraphs.get(id_, {}).items())
            meta["paragraphs"] = tuple(
                Sentence(s, e, text[s:e], labels if gold is not None else ())
                for _, (s, e, labels, _) in rows
            )
            meta["paragraph_lines"] = tuple(line for line, _ in rows)
        docs.append(
            Document(id_, text, spans=spans.get(id_, ()), metadata=meta, labelled=gold is not None)
        )
    return docs


# {id: {line: (start, end, labels, (file, file_line))}}
_Paragraphs = dict[str, dict[int, tuple[int, int, tuple[str, ...], tuple[Path, int]]]]


def _paragraph_key(
    path: Path, number: int, id_: str, line_field: str, articles: dict[str, Any], bounds: dict
) -> tuple[int, int, int]:
    _known_id(path, number, id_, articles)
    try:
        line = int(line_field)
    except ValueError:
        raise CorpusFormatError(
            path, number, f"line number {line_field!r} is not an integer"
        ) from None
    n_lines = len(bounds[id_])
    if not 1 <= line <= n_lines:
        raise CorpusFormatError(
            path, number, f"line {line} is outside article {id_} ({n_lines} lines)"
        )
    start, end = bounds[id_][line - 1]
    return line, start, end


def _read_paragraph_labels(path: Path, articles: dict[str, Any], bounds: dict) -> _Paragraphs:
    out: _Paragraphs = {}
    for number, row in read_lines(path):
        id_, line_field, value = _fields(path, number, row, 3, "id, line, techniques")
        line, start, end = _paragraph_key(path, number, id_, line_field, articles, bounds)
        techniques = tuple(value.split(",")) if value else ()
        for technique in techniques:
            if technique not in SEMEVAL2023_TECHNIQUES:
                raise CorpusFormatError(path, number, f"unknown technique {technique!r}")
        if len(set(techniques)) != len(techniques):
            raise CorpusFormatError(path, number, f"a technique is listed twice in {value!r}")
        if line in out.setdefault(id_, {}):
            raise CorpusFormatError(path, number, f"article {id_} line {line} is labelled twice")
        out[id_][line] = (start, end, tuple(sorted(techniques)), (path, number))
    return out


def _read_templates(
    folder: Path, split: str, articles: dict[str, tuple[Path, str]], bounds: dict, files: list[Path]
) -> _Paragraphs | None:
    """Template paragraphs, each checked against its article line; None without a template."""
    per_article = folder / f"{split}-labels-subtask-3"
    if per_article.is_dir():
        paths = [per_article / f"article{id_}-labels-subtask-3.txt.template" for id_ in articles]
        paths = [p for p in paths if p.exists()]
    else:
        combined = folder / f"{split}-labels-subtask-3.template"
        paths = [combined] if combined.exists() else []
    if not paths:
        return None
    out: _Paragraphs = {}
    for path in paths:
        files.append(path)
        for number, row in read_lines(path):
            id_, line_field, paragraph = _fields(path, number, row, 3, "id, line, paragraph text")
            line, start, end = _paragraph_key(path, number, id_, line_field, articles, bounds)
            article_line = articles[id_][1][start:end]
            # Trailing whitespace and \r differ between some templates and articles (see Notes).
            if paragraph.rstrip() != article_line.rstrip():
                raise CorpusFormatError(
                    path,
                    number,
                    f"template text for article {id_} line {line} differs from the article "
                    f"({articles[id_][0]}): {paragraph[:60]!r} vs {article_line[:60]!r}",
                )
            if line in out.setdefault(id_, {}):
                raise CorpusFormatError(path, number, f"article {id_} line {line} appears twice")
            out[id_][line] = (start, end, (), (path, number))
    return out


def _same_paragraphs(gold: _Paragraphs, template: _Paragraphs) -> None:
    """Every gold paragraph has a template line and vice versa."""
    for a, b, what in ((gold, template, "template"), (template, gold, "gold labels")):
        for id_, rows in a.items():
            for line, (*_, (path, number)) in rows.items():
                if line not in b.get(id_, {}):
                    raise CorpusFormatError(
                        path, number, f"article {id_} line {line} is missing from the {what}"
                    )


def _read_spans(
    folder: Path,
    articles: dict[str, tuple[Path, str]],
    files: list[Path],
    on_bad_span: str,
    report: BadSpanReport,
) -> dict[str, tuple[Span, ...]]:
    """Technique spans per article id, from ``article<ID>-labels-subtask-3.txt`` files."""
    out: dict[str, tuple[Span, ...]] = {}
    for path in sorted(folder.iterdir()):
        match = _SPAN_FILE.fullmatch(path.name)
        if not match:
            continue
        file_id = match.group(1)
        if file_id not in articles:
            raise CorpusFormatError(
                path, None, f"span file for article {file_id}, which has no article file"
            )
        files.append(path)
        article_path, text = articles[file_id]
        rows = read_span_rows(
            path, with_label=True, labels=SEMEVAL2023_TECHNIQUES, article_id=file_id
        )
        spans = apply_bad_span_policy(
            rows, text, path=path, policy=on_bad_span, report=report, text_path=article_path
        )
        out[file_id] = tuple(spans)
    return out

"""``framing analyze`` on the command line: reading the inputs, the options, writing the outputs.

The analysis itself is :class:`framing.analyze.Analyzer`; this module reads
each input (a path, or ``-`` for stdin, strictly as UTF-8), loads the models
through the model store, and writes text, JSON or HTML
(:mod:`framing.report.terminal`, :mod:`framing.report.analysis_html`).

While the models load, a forked process segments and annotates the articles
(:class:`SentencePrefetch`), so a fresh process spends its time on one of the
two at a time only where there is one core.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from framing.analyze import (
    SEGMENTATION,
    SLC_MODEL_NAME,
    TECHNIQUES_MODEL_NAME,
    TRAIN_COMMAND,
    Analyzer,
    Article,
    default_models,
    load_model,
    to_json,
)
from framing.errors import UserError, report
from framing.report.analysis_html import render_html
from framing.report.terminal import render_text
from framing.resources import cache_dir
from framing.text import annotate, remember_segmentation, segment
from framing.tracking.registry import ModelError, ModelStore

#: Exit codes: bad input (missing, empty, non-UTF-8 file, bad flags) and no usable model.
EXIT_INPUT, EXIT_MODEL = 2, ModelError.exit_code


class InputError(UserError):
    """An input cannot be analysed (missing, a directory, empty, not UTF-8).

    Parameters
    ----------
    source : str
        The path as given (``-`` for stdin, shown as ``<stdin>``).
    problem : str
    """

    exit_code = EXIT_INPUT

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{'<stdin>' if source == '-' else source}: {problem}")


def decode_text(data: bytes, source: str) -> str:
    """Strict UTF-8 decoding of an input; the error names the file, line and byte.

    Raises
    ------
    InputError
        If ``data`` is not valid UTF-8 or holds no text (empty or whitespace only).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            source,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start}, line {line}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8",
        ) from None
    if not text.strip().lstrip("\ufeff").strip():
        raise InputError(source, "the file is empty" if not text else "the file holds only whitespace")
    return text


def read_article(source: str, stdin=None) -> Article:
    """Read one input: a path, or ``-`` for UTF-8 bytes from stdin.

    Parameters
    ----------
    source : str
    stdin : binary file, optional
        Where ``-`` reads from (default ``sys.stdin.buffer``).

    Returns
    -------
    Article

    Raises
    ------
    InputError
        Missing file, a directory, unreadable, empty or not UTF-8.
    """
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return Article("-", "stdin", decode_text(stream.read(), "-"))
    path = Path(source)
    if not path.exists():
        raise InputError(source, "no such file")
    if path.is_dir():
        raise InputError(source, "is a directory (give the article files, e.g. DIR/*.txt)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None
    return Article(source, path.stem or "article", decode_text(data, source))


class SentencePrefetch:
    """Segment and annotate the articles in a forked process while this one loads the models.

    After the libraries both need (numpy, scipy, pandas: imported first,
    once), unpickling the models and loading NLTK, Punkt, the tagger and
    VADER and annotating an article can overlap on two or more cores. The
    child writes its annotations to the on-disk annotation cache
    (:class:`framing.text.AnnotationCache`), where this process then finds
    them, and sends the sentence offsets through a pipe. Used only where ``fork`` exists, with two or more cores, the disk
    cache on, no other thread running, and ``FRAMING_ANALYZE_FORK`` not
    ``0``; any failure in the child leaves :meth:`result` returning None,
    and the work is then done here as usual.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.pid = None
        self.fd = None
        self.texts = list(texts)
        # forking a process that runs other threads (an embedding application, a test
        # session that imported mlflow) can deadlock the child: do the work here instead
        if (not hasattr(os, "fork") or cache_dir() is None or (os.cpu_count() or 1) < 2
                or threading.active_count() > 1 or os.environ.get("FRAMING_ANALYZE_FORK", "1") == "0"):
            return
        # Both processes need numpy, scipy and pandas (scikit-learn and NLTK import them):
        # import them once, before forking, rather than once in each process.
        import sklearn.base  # noqa: F401
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never return into the caller's code
            code = 1
            try:
                os.close(read_fd)
                offsets = [[(s.start, s.end) for s in segment(t, SEGMENTATION)] for t in texts]
                annotate([t[a:b] for t, spans in zip(texts, offsets) for a, b in spans])
                payload = json.dumps(offsets).encode()
                view = memoryview(payload)
                while view:
                    view = view[os.write(write_fd, view):]
                code = 0
            except BaseException:  # the parent falls back to doing the work itself
                pass
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self.fd = pid, read_fd

    def result(self) -> list[list[tuple[int, int]]] | None:
        """The sentence offsets of each text (None if the child failed or never ran).

        They are also handed to :func:`framing.text.remember_segmentation`, so
        that segmenting the same texts here needs no Punkt.
        """
        if self.pid is None:
            return None
        chunks = []
        with os.fdopen(self.fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if status != 0 or not chunks:
            return None
        try:
            offsets = [[(int(a), int(b)) for a, b in spans] for spans in json.loads(b"".join(chunks))]
        except (ValueError, TypeError):
            return None
        for text, spans in zip(self.texts, offsets):
            remember_segmentation(text, SEGMENTATION, spans)
        return offsets


def _count(value: str) -> int:
    """argparse type: a whole number >= 0."""
    import argparse

    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value!r}")
    return number


FORMATS = {"text": ".txt", "json": ".json", "html": ".html"}


def register(subparsers) -> None:
    """Add ``framing analyze`` to the ``framing`` command line."""
    p = subparsers.add_parser(
        "analyze",
        help="predictions and highlighted framing cues for raw news articles",
        description=(
            "Sentence by sentence: propaganda probability (SLC), the most likely techniques, and every "
            "framing cue (loaded language, hedging, agency shifts, style); per article: cue rates beside the "
            "training corpus's. Without --model, the latest registered "
            f"{SLC_MODEL_NAME!r} and {TECHNIQUES_MODEL_NAME!r} models are used."
        ),
        epilog=(
            f"Train and register both models with: {TRAIN_COMMAND}. Exit codes: 0 every input analysed, "
            "1 no usable model, 2 an input could not be read (the others are still analysed) or bad usage. "
            "JSON schema and details: docs/analyze.md."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="UTF-8 text files; - reads stdin")
    p.add_argument("--model", action="append", default=[], metavar="URI",
                   help="an MLflow model URI (runs:/ID/model, models:/NAME/VERSION, models:/NAME/latest) or "
                        "a local MLflow model folder; repeat for the SLC, the techniques, a frames model (task=frames) and a "
                        "span model (task=si or task=flc; "
                        "the kind is read from the model). Default: the latest registered versions")
    p.add_argument("--no-model", action="store_true", help="cues only: no predictions, no corpus rates")
    p.add_argument("--format", action="append", choices=sorted(FORMATS), metavar="{text,json,html}",
                   help="output format (default text); repeat with --out to write several")
    p.add_argument("--out", metavar="DIR", help="write <stem>.txt/.json/.html per article into DIR")
    p.add_argument("--tracking-uri", metavar="URI",
                   help="MLflow tracking/registry URI (default: $MLFLOW_TRACKING_URI or the project's mlflow.db)")
    p.add_argument("--top-techniques", type=_count, default=3, metavar="K",
                   help="techniques shown per sentence in text and HTML (default 3; predicted ones always)")
    p.add_argument("--top-sentences", type=_count, default=3, metavar="N",
                   help="most propagandistic sentences listed per article (default 3)")
    p.add_argument("--colour", choices=["auto", "always", "never"], default="auto",
                   help="bold cue words in text output (auto: when stdout is a terminal)")
    p.set_defaults(func=run_command)


def run_command(args, stdin=None, stdout=None, stderr=None) -> int:
    """Run ``framing analyze``; return the exit code (0, 1: no model, 2: bad input).

    Every readable input is analysed; an input that cannot be read is
    reported (naming the file) and nothing is written for it, and the exit
    code is then 2.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    formats = list(dict.fromkeys(args.format or ["text"]))
    if len(formats) > 1 and not args.out:
        print("framing analyze: error: several --format values need --out DIR", file=stderr)
        return EXIT_INPUT
    if args.paths.count("-") > 1:
        print("framing analyze: error: stdin (-) can be read once", file=stderr)
        return EXIT_INPUT
    if args.no_model and args.model:
        print("framing analyze: error: --no-model and --model exclude each other", file=stderr)
        return EXIT_INPUT

    articles, failed = [], 0
    for source in args.paths:
        try:
            articles.append(read_article(source, stdin))
        except InputError as exc:
            report("framing analyze", exc, stderr)
            failed += 1
    if not articles:
        return EXIT_INPUT

    started = time.perf_counter()
    prefetch = SentencePrefetch([a.text for a in articles])
    try:
        store = ModelStore(args.tracking_uri)
        notes: list[str] = []
        if args.no_model:
            models = []
        elif args.model:
            models = [load_model(store, uri) for uri in args.model]
        else:
            models, notes = default_models(store)
        analyzer = Analyzer.from_models(models, top_sentences=args.top_sentences)
    except UserError as exc:
        prefetch.result()  # reap the child
        return report("framing analyze", exc, stderr)
    for note in notes:
        print(note, file=stderr)

    prefetch.result()  # the sentences the child found, remembered for segment()
    try:
        docs = [analyzer.analyze(a) for a in articles]
    except ModelError as exc:
        return report("framing analyze", exc, stderr)
    colour = args.colour == "always" or (
        args.colour == "auto" and not args.out and hasattr(stdout, "isatty") and stdout.isatty()
        and not os.environ.get("NO_COLOR"))
    if args.out:
        out_dir = Path(args.out)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file of that name, no permission...
            print(f"framing analyze: error: --out {out_dir}: cannot use it as the output folder: {exc.strerror}",
                  file=stderr)
            return EXIT_INPUT
        used: set[str] = set()
        for article, doc in zip(articles, docs):
            stem = _unique_stem(article.stem, used)
            for fmt in formats:
                path = out_dir / f"{stem}{FORMATS[fmt]}"
                path.write_text(_render(fmt, [doc], args.top_techniques, False), encoding="utf-8")
                print(f"wrote {path}", file=stderr)
    else:
        fmt = formats[0]
        if fmt == "json" and len(docs) > 1:  # several documents: JSON Lines
            stdout.write("".join(to_json(d, indent=None) + "\n" for d in docs))
        elif fmt == "text":
            stdout.write("\n".join(render_text(d, args.top_techniques, colour=colour) for d in docs))
        else:
            stdout.write(_render(fmt, docs, args.top_techniques, colour))
    print(f"analysed {len(docs)} article(s) in {time.perf_counter() - started:.2f} s", file=stderr)
    return EXIT_INPUT if failed else 0


def _render(fmt: str, docs: Sequence[Mapping], top_techniques: int, colour: bool) -> str:
    if fmt == "json":
        return to_json(docs[0]) + "\n"
    if fmt == "html":
        return render_html(docs, top_techniques)
    return "\n".join(render_text(d, top_techniques, colour=colour) for d in docs)


def _unique_stem(stem: str, used: set[str]) -> str:
    candidate, n = stem, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate)
    return candidate

#!/usr/bin/env python3
"""Build the demo corpus ``data/demo/`` (PTC EMNLP-2019 layout) from its marked-up source.

The demo articles are written by this project. Each one is authored as a plain
text file ``data/demo/source/<split>/<id>.src`` holding the article exactly as
it will be published, with technique spans marked inline::

    The plan is {{Loaded_Language|a disgraceful betrayal}} of voters.
    {{Flag-Waving|{{Loaded_Language|Proud}} workers built this nation}}.

Markup may nest (a span inside a span, as in the PTC annotation) and may cross
line ends. ``{{``, ``}}`` and ``|`` are reserved; the article text never uses
them. The script removes the markup, computes the character offsets of every
span (Python ``str`` indices, end exclusive, the PTC convention of Da San
Martino et al. 2019) and writes, per article::

    <out>/<split>/article<id>.txt          the text, UTF-8, "\\n" line ends
    <out>/<split>/article<id>.labels.tsv   id<TAB>technique<TAB>start<TAB>end

Every span is validated (technique in ``PTC2019_TECHNIQUES``, offsets in range,
``text[start:end]`` equal to the marked fragment, no surrounding whitespace)
and so is the layout (title line, blank line, one sentence per line, single
blank lines between paragraphs, one trailing newline, no ``\\r`` or U+FEFF).
Any problem stops the build with the source file and line. The output is a
pure function of the source: re-running the script reproduces the committed
files byte for byte, and stale ``article*`` files in the split folders are
removed.

Usage::

    python scripts/build_demo_corpus.py            # rebuild data/demo/
    python scripts/build_demo_corpus.py --check    # exit 1 if data/demo/ is out of date
    python scripts/build_demo_corpus.py --stats    # counts for data/demo/README.md
    python scripts/build_demo_corpus.py --out DIR  # build elsewhere (tests)
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:
    from framing.data.techniques import PTC2019_TECHNIQUES
except ImportError:  # run from a clone without the package installed
    sys.path.insert(0, str(ROOT))
    from framing.data.techniques import PTC2019_TECHNIQUES

SPLITS: tuple[str, ...] = ("train", "dev", "test")
DEFAULT_SOURCE = ROOT / "data" / "demo" / "source"
DEFAULT_OUT = ROOT / "data" / "demo"
ID_PATTERN = re.compile(r"99\d{7}")
OPEN, CLOSE, SEP = "{{", "}}", "|"


class DemoSourceError(ValueError):
    """A demo source file is malformed; the message names the file and 1-based line."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Article:
    """One built article: its id, split, plain text and ``(technique, start, end)`` spans."""

    id: str
    split: str
    text: str
    spans: tuple[tuple[str, int, int], ...]

    def label_rows(self) -> str:
        """The ``.labels.tsv`` content, rows sorted by ``(start, end, technique)``."""
        rows = sorted(self.spans, key=lambda s: (s[1], s[2], s[0]))
        return "".join(f"{self.id}\t{t}\t{s}\t{e}\n" for t, s, e in rows)


def parse_markup(source: str, path: Path) -> tuple[str, list[tuple[str, int, int, str]]]:
    """Strip ``{{Technique|fragment}}`` markup.

    Returns the plain text and the spans as ``(technique, start, end, fragment)``,
    ``fragment`` being the marked text with inner markup removed, collected
    independently of the offsets so the caller can check one against the other.
    """
    out: list[str] = []
    length = 0
    stack: list[tuple[str, int, int, list[str]]] = []  # technique, start, source line, fragment chars
    spans: list[tuple[str, int, int, str]] = []
    line = 1
    i = 0
    while i < len(source):
        if source.startswith(OPEN, i):
            bar = source.find(SEP, i + 2)
            if bar == -1:
                raise DemoSourceError(path, line, "'{{' without a '|' after the technique name")
            technique = source[i + 2 : bar]
            if technique not in PTC2019_TECHNIQUES:
                raise DemoSourceError(
                    path, line, f"unknown technique {technique!r}; use a name from PTC2019_TECHNIQUES"
                )
            stack.append((technique, length, line, []))
            i = bar + 1
            continue
        if source.startswith(CLOSE, i):
            if not stack:
                raise DemoSourceError(path, line, "'}}' closes no open span")
            technique, start, _, chars = stack.pop()
            spans.append((technique, start, length, "".join(chars)))
            i += 2
            continue
        char = source[i]
        if char in "{}|":
            raise DemoSourceError(path, line, f"stray reserved character {char!r}")
        out.append(char)
        length += 1
        for open_span in stack:
            open_span[3].append(char)
        if char == "\n":
            line += 1
        i += 1
    if stack:
        technique, _, open_line, _ = stack[-1]
        raise DemoSourceError(path, open_line, f"span {technique!r} opened here is never closed")
    return "".join(out), spans


def check_layout(text: str, path: Path) -> None:
    """Enforce the PTC-2019 article layout on the plain text."""
    if "\r" in text or "\ufeff" in text:
        raise DemoSourceError(path, None, "contains \\r or U+FEFF; use \\n line ends and no BOM")
    if not text.endswith("\n") or text.endswith("\n\n"):
        raise DemoSourceError(path, None, "must end with exactly one newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not lines[0].strip() or lines[1] != "":
        raise DemoSourceError(path, 1, "must start with a title line followed by one blank line")
    for number, line in enumerate(lines, start=1):
        if line != line.strip():
            raise DemoSourceError(path, number, "leading or trailing whitespace")
        if line == "" and number > 1 and lines[number - 2] == "":
            raise DemoSourceError(path, number, "two blank lines in a row")
    if lines[-1] == "":
        raise DemoSourceError(path, len(lines), "blank line at the end")


def build_article(path: Path, split: str) -> Article:
    """Read and validate one source file.

    Raises
    ------
    DemoSourceError
        For a bad id, bad markup, bad layout or a span that fails validation.
    """
    article_id = path.name.removesuffix(".src")
    if not ID_PATTERN.fullmatch(article_id):
        raise DemoSourceError(path, None, "file name must be a 9-digit id starting with 99, plus .src")
    try:
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DemoSourceError(path, None, f"not valid UTF-8 at byte {exc.start}") from None
    text, marked = parse_markup(source, path)
    check_layout(text, path)
    spans = []
    for technique, start, end, fragment in marked:
        line = text.count("\n", 0, start) + 1
        if not 0 <= start < end <= len(text):
            raise DemoSourceError(path, line, f"{technique} span [{start}, {end}) is empty or out of range")
        if text[start:end] != fragment:
            raise DemoSourceError(path, line, f"{technique} span [{start}, {end}) does not match its fragment")
        if fragment != fragment.strip():
            raise DemoSourceError(path, line, f"{technique} span {fragment!r} starts or ends with whitespace")
        spans.append((technique, start, end))
    if len(set(spans)) != len(spans):
        raise DemoSourceError(path, None, "the same span is marked twice")
    return Article(article_id, split, text, tuple(spans))


def build(source_dir: Path = DEFAULT_SOURCE) -> list[Article]:
    """Build every article under ``source_dir/<split>/``, in split then id order.

    Raises
    ------
    DemoSourceError
        For any malformed source file, a missing split folder or an id used twice.
    """
    articles: list[Article] = []
    seen: dict[str, Path] = {}
    for split in SPLITS:
        folder = source_dir / split
        if not folder.is_dir():
            raise DemoSourceError(folder, None, "split folder is missing")
        for path in sorted(folder.glob("*.src")):
            article = build_article(path, split)
            if article.id in seen:
                raise DemoSourceError(path, None, f"id {article.id} also used by {seen[article.id]}")
            seen[article.id] = path
            articles.append(article)
    return articles


def rendered_files(articles: list[Article]) -> dict[Path, str]:
    """Relative output path -> file content."""
    files: dict[Path, str] = {}
    for a in articles:
        files[Path(a.split) / f"article{a.id}.txt"] = a.text
        files[Path(a.split) / f"article{a.id}.labels.tsv"] = a.label_rows()
    return files


def _existing(out_dir: Path) -> set[Path]:
    return {
        p.relative_to(out_dir)
        for split in SPLITS
        for p in (out_dir / split).glob("article*")
        if p.name.endswith((".txt", ".labels.tsv"))
    }


def write(articles: list[Article], out_dir: Path) -> None:
    """Write the PTC files under ``out_dir`` and remove stale ``article*`` files there."""
    files = rendered_files(articles)
    for rel in sorted(_existing(out_dir) - set(files)):
        (out_dir / rel).unlink()
    for rel, content in files.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))


def differences(articles: list[Article], out_dir: Path) -> list[str]:
    """Paths (relative to ``out_dir``) that are missing, stale or differ from a fresh build."""
    files = rendered_files(articles)
    problems = [f"stale: {rel}" for rel in sorted(_existing(out_dir) - set(files))]
    for rel, content in files.items():
        target = out_dir / rel
        if not target.is_file():
            problems.append(f"missing: {rel}")
        elif target.read_bytes() != content.encode("utf-8"):
            problems.append(f"differs: {rel}")
    return problems


def sentence_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank line (title included): the PTC sentence units."""
    bounds, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            bounds.append((pos, pos + len(line)))
        pos += len(line) + 1
    return bounds


def stats(articles: list[Article]) -> str:
    """Markdown tables of counts per split and per technique (the numbers in README.md)."""
    per_split = {s: Counter() for s in SPLITS}
    per_technique = {s: Counter() for s in SPLITS}
    for a in articles:
        c = per_split[a.split]
        lines = sentence_lines(a.text)
        c["articles"] += 1
        c["sentences"] += len(lines)
        c["propaganda sentences"] += sum(any(b < e and s < t for _, b, t in a.spans) for s, e in lines)
        c["spans"] += len(a.spans)
        c["empty label files"] += not a.spans
        per_technique[a.split].update(t for t, _, _ in a.spans)
    keys = ("articles", "sentences", "propaganda sentences", "spans", "empty label files")
    out = ["| split | " + " | ".join(keys) + " | propaganda share |", "|---" * (len(keys) + 2) + "|"]
    total = Counter()
    for split in SPLITS:
        c = per_split[split]
        total.update(c)
        share = c["propaganda sentences"] / c["sentences"] if c["sentences"] else 0.0
        out.append(f"| {split} | " + " | ".join(str(c[k]) for k in keys) + f" | {share:.3f} |")
    share = total["propaganda sentences"] / total["sentences"] if total["sentences"] else 0.0
    out.append("| total | " + " | ".join(str(total[k]) for k in keys) + f" | {share:.3f} |")
    out += ["", "| technique | train | dev | test | total |", "|---|---|---|---|---|"]
    order = sorted(PTC2019_TECHNIQUES, key=lambda t: (-sum(per_technique[s][t] for s in SPLITS), t))
    for t in order:
        n = [per_technique[s][t] for s in SPLITS]
        out.append(f"| {t} | " + " | ".join(map(str, n)) + f" | {sum(n)} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="marked-up source folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output corpus folder")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare with --out instead of writing")
    mode.add_argument("--stats", action="store_true", help="print counts as Markdown, write nothing")
    args = parser.parse_args(argv)
    try:
        articles = build(args.source)
    except DemoSourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.stats:
        sys.stdout.write(stats(articles))
        return 0
    if args.check:
        problems = differences(articles, args.out)
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    write(articles, args.out)
    print(f"wrote {len(articles)} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

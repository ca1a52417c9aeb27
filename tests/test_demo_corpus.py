"""The built-in demo corpus ``data/demo/`` (PTC EMNLP-2019 layout), checked with plain Python.

These tests deliberately do not use the framing readers: they pin down the
files themselves, so a reader bug and a data bug cannot hide each other.
"""

from __future__ import annotations

import filecmp
import functools
import importlib.util
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from framing.data.techniques import PTC2019_TECHNIQUES

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
SCRIPT = ROOT / "scripts" / "build_demo_corpus.py"
SPLITS = ("train", "dev", "test")

#: The techniques with at least ~8 train spans in the demo (the frequent ones in PTC).
COMMON = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Doubt",
    "Exaggeration,Minimisation",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Slogans",
    "Appeal_to_Authority",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Whataboutism",
)


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _spans(path: Path) -> list[tuple[str, str, int, int]]:
    """Rows of a label file as ``(id, technique, start, end)``, failing on a malformed row."""
    rows = []
    for number, line in enumerate(_text(path).split("\n")[:-1], start=1):
        fields = line.split("\t")
        assert len(fields) == 4, f"{path}:{number}: expected 4 tab-separated fields, got {fields}"
        article_id, technique, start, end = fields
        assert technique in PTC2019_TECHNIQUES, f"{path}:{number}: unknown technique {technique!r}"
        assert start.isdigit() and end.isdigit(), f"{path}:{number}: offsets must be integers"
        rows.append((article_id, technique, int(start), int(end)))
    return rows


def _articles(split: str) -> list[tuple[str, str, list[tuple[str, str, int, int]]]]:
    """``(id, text, rows)`` for each article of a split."""
    out = []
    for txt in sorted((DEMO / split).glob("article*.txt")):
        article_id = txt.name[len("article") : -len(".txt")]
        out.append((article_id, _text(txt), _spans(txt.with_name(f"article{article_id}.labels.tsv"))))
    return out


def _line_bounds(text: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            bounds.append((pos, pos + len(line)))
        pos += len(line) + 1
    return bounds


@functools.cache
def _load_script():
    """Import scripts/build_demo_corpus.py (not a package module) by path."""
    spec = importlib.util.spec_from_file_location("build_demo_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while it executes
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("split", SPLITS)
def test_every_article_has_a_label_file_and_vice_versa(split):
    folder = DEMO / split
    texts = {p.name.removesuffix(".txt") for p in folder.glob("article*.txt")}
    labels = {p.name.removesuffix(".labels.tsv") for p in folder.glob("article*.labels.tsv")}
    assert texts, f"no articles in {folder}"
    assert texts == labels
    assert {p.name for p in folder.iterdir()} == {f"{s}.txt" for s in texts} | {
        f"{s}.labels.tsv" for s in texts
    }


def test_ids_are_99_prefixed_nine_digits_and_unique_across_splits():
    ids = [a for split in SPLITS for a, _, _ in _articles(split)]
    assert all(re.fullmatch(r"99\d{7}", a) for a in ids), ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("split", SPLITS)
def test_label_rows_match_file_ids_and_offsets_are_in_range(split):
    for article_id, text, rows in _articles(split):
        assert len(rows) == len(set(rows)), f"duplicate rows in article{article_id}"
        for row_id, technique, start, end in rows:
            assert row_id == article_id
            assert 0 <= start < end <= len(text), (article_id, technique, start, end)
            fragment = text[start:end]
            assert fragment == fragment.strip(), (article_id, technique, fragment)


@pytest.mark.parametrize("split", SPLITS)
def test_texts_have_the_ptc2019_layout(split):
    for article_id, text, _ in _articles(split):
        assert "\r" not in text and "\ufeff" not in text, article_id
        assert text.endswith("\n") and not text.endswith("\n\n"), article_id
        lines = text[:-1].split("\n")
        assert lines[0].strip() and lines[1] == "", f"article{article_id}: title, then a blank line"
        assert "" not in (lines[2], lines[-1]), article_id
        assert "\n\n\n" not in text, article_id
        body = [line for line in lines[2:] if line]
        assert 8 <= len(body) <= 16, f"article{article_id}: {len(body)} sentences"


def test_build_script_reproduces_the_committed_files(tmp_path):
    out = tmp_path / "demo"
    for _ in range(2):  # twice into the same folder: the second run must change nothing
        subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True)
    for split in SPLITS:
        committed = sorted(p.name for p in (DEMO / split).iterdir())
        built = sorted(p.name for p in (out / split).iterdir())
        assert built == committed, split
        _, mismatch, errors = filecmp.cmpfiles(DEMO / split, out / split, committed, shallow=False)
        assert not mismatch and not errors, (split, mismatch, errors)
    check = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_build_removes_stale_article_files(tmp_path):
    stale = tmp_path / "train" / "article990999999.txt"
    stale.parent.mkdir(parents=True)
    stale.write_text("old\n", encoding="utf-8")
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True)
    assert not stale.exists()


def test_train_propaganda_sentence_share_is_ptc_like():
    lines = propaganda = 0
    for _, text, rows in _articles("train"):
        for start, end in _line_bounds(text):
            lines += 1
            propaganda += any(s < end and start < e for _, _, s, e in rows)
    assert 0.25 <= propaganda / lines <= 0.5, (propaganda, lines)


def test_technique_coverage():
    counts = {split: Counter(t for _, _, rows in _articles(split) for _, t, _, _ in rows) for split in SPLITS}
    for technique in COMMON:
        assert counts["train"][technique] >= 8, (technique, counts["train"][technique])
        assert counts["dev"][technique] >= 1 and counts["test"][technique] >= 1, technique
    assert set(sum(counts.values(), Counter())) == set(PTC2019_TECHNIQUES)
    assert counts["train"].most_common(1)[0][0] == "Loaded_Language"


def test_some_articles_have_no_spans_and_their_label_file_is_empty():
    empty = [p for split in SPLITS for p in (DEMO / split).glob("*.labels.tsv") if p.stat().st_size == 0]
    assert len(empty) >= 3


def test_offsets_are_exercised_past_non_ascii_characters():
    after_non_ascii = 0
    for split in SPLITS:
        for _, text, rows in _articles(split):
            first = next((i for i, c in enumerate(text) if ord(c) > 127), None)
            after_non_ascii += sum(first is not None and s > first for _, _, s, _ in rows)
    assert after_non_ascii >= 50


def test_a_span_crosses_a_line_end():
    crossing = [
        (article_id, technique)
        for split in SPLITS
        for article_id, text, rows in _articles(split)
        for _, technique, s, e in rows
        if "\n" in text[s:e]
    ]
    assert crossing, "no span crosses a line end"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Title\n\nA {{Loaded_Languge|bad}} label.\n", "unknown technique 'Loaded_Languge'"),
        ("Title\n\nA {{Loaded_Language|never closed.\n", "never closed"),
        ("Title\n\nA stray}} close.\n", "closes no open span"),
        ("Title\n\nA {{Loaded_Language| padded}} span.\n", "whitespace"),
        ("Title\n\nNo trailing newline.", "exactly one newline"),
        ("Title\nNo blank line after the title.\n", "title line followed by one blank line"),
        ("Title\n\nA\n\n\nB\n", "two blank lines"),
    ],
)
def test_build_fails_loudly_on_bad_source(tmp_path, source, message):
    module = _load_script()
    path = tmp_path / "990000999.src"
    path.write_bytes(source.encode("utf-8"))
    with pytest.raises(module.DemoSourceError, match=re.escape(message)) as info:
        module.build_article(path, "train")
    assert str(path) in str(info.value)


def test_build_rejects_a_bad_file_name(tmp_path):
    module = _load_script()
    path = tmp_path / "123.src"
    path.write_bytes(b"Title\n\nText.\n")
    with pytest.raises(module.DemoSourceError, match="9-digit id"):
        module.build_article(path, "train")


def test_nested_and_non_ascii_markup_gives_exact_offsets(tmp_path):
    module = _load_script()
    path = tmp_path / "990000999.src"
    path.write_bytes(
        "T\u2019s\n\n\u201c{{Flag-Waving|{{Loaded_Language|Proud}} Zo\u00eb}}\u201d \u2014 yes.\n".encode()
    )
    article = module.build_article(path, "train")
    got = {(t, article.text[s:e]) for t, s, e in article.spans}
    assert got == {("Flag-Waving", "Proud Zo\u00eb"), ("Loaded_Language", "Proud")}
    assert article.label_rows().splitlines() == [
        "990000999\tLoaded_Language\t6\t11",
        "990000999\tFlag-Waving\t6\t15",
    ]


@pytest.mark.corpus
def test_demo_ids_do_not_clash_with_the_shared_corpora():
    data = os.environ.get("FRAMING_DATA")
    if not data or not Path(data).is_dir():
        pytest.skip("FRAMING_DATA is not set to the shared corpora folder")
    shared = {m.group(1) for p in Path(data).rglob("article*") if (m := re.match(r"article(\d+)", p.name))}
    assert len(shared) > 400, f"found only {len(shared)} article ids under {data}"
    demo = {a for split in SPLITS for a, _, _ in _articles(split)}
    assert not demo & shared, sorted(demo & shared)

"""Generic JSONL reader: the documented example, and bad input on tmp files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framing.data import CorpusFormatError, read_jsonl
from framing.data.errors import BadSpanWarning

DOC = Path(__file__).resolve().parents[1] / "docs" / "jsonl_format.md"


def _write(path: Path, lines: list[str | dict]) -> Path:
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    path.write_bytes((text + "\n").encode("utf-8"))
    return path


def _raises(path: Path, line: int, call, *args, **kwargs) -> str:
    with pytest.raises(CorpusFormatError) as info:
        call(*args, **kwargs)
    assert info.value.path == path and info.value.line == line
    message = str(info.value)
    assert message.startswith(f"{path}:{line}:")
    return message


def test_documented_example_runs(tmp_path, monkeypatch, capsys):
    markdown = DOC.read_text(encoding="utf-8")
    jsonl = re.search(r"```jsonl\n(.*?)```", markdown, re.S).group(1)
    python = re.search(r"```python\n(.*?)```", markdown, re.S).group(1)
    (tmp_path / "example.jsonl").write_text(jsonl, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exec(compile(python, str(DOC), "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    # The "# ..." comments in the example are its output.
    expected = [c.strip() for c in re.findall(r"#\s*(.*)", python)]
    assert printed[:2] == expected[:2]
    assert [line.strip() for line in printed[2:]] == expected[2:]


def test_reads_fields(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        [
            {
                "id": "a",
                "text": "Line one\r\nThey are traitors.",
                "spans": [
                    {"start": 19, "end": 27, "label": "Name_Calling,Labeling"},
                    {"start": 0, "end": 4},
                ],
                "labels": ["opinion"],
                "metadata": {"outlet": "x.org"},
            },
            "",
            {"id": "b", "text": "Unlabelled.", "split": "test", "labelled": False},
        ],
    )
    corpus = read_jsonl(path, name="mine")
    assert corpus.name == "mine" and set(corpus.splits) == {"all", "test"}
    assert corpus.labels == ("Name_Calling,Labeling", "opinion")
    doc = corpus["all"][0]
    assert [doc.span_text(s) for s in doc.spans] == ["Line", "traitors"]
    assert doc.spans[0].label is None
    assert doc.metadata["outlet"] == "x.org" and doc.metadata["labels"] == ("opinion",)
    assert doc.metadata["line"] == 1 and doc.metadata["path"] == str(path)
    test = corpus["test"][0]
    assert not test.labelled and test.metadata["line"] == 3
    assert corpus.files == (path,)


def test_split_mapping_and_label_set(tmp_path):
    train = _write(tmp_path / "train.jsonl", [{"id": "1", "text": "abc", "labels": ["x"]}])
    dev = _write(tmp_path / "dev.jsonl", [{"id": "2", "text": "def", "split": "dev"}])
    corpus = read_jsonl({"train": train, "dev": dev}, labels=["y", "x"])
    assert corpus.labels == ("y", "x")
    assert [d.id for d in corpus["train"]] == ["1"] and [d.id for d in corpus["dev"]] == ["2"]
    bad = _write(tmp_path / "dev.jsonl", [{"id": "2", "text": "def", "split": "train"}])
    assert "split" in _raises(bad, 1, read_jsonl, {"train": train, "dev": bad})


def test_bom_is_ignored(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "1", "text": "x"}).encode() + b"\n")
    assert read_jsonl(path)["all"][0].text == "x"


def test_invalid_json_line(tmp_path):
    path = _write(tmp_path / "c.jsonl", [{"id": "1", "text": "ok"}, '{"id": "2", "text": "broken"'])
    assert "invalid JSON" in _raises(path, 2, read_jsonl, path)
    path = _write(tmp_path / "c.jsonl", ['["id", "text"]'])
    assert "object" in _raises(path, 1, read_jsonl, path)


def test_missing_or_bad_required_keys(tmp_path):
    path = _write(tmp_path / "c.jsonl", [{"id": "1", "text": "ok"}, {"id": "2"}])
    assert "'text'" in _raises(path, 2, read_jsonl, path)
    path = _write(tmp_path / "c.jsonl", [{"text": "no id"}])
    assert "'id'" in _raises(path, 1, read_jsonl, path)
    path = _write(tmp_path / "c.jsonl", [{"id": 7, "text": "int id"}])
    assert "string" in _raises(path, 1, read_jsonl, path)


def test_unknown_key_and_reserved_metadata(tmp_path):
    path = _write(tmp_path / "c.jsonl", [{"id": "1", "text": "x", "lables": ["a"]}])
    assert "lables" in _raises(path, 1, read_jsonl, path)
    path = _write(tmp_path / "c.jsonl", [{"id": "1", "text": "x", "metadata": {"split": "a"}}])
    assert "split" in _raises(path, 1, read_jsonl, path)


def test_duplicate_ids(tmp_path):
    a = _write(tmp_path / "a.jsonl", [{"id": "1", "text": "x"}, {"id": "2", "text": "y"}])
    b = _write(tmp_path / "b.jsonl", [{"id": "3", "text": "z"}, {"id": "2", "text": "again"}])
    message = _raises(b, 2, read_jsonl, {"train": a, "dev": b})
    assert "duplicate id '2'" in message and f"{a}:2" in message


def test_unknown_label(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        [{"id": "1", "text": "abcdef", "spans": [{"start": 0, "end": 3, "label": "Smear"}]}],
    )
    assert "Smear" in _raises(path, 1, read_jsonl, path, labels=["Doubt"])
    path = _write(tmp_path / "c.jsonl", [{"id": "1", "text": "abc", "labels": ["satire"]}])
    assert "satire" in _raises(path, 1, read_jsonl, path, labels=["opinion"])


def test_malformed_spans(tmp_path):
    for span in (
        {"start": 0},
        {"start": "0", "end": 2},
        {"start": True, "end": 2},
        {"start": 3, "end": 3},
        {"start": -1, "end": 2},
        {"start": 0, "end": 2, "label": 5},
        {"start": 0, "end": 2, "tag": "x"},
    ):
        path = _write(
            tmp_path / "c.jsonl",
            [{"id": "0", "text": "fine"}, {"id": "1", "text": "abcdef", "spans": [span]}],
        )
        _raises(path, 2, read_jsonl, path)


def test_out_of_range_span_policy(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        [
            {"id": "1", "text": "abcdef", "spans": [{"start": 0, "end": 2, "label": "A"}]},
            {"id": "2", "text": "abcdef", "spans": [{"start": 4, "end": 9, "label": "A"}]},
        ],
    )
    message = _raises(path, 2, read_jsonl, path)
    assert "[4, 9)" in message and "6 characters" in message
    with pytest.warns(BadSpanWarning, match="1 dropped"):
        dropped = read_jsonl(path, on_bad_span="drop")
    assert dropped["all"][1].spans == ()
    with pytest.warns(BadSpanWarning, match="1 clipped"):
        clipped = read_jsonl(path, on_bad_span="clip")
    assert clipped["all"][1].span_text(clipped["all"][1].spans[0]) == "ef"
    with pytest.raises(ValueError, match="on_bad_span"):
        read_jsonl(path, on_bad_span="shift")


def test_non_utf8_file(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "1", "text": "ok"}\n{"id": "2", "text": "caf\xe9"}\n')
    assert "UTF-8" in _raises(path, 2, read_jsonl, path)

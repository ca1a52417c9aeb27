"""BABE and MBIC readers: counts from SOURCE.md on the shared data, and bad input on tmp files."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest

from framing.data import CorpusFormatError, read_babe, read_mbic
from framing.data.babe import BABE_COLUMNS, MBIC_COLUMNS

# --------------------------------------------------------------------------- shared data


@pytest.fixture(scope="module")
def babe_root(shared_data: Path) -> Path:
    root = shared_data / "babe"
    if not (root / "final_labels_SG2.csv").is_file():
        pytest.skip(f"{root}/final_labels_SG2.csv is missing: the BABE data is needed")
    return root


@pytest.fixture(scope="module")
def mbic_root(shared_data: Path) -> Path:
    root = shared_data / "mbic"
    if not (root / "final_labels_MBIC.csv").is_file():
        pytest.skip(f"{root}/final_labels_MBIC.csv is missing: the MBIC data is needed")
    return root


@pytest.mark.corpus
def test_babe_sg2_counts(babe_root, caplog):
    everything = read_babe(babe_root, keep_no_agreement=True)
    docs = everything["all"]
    assert len(docs) == 3674
    assert everything.labels == ("Biased", "Non-biased", "No agreement")
    assert Counter(d.metadata["label_bias"] for d in docs) == {
        "Biased": 1810,
        "Non-biased": 1863,
        "No agreement": 1,
    }
    assert Counter(d.metadata["label_opinion"] for d in docs) == {
        "Entirely factual": 1600,
        "Somewhat factual but also opinionated": 1000,
        "Expresses writer’s opinion": 858,
        "No agreement": 216,
    }
    assert len({d.metadata["topic"] for d in docs}) == 23
    assert len({d.metadata["outlet"] for d in docs}) == 11
    assert sum(1 for d in docs if d.metadata["biased_words"]) == 1849
    assert sum(1 for d in docs if d.metadata["type"] is None) == 1000
    assert len({d.text for d in docs}) == 3674
    assert len({d.id for d in docs}) == 3674

    with caplog.at_level(logging.INFO, logger="framing.data.babe"):
        corpus = read_babe(babe_root)
    assert corpus.name == "babe" and corpus.labels == ("Biased", "Non-biased")
    assert len(corpus["all"]) == 3673
    assert "dropped 1 of 3674 rows labelled 'No agreement'" in caplog.text
    # Ids are row numbers, stable whether or not rows are dropped.
    kept = {d.id: d.text for d in everything["all"]}
    assert all(kept[d.id] == d.text for d in corpus["all"])


@pytest.mark.corpus
def test_babe_first_row(babe_root):
    doc = read_babe(babe_root)["all"][0]
    assert doc.id == "babe-1" and not doc.spans
    assert doc.text.startswith('"Orange Is the New Black" star Yael Stone')
    assert doc.metadata["outlet"] == "Fox News" and doc.metadata["type"] == "right"
    assert doc.metadata["label_bias"] == "Non-biased" and doc.metadata["biased_words"] == ()
    assert doc.metadata["line"] == 2


@pytest.mark.corpus
def test_babe_sg1_counts(babe_root):
    corpus = read_babe(babe_root, "final_labels_SG1.csv", keep_no_agreement=True)
    assert corpus.name == "babe_sg1"
    assert Counter(d.metadata["label_bias"] for d in corpus["all"]) == {
        "Biased": 746,
        "Non-biased": 800,
        "No agreement": 154,
    }


@pytest.mark.corpus
def test_mbic_counts(mbic_root):
    corpus = read_mbic(mbic_root, keep_no_agreement=True)
    docs = corpus["all"]
    assert len(docs) == 1700
    assert Counter(d.metadata["label_bias"] for d in docs) == {
        "Biased": 1018,
        "Non-biased": 533,
        "No agreement": 149,
    }
    assert Counter(d.metadata["label_opinion"] for d in docs) == {
        "Entirely factual": 572,
        "Expresses writer’s opinion": 521,
        "Somewhat factual but also opinionated": 433,
        "No agreement": 174,
    }
    assert Counter(d.metadata["type"] for d in docs) == {"left": 694, "right": 691, "center": 315}
    assert len({d.metadata["topic"] for d in docs}) == 14
    assert all(isinstance(d.metadata["group_id"], int) for d in docs)
    assert sum(1 for d in docs if d.metadata["article"] is None) == 100  # empty cells
    assert len(read_mbic(mbic_root)["all"]) == 1700 - 149
    # Articles span many lines: the last record starts well past line 1,701.
    assert docs[-1].metadata["line"] > 1701


# --------------------------------------------------------------------------- bad input

HEADER = ";".join(BABE_COLUMNS)
ROWS = [
    'Plain sentence.;https://x.org/1;Reuters;economy;center;Non-biased;Entirely factual;[]',
    '"A ""bizarre"" claim; really.";https://x.org/2;Alternet;gun control;left;Biased;'
    "Expresses writer’s opinion;['bizarre']",
    "Who knows.;https://x.org/3;Fox News;economy;;No agreement;No agreement;[]",
]


def _csv(tmp_path: Path, lines: list[str], name: str = "final_labels_SG2.csv", bom: bool = True):
    data = ("\ufeff" if bom else "") + "\n".join(lines) + "\n"
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    return path


def _raises(path: Path, line: int | None, call, *args, **kwargs) -> str:
    with pytest.raises(CorpusFormatError) as info:
        call(*args, **kwargs)
    assert info.value.path == path and info.value.line == line
    message = str(info.value)
    assert message.startswith(f"{path}:{line}" if line is not None else str(path))
    return message


def test_tiny_babe(tmp_path, caplog):
    _csv(tmp_path, [HEADER, *ROWS])
    with caplog.at_level(logging.INFO, logger="framing.data.babe"):
        corpus = read_babe(tmp_path)
    assert [d.id for d in corpus["all"]] == ["babe-1", "babe-2"]
    doc = corpus["all"][1]
    assert doc.text == 'A "bizarre" claim; really.'
    assert doc.metadata["biased_words"] == ("bizarre",)
    assert doc.metadata["line"] == 3
    assert "dropped 1 of 3 rows" in caplog.text
    kept = read_babe(tmp_path, keep_no_agreement=True)["all"]
    assert kept[2].id == "babe-3" and kept[2].metadata["type"] is None


def test_missing_column(tmp_path):
    header = ";".join(c for c in BABE_COLUMNS if c != "label_opinion")
    path = _csv(tmp_path, [header, "Plain.;l;o;t;center;Biased;[]"])
    message = _raises(path, 1, read_babe, tmp_path)
    assert "label_opinion" in message


def test_mbic_needs_its_extra_columns(tmp_path):
    path = _csv(tmp_path, [HEADER, *ROWS], name="final_labels_MBIC.csv", bom=False)
    message = _raises(path, 1, read_mbic, tmp_path)
    assert "group_id" in message
    header = ";".join(MBIC_COLUMNS)
    row = "S.;l;o;t;left;one;1;Biased;Entirely factual;The article.;[]"
    path = _csv(tmp_path, [header, row], name="final_labels_MBIC.csv", bom=False)
    _raises(path, 2, read_mbic, tmp_path)  # group_id "one" is not an integer


def test_row_with_wrong_field_count(tmp_path):
    path = _csv(tmp_path, [HEADER, ROWS[0], "Too few;fields;here"])
    message = _raises(path, 3, read_babe, tmp_path)
    assert "found 3" in message


def test_unknown_labels(tmp_path):
    path = _csv(tmp_path, [HEADER, ROWS[0], ROWS[1].replace(";Biased;", ";Biassed;")])
    assert "Biassed" in _raises(path, 3, read_babe, tmp_path)
    path = _csv(tmp_path, [HEADER, ROWS[0].replace("Entirely factual", "Entirely factional")])
    assert "Entirely factional" in _raises(path, 2, read_babe, tmp_path)


def test_malformed_biased_words(tmp_path):
    for bad in ("['bizarre'", "bizarre, fringe", "[1, 2]", "__import__('os')", ""):
        path = _csv(tmp_path, [HEADER, ROWS[0], ROWS[1].replace("['bizarre']", bad)])
        assert "biased_words" in _raises(path, 3, read_babe, tmp_path)


def test_broken_quoting(tmp_path):
    # A quoted field followed by text: with strict parsing this is an error, not a merged field.
    path = _csv(tmp_path, [HEADER, ROWS[0], '"Quoted" tail;l;o;t;left;Biased;Entirely factual;[]'])
    _raises(path, 3, read_babe, tmp_path)


def test_error_line_after_multiline_record(tmp_path):
    multiline = '"First line\nsecond line";l;o;t;left;Biased;Entirely factual;[]'
    path = _csv(tmp_path, [HEADER, multiline, ROWS[0].replace("Non-biased", "x")])
    _raises(path, 4, read_babe, tmp_path)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "final_labels_SG2.csv"
    good = (HEADER + "\n" + ROWS[0] + "\n").encode("utf-8")
    path.write_bytes(good + b"Caf\xe9;l;o;t;left;Biased;x;[]\n")
    assert "UTF-8" in _raises(path, 3, read_babe, tmp_path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_babe(tmp_path)

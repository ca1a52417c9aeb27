"""Bad input to the PTC readers: every problem raises naming file and line, or warns once."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from framing.data import BadSpanWarning, CorpusFormatError, OffsetUnitWarning
from framing.data._spans import (
    BadSpanReport,
    SpanRow,
    apply_bad_span_policy,
    detect_utf16_offsets,
    read_span_rows,
)
from framing.data.ptc2019 import read_ptc2019
from framing.data.semeval2020 import read_semeval2020, read_semeval2020_labels, read_tc_template

TEXT = "Title here\n\nThe corrupt elite lies to you.\nWe must act now!\n"
LIES = (TEXT.index("lies"), TEXT.index("lies") + 4)
ELITE = (TEXT.index("corrupt elite"), TEXT.index("corrupt elite") + len("corrupt elite"))


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def ptc2019_tree(root: Path, articles: dict[str, tuple[str, str | None]], split="train") -> Path:
    """``articles``: id -> (text, label-file content or None for no label file)."""
    for article_id, (text, labels) in articles.items():
        write(root / split / f"article{article_id}.txt", text)
        if labels is not None:
            write(root / split / f"article{article_id}.labels.tsv", labels)
    return root


def one_article(tmp_path: Path, labels: str, text: str = TEXT) -> Path:
    return ptc2019_tree(tmp_path, {"1": (text, labels)})


def assert_names(err: pytest.ExceptionInfo, path: Path, line: int | None) -> None:
    assert err.value.path == path
    assert err.value.line == line
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert str(err.value).startswith(where), str(err.value)


def read_quietly(*args, **kwargs):
    """Read, failing on any warning (nothing may pass unreported, nothing may warn needlessly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_ptc2019(*args, **kwargs)


# --------------------------------------------------------------------------- PTC-2019 rows


def test_well_formed_input_reads_without_warnings(tmp_path):
    root = one_article(tmp_path, f"1\tLoaded_Language\t{LIES[0]}\t{LIES[1]}\n")
    doc = read_quietly(root, ("train",))["train"][0]
    assert doc.id == "1" and doc.span_text(doc.spans[0]) == "lies"


def test_wrong_field_count(tmp_path):
    root = one_article(tmp_path, f"1\tLoaded_Language\t{LIES[0]}\t{LIES[1]}\n1\tDoubt\t5\n")
    with pytest.raises(CorpusFormatError) as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 2)
    assert "expected 4 tab-separated fields, got 3" in str(err.value)


def test_spaces_instead_of_tabs(tmp_path):
    root = one_article(tmp_path, "1 Loaded_Language 3 7\n")
    with pytest.raises(CorpusFormatError, match="expected 4 tab-separated fields, got 1") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 1)


def test_non_integer_offset(tmp_path):
    root = one_article(tmp_path, "\n\n1\tLoaded_Language\t3.5\t7\n")
    with pytest.raises(CorpusFormatError, match="start offset '3.5' is not an integer") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 3)  # blank lines count


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(9, 4, "start 9 is not before end 4"), (4, 4, "start 4 is not before end 4"),
     (-2, 4, "negative start offset -2")],
)
def test_start_not_before_end_or_negative(tmp_path, start, end, message):
    root = one_article(tmp_path, f"1\tDoubt\t{start}\t{end}\n")
    for policy in ("error", "drop", "clip"):  # form errors are not a bad-span policy matter
        with pytest.raises(CorpusFormatError, match=message) as err:
            read_ptc2019(root, ("train",), on_bad_span=policy)
        assert_names(err, root / "train" / "article1.labels.tsv", 1)


def test_unknown_label(tmp_path):
    # A SemEval-2020 merged class is not a PTC-2019 technique.
    root = one_article(tmp_path, f"1\tLoaded_Language\t{LIES[0]}\t{LIES[1]}\n"
                                 "1\tBandwagon,Reductio_ad_hitlerum\t0\t5\n")
    with pytest.raises(CorpusFormatError, match="unknown label 'Bandwagon,Reductio") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 2)


def test_misspelled_label_gets_a_suggestion(tmp_path):
    root = one_article(tmp_path, "1\tLoaded_language\t0\t5\n")
    with pytest.raises(CorpusFormatError, match="did you mean 'Loaded_Language'"):
        read_ptc2019(root, ("train",))


def test_id_column_must_match_the_file_name(tmp_path):
    root = one_article(tmp_path, f"1\tDoubt\t0\t5\n2\tDoubt\t{LIES[0]}\t{LIES[1]}\n")
    with pytest.raises(CorpusFormatError, match="article id '2' in column 1") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 2)


# --------------------------------------------------------------------------- out-of-range spans


def test_out_of_range_span_is_an_error_by_default(tmp_path):
    n = len(TEXT)
    root = one_article(tmp_path, f"1\tDoubt\t0\t5\n1\tSlogans\t{n - 10}\t{n + 3}\n")
    with pytest.raises(CorpusFormatError) as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 2)
    assert f"Slogans [{n - 10}, {n + 3})" in str(err.value)
    assert f"({n} characters)" in str(err.value)


def test_drop_and_clip_warn_once_with_counts(tmp_path):
    n = len(TEXT)
    good = f"1\tDoubt\t{LIES[0]}\t{LIES[1]}\n"
    root = ptc2019_tree(
        tmp_path,
        {
            "1": (TEXT, good + f"1\tSlogans\t{n - 10}\t{n + 3}\n1\tSlogans\t{n + 1}\t{n + 9}\n"),
            "2": (TEXT, f"2\tRepetition\t{n - 4}\t{n + 1}\n"),
        },
    )
    for policy, spans, counts in (
        ("drop", {"1": 1, "2": 0}, "3 dropped, 0 clipped"),
        ("clip", {"1": 2, "2": 1}, "1 dropped, 2 clipped"),
    ):
        with pytest.warns(BadSpanWarning) as caught:
            corpus = read_ptc2019(root, ("train",), on_bad_span=policy)
        assert len(caught) == 1
        message = str(caught[0].message)
        assert counts in message
        assert f"{root / 'train' / 'article1.labels.tsv'}:2" in message
        assert f"{root / 'train' / 'article1.labels.tsv'}:3" in message
        assert f"{root / 'train' / 'article2.labels.tsv'}:1" in message
        assert {d.id: len(d.spans) for d in corpus["train"]} == spans
        for doc in corpus["train"]:
            assert all(s.end <= len(doc.text) for s in doc.spans)
    clipped = {s.label: s for d in corpus["train"] for s in d.spans}
    assert clipped["Slogans"].end == n and clipped["Repetition"].end == n


def test_unknown_policy(tmp_path):
    root = one_article(tmp_path, "")
    with pytest.raises(ValueError, match="on_bad_span='shift'"):
        read_ptc2019(root, ("train",), on_bad_span="shift")
    with pytest.raises(ValueError, match="on_utf16_offsets='ignore'"):
        read_ptc2019(root, ("train",), on_utf16_offsets="ignore")


def test_apply_bad_span_policy_for_other_readers(tmp_path):
    report = BadSpanReport("demo", "clip")
    rows = [SpanRow(1, "x", "A", 0, 3), SpanRow(2, "x", "B", 2, 9), SpanRow(3, "x", None, 7, 8)]
    spans = apply_bad_span_policy(
        rows, "abcdef", path=tmp_path / "x.tsv", policy="clip", report=report
    )
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 3, "A"), (2, 6, "B")]
    with pytest.warns(BadSpanWarning, match="1 dropped, 1 clipped"):
        report.warn()


# --------------------------------------------------------------------------- files


def test_article_not_utf8(tmp_path):
    root = one_article(tmp_path, "")
    write(root / "train" / "article1.txt", "Title\n\nna\u00efve\n".encode("latin-1"))
    with pytest.raises(CorpusFormatError, match="not valid UTF-8") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.txt", 3)


def test_label_file_not_utf8(tmp_path):
    root = one_article(tmp_path, "")
    write(root / "train" / "article1.labels.tsv", b"1\tDoubt\t0\t5\n1\tDoubt\xff\t0\t5\n")
    with pytest.raises(CorpusFormatError, match="not valid UTF-8") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 2)


def test_empty_article(tmp_path):
    root = ptc2019_tree(tmp_path, {"1": (TEXT, ""), "2": ("", "")})
    with pytest.raises(CorpusFormatError, match="the file is empty") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article2.txt", None)


def test_empty_label_file_is_an_article_without_propaganda(tmp_path):
    root = one_article(tmp_path, "")
    doc = read_quietly(root, ("train",))["train"][0]
    assert doc.labelled and doc.spans == ()


def test_missing_label_file_in_a_labelled_split(tmp_path):
    root = ptc2019_tree(tmp_path, {"1": (TEXT, ""), "2": (TEXT, None), "3": (TEXT, "")})
    with pytest.raises(CorpusFormatError) as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article2.labels.tsv", None)
    assert "article 2" in str(err.value) and f"in {root / 'train'}" in str(err.value)


def test_label_file_without_article(tmp_path):
    root = one_article(tmp_path, "")
    write(root / "train" / "article9.labels.tsv", "9\tDoubt\t0\t5\n")
    with pytest.raises(CorpusFormatError, match="no article9.txt") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article9.labels.tsv", None)


def test_split_without_label_files_is_prediction_only(tmp_path):
    root = ptc2019_tree(tmp_path, {"1": (TEXT, None), "2": (TEXT, None)}, split="test")
    corpus = read_quietly(root, ("test",))
    assert [(d.id, d.labelled, d.spans) for d in corpus["test"]] == [
        ("1", False, ()),
        ("2", False, ()),
    ]
    assert corpus.files == (root / "test" / "article1.txt", root / "test" / "article2.txt")


def test_missing_split_folder_and_empty_split(tmp_path):
    with pytest.raises(FileNotFoundError, match="dev"):
        read_ptc2019(one_article(tmp_path, ""), ("dev",))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusFormatError, match="no article<ID>.txt") as err:
        read_ptc2019(tmp_path, ("empty",))
    assert_names(err, tmp_path / "empty", None)
    with pytest.raises(FileNotFoundError, match="labels folder"):
        read_ptc2019(tmp_path, ("train",), labels_dirs={"train": tmp_path / "nowhere"})
    with pytest.raises(ValueError, match="not read"):
        read_ptc2019(tmp_path, ("train",), test_labels_dir=tmp_path)


def test_bom_and_carriage_returns_count_as_characters(tmp_path):
    text = "\ufeffTitle\r\n\r\n\ufeffThey lie.\r\nAgain\r\n"
    start = text.index("lie")
    root = one_article(tmp_path, f"1\tLoaded_Language\t{start}\t{start + 3}\n"
                                 f"1\tRepetition\t{text.index('Again')}\t{len(text)}\n", text=text)
    doc = read_quietly(root, ("train",))["train"][0]
    assert doc.text == text  # nothing stripped, no newline translation
    assert [doc.span_text(s) for s in doc.spans] == ["lie", "Again\r\n"]


# --------------------------------------------------------------------------- UTF-16 offsets

FLAG = "\U0001F1FA\U0001F1F8"  # two regional indicators: 2 code points, 4 UTF-16 units
EMOJI_TEXT = f"Proud {FLAG} patriots\n\nThe corrupt elite lies to you.\nWe must act now!\n"


def _u16(offset: int) -> int:
    return offset + 2 * (offset > EMOJI_TEXT.index(FLAG))


def _emoji_labels(unit) -> str:
    rows = [("Flag-Waving", 0, 5)]  # before the emoji: the same in both units
    for label, word in (("Loaded_Language", "corrupt elite"), ("Slogans", "We must act now")):
        start = EMOJI_TEXT.index(word)
        rows.append((label, unit(start), unit(start + len(word))))
    return "".join(f"1\t{label}\t{s}\t{e}\n" for label, s, e in rows)


def test_utf16_offsets_are_an_error_by_default(tmp_path):
    root = one_article(tmp_path, _emoji_labels(_u16), text=EMOJI_TEXT)
    with pytest.raises(CorpusFormatError, match="UTF-16 code units") as err:
        read_ptc2019(root, ("train",))
    assert_names(err, root / "train" / "article1.labels.tsv", 2)
    assert "'rrupt elite l'" in str(err.value) and "'corrupt elite'" in str(err.value)


def test_utf16_offsets_convert_and_keep(tmp_path):
    root = one_article(tmp_path, _emoji_labels(_u16), text=EMOJI_TEXT)
    with pytest.warns(OffsetUnitWarning) as caught:
        doc = read_ptc2019(root, ("train",), on_utf16_offsets="convert")["train"][0]
    assert len(caught) == 1
    assert "article1.labels.tsv (2 of 3 spans shift)" in str(caught[0].message)
    assert [doc.span_text(s) for s in doc.spans] == ["Proud", "corrupt elite", "We must act now"]
    assert doc.metadata["offset_unit"] == "utf-16 converted"

    with pytest.warns(OffsetUnitWarning, match="kept as written"):
        doc = read_ptc2019(root, ("train",), on_utf16_offsets="keep")["train"][0]
    assert doc.spans[1].start == _u16(EMOJI_TEXT.index("corrupt"))
    assert doc.metadata["offset_unit"] == "utf-16 kept"


def test_code_point_offsets_next_to_emoji_are_left_alone(tmp_path):
    root = one_article(tmp_path, _emoji_labels(lambda o: o), text=EMOJI_TEXT)
    doc = read_quietly(root, ("train",))["train"][0]
    assert [doc.span_text(s) for s in doc.spans] == ["Proud", "corrupt elite", "We must act now"]
    assert doc.metadata["offset_unit"] == "code point"


def test_one_misplaced_boundary_is_not_evidence_enough(tmp_path):
    # 'We must a' splits 'act' once; read as UTF-16 units it would be '.\nWe must'
    # (aligned). One boundary is not enough evidence to move gold: code points stay.
    start = EMOJI_TEXT.index("We must")
    root = one_article(tmp_path, f"1\tSlogans\t{start}\t{start + 9}\n", text=EMOJI_TEXT)
    doc = read_quietly(root, ("train",))["train"][0]
    assert doc.span_text(doc.spans[0]) == "We must a"
    assert doc.metadata["offset_unit"] == "code point"


def test_a_boundary_inside_a_surrogate_pair_rules_out_utf16(tmp_path):
    # Unit offset 7 would split the first regional indicator's surrogate pair, so the
    # file cannot be in UTF-16 units, however well the other spans align that way.
    assert EMOJI_TEXT.index(FLAG) == 6
    lies = EMOJI_TEXT.index("lies")
    labels = _emoji_labels(_u16) + f"1\tLoaded_Language\t{_u16(lies)}\t{_u16(lies + 4)}\n"
    evidence = detect_utf16_offsets(EMOJI_TEXT, read_span_rows(
        write(tmp_path / "probe.tsv", labels), with_label=True))
    assert evidence is not None and evidence.codepoint_misplaced == 4  # without the pair row
    root = one_article(tmp_path, labels + "1\tFlag-Waving\t6\t7\n", text=EMOJI_TEXT)
    doc = read_quietly(root, ("train",))["train"][0]
    assert doc.metadata["offset_unit"] == "code point"
    assert "rrupt elite l" in [doc.span_text(s) for s in doc.spans]


# --------------------------------------------------------------------------- SemEval-2020


def semeval_tree(root: Path, tc: str | None = "", si: str | None = "", split="train") -> Path:
    write(root / f"{split}-articles" / "article1.txt", TEXT)
    if tc is not None:
        write(root / f"{split}-labels-task-flc-tc" / "article1.task-flc-tc.labels", tc)
    if si is not None:
        write(root / f"{split}-labels-task-si" / "article1.task-si.labels", si)
    return root


def test_semeval_reads_tc_and_si(tmp_path):
    root = semeval_tree(tmp_path, tc=f"1\tLoaded_Language\t{ELITE[0]}\t{ELITE[1]}\n",
                        si=f"1\t{ELITE[0]}\t{ELITE[1]}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = read_semeval2020(root, ("train",))["train"][0]
    assert doc.span_text(doc.spans[0]) == "corrupt elite"
    assert doc.metadata["si_spans"][0].label is None


def test_semeval_si_file_with_a_technique_column(tmp_path):
    root = semeval_tree(tmp_path, si="1\tDoubt\t0\t5\n")
    with pytest.raises(CorpusFormatError, match="expected 3 tab-separated fields, got 4") as err:
        read_semeval2020(root, ("train",))
    assert_names(err, root / "train-labels-task-si" / "article1.task-si.labels", 1)


def test_semeval_rejects_a_ptc2019_only_technique(tmp_path):
    root = semeval_tree(tmp_path, tc=f"1\tStraw_Men\t{LIES[0]}\t{LIES[1]}\n")
    with pytest.raises(CorpusFormatError, match="unknown label 'Straw_Men'") as err:
        read_semeval2020(root, ("train",))
    assert_names(err, root / "train-labels-task-flc-tc" / "article1.task-flc-tc.labels", 1)


def test_semeval_missing_si_folder_and_files(tmp_path):
    root = semeval_tree(tmp_path / "a", si=None)
    with pytest.raises(CorpusFormatError, match="no SI gold") as err:
        read_semeval2020(root, ("train",))
    assert_names(err, root / "train-labels-task-si", None)
    root = semeval_tree(tmp_path / "b")
    write(root / "train-articles" / "article2.txt", TEXT)
    with pytest.raises(CorpusFormatError, match="article 2 has no TC label file") as err:
        read_semeval2020(root, ("train",))
    assert_names(err, root / "train-labels-task-flc-tc" / "article2.task-flc-tc.labels", None)


def test_semeval_out_of_range_and_id_mismatch(tmp_path):
    n = len(TEXT)
    root = semeval_tree(tmp_path, tc=f"1\tDoubt\t{n - 2}\t{n + 5}\n")
    with pytest.raises(CorpusFormatError, match=f"\\({n} characters\\)") as err:
        read_semeval2020(root, ("train",))
    assert_names(err, root / "train-labels-task-flc-tc" / "article1.task-flc-tc.labels", 1)
    with pytest.warns(BadSpanWarning, match="0 dropped, 1 clipped"):
        doc = read_semeval2020(root, ("train",), on_bad_span="clip")["train"][0]
    assert doc.spans[0].end == n
    write(root / "train-labels-task-si" / "article1.task-si.labels", "11\t0\t5\n")
    with pytest.raises(CorpusFormatError, match="does not match the file name's id '1'") as err:
        read_semeval2020(root, ("train",), on_bad_span="clip")
    assert_names(err, root / "train-labels-task-si" / "article1.task-si.labels", 1)


def test_semeval_template(tmp_path):
    root = semeval_tree(tmp_path, tc=None, si=None, split="test")
    template = write(root / "test-task-tc-template.out", f"1\t?\t{LIES[0]}\t{LIES[1]}\n")
    doc = read_semeval2020(root, ("test",))["test"][0]
    assert not doc.labelled and doc.span_text(doc.spans[0]) == "lies" and doc.spans[0].label == "?"
    assert read_tc_template(template) == {"1": [doc.spans[0]]}

    write(template, f"1\t?\t{LIES[0]}\t{LIES[1]}\n7\t?\t0\t4\n")
    with pytest.raises(CorpusFormatError, match="article 7 is not in test-articles") as err:
        read_semeval2020(root, ("test",))
    assert_names(err, template, 2)
    write(template, f"1\tDoubt\t{LIES[0]}\t{LIES[1]}\n")
    with pytest.raises(CorpusFormatError, match="unknown label 'Doubt'") as err:
        read_tc_template(template)
    assert_names(err, template, 1)


def test_semeval_combined_file_errors(tmp_path):
    path = write(tmp_path / "dev-task-si.labels", "1\t0\t5\n2\t0\tfive\n")
    with pytest.raises(CorpusFormatError, match="end offset 'five' is not an integer") as err:
        read_semeval2020_labels(path, task="si")
    assert_names(err, path, 2)
    with pytest.raises(ValueError, match="task='flc'"):
        read_semeval2020_labels(path, task="flc")
    path = write(tmp_path / "pred.txt", "1\tDoubt\t0\t5\n1\tSlogans\t9\t12\n2\tDoubt\t3\t4\n")
    spans = read_semeval2020_labels(path)
    assert {k: [(s.label, s.start, s.end) for s in v] for k, v in spans.items()} == {
        "1": [("Doubt", 0, 5), ("Slogans", 9, 12)], "2": [("Doubt", 3, 4)]}

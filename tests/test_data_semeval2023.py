"""SemEval-2023 Task 3 reader: SOURCE.md counts on the shared data, bad input on tmp files."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pytest

from framing.data import CorpusFormatError, read_semeval2023
from framing.data.errors import BadSpanWarning
from framing.data.techniques import (
    SEMEVAL2023_FRAMES,
    SEMEVAL2023_GENRES,
    SEMEVAL2023_TECHNIQUES,
)

# --------------------------------------------------------------------------- shared data

# SOURCE.md, "Counts verified by reading the files":
# lang: (train ST1/ST2/ST3, dev ST1/ST2/ST3, train paragraphs, their labels, train spans,
#        dev paragraphs, their labels)
SOURCE_COUNTS = {
    "en": ((433, 433, 446), (83, 83, 90), 9498, 5853, 7201, 3127, 1666),
    "fr": ((157, 158, 158), (54, 53, 53), 2259, 4201, 5595, 610, 1181),
    "ge": ((132, 132, 132), (45, 45, 45), 1555, 3053, 4501, 522, 922),
    "it": ((226, 227, 227), (77, 76, 76), 2623, 4094, 6027, 882, 1359),
    "po": ((144, 145, 145), (50, 49, 49), 2310, 2191, 2839, 800, 786),
    "ru": ((142, 143, 143), (49, 48, 48), 1962, 2569, 3399, 515, 590),
}


@pytest.fixture(scope="module")
def release(shared_data: Path) -> Path:
    root = shared_data / "semeval2023_task3"
    if not root.is_dir():
        pytest.skip(f"{root} is missing: the SemEval-2023 Task 3 data is needed")
    return root


@pytest.fixture(scope="module")
def en3(release):
    return read_semeval2023(release, "en", 3)


def _paragraph_counts(docs):
    paragraphs = [p for d in docs for p in d.metadata["paragraphs"]]
    return len(paragraphs), sum(len(p.labels) for p in paragraphs)


@pytest.mark.corpus
@pytest.mark.parametrize("language", sorted(SOURCE_COUNTS))
def test_source_counts(release, language):
    train_n, dev_n, n_par, n_lab, n_spans, n_dev_par, n_dev_lab = SOURCE_COUNTS[language]
    for subtask in (1, 2, 3):
        corpus = read_semeval2023(release, language, subtask)
        assert len(corpus["train"]) == train_n[subtask - 1]
        assert len(corpus["dev"]) == dev_n[subtask - 1]
    assert corpus.name == f"semeval2023_{language}"
    assert corpus.labels == SEMEVAL2023_TECHNIQUES
    assert _paragraph_counts(corpus["train"]) == (n_par, n_lab)
    assert _paragraph_counts(corpus["dev"]) == (n_dev_par, n_dev_lab)
    assert sum(len(d.spans) for d in corpus["train"]) == n_spans
    # Only train has span files; dev gold is paragraph-level.
    assert all(d.metadata["span_gold"] for d in corpus["train"])
    assert not any(d.metadata["span_gold"] or d.spans for d in corpus["dev"])


@pytest.mark.corpus
def test_en_genres(release):
    corpus = read_semeval2023(release, "en", 1)
    assert corpus.labels == SEMEVAL2023_GENRES
    genres = Counter(d.metadata["genre"] for d in corpus["train"])
    assert genres == {"opinion": 382, "reporting": 41, "satire": 10}
    assert all(d.labelled for d in corpus["train"])
    # No dev gold for subtask 1: unlabelled documents without a genre.
    assert not any(d.labelled or "genre" in d.metadata for d in corpus["dev"])


@pytest.mark.corpus
def test_en_frames(release):
    corpus = read_semeval2023(release, "en", 2)
    assert corpus.labels == SEMEVAL2023_FRAMES
    used = {f for d in corpus["train"] for f in d.metadata["frames"]}
    assert used == set(SEMEVAL2023_FRAMES) and len(used) == 14
    assert all(isinstance(d.metadata["frames"], tuple) for d in corpus["train"])
    assert not any(d.labelled or "frames" in d.metadata for d in corpus["dev"])


@pytest.mark.corpus
def test_en_paragraphs_are_article_lines(en3):
    for doc in en3:
        lines = doc.text.split("\n")
        paragraphs, numbers = doc.metadata["paragraphs"], doc.metadata["paragraph_lines"]
        assert len(paragraphs) == len(numbers) and paragraphs
        for paragraph, number in zip(paragraphs, numbers):
            assert doc.text[paragraph.start : paragraph.end] == paragraph.text
            assert paragraph.text == lines[number - 1].removesuffix("\r")
            assert set(paragraph.labels) <= set(SEMEVAL2023_TECHNIQUES)


@pytest.mark.corpus
def test_en_spans_round_trip(en3):
    n = 0
    for doc in en3["train"]:
        paragraphs = doc.metadata["paragraphs"]
        for span in doc.spans:
            fragment = doc.span_text(span)
            assert len(fragment) == len(span) and fragment.strip()
            # The paragraph gold was derived from the spans: the technique of every span
            # is a label of a paragraph it overlaps, so the offsets land in the right place.
            assert any(
                span.overlaps(p.start, p.end) and span.label in p.labels for p in paragraphs
            ), (doc.id, span)
            n += 1
    assert n == 7201


@pytest.mark.corpus
def test_fr_crlf_offsets_count_carriage_returns(release):
    corpus = read_semeval2023(release, "fr", 3, splits=("train",))
    docs = corpus["train"]
    assert sum(len(d.spans) for d in docs) == 5595
    shifted = 0
    example = None
    for doc in docs:
        for span in doc.spans:
            assert doc.span_text(span).strip()
            assert any(
                span.overlaps(p.start, p.end) and span.label in p.labels
                for p in doc.metadata["paragraphs"]
            )
            crs = doc.text.count("\r", 0, span.start)
            if crs and example is None:
                example = (doc, span, crs)
            shifted += crs > 0
    assert shifted > 0
    doc, span, crs = example
    assert "\r\n" in doc.text[: span.start]
    # Default newline translation turns each \r\n into \n: the same offsets then point
    # elsewhere, and the fragment is found only crs characters earlier.
    with open(doc.metadata["path"], encoding="utf-8") as fh:
        translated = fh.read()
    assert translated[span.start : span.end] != doc.span_text(span)
    assert translated[span.start - crs : span.end - crs] == doc.span_text(span)
    # Paragraphs stop before the \r of the CRLF line end.
    assert not any(p.text.endswith("\r") for d in docs for p in d.metadata["paragraphs"])


# --------------------------------------------------------------------------- tmp release

ARTICLE_1 = "Title one\n\nThey are traitors.\n\nIt rained.\n"
# CRLF article: offsets count the \r.
ARTICLE_2 = "Titre deux\r\n\r\nUne honte totale.\r\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _template(article_id: str, text: str) -> str:
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            rows.append(f"{article_id}\t{number}\t{line}\n")
    return "".join(rows)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A two-article English release in the official layout (train + dev, all subtasks)."""
    lang = tmp_path / "en"
    for split in ("train", "dev"):
        for st in (1, 2, 3):
            _write(lang / f"{split}-articles-subtask-{st}" / "article1.txt", ARTICLE_1)
            _write(lang / f"{split}-articles-subtask-{st}" / "article2.txt", ARTICLE_2)
    _write(lang / "train-labels-subtask-1.txt", "1\topinion\n2\tsatire\n")
    _write(lang / "train-labels-subtask-2.txt", "1\tPolitical,Morality\n2\tEconomic\n")
    _write(
        lang / "train-labels-subtask-3.txt",
        "1\t1\t\n1\t3\tName_Calling-Labeling\n1\t5\t\n2\t1\t\n2\t3\tLoaded_Language\n",
    )
    for article_id, text in (("1", ARTICLE_1), ("2", ARTICLE_2)):
        _write(
            lang / "train-labels-subtask-3" / f"article{article_id}-labels-subtask-3.txt.template",
            _template(article_id, text),
        )
    both = _template("1", ARTICLE_1) + _template("2", ARTICLE_2)
    _write(lang / "train-labels-subtask-3.template", both)
    spans = lang / "train-labels-subtask-3-spans"
    # "traitors" = ARTICLE_1[20:28]; "honte" = ARTICLE_2[18:23] (after two \r\n pairs).
    _write(spans / "article1-labels-subtask-3.txt", "1\tName_Calling-Labeling\t20\t28\n")
    _write(spans / "article2-labels-subtask-3.txt", "2\tLoaded_Language\t18\t23\r\n")
    _write(lang / "dev-labels-subtask-3.txt", "1\t1\t\n1\t3\tDoubt\n1\t5\t\n2\t1\t\n2\t3\t\n")
    _write(lang / "dev-labels-subtask-3.template", both)
    return tmp_path


def _raises(match_file: Path, line: int | None, call, *args, **kwargs) -> CorpusFormatError:
    with pytest.raises(CorpusFormatError) as info:
        call(*args, **kwargs)
    err = info.value
    assert err.path == match_file
    assert err.line == line
    where = f"{match_file}:{line}" if line is not None else str(match_file)
    assert str(err).startswith(where)
    return err


def test_tiny_release_reads(tiny):
    corpus = read_semeval2023(tiny, "en", 3)
    doc1, doc2 = corpus["train"]
    texts = [p.text for p in doc1.metadata["paragraphs"]]
    assert texts == ["Title one", "They are traitors.", "It rained."]
    assert doc1.metadata["paragraph_lines"] == (1, 3, 5)
    assert doc1.metadata["paragraphs"][1].labels == ("Name_Calling-Labeling",)
    assert doc1.span_text(doc1.spans[0]) == "traitors"
    assert doc2.span_text(doc2.spans[0]) == "honte"
    assert [p.text for p in doc2.metadata["paragraphs"]] == ["Titre deux", "Une honte totale."]
    assert doc2.metadata["paragraphs"][1].start == 14  # two \r\n pairs counted
    dev1, _ = corpus["dev"]
    assert dev1.labelled and not dev1.metadata["span_gold"] and not dev1.spans
    assert dev1.metadata["paragraphs"][1].labels == ("Doubt",)
    assert read_semeval2023(tiny, "en", 1)["train"][1].metadata["genre"] == "satire"
    frames = read_semeval2023(tiny, "en", 2)["train"][0].metadata["frames"]
    assert frames == ("Political", "Morality")
    assert not any(d.labelled for d in read_semeval2023(tiny, "en", 1)["dev"])


def test_unknown_genre(tiny):
    path = _write(tiny / "en" / "train-labels-subtask-1.txt", "1\topinion\n2\tsatirical\n")
    err = _raises(path, 2, read_semeval2023, tiny, "en", 1)
    assert "satirical" in str(err)


def test_genre_row_without_tab(tiny):
    path = _write(tiny / "en" / "train-labels-subtask-1.txt", "1 opinion\n2\tsatire\n")
    _raises(path, 1, read_semeval2023, tiny, "en", 1)


def test_unknown_frame(tiny):
    path = _write(tiny / "en" / "train-labels-subtask-2.txt", "1\tPolitical\n2\tEconomy\n")
    err = _raises(path, 2, read_semeval2023, tiny, "en", 2)
    assert "Economy" in str(err)


def test_label_id_without_article(tiny):
    path = _write(tiny / "en" / "train-labels-subtask-1.txt", "1\topinion\n2\tsatire\n3\tsatire\n")
    _raises(path, 3, read_semeval2023, tiny, "en", 1)


def test_paragraph_unknown_technique(tiny):
    path = tiny / "en" / "train-labels-subtask-3.txt"
    _write(path, path.read_text().replace("Loaded_Language", "Loaded_Langauge"))
    err = _raises(path, 5, read_semeval2023, tiny, "en", 3)
    assert "Loaded_Langauge" in str(err)


def test_paragraph_row_wrong_field_count(tiny):
    path = tiny / "en" / "train-labels-subtask-3.txt"
    _write(path, path.read_text().replace("1\t5\t\n", "1\t5\n"))
    _raises(path, 3, read_semeval2023, tiny, "en", 3)


def test_paragraph_line_out_of_range(tiny):
    path = tiny / "en" / "dev-labels-subtask-3.txt"
    _write(path, path.read_text() + "2\t99\t\n")
    err = _raises(path, 6, read_semeval2023, tiny, "en", 3)
    assert "line 99" in str(err)


def test_template_text_mismatch(tiny):
    path = tiny / "en" / "train-labels-subtask-3" / "article1-labels-subtask-3.txt.template"
    _write(path, path.read_text().replace("They are traitors.", "They are patriots."))
    err = _raises(path, 2, read_semeval2023, tiny, "en", 3)
    assert "differs from the article" in str(err)


def test_dev_template_line_mismatch(tiny):
    path = tiny / "en" / "dev-labels-subtask-3.template"
    # Right text, wrong line number.
    _write(path, path.read_text().replace("1\t5\tIt rained.", "1\t4\tIt rained."))
    _raises(path, 3, read_semeval2023, tiny, "en", 3)


def test_combined_template_is_used_without_per_article_folder(tiny):
    import shutil

    shutil.rmtree(tiny / "en" / "train-labels-subtask-3")
    corpus = read_semeval2023(tiny, "en", 3, splits=("train",))
    assert len(corpus["train"]) == 2
    # The fr/ge/it/po/ru defect: per-article templates glued without a final newline.
    path = tiny / "en" / "train-labels-subtask-3.template"
    _write(path, _template("1", ARTICLE_1).rstrip("\n") + _template("2", ARTICLE_2))
    _raises(path, 3, read_semeval2023, tiny, "en", 3, splits=("train",))


def test_template_without_gold_row(tiny):
    path = tiny / "en" / "train-labels-subtask-3.txt"
    _write(path, path.read_text().replace("1\t5\t\n", ""))
    template = tiny / "en" / "train-labels-subtask-3" / "article1-labels-subtask-3.txt.template"
    err = _raises(template, 3, read_semeval2023, tiny, "en", 3)
    assert "missing from the gold labels" in str(err)


def test_span_out_of_range_policy(tiny):
    path = _write(
        tiny / "en" / "train-labels-subtask-3-spans" / "article1-labels-subtask-3.txt",
        "1\tName_Calling-Labeling\t20\t28\n1\tDoubt\t40\t60\n",
    )
    err = _raises(path, 2, read_semeval2023, tiny, "en", 3)
    assert "[40, 60)" in str(err)
    with pytest.warns(BadSpanWarning, match="1 dropped"):
        dropped = read_semeval2023(tiny, "en", 3, on_bad_span="drop")
    assert len(dropped["train"][0].spans) == 1
    with pytest.warns(BadSpanWarning, match="1 clipped"):
        clipped = read_semeval2023(tiny, "en", 3, on_bad_span="clip")
    assert clipped["train"][0].spans[-1].end == len(ARTICLE_1)


def test_span_unknown_technique_and_bad_offsets(tiny):
    spans = tiny / "en" / "train-labels-subtask-3-spans" / "article1-labels-subtask-3.txt"
    _write(spans, "1\tName_Calling-Labeling\t20\t28\n1\tSmears\t1\t5\n")
    _raises(spans, 2, read_semeval2023, tiny, "en", 3)
    _write(spans, "1\tDoubt\t5\tten\n")
    _raises(spans, 1, read_semeval2023, tiny, "en", 3)
    _write(spans, "1\tDoubt\t9\t5\n")
    _raises(spans, 1, read_semeval2023, tiny, "en", 3)
    _write(spans, "2\tDoubt\t1\t5\n")  # id of another article
    _raises(spans, 1, read_semeval2023, tiny, "en", 3)


def test_non_utf8_file(tiny):
    path = tiny / "en" / "train-labels-subtask-1.txt"
    path.write_bytes(b"1\topinion\n2\tsatire \xe9\n")
    err = _raises(path, 2, read_semeval2023, tiny, "en", 1)
    assert "UTF-8" in str(err)


def test_arguments(tiny):
    with pytest.raises(ValueError, match="language"):
        read_semeval2023(tiny, "de", 3)
    with pytest.raises(ValueError, match="subtask"):
        read_semeval2023(tiny, "en", 4)
    with pytest.raises(ValueError, match="on_bad_span"):
        read_semeval2023(tiny, "en", 3, on_bad_span="shift")
    with pytest.raises(FileNotFoundError, match="test-articles-subtask-3"):
        read_semeval2023(tiny, "en", 3, splits=("test",))


def test_no_warning_on_clean_read(tiny):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_semeval2023(tiny, "en", 3, on_bad_span="drop")

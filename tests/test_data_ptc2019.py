"""PTC EMNLP-2019 reader against the shared corpus: counts from its SOURCE.md, offsets, UTF-16 files."""

from __future__ import annotations

import shutil
import warnings
from collections import Counter
from pathlib import Path

import pytest

from framing.data import BadSpanWarning, CorpusFormatError, OffsetUnitWarning
from framing.data.ptc2019 import read_ptc2019
from framing.data.techniques import PTC2019_TECHNIQUES, SEMEVAL2020_TECHNIQUES

pytestmark = pytest.mark.corpus

# Verified counts (ptc_emnlp2019/SOURCE.md).
ARTICLES = {"train": 293, "dev": 57, "test": 101}
SPANS = {"train": 5114, "dev": 927}
TECHNIQUE_COUNTS = {  # technique: (train, dev)
    "Loaded_Language": (1811, 304),
    "Name_Calling,Labeling": (931, 154),
    "Repetition": (456, 115),
    "Exaggeration,Minimisation": (398, 81),
    "Doubt": (423, 67),
    "Appeal_to_fear-prejudice": (187, 52),
    "Flag-Waving": (206, 34),
    "Causal_Oversimplification": (170, 31),
    "Slogans": (120, 16),
    "Appeal_to_Authority": (91, 25),
    "Black-and-White_Fallacy": (97, 12),
    "Thought-terminating_Cliches": (70, 9),
    "Whataboutism": (55, 2),
    "Reductio_ad_hitlerum": (44, 10),
    "Red_Herring": (24, 9),
    "Bandwagon": (10, 3),
    "Obfuscation,Intentional_Vagueness,Confusion": (10, 1),
    "Straw_Men": (11, 2),
}
# The one span past its article (SOURCE.md caveat).
BAD_SPAN = ("776368676", "Loaded_Language", 4187, 4225, 4185)
# Train label files found to count offsets in UTF-16 code units: id -> spans that shift.
UTF16_FILES = {"696246189": 3, "755170235": 3, "756114837": 1, "769752554": 6, "769962236": 9}

# PTC-2019 technique -> its SemEval-2020 class (three merges; Obfuscation was dropped).
SEMEVAL2020_FAMILY = {t: t for t in PTC2019_TECHNIQUES if t in SEMEVAL2020_TECHNIQUES}
SEMEVAL2020_FAMILY.update(
    {
        "Bandwagon": "Bandwagon,Reductio_ad_hitlerum",
        "Reductio_ad_hitlerum": "Bandwagon,Reductio_ad_hitlerum",
        "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
        "Straw_Men": "Whataboutism,Straw_Men,Red_Herring",
        "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
        "Obfuscation,Intentional_Vagueness,Confusion": None,
    }
)
# PTC v2 trimmed these characters from span ends (README_PTC_v2_original.md, item 3).
V2_TRIMMED = " \n.,:;"


@pytest.fixture(scope="module")
def root(shared_data: Path) -> Path:
    path = shared_data / "ptc_emnlp2019"
    if not path.is_dir():
        pytest.skip(f"{path} missing: the PTC-2019 corpus is needed")
    return path


def _read(*args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = read_ptc2019(*args, **kwargs)
    return corpus, caught


@pytest.fixture(scope="module")
def converted(root):
    """All splits, dropping the out-of-range span and converting UTF-16 offsets."""
    return _read(root, on_bad_span="drop", on_utf16_offsets="convert")


@pytest.fixture(scope="module")
def kept(root):
    return _read(root, ("train",), on_bad_span="drop", on_utf16_offsets="keep")


def test_defaults_raise_on_the_known_problems(root):
    with pytest.raises(CorpusFormatError) as err:
        read_ptc2019(root, ("train",))
    assert err.value.path == root / "train" / "article696246189.labels.tsv"
    assert err.value.line == 1
    assert "UTF-16" in str(err.value) and "'munition was purchased" in str(err.value)

    with pytest.raises(CorpusFormatError) as err:
        read_ptc2019(root, ("train",), on_utf16_offsets="convert")
    article, label, start, end, length = BAD_SPAN
    assert err.value.path == root / "train" / f"article{article}.labels.tsv"
    assert err.value.line == 36
    assert f"{label} [{start}, {end})" in str(err.value)
    assert f"({length} characters)" in str(err.value)


def test_articles_and_spans_per_split(converted):
    corpus, caught = converted
    assert corpus.name == "ptc2019"
    assert corpus.labels == PTC2019_TECHNIQUES
    assert "Fine-Grained Analysis of Propaganda in News Articles" in corpus.citation
    assert {s: len(docs) for s, docs in corpus.splits.items()} == ARTICLES
    # "drop" removes exactly the one span past its article's end.
    assert sum(len(d.spans) for d in corpus["train"]) == SPANS["train"] - 1
    assert sum(len(d.spans) for d in corpus["dev"]) == SPANS["dev"]
    bad = [w for w in caught if issubclass(w.category, BadSpanWarning)]
    assert len(bad) == 1
    assert "1 dropped, 0 clipped" in str(bad[0].message)
    assert "article776368676.labels.tsv:36" in str(bad[0].message)
    # Empty label files: articles without propaganda, still labelled.
    assert sum(d.labelled and not d.spans for d in corpus["train"]) == 12
    assert sum(d.labelled and not d.spans for d in corpus["dev"]) == 0
    # Every file read is recorded: texts of all splits, label files of train and dev.
    assert len(corpus.files) == 293 * 2 + 57 * 2 + 101


def test_clip_drops_the_span_that_starts_past_the_end(root):
    corpus, caught = _read(root, ("train",), on_bad_span="clip", on_utf16_offsets="convert")
    assert sum(len(d.spans) for d in corpus["train"]) == SPANS["train"] - 1
    bad = [w for w in caught if issubclass(w.category, BadSpanWarning)]
    assert len(bad) == 1 and "1 dropped, 0 clipped" in str(bad[0].message)


def test_test_split_without_labels_is_prediction_only(converted):
    corpus, caught = converted
    test = corpus["test"]
    assert len(test) == 101
    assert all(not d.labelled and not d.spans for d in test)
    assert all(d.metadata["labels_path"] is None for d in test)
    assert not any("test" in str(w.message) for w in caught)


def test_technique_counts(converted):
    corpus, _ = converted
    for split, column in (("train", 0), ("dev", 1)):
        counts = Counter(s.label for d in corpus[split] for s in d.spans)
        expected = {t: c[column] for t, c in TECHNIQUE_COUNTS.items()}
        if split == "train":
            expected["Loaded_Language"] -= 1  # the dropped out-of-range span
        assert counts == expected
    assert set(TECHNIQUE_COUNTS) == set(PTC2019_TECHNIQUES)


def test_metadata_and_ids(converted, root):
    corpus, _ = converted
    doc = corpus["train"][0]
    assert doc.id == "111111112"
    assert doc.metadata["split"] == "train"
    assert doc.metadata["path"] == str(root / "train" / "article111111112.txt")
    assert doc.metadata["labels_path"] == str(root / "train" / "article111111112.labels.tsv")
    for split, docs in corpus.splits.items():
        ids = [int(d.id) for d in docs]
        assert ids == sorted(ids)
        assert all(d.metadata["split"] == split for d in docs)


def test_every_span_round_trips(converted):
    corpus, _ = converted
    for doc in corpus:
        raw = Path(doc.metadata["path"]).read_bytes().decode("utf-8")
        assert doc.text == raw  # nothing stripped or translated
        for span in doc.spans:
            fragment = doc.text[span.start : span.end]
            assert fragment and len(fragment) == span.end - span.start


def test_bom_characters_are_kept(converted):
    corpus, _ = converted
    with_bom = {s: sum("\ufeff" in d.text for d in docs) for s, docs in corpus.splits.items()}
    assert with_bom == {"train": 10, "dev": 1, "test": 2}  # 13 files (SOURCE.md)


def test_utf16_files_are_detected_and_converted(converted, kept):
    corpus, caught = converted
    units = {d.id: d.metadata["offset_unit"] for d in corpus["train"]}
    assert {i for i, u in units.items() if u != "code point"} == set(UTF16_FILES)
    assert all(units[i] == "utf-16 converted" for i in UTF16_FILES)
    unit_warnings = [w for w in caught if issubclass(w.category, OffsetUnitWarning)]
    assert len(unit_warnings) == 1
    message = str(unit_warnings[0].message)
    for article, n in UTF16_FILES.items():
        assert f"article{article}.labels.tsv ({n} of " in message

    kept_corpus, kept_caught = kept
    assert [issubclass(w.category, OffsetUnitWarning) for w in kept_caught].count(True) == 1
    kept_docs = {d.id: d for d in kept_corpus["train"]}
    shifted = 0
    for doc in corpus["train"]:
        other = kept_docs[doc.id]
        if doc.id in UTF16_FILES:
            assert other.metadata["offset_unit"] == "utf-16 kept"
            shifted += len(set(other.spans) - set(doc.spans))
        else:
            assert other.spans == doc.spans
    assert shifted == sum(UTF16_FILES.values()) == 22


def test_utf16_conversion_matches_semeval2020(converted, kept, shared_data):
    """The SemEval-2020 release has the affected articles right: converted spans match it."""
    sem_root = shared_data / "ptc_semeval2020"
    if not sem_root.is_dir():
        pytest.skip(f"{sem_root} missing: the SemEval-2020 corpus is needed")
    from framing.data.semeval2020 import read_semeval2020

    semeval = {d.id: d for d in read_semeval2020(sem_root, ("train",))["train"]}
    corpus, _ = converted
    kept_docs = {d.id: d for d in kept[0]["train"]}

    def in_semeval(doc, span) -> bool:
        sem = semeval[doc.id]
        fragment = doc.text[span.start : span.end].strip(V2_TRIMMED)
        wanted = (SEMEVAL2020_FAMILY[span.label], fragment)
        return wanted in {(s.label, sem.text[s.start : s.end]) for s in sem.spans}

    matched = 0
    for doc in corpus["train"]:
        if doc.id not in UTF16_FILES:
            continue
        other = kept_docs[doc.id]
        moved = set(doc.spans) - set(other.spans)
        assert len(moved) == UTF16_FILES[doc.id]
        assert all(in_semeval(doc, span) for span in moved)
        # ... and the code-point reading of the same rows matches none of them.
        assert not any(in_semeval(other, span) for span in set(other.spans) - set(doc.spans))
        matched += len(moved)
    assert matched == 22
    # The sixth train file with emoji stays in code points, as SemEval-2020 has it.
    doc = next(d for d in corpus["train"] if d.id == "999000870")
    assert doc.metadata["offset_unit"] == "code point"
    assert all(in_semeval(doc, span) for span in doc.spans)


# --------------------------------------------------------------------------- labels held apart


def _test_labels_folder(root: Path, folder: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Label files for every test article: two with spans written here, the rest empty."""
    folder.mkdir()
    texts = (root / "test").glob("article*.txt")
    ids = sorted(p.name[len("article") : -len(".txt")] for p in texts)
    written = {}
    for article_id in ids[:2]:
        text = (root / "test" / f"article{article_id}.txt").read_bytes().decode("utf-8")
        title_end = text.index("\n")
        first_word_end = text.index(" ")
        written[article_id] = [
            ("Loaded_Language", 0, first_word_end),
            ("Slogans", 0, title_end),
        ]
    for article_id in ids:
        rows = written.get(article_id, [])
        (folder / f"article{article_id}.labels.tsv").write_text(
            "".join(f"{article_id}\t{t}\t{s}\t{e}\n" for t, s, e in rows), encoding="utf-8"
        )
    return written


def test_test_labels_from_a_separate_folder(root, tmp_path):
    labels = tmp_path / "test-labels"
    written = _test_labels_folder(root, labels)
    corpus = read_ptc2019(root, ("test",), test_labels_dir=labels)
    same = read_ptc2019(root, ("test",), labels_dirs={"test": labels})
    assert [d.spans for d in corpus["test"]] == [d.spans for d in same["test"]]
    docs = {d.id: d for d in corpus["test"]}
    assert len(docs) == 101 and all(d.labelled for d in docs.values())
    assert sum(len(d.spans) for d in docs.values()) == 4
    for article_id, rows in written.items():
        doc = docs[article_id]
        assert doc.metadata["labels_path"] == str(labels / f"article{article_id}.labels.tsv")
        assert sorted((s.label, s.start, s.end) for s in doc.spans) == sorted(rows)
        assert all(doc.text[s.start : s.end] for s in doc.spans)

    with pytest.raises(ValueError, match="two labels folders"):
        read_ptc2019(root, ("test",), labels_dirs={"test": tmp_path}, test_labels_dir=labels)

    # A train label file in the test folder names an article the split does not have.
    stray = root / "train" / "article111111112.labels.tsv"
    shutil.copy(stray, labels)
    with pytest.raises(CorpusFormatError) as err:
        read_ptc2019(root, ("test",), test_labels_dir=labels)
    assert err.value.path == labels / stray.name
    assert "no article111111112.txt" in str(err.value)
    (labels / stray.name).unlink()

    # One test article without its label file.
    missing = labels / f"article{min(written)}.labels.tsv"
    missing.unlink()
    with pytest.raises(CorpusFormatError) as err:
        read_ptc2019(root, ("test",), test_labels_dir=labels)
    assert f"article {min(written)}" in str(err.value)
    assert str(labels) in str(err.value)


def test_labels_dir_for_another_split_reads_the_same(root, tmp_path):
    labels = tmp_path / "dev-labels"
    labels.mkdir()
    for path in (root / "dev").glob("*.labels.tsv"):
        shutil.copy(path, labels)
    apart = read_ptc2019(root, ("dev",), labels_dirs={"dev": labels})
    together = read_ptc2019(root, ("dev",))
    assert [(d.id, d.spans) for d in apart["dev"]] == [(d.id, d.spans) for d in together["dev"]]
    assert apart["dev"][0].metadata["labels_path"].startswith(str(labels))

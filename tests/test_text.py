"""Segmentation with exact offsets, and the token/POS/sentiment annotation cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from framing.resources import PROJECT_ROOT
from framing.text import AnnotationCache, VectorizedTagger, annotate, segment

SAMPLES = PROJECT_ROOT.parent / "shared" / "samples"


def demo_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "data" / "demo" / "train").glob("*.txt"))]


@pytest.mark.parametrize("mode", ["lines", "punkt", "paragraphs"])
def test_segments_are_exact_slices(mode):
    text = "\ufeffTitle line\n\n  First sentence here. Second one?\r\nThird\n\n\nLast line without end"
    for s in segment(text, mode):
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text


def test_lines_mode_keeps_ptc_sentence_units():
    text = "Title\n\nOne. Two.\nThree\n"
    assert [s.text for s in segment(text, "lines")] == ["Title", "One. Two.", "Three"]
    assert [s.text for s in segment(text, "punkt")] == ["Title", "One.", "Two.", "Three"]


def test_feff_counts_as_a_character():
    text = "\ufeffMistakes were made.\nAnother."
    first = segment(text, "lines")[0]
    assert first.start == 0 and first.text.startswith("\ufeff")


def test_raw_prose_sample_round_trips():
    path = SAMPLES / "news_putin_syria.txt"
    if not path.exists():
        pytest.skip("../shared/samples is not available")
    text = path.read_text(encoding="utf-8")
    sentences = segment(text, "punkt")
    assert len(sentences) > 20
    assert all(text[s.start : s.end] == s.text for s in sentences)
    # the sample has non-breaking spaces (U+00A0); they stay, and Punkt still splits there
    assert any(s.text == '"What is going on\xa0is a\xa0massacre.' for s in sentences)


def test_annotation_offsets_point_at_the_tokens():
    texts = ['He said "it\'s a \'massacre\'" -- they can\'t stop.', "He’s told “the truth”.", "Mistakes were made."]
    for text, ann in zip(texts, annotate(texts)):
        assert len(ann.tokens) == len(ann.tags) == len(ann.offsets) == len(ann.lower)
        for tok, (a, b) in zip(ann.tokens, ann.offsets):
            assert text[a:b] == tok
    he, made = annotate(["He’s told “the truth”.", "Mistakes were made."])[0], annotate(["Mistakes were made."])[0]
    assert he.tokens[:2] == ("He", "’s") and he.tags[1] == "VBZ"  # curly contraction kept together
    assert dict(zip(he.tokens, he.tags))["“"] == "``"
    assert made.tags == ("NNS", "VBD", "VBN", ".")
    assert -1 <= made.sentiment[3] <= 1


def test_vectorized_tagger_tags_exactly_like_nltk():
    from nltk.tag import PerceptronTagger
    from nltk.tokenize import NLTKWordTokenizer

    fast, reference, tok = VectorizedTagger(), PerceptronTagger(lang="eng"), NLTKWordTokenizer()
    assert fast.fast
    sentences = [s.text for text in demo_texts()[:12] for s in segment(text, "lines")]
    assert len(sentences) > 100
    for sent in sentences:
        tokens = tok.tokenize(sent)
        assert fast.tag(tokens) == reference.tag(tokens)


def test_disk_cache_round_trip(tmp_path: Path):
    texts = ["The police shot the protesters.", "Mistakes were made.", "The police shot the protesters."]
    first = AnnotationCache(tmp_path, n_jobs=1).annotate(texts)
    assert first[0] is first[2]
    second_cache = AnnotationCache(tmp_path, n_jobs=1)
    second_cache._compute = lambda texts: pytest.fail("should come from disk")  # type: ignore[assignment]
    assert second_cache.annotate(texts) == first
    assert list(tmp_path.glob("annotations-v*.sqlite"))


def test_parallel_annotation_equals_serial(tmp_path: Path):
    sentences = [s.text for text in demo_texts() for s in segment(text, "lines")]
    parallel = AnnotationCache(None, n_jobs=2, progress=False)
    parallel.parallel_threshold = 50
    serial = AnnotationCache(None, n_jobs=1, progress=False)
    assert parallel.annotate(sentences[:300]) == serial.annotate(sentences[:300])


def test_tagger_parameters_come_from_the_cache_after_the_first_load(tmp_path, monkeypatch):
    from nltk.tag import PerceptronTagger

    import framing.text as text

    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path))
    first = text._perceptron_tagger()  # parses NLTK's JSON and writes the pickle
    assert len(list(tmp_path.glob("perceptron-eng-*.pickle"))) == 1
    second = text._perceptron_tagger()  # from the pickle
    reference = PerceptronTagger(lang="eng")
    assert second.model.weights == reference.model.weights and second.tagdict == reference.tagdict
    assert second.classes == reference.classes == first.classes
    for sentence in text.VectorizedTagger._CHECK:
        assert second.tag(list(sentence)) == reference.tag(list(sentence))


# --------------------------------------------------------------------------- invisible characters


@pytest.mark.nltk
def test_invisible_characters_glued_to_a_word_leave_offsets_on_the_original_text():
    bom, zwsp, zwj, shy = "\ufeff", "\u200b", "\u200d", "\u00ad"
    text = f"{bom}Disgraceful {zwsp}lies{zwj} and dis{shy}grace ."
    ann = annotate([text])[0]
    # the look-up form: lower-cased, invisible characters removed
    assert ann.lower == ("disgraceful", "lies", "and", "disgrace", ".")
    # offsets index the original text: an invisible character at a token's edge is left out of
    # the token, one inside a token stays inside it
    assert ann.offsets == ((1, 12), (14, 18), (20, 23), (24, 33), (34, 35))
    assert [text[a:b] for a, b in ann.offsets] == list(ann.tokens)
    assert ann.tokens[3] == f"dis{shy}grace"
    # tagged and scored as the visible text is
    plain = annotate(["Disgraceful lies and disgrace ."])[0]
    assert ann.tags == plain.tags and ann.sentiment == plain.sentiment


@pytest.mark.nltk
def test_a_sentence_of_invisible_characters_has_no_tokens():
    ann = annotate(["\ufeff", "\u200b\ufeff"])
    assert [a.tokens for a in ann] == [(), ()]


class _Stream:
    """A stand-in for sys.stderr: records writes, and answers isatty() as told."""

    def __init__(self, tty: bool) -> None:
        self.tty, self.written = tty, []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [False, True])
def test_a_progress_bar_is_drawn_on_a_terminal_only(monkeypatch, tty):
    import sys

    stream = _Stream(tty)
    monkeypatch.setattr(sys, "stderr", stream)
    cache = AnnotationCache(None, n_jobs=1, progress=True)
    monkeypatch.setattr(cache, "parallel_threshold", 3)
    cache.annotate([f"Sentence number {i} is here." for i in range(4)])
    drawn = "".join(stream.written)
    assert ("annotating sentences" in drawn) == tty, drawn

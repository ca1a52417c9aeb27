"""LexiconMatcher: each category on its own (leftmost-longest within it, overlaps across),
wildcards, literal asterisks, the memoised one-token look-up, and agreement with a
brute-force reference on the project lexicons."""

from __future__ import annotations

import pickle

import pytest
from nltk.tokenize import NLTKWordTokenizer

from framing.lexicons.lexicon import Lexicon, LexiconMatcher, is_wildcard, read_project_lexicon


def reference_matches(lexicon: Lexicon, lower: tuple[str, ...]) -> set[tuple[int, int, int]]:
    """``(category, start, end)`` by the DATASHEET's definition, one category at a time, by brute force."""

    def token_ok(pattern: str, token: str) -> bool:
        return token.startswith(pattern[:-1]) if is_wildcard(pattern) else token == pattern

    out = set()
    for k, terms in enumerate(lexicon.categories.values()):
        i = 0
        while i < len(lower):
            n = max(
                (
                    len(t)
                    for t in terms
                    if i + len(t) <= len(lower) and all(token_ok(p, lower[i + j]) for j, p in enumerate(t))
                ),
                default=0,
            )
            if n:
                out.add((k, i, i + n))
                i += n
            else:
                i += 1
    return out


def flat(matches) -> set[tuple[int, int, int]]:
    return {(c, start, end) for start, end, cats in matches for c in cats}


def test_longest_match_within_a_category_overlaps_across():
    matcher = LexiconMatcher(
        Lexicon("t", {"a": (("point",), ("point", "out")), "b": (("out",), ("it", "out*")), "c": (("some",),)})
    )
    lower = ("they", "point", "it", "outward", "and", "out", "some")
    # "point" (a), not "point out" (the next token is "it"); "it outward" (b, a wildcard
    # second token); "out" (b); "some" (c).
    assert matcher.match(lower) == [(1, 2, (0,)), (2, 4, (1,)), (5, 6, (1,)), (6, 7, (2,))]
    assert matcher.count(lower) == [1, 2, 1]
    # Within a category the longest term wins; across categories matches overlap.
    matcher = LexiconMatcher(Lexicon("t", {"a": (("point",), ("point", "out")), "b": (("out",),)}))
    assert matcher.match(("point", "out")) == [(0, 2, (0,)), (1, 2, (1,))]


def test_a_phrase_consumes_its_tokens_only_in_its_own_category():
    lexicon = Lexicon("t", {"a": (("new", "york"), ("york", "city")), "b": (("york", "city"), ("city",))})
    matcher = LexiconMatcher(lexicon)
    lower = ("new", "york", "city")
    # a: "new york" consumes "york", so a's "york city" cannot start there; b is on its own.
    assert matcher.match(lower) == [(0, 2, (0,)), (1, 3, (1,))]
    assert flat(matcher.match(lower)) == reference_matches(lexicon, lower)


def test_a_term_in_two_categories_counts_for_both():
    matcher = LexiconMatcher(Lexicon("t", {"hedge": (("alleged",),), "report": (("alleged",), ("said",))}))
    assert matcher.match(("the", "alleged", "plot")) == [(1, 2, (0, 1))]
    assert matcher.count(("the", "alleged", "plot")) == [1, 1]
    assert matcher.token_categories("alleged") == (0, 1)
    assert matcher.token_categories("said") == (1,)
    assert matcher.token_categories("plot") == ()


def test_wildcards_and_literal_asterisks():
    assert is_wildcard("terrorist*") and is_wildcard("a*")
    assert not is_wildcard("*") and not is_wildcard("terror")
    matcher = LexiconMatcher(
        Lexicon(
            "t",
            {
                "label": (("terrorist*",),),
                "negative": (("f", "*", "*", "k"), ("bull", "*", "*", "*", "*"), ("*",)),
            },
        )
    )
    assert matcher.token_categories("terroristic") == (0,)
    assert matcher.token_categories("terror") == ()
    # A lone "*" in a term is a literal asterisk (Hu & Liu's "f**k", "bull****"), not "any token".
    assert matcher.match(("f", "*", "*", "k")) == [(0, 4, (1,))]
    assert matcher.match(("f", "oo", "ba", "k")) == []
    assert matcher.match(("bull", "*", "*", "*", "*")) == [(0, 5, (1,))]
    assert matcher.match(("bull", "market", "is", "up", "now")) == []
    assert matcher.match(("a", "*", "b")) == [(1, 2, (1,))]
    assert matcher.token_categories("x") == ()


def test_a_phrase_cannot_start_with_a_wildcard():
    with pytest.raises(ValueError, match="cannot start with a wildcard"):
        LexiconMatcher(Lexicon("t", {"a": (("some*", "say"),)}))


def test_pickles_without_its_memos():
    matcher = LexiconMatcher(Lexicon("t", {"a": (("perhaps",), ("some", "say"))}))
    matcher.match(("perhaps", "not"))
    assert len(matcher._categories) == 2 and len(matcher._starts) == 2
    clone = pickle.loads(pickle.dumps(matcher))
    assert len(clone._categories) == 0 and len(clone._starts) == 0
    assert clone.match(("perhaps", "some", "say")) == [(0, 1, (0,)), (1, 3, (0,))]


def test_phrase_possible():
    matcher = LexiconMatcher(Lexicon("t", {"a": (("in", "fact"), ("it", "out*"), ("clearly",))}))
    assert not matcher.phrase_possible(("in", "the", "fact"))
    assert matcher.phrase_possible(("in", "fact"))
    assert matcher.phrase_possible(("it", "x"))  # the second token is a wildcard: any "it" may start one
    assert matcher.phrase_starts == frozenset({"in", "it"})


SENTENCES = [
    "According to officials, it is widely believed that some say the so-called experts clearly lied.",
    "In fact, the brutal regime's crackdown was, in a statement, described as sort of a witch hunt.",
    "If it rains, unless told otherwise, we stay; as long as the fake news media say so.",
    "He couldn't say, in my view, what he knew: they pointed out that officials said so.",
    "Many people are saying that mistakes were made by the so-called mainstream media, of course.",
]


@pytest.mark.parametrize("name", ["loaded", "hedging", "agency"])
def test_agrees_with_the_reference_on_the_project_lexicons(name):
    lexicon = read_project_lexicon(name)
    matcher = LexiconMatcher(lexicon)
    tokenizer = NLTKWordTokenizer()
    for sentence in SENTENCES:
        lower = tuple(t.lower() for t in tokenizer.tokenize(sentence))
        assert flat(matcher.match(lower)) == reference_matches(lexicon, lower), sentence
        counts = [0] * len(lexicon.categories)
        for c, _, _ in reference_matches(lexicon, lower):
            counts[c] += 1
        assert matcher.count(lower) == counts


@pytest.mark.corpus
def test_agrees_with_the_reference_on_ptc_sentences(shared_data):
    folder = shared_data / "ptc_semeval2020" / "train-articles"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    tokenizer = NLTKWordTokenizer()
    lines = [
        line
        for path in sorted(folder.glob("article*.txt"))[:60]
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    assert len(lines) > 200
    for name in ("loaded", "hedging"):
        lexicon = read_project_lexicon(name)
        matcher = LexiconMatcher(lexicon)
        n_phrases = 0
        for line in lines:
            lower = tuple(t.lower() for t in tokenizer.tokenize(line))
            got = flat(matcher.match(lower))
            assert got == reference_matches(lexicon, lower), line
            n_phrases += sum(end - start > 1 for _, start, end in got)
            if not matcher.phrase_possible(lower):
                singles = sorted(c for t in lower for c in matcher.token_categories(t))
                assert sorted(c for c, _, _ in got) == singles
        assert n_phrases >= 10, name  # the comparison covered phrases

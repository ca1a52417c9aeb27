"""Checks of the project's own lexicon files and their datasheet.

``framing/lexicons/loaded.tsv``, ``hedging.tsv`` and ``agency.tsv`` are read
here strictly (not through the feature code, which is lenient about layout):
header, two fields a line, the documented categories, sorted, lower-case,
written as ``NLTKWordTokenizer`` tokens, ``*`` only as a prefix wildcard at the
end of a token, and entry counts equal to the table in ``DATASHEET.md``.

One corpus test (needs ``FRAMING_DATA``) measures how much of the PTC-2020
train Loaded_Language and Name_Calling,Labeling span tokens each loaded
category covers against tokens outside any span, and fails if a category fires
outside propaganda nearly as often as inside. Run this file as a script to
print the full table the datasheet reports::

    FRAMING_DATA=/path/to/data python tests/test_lexicon_files.py
"""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from nltk.tokenize import NLTKWordTokenizer

LEXICON_DIR = Path(__file__).resolve().parent.parent / "framing" / "lexicons"
DATASHEET = LEXICON_DIR / "DATASHEET.md"

#: The categories each file must have: the feature extractors depend on these names.
#: Authors of other ``term<TAB>category`` lexicons add their file here.
CATEGORIES: dict[str, frozenset[str]] = {
    "loaded.tsv": frozenset(
        {
            "evaluative_negative",
            "evaluative_positive",
            "fear_threat",
            "violence",
            "moral_outrage",
            "name_calling",
            "absolutes_exaggeration",
            "intensifiers",
        }
    ),
    "hedging.tsv": frozenset(
        {
            "hedge",
            "booster",
            "epistemic_modal",
            "report_neutral",
            "report_loaded",
            "sourcing",
            "weasel",
            "conditional",
        }
    ),
    # The word lists of the agency rules (framing.features.agency.LEXICON_CATEGORIES).
    "agency.tsv": frozenset(
        {
            "adjectival_participle",
            "by_non_agent",
            "degree_adverb",
            "event_verb",
            "get_idiom",
            "impersonal_pronoun",
            "intransitive_verb",
            "measure_unit",
            "nominalisation",
            "person_noun",
            "personal_pronoun",
            "time_word",
            "un_verb",
        }
    ),
    # The 14 SemEval-2023 frame names lower-cased (framing.features.frames.FRAME_CATEGORIES).
    "frames.tsv": frozenset(
        {
            "economic", "capacity_and_resources", "morality", "fairness_and_equality",
            "legality_constitutionality_and_jurisprudence", "policy_prescription_and_evaluation",
            "crime_and_punishment", "security_and_defense", "health_and_safety", "quality_of_life",
            "cultural_identity", "public_opinion", "political", "external_regulation_and_reputation",
        }
    ),
}

#: Terms deliberately in two categories of one file (see DATASHEET.md, "Terms in two categories").
SHARED_TERMS: dict[str, frozenset[str]] = {
    "loaded.tsv": frozenset(),
    "hedging.tsv": frozenset({"alleged"}),
    # event_verb and intransitive_verb; "come" is also an adjectival_participle (DATASHEET.md 6.2).
    "agency.tsv": frozenset(
        {
            "arise", "culminate", "die", "emerge", "ensue", "erupt", "happen", "occur", "perish", "plummet",
            "soar", "subside", "come",
        }
    ),
    "frames.tsv": frozenset(),
}

#: A wildcard must leave at least this many characters of prefix.
MIN_WILDCARD_PREFIX = 4

#: Words an over-broad wildcard or entry would catch by accident, by file and category.
#: Each was checked during curation (NLTK cmudict, Hu & Liu lists, PTC train vocabulary).
FALSE_FRIENDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("loaded.tsv", "name_calling"): ("regiment", "regimen", "globalisation", "globalization", "radically", "crookston"),
    ("loaded.tsv", "violence"): ("skill", "killarney", "stabilize", "rapeseed", "warrant", "warner"),
    ("loaded.tsv", "fear_threat"): ("thread", "terrace", "terrain", "warner", "floodlight"),
    ("loaded.tsv", "moral_outrage"): ("scandinavia", "outreach", "deceleration"),
    ("loaded.tsv", "intensifiers"): ("so", "outrageously"),
    ("loaded.tsv", "absolutes_exaggeration"): ("all", "every", "best"),
    ("hedging.tsv", "hedge"): ("tender", "tendon", "appearance", "about", "around", "suspect", "rather", "kind"),
    ("hedging.tsv", "booster"): ("demonstrators", "demonstration", "provenance", "proverb", "show"),
    ("hedging.tsv", "epistemic_modal"): ("will", "shall", "can", "ca", "wo"),
    ("hedging.tsv", "report_neutral"): ("states", "state", "according", "reports"),
    # un- adjectives with no verb behind them are never passives (DATASHEET.md 6.2)
    ("frames.tsv", "public_opinion"): ("protestant", "protestants"),
    ("frames.tsv", "health_and_safety"): ("hospitality", "doctored", "nursery"),
    ("frames.tsv", "policy_prescription_and_evaluation"): ("quotation",),
    ("frames.tsv", "crime_and_punishment"): ("crimea",),
    ("frames.tsv", "economic"): ("subsidiary", "subside"),
    ("agency.tsv", "un_verb"): ("untouched", "unaffected", "unharmed", "unchallenged", "under", "understood"),
    # what a suffix rule would fire on (DATASHEET.md 6.2, nominalisation)
    ("agency.tsv", "nominalisation"): ("nation", "government", "moment", "department", "hospital", "morning"),
    ("agency.tsv", "event_verb"): ("grow", "rise", "fall", "begin", "start", "end", "continue"),
}

_TOKENIZER = NLTKWordTokenizer()
_COUNT_ROW = re.compile(r"^\|\s*`?([\w.-]+\.tsv)`?\s*\|\s*`?([a-z_]+)`?\s*\|\s*(\d+)\s*\|")


# --------------------------------------------------------------------------- reading


@cache
def read_entries(name: str) -> tuple[tuple[int, str, str], ...]:
    """``(line_number, term, category)`` of every entry of a lexicon file, read strictly."""
    path = LEXICON_DIR / name
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path}: starts with a byte-order mark"
    assert b"\r" not in raw, f"{path}: has carriage returns (use LF line ends)"
    assert raw.endswith(b"\n"), f"{path}: does not end with a newline"
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert lines[0] == "term\tcategory", f"{path}:1: header must be 'term<TAB>category', got {lines[0]!r}"
    out = []
    for number, line in enumerate(lines[1:], start=2):
        assert line.strip(), f"{path}:{number}: blank line"
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 2, f"{path}:{number}: expected 2 tab-separated fields, got {len(fields)}: {line!r}"
        term, category = fields
        assert term and category, f"{path}:{number}: empty field"
        out.append((number, term, category))
    return tuple(out)


@cache
def datasheet_counts() -> dict[str, dict[str, int]]:
    """``{file: {category: entries}}`` from the count table of DATASHEET.md."""
    counts: dict[str, dict[str, int]] = {}
    for line in DATASHEET.read_text(encoding="utf-8").splitlines():
        match = _COUNT_ROW.match(line)
        if match:
            file, category, n = match.groups()
            assert category not in counts.get(file, {}), f"DATASHEET.md lists {file} {category} twice"
            counts.setdefault(file, {})[category] = int(n)
    return counts


def token_matches(pattern: str, token: str) -> bool:
    """Whole-token match; a pattern ending in ``*`` matches by prefix."""
    return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern


def contains(outer: list[str], inner: list[str]) -> bool:
    """Whether ``inner`` (a pattern) matches a run of consecutive tokens of ``outer``."""
    n = len(inner)
    return any(
        all(token_matches(p, outer[i + k].rstrip("*")) for k, p in enumerate(inner))
        for i in range(len(outer) - n + 1)
    )


FILES = sorted(CATEGORIES)


# --------------------------------------------------------------------------- format


@pytest.mark.parametrize("name", FILES)
def test_categories_are_the_documented_ones(name):
    found = {category for _, _, category in read_entries(name)}
    expected = CATEGORIES[name]
    assert found == expected, f"{name}: unexpected {found - expected}, missing {expected - found}"
    assert set(datasheet_counts().get(name, {})) == CATEGORIES[name], f"DATASHEET.md table rows for {name}"


@pytest.mark.parametrize("name", FILES)
def test_datasheet_counts_match_the_file(name):
    counts = Counter(category for _, _, category in read_entries(name))
    assert dict(counts) == datasheet_counts()[name]


@pytest.mark.parametrize("name", FILES)
def test_sorted_without_duplicates(name):
    keys = [(category, term) for _, term, category in read_entries(name)]
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicates, f"{name}: duplicate (category, term): {duplicates}"
    assert keys == sorted(keys), f"{name}: entries must be sorted by category, then term"


@pytest.mark.parametrize("name", FILES)
def test_terms_are_lower_case_nltk_tokens(name):
    for number, term, _ in read_entries(name):
        where = f"{name}:{number}: {term!r}"
        assert term == term.lower(), f"{where} is not lower-case"
        assert term == " ".join(term.split()), f"{where}: tokens must be separated by single spaces"
        bare = term.replace("*", "")
        assert " ".join(_TOKENIZER.tokenize(bare)) == bare, f"{where}: NLTK splits it as {_TOKENIZER.tokenize(bare)}"


@pytest.mark.parametrize("name", FILES)
def test_wildcards_only_at_token_ends(name):
    for number, term, _ in read_entries(name):
        tokens = term.split()
        for token in tokens:
            where = f"{name}:{number}: {term!r}"
            assert "*" not in token[:-1], f"{where}: '*' only at the end of a token"
            if token.endswith("*"):
                assert len(token) - 1 >= MIN_WILDCARD_PREFIX, f"{where}: wildcard prefix is too short"
        # The feature matcher indexes phrases by their first token.
        assert len(tokens) == 1 or not tokens[0].endswith("*"), f"{name}:{number}: phrase starts with a wildcard"


@pytest.mark.parametrize("name", FILES)
def test_no_term_repeats_another_of_its_category(name):
    # Counts then do not depend on how overlapping matches are resolved.
    by_category: dict[str, list[str]] = {}
    for _, term, category in read_entries(name):
        by_category.setdefault(category, []).append(term)
    for category, terms in by_category.items():
        for a in terms:
            for b in terms:
                if a != b:
                    assert not contains(b.split(), a.split()), f"{name} {category}: {a!r} matches inside {b!r}"


@pytest.mark.parametrize("name", FILES)
def test_terms_in_two_categories_are_the_documented_ones(name):
    entries = read_entries(name)
    cats_of: dict[str, set[str]] = {}
    for _, term, category in entries:
        cats_of.setdefault(term, set()).add(category)
    shared = {term for term, cats in cats_of.items() if len(cats) > 1}
    # A wildcard of one category catching a listed word of another is a hidden share.
    for _, pattern, category in entries:
        if pattern.endswith("*") and " " not in pattern:
            for _, term, other in entries:
                if other != category and " " not in term and token_matches(pattern, term.rstrip("*")):
                    shared.add(term)
    assert shared == SHARED_TERMS[name]


@pytest.mark.parametrize(("name", "category"), sorted(FALSE_FRIENDS))
def test_false_friends_do_not_match(name, category):
    patterns = [term for _, term, cat in read_entries(name) if cat == category and " " not in term]
    for word in FALSE_FRIENDS[name, category]:
        hits = [p for p in patterns if token_matches(p, word)]
        assert not hits, f"{name} {category}: {word!r} is caught by {hits}"


def test_brief_examples_are_covered():
    """Spot checks: words the category definitions name match their category."""
    examples = {
        ("loaded.tsv", "evaluative_negative"): ["appalling", "idiotic", "pathetic"],
        ("loaded.tsv", "evaluative_positive"): ["heroic", "glorious", "magnificent", "brilliant", "noble"],
        ("loaded.tsv", "fear_threat"): ["threat", "threatened", "menace", "terror", "catastrophe", "invasion", "flood"],
        ("loaded.tsv", "violence"): ["slaughter", "massacre", "butchered", "killing", "bloodbath"],
        ("loaded.tsv", "moral_outrage"): ["outrageous", "betrayal", "treason", "evil", "sinister", "disgraceful"],
        ("loaded.tsv", "name_calling"): ["thugs", "traitors", "extremists", "puppet", "regime", "terrorists", "nazi"],
        ("loaded.tsv", "absolutes_exaggeration"): ["always", "never", "everyone", "nobody", "unprecedented", "worst"],
        ("loaded.tsv", "intensifiers"): ["very", "extremely", "incredibly", "truly", "deeply"],
        ("hedging.tsv", "hedge"): ["possibly", "perhaps", "reportedly", "allegedly", "seemingly", "suggests"],
        ("hedging.tsv", "booster"): ["clearly", "obviously", "undoubtedly", "indeed", "proved"],
        ("hedging.tsv", "epistemic_modal"): ["may", "might", "could", "would", "should", "must"],
        ("hedging.tsv", "report_neutral"): ["said", "says", "told", "stated", "announced"],
        ("hedging.tsv", "report_loaded"): ["claimed", "admitted", "insisted", "conceded", "boasted", "denied"],
        ("hedging.tsv", "conditional"): ["if", "unless", "whether"],
        ("agency.tsv", "nominalisation"): ["killing", "deportation", "escalation", "crackdown", "arrest"],
        ("agency.tsv", "event_verb"): ["erupt", "escalate", "die", "collapse", "happen"],
        ("agency.tsv", "un_verb"): ["uncovered", "unveiled", "unleashed", "united"],
        ("agency.tsv", "personal_pronoun"): ["i", "we", "you", "he", "she", "they", "who"],
        ("agency.tsv", "impersonal_pronoun"): ["it", "there", "this", "that", "what"],
    }
    for (name, category), words in examples.items():
        patterns = [term for _, term, cat in read_entries(name) if cat == category and " " not in term]
        missing = [w for w in words if not any(token_matches(p, w) for p in patterns)]
        assert not missing, f"{name} {category}: {missing} not matched"
    phrases = {
        ("hedging.tsv", "sourcing"): ["according to", "in a statement", "told reporters"],
        ("hedging.tsv", "weasel"): ["some say", "it is believed", "studies show"],
        ("hedging.tsv", "booster"): ["no doubt", "of course", "in fact"],
        ("hedging.tsv", "hedge"): ["to some extent", "in part"],
        ("agency.tsv", "event_verb"): ["break out", "take place"],
        ("agency.tsv", "adjectival_participle"): ["set to", "engaged in"],
    }
    for (name, category), wanted in phrases.items():
        terms = {term for _, term, cat in read_entries(name) if cat == category}
        assert set(wanted) <= terms, f"{name} {category}: missing {set(wanted) - terms}"


# --------------------------------------------------------------------------- coverage on PTC-2020 train

PTC_TRAIN_ARTICLES = 371
PTC_TRAIN_SPANS = 6128
IN_SPAN = ("Loaded_Language", "Name_Calling,Labeling")


def ptc_root() -> Path | None:
    data = os.environ.get("FRAMING_DATA")
    if not data:
        return None
    root = Path(data) / "ptc_semeval2020"
    return root if root.is_dir() else None


def loaded_coverage(root: Path) -> dict[str, dict[str, float]]:
    """Per loaded category, percent of tokens it covers by region of PTC-2020 train.

    Articles are one sentence per line; each line is tokenized with
    ``NLTKWordTokenizer`` (character offsets kept), lower-cased, and matched
    per category with the project's matcher. A token is in region
    ``Loaded_Language`` / ``Name_Calling,Labeling`` if it overlaps such a gold
    span, ``other_span`` if it overlaps only spans of other techniques, and
    ``outside`` if it overlaps no span.

    Returns
    -------
    dict
        ``{category: {region: percent of that region's tokens covered}}`` plus
        ``{"_tokens": {region: token count}}`` and ``{"_spans": {...}}`` with the
        article and span counts read.
    """
    from framing.lexicons.lexicon import Lexicon, LexiconMatcher, read_project_lexicon

    lexicon = read_project_lexicon("loaded", LEXICON_DIR)
    matchers = {cat: LexiconMatcher(Lexicon(cat, {cat: terms})) for cat, terms in lexicon.categories.items()}
    totals: Counter = Counter()
    covered: dict[str, Counter] = {cat: Counter() for cat in matchers}
    articles = spans_read = 0
    for path in sorted((root / "train-articles").glob("article*.txt")):
        articles += 1
        article_id = path.stem.removeprefix("article")
        text = path.read_text(encoding="utf-8")
        labels = root / "train-labels-task-flc-tc" / f"article{article_id}.task-flc-tc.labels"
        spans = []
        for line in labels.read_text(encoding="utf-8").splitlines() if labels.exists() else ():
            if line.strip():
                _, technique, start, end = line.split("\t")
                spans.append((technique, int(start), int(end)))
        spans_read += len(spans)
        offset = 0
        for line in text.split("\n"):
            bounds = list(_TOKENIZER.span_tokenize(line))
            tokens = [line[a:b].lower() for a, b in bounds]
            regions = []
            for a, b in bounds:
                techniques = {t for t, s, e in spans if offset + a < e and s < offset + b}
                inside = [t for t in IN_SPAN if t in techniques]
                region = inside or (["other_span"] if techniques else ["outside"])
                regions.append(region)
                totals.update(region)
            for cat, matcher in matchers.items():
                for start, end, _ in matcher.match(tokens):
                    for i in range(start, end):
                        covered[cat].update(regions[i])
            offset += len(line) + 1
    table = {cat: {r: 100 * covered[cat][r] / totals[r] for r in totals} for cat in sorted(matchers)}
    table["_tokens"] = dict(totals)
    table["_spans"] = {"articles": articles, "spans": spans_read}
    return table


@pytest.mark.corpus
@pytest.mark.slow
def test_loaded_categories_fire_more_inside_propaganda_spans():
    root = ptc_root()
    if root is None:
        pytest.skip("set FRAMING_DATA to the folder holding ptc_semeval2020/ to run the PTC coverage check")
    table = loaded_coverage(root)
    assert table["_spans"] == {"articles": PTC_TRAIN_ARTICLES, "spans": PTC_TRAIN_SPANS}
    tokens = table["_tokens"]
    for cat in CATEGORIES["loaded.tsv"]:
        row = table[cat]
        inside = sum(row[r] * tokens[r] for r in IN_SPAN) / sum(tokens[r] for r in IN_SPAN)
        # A category that fires about as often outside propaganda as inside it needs pruning.
        assert inside >= 2 * row["outside"], f"{cat}: {inside:.2f}% of span tokens vs {row['outside']:.2f}% outside"


if __name__ == "__main__":
    root = ptc_root()
    if root is None:
        raise SystemExit("set FRAMING_DATA to the folder holding ptc_semeval2020/")
    table = loaded_coverage(root)
    regions = ["Loaded_Language", "Name_Calling,Labeling", "other_span", "outside"]
    print("tokens:", table["_tokens"], table["_spans"])
    print(f"{'category':24s} {'LL %':>7s} {'NC %':>7s} {'other %':>8s} {'out %':>7s} {'LL/out':>7s} {'NC/out':>7s}")
    for cat in sorted(CATEGORIES["loaded.tsv"]):
        row = table[cat]
        print(
            f"{cat:24s} "
            + " ".join(f"{row[r]:7.2f}" for r in regions[:2])
            + f" {row['other_span']:8.2f} {row['outside']:7.2f}"
            + f" {row[regions[0]] / row['outside']:7.1f} {row[regions[1]] / row['outside']:7.1f}"
        )

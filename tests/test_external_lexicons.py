"""Loaders of the public lexicons (``framing/features/external.py``).

The counts asserted here are the verified counts of each folder's SOURCE.md in
the shared lexicons; those tests need ``FRAMING_LEXICONS`` (skipped without).
Format edge cases and errors are tested on small files written here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from framing.lexicons.external import (
    EXTERNAL_LEXICONS,
    RECASENS2013_FILES,
    SubjectivityClue,
    SubjectivityClueMatcher,
    SubjectivityLexicon,
    entry_tokens,
    lexicon_file,
    load_emfd,
    load_hu_liu,
    load_islam2020,
    load_mfd,
    load_mfd2,
    load_mpqa,
    load_recasens2013,
    load_sap2017,
    load_wooorm,
    read_liwc_dic,
    resolve_lexicon_dir,
)

# No NLTK data is needed: NLTKWordTokenizer and PorterStemmer ship with the nltk package.


# --------------------------------------------------------------------------- verified counts (SOURCE.md)


def test_recasens2013_counts(lexicon_dir):
    lexicon = load_recasens2013(lexicon_dir)
    assert lexicon.name == "recasens2013"
    counts = {category: len(terms) for category, terms in lexicon.categories.items()}
    assert counts == {
        "bias": 654,
        "strong_subjective": 4747,
        "weak_subjective": 2191,
        "assertive": 66,
        "factive": 27,
        "implicative": 32,
        "hedge": 100,
        "report_verb": 181,
        "entailed": 1178,
        "entailed_arg": 1162,
        "entailing": 1178,
        "entailing_arg": 1162,
    }
    # headers (with the stray \r of three files) are skipped; multi-word entries are split as text is
    assert ("find", "out") in lexicon.categories["factive"]
    assert ("in", "my", "view") in lexicon.categories["hedge"]
    assert not any(tok.startswith("#") for terms in lexicon.categories.values() for t in terms for tok in t)
    # mixed-case entries are lower-cased: pro-Cuba
    assert ("pro-cuba",) in lexicon.categories["strong_subjective"]
    assert ("abortion",) in lexicon.categories["bias"]


def test_recasens2013_subset_and_unknown_category(lexicon_dir):
    lexicon = load_recasens2013(lexicon_dir, categories=("bias", "weak_subjective"))
    assert list(lexicon.categories) == ["bias", "weak_subjective"]
    with pytest.raises(KeyError, match="no category 'nope'"):
        load_recasens2013(lexicon_dir, categories=("nope",))
    assert set(RECASENS2013_FILES) >= {"bias", "strong_subjective", "weak_subjective"}


def test_mpqa_counts_and_irregular_lines(lexicon_dir):
    lexicon = load_mpqa(lexicon_dir)
    assert len(lexicon) == 8222
    assert sum(c.strong for c in lexicon.clues) == 5569
    assert sum(not c.strong for c in lexicon.clues) == 2653
    by_word = {c.word: c for c in lexicon.clues}
    # the release's two irregular lines: stemmed1=1 and priorpolarity=weakneg
    assert by_word["lugubrious"] == SubjectivityClue("lugubrious", "adj", True, True, "negative")
    assert by_word["impassive"] == SubjectivityClue("impassive", "adj", False, False, "negative")
    assert {c.pos for c in lexicon.clues} == {"adj", "adverb", "noun", "verb", "anypos"}
    assert {c.polarity for c in lexicon.clues} == {"positive", "negative", "both", "neutral"}
    assert "anti-us" in by_word  # lower-cased like text tokens


def test_hu_liu_counts(lexicon_dir):
    lexicon = load_hu_liu(lexicon_dir)
    assert {k: len(v) for k, v in lexicon.categories.items()} == {"positive": 2006, "negative": 4783}
    negative = set(lexicon.categories["negative"])
    assert ("f", "*", "*", "k") in negative  # a literal asterisk, tokenised as text is
    assert ("naïve",) in negative  # UTF-8
    assert not any(t[0].startswith(";") for t in negative)
    assert ("envious",) in negative and ("envious",) in set(lexicon.categories["positive"])


def test_mfd2_counts(lexicon_dir):
    lexicon = load_mfd2(lexicon_dir)
    assert list(lexicon.categories) == [
        "care_virtue", "care_vice", "fairness_virtue", "fairness_vice", "loyalty_virtue",
        "loyalty_vice", "authority_virtue", "authority_vice", "sanctity_virtue", "sanctity_vice",
    ]
    assert len(lexicon) == 2103  # entries (word, category); no word is listed twice in one category
    assert ("civil", "rights") in lexicon.categories["fairness_virtue"]
    assert not any(tok.endswith("*") for terms in lexicon.categories.values() for t in terms for tok in t)


def test_mfd_counts(lexicon_dir):
    lexicon = load_mfd(lexicon_dir)
    assert len(lexicon.categories) == 11 and list(lexicon.categories)[-1] == "moral"
    entries = {t for terms in lexicon.categories.values() for t in terms}
    assert len(entries) == 324
    assert len(lexicon) == 359  # category memberships: some entries have several ids
    for category in ("care_virtue", "authority_virtue", "sanctity_virtue"):  # preserve 01 07 09
        assert ("preserve",) in lexicon.categories[category]
    assert ("safe*",) in lexicon.categories["care_virtue"]
    assert ("fair-*",) in lexicon.categories["fairness_virtue"]  # wildcard kept on the token


def test_emfd_counts(lexicon_dir):
    lexicon = load_emfd(lexicon_dir)
    assert len(lexicon) == 3270
    assert lexicon.columns == ("care_p", "fairness_p", "loyalty_p", "authority_p", "sanctity_p")
    with open(lexicon_dir / "emfd_hopp2021" / "emfd_scoring.csv", encoding="utf-8", newline="") as fh:
        first = next(csv.DictReader(fh))
    assert lexicon.weights[first["word"]] == tuple(float(first[c]) for c in lexicon.columns)


def test_islam2020_counts(lexicon_dir):
    lexicon = load_islam2020(lexicon_dir)
    counts = {category: len(terms) for category, terms in lexicon.categories.items()}
    assert counts == {
        "epistemic_verb": 24,
        "epistemic_adverb": 23,
        "epistemic_adjective": 15,
        "epistemic_modal": 9,
        "approximation": 5,
        "booster": 128,
        "discourse_marker": 332,
    }
    assert sum(counts[c] for c in list(counts)[:5]) == 76  # hedge_words.txt, SOURCE.md
    assert ("suggest",) in lexicon.categories["epistemic_verb"]
    assert ("of", "course") in lexicon.categories["booster"]
    assert not any(tok.startswith("#") for terms in lexicon.categories.values() for t in terms for tok in t)
    assert list(load_islam2020(lexicon_dir, categories=("booster",)).categories) == ["booster"]
    with pytest.raises(KeyError, match="no category 'hedge'"):
        load_islam2020(lexicon_dir, categories=("hedge",))


def test_islam2020_unknown_section_names_the_file(tmp_path):
    _write(tmp_path / "islam2020_hedges_boosters" / "hedge_words.txt", "#Epistemic Verbs\nsuggest\n#Other\nx\n")
    with pytest.raises(ValueError, match="hedge_words.txt: unknown section 'Other'"):
        load_islam2020(tmp_path, categories=("epistemic_verb",))


def test_wooorm_counts(lexicon_dir):
    lexicon = load_wooorm(lexicon_dir)
    assert {c: len(t) for c, t in lexicon.categories.items()} == {"hedge": 162, "weasel": 116, "filler": 83}
    assert ("a", "bit") in lexicon.categories["hedge"]
    with pytest.raises(KeyError, match="no category"):
        load_wooorm(lexicon_dir, categories=("booster",))


def test_sap2017_counts(lexicon_dir):
    lexicon = load_sap2017(lexicon_dir)
    # 2155 rows; six -o verbs split over two rows are merged (see read_sap_lexicon)
    assert len(lexicon.verbs) + sum(len(v) for v in lexicon.phrases.values()) == len(lexicon) == 2149
    assert lexicon.verbs["abandon"] == ("agency_pos", "power_agent")


def test_recasens2013_headers_with_a_lone_carriage_return(tmp_path):
    # The Hooper and Hyland headers break a line with a lone CR: it must not leak an entry.
    _write(tmp_path / "recasens2013" / "hedges_hyland2005.txt", "# Hyland (2005)\r# hedges\nabout\r\nmaybe\n")
    assert load_recasens2013(tmp_path, categories=("hedge",)).categories == {"hedge": (("about",), ("maybe",))}


def test_registry_names_and_files(lexicon_dir):
    assert set(EXTERNAL_LEXICONS) == {
        "recasens2013", "mpqa", "hu_liu", "mfd2", "mfd", "emfd", "islam2020", "wooorm", "sap2017",
    }
    for entry in EXTERNAL_LEXICONS.values():
        for relative in entry.files:
            assert (lexicon_dir / relative).is_file(), relative
        assert len(entry.loader(lexicon_dir)) > 0


# --------------------------------------------------------------------------- locating files


def test_lexicon_dir_from_the_environment(lexicon_dir, monkeypatch):
    monkeypatch.setenv("FRAMING_LEXICONS", str(lexicon_dir))
    assert resolve_lexicon_dir() == lexicon_dir
    assert len(load_hu_liu()) == 2006 + 4783


def test_missing_directory_names_the_parameter_and_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("FRAMING_LEXICONS", raising=False)
    with pytest.raises(FileNotFoundError, match="lexicon_dir.*FRAMING_LEXICONS"):
        load_mpqa()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        resolve_lexicon_dir(tmp_path / "absent")


def test_missing_file_names_the_expected_path(tmp_path):
    (tmp_path / "mpqa_subjclues").mkdir()
    with pytest.raises(FileNotFoundError) as error:
        load_mpqa(tmp_path)
    assert str(tmp_path / "mpqa_subjclues" / "subjclueslen1-HLTEMNLP05.tff") in str(error.value)
    with pytest.raises(FileNotFoundError, match="hu_liu_opinion/positive-words.txt"):
        lexicon_file("hu_liu_opinion/positive-words.txt", tmp_path)


# --------------------------------------------------------------------------- formats on small files


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_liwc_dic_format(tmp_path):
    path = _write(
        tmp_path / "x.dic",
        "%\t\n01   care.virtue\n02   care.vice\n11   moral\n%\t\n\t\n"
        "safe*\t\t01\nharm*\t\t02 11   \ncivil rights\t01\n\npreserve 01 02\npreserve\t11\n",
    )
    lexicon = read_liwc_dic(path, "x")
    assert lexicon.categories == {
        "care_virtue": (("safe*",), ("civil", "rights"), ("preserve",)),
        "care_vice": (("harm*",), ("preserve",)),
        "moral": (("harm*",), ("preserve",)),
    }


@pytest.mark.parametrize(
    "text, problem",
    [
        ("word\t1\n", "no LIWC category header"),
        ("%\n1 care.virtue\n%\nword\n", ":4: expected '<entry> <category id>"),
        ("%\n1 care.virtue\n%\nword\t2\n", ":4: category id 2 is not in the header"),
        ("%\n1 care virtue\n%\n", ":2: expected '<id> <category>'"),
    ],
)
def test_liwc_dic_errors_name_file_and_line(tmp_path, text, problem):
    path = _write(tmp_path / "bad.dic", text)
    with pytest.raises(ValueError, match=problem) as error:
        read_liwc_dic(path, "bad")
    assert str(path) in str(error.value)


def test_mpqa_malformed_line_names_file_and_line(tmp_path):
    path = _write(
        tmp_path / "mpqa_subjclues" / "subjclueslen1-HLTEMNLP05.tff",
        "type=strongsubj len=1 word1=abuse pos1=verb stemmed1=y priorpolarity=negative\n"
        "type=strongsubj len=1 word1=oops pos1=verb priorpolarity=negative\n",
    )
    with pytest.raises(ValueError, match=r"subjclueslen1-HLTEMNLP05.tff:2: missing"):
        load_mpqa(tmp_path)
    _write(path, "type=mediumsubj len=1 word1=x pos1=verb stemmed1=n priorpolarity=negative\n")
    with pytest.raises(ValueError, match=r":1: unexpected type"):
        load_mpqa(tmp_path)


def test_emfd_bad_rows(tmp_path):
    header = "word,care_p,fairness_p,loyalty_p,authority_p,sanctity_p\n"
    path = _write(tmp_path / "emfd_hopp2021" / "emfd_scoring.csv", header + "kill,0.9,0.1,0.1,0.1,x\n")
    with pytest.raises(ValueError, match=r"emfd_scoring.csv:2: bad row"):
        load_emfd(tmp_path)
    _write(path, header + "kill,0.9,0.1,0.1,0.1,0.1\nkill,0.9,0.1,0.1,0.1,0.1\n")
    with pytest.raises(ValueError, match=r":3: word 'kill' is a duplicate"):
        load_emfd(tmp_path)
    _write(path, header + "kill,1.5,0.1,0.1,0.1,0.1\n")
    with pytest.raises(ValueError, match=r":2: probabilities outside"):
        load_emfd(tmp_path)


def test_files_that_are_not_utf8(tmp_path):
    (tmp_path / "hu_liu_opinion").mkdir()
    (tmp_path / "hu_liu_opinion" / "positive-words.txt").write_bytes("na\xefve\n".encode("latin-1"))
    (tmp_path / "hu_liu_opinion" / "negative-words.txt").write_bytes(b"bad\n")
    with pytest.raises(ValueError, match="positive-words.txt: not UTF-8"):
        load_hu_liu(tmp_path)
    (tmp_path / "emfd_hopp2021").mkdir()
    (tmp_path / "emfd_hopp2021" / "emfd_scoring.csv").write_bytes("word\nna\xefve\n".encode("latin-1"))
    with pytest.raises(ValueError, match="emfd_scoring.csv: not UTF-8"):
        load_emfd(tmp_path)


def test_word_lists_skip_their_comment_headers(tmp_path):
    _write(tmp_path / "hu_liu_opinion" / "positive-words.txt", ";;;\n; header\n;\n\nbrave\nwell-known\n")
    _write(tmp_path / "hu_liu_opinion" / "negative-words.txt", "; header\n\nsh*t\nbull****\n2-faced\n")
    lexicon = load_hu_liu(tmp_path)
    assert lexicon.categories == {
        "positive": (("brave",), ("well-known",)),
        "negative": (("sh", "*", "t"), ("bull", "*", "*", "*", "*"), ("2-faced",)),
    }


# --------------------------------------------------------------------------- tokenising and matching rules


def test_entry_tokens_follow_the_text_tokenizer():
    assert entry_tokens("Do unto Others") == ("do", "unto", "others")
    assert entry_tokens("can't") == ("ca", "n't")
    assert entry_tokens("so-called") == ("so-called",)
    assert entry_tokens("fair-*", wildcards=True) == ("fair-*",)
    assert entry_tokens("abuse*", wildcards=True) == ("abuse*",)
    assert entry_tokens("abuse*") == ("abuse", "*")  # no wildcards: a literal asterisk
    assert entry_tokens("  ") == ()


def _clue_matcher() -> SubjectivityClueMatcher:
    clues = (
        SubjectivityClue("abuse", "verb", True, True, "negative"),
        SubjectivityClue("abuse", "noun", False, False, "negative"),
        SubjectivityClue("abuse", "noun", False, False, "negative"),  # duplicate line
        SubjectivityClue("brutal", "adj", False, True, "negative"),
        SubjectivityClue("happy", "anypos", True, True, "positive"),
    )
    return SubjectivityClueMatcher(SubjectivityLexicon("mpqa", clues))


def test_clue_matcher_honours_pos_and_stemming():
    matcher = _clue_matcher()
    verb, noun = matcher.lexicon.clues[0], matcher.lexicon.clues[1]
    assert matcher.clues("abused", "VBD") == (verb,)  # Porter stem of both: abus
    assert matcher.clues("abusing", "VBG") == (verb,)
    assert matcher.clues("abuse", "NN") == (noun,)  # exact noun clue; duplicates dropped
    assert matcher.clues("abuses", "NNS") == ()  # the noun clue is not stemmed
    assert matcher.clues("abuse", "JJ") == ()  # no adjective clue
    assert matcher.clues("brutal", "JJ") == (matcher.lexicon.clues[3],)
    assert matcher.clues("brutal", "NN") == ()  # the tagger's tag decides
    assert matcher.clues("brutally", "RB") == ()  # not stemmed
    assert matcher.clues("happiness", "NN") == (matcher.lexicon.clues[4],)  # anypos + stemmed: happi
    assert matcher.clues("happy", "DT") == (matcher.lexicon.clues[4],)


def test_clue_matcher_on_the_real_file(lexicon_dir):
    matcher = SubjectivityClueMatcher(load_mpqa(lexicon_dir))
    assert [(c.strong, c.pos) for c in matcher.clues("abused", "VBD")] == [(True, "verb")]
    # exact clues win over stem-only ones: "abuses" (noun) is listed itself
    assert [(c.word, c.strong, c.pos) for c in matcher.clues("abuses", "NNS")] == [("abuses", False, "noun")]
    assert {c.polarity for c in matcher.clues("boasted", "VBD")} == {"positive", "negative"}

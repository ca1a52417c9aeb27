"""English inflection (framing/features/inflection.py): base -> forms and form -> candidate lemmas,
with the one irregular-verb table both directions use."""

from __future__ import annotations

from framing.lexicons.inflection import (
    IRREGULAR_VERBS,
    VerbIndex,
    all_verb_forms,
    lemma_candidates,
    noun_forms,
    ptb_pos,
    third_person_to_base,
    verb_forms,
)

# --------------------------------------------------------------------------- base -> forms


def test_verb_forms_by_tag():
    assert verb_forms("stop") == {
        "VB": {"stop"},
        "VBZ": {"stops"},
        "VBD": {"stoped", "stopped"},  # the undoubled variant is harmless: no such word
        "VBN": {"stoped", "stopped"},
        "VBG": {"stoping", "stopping"},
    }
    assert verb_forms("carry")["VBD"] == {"carried"} and verb_forms("carry")["VBZ"] == {"carries"}
    assert verb_forms("die")["VBG"] == {"dying"}
    assert verb_forms("escalate")["VBG"] == {"escalating"}
    assert verb_forms("agree")["VBG"] == {"agreeing"}
    assert verb_forms("break")["VBD"] == {"broke"} and verb_forms("break")["VBN"] == {"broken"}
    assert verb_forms("focus")["VBZ"] == {"focuses"}
    assert verb_forms("go")["VBZ"] == {"goes"} and verb_forms("woo")["VBZ"] == {"woos"}  # -es after consonant + o
    assert "panicked" in verb_forms("panic")["VBD"]
    assert verb_forms("be")["VBZ"] == {"is"} and verb_forms("be")["VBD"] == {"was", "were"}
    assert IRREGULAR_VERBS["get"] == (("got",), ("got", "gotten"))


def test_all_verb_forms_base_first():
    assert all_verb_forms("say") == ("say", "says", "said", "saying")  # no regular "sayed"
    assert all_verb_forms("admit")[0] == "admit"
    assert {"admits", "admitted", "admitting"} <= set(all_verb_forms("admit"))
    assert all_verb_forms("deny") == ("deny", "denies", "denied", "denying")
    assert all_verb_forms("argue") == ("argue", "argues", "argued", "arguing")
    assert all_verb_forms("agree") == ("agree", "agrees", "agreed", "agreeing")
    assert all_verb_forms("stress") == ("stress", "stresses", "stressed", "stressing")
    assert {"knew", "known"} <= set(all_verb_forms("know"))
    assert {"forecast", "forecasted"} <= set(all_verb_forms("forecast"))  # both listed in the table
    assert "seed" not in all_verb_forms("see") and "singed" not in all_verb_forms("sing")


def test_noun_forms():
    assert noun_forms(["attack", "crash", "country", "policemen", "day"]) == {
        "attack", "attacks", "crash", "crashes", "country", "countries", "policemen", "day", "days",
    }


# --------------------------------------------------------------------------- form -> lemmas


def test_ptb_pos():
    assert [ptb_pos(t) for t in ("JJR", "NNPS", "VBD", "RBS", "IN", "MD")] == [
        "adj", "noun", "verb", "adverb", "", "",
    ]


def test_lemma_candidates_use_wordnet_detachment_rules():
    assert lemma_candidates("abuses", "NNS") == ("abuses", "abuse", "abus")
    assert "abuse" in lemma_candidates("abused", "VBD")
    assert "abuse" in lemma_candidates("abusing", "VBG")
    assert "policeman" in lemma_candidates("policemen", "NNS")
    assert "tall" in lemma_candidates("tallest", "JJS")
    assert lemma_candidates("abuses", "IN") == ("abuses",)  # no rules outside nouns, verbs, adjectives
    assert lemma_candidates("s", "NNS") == ("s",)  # a suffix alone is no word


def test_lemma_candidates_read_the_irregular_table_backwards():
    assert lemma_candidates("fought", "VBD") == ("fought", "fight")
    assert lemma_candidates("said", "VBN") == ("said", "say")
    assert lemma_candidates("saw", "VBD") == ("saw", "see")
    assert set(lemma_candidates("found", "VBD")) == {"found", "find"}
    assert lemma_candidates("fought", "NN") == ("fought",)  # verbs only
    # every irregular form leads back to its base
    for base, (past, participles) in IRREGULAR_VERBS.items():
        for form in past + participles:
            assert base in lemma_candidates(form, "VBD"), form


def test_every_generated_form_leads_back_to_its_base():
    bases = ("attack", "carry", "escalate", "focus", "stop", "deny", "arrest", "die", "panic", "admit", "go")
    for base in bases + tuple(IRREGULAR_VERBS):
        for tag, forms in verb_forms(base).items():
            for form in forms:
                assert base in lemma_candidates(form, tag), (base, tag, form)
    assert lemma_candidates("carried", "VBD") == ("carried", "carrie", "carri", "carry")
    assert "stop" in lemma_candidates("stopping", "VBG") and "panic" in lemma_candidates("panicking", "VBG")


def test_third_person_to_base():
    cases = {
        "abandons": "abandon",
        "accompanies": "accompany",
        "abolishes": "abolish",
        "accesses": "access",
        "aches": "ache",
        "dies": "die",
        "goes": "go",
        "focuses": "focus",
        "freezes": "freeze",
        "buzzes": "buzz",
        "uses": "use",
        "fixes": "fix",
        "unties": "untie",
    }
    assert {form: third_person_to_base(form) for form in cases} == cases


def test_verb_index_uses_the_tag_to_choose_a_reading():
    index = VerbIndex(["find", "found", "see", "saw", "shoot"])
    assert index.base("found", "VBD") == "find"
    assert index.base("found", "VB") == "found"
    assert index.base("saw", "VBD") == "see"
    assert index.base("saw", "VBP") == "saw"
    assert index.base("shot", "NN") == "shoot"  # a mis-tagged form still has its verb
    assert index.base("shots", "NNS") is None
    assert "shooting" in index.forms()

"""Agency: who is shown doing what. Passive voice, agentless passives, nominalisations, event verbs,
personal and impersonal subjects, and (optionally) the agency/power connotation of verbs.

Critical discourse analysis reads *how* an action is reported as a framing choice:
"police shot two protesters", "two protesters were shot", "two protesters were shot
by police", "the shooting of two protesters" and "two protesters died" describe the
same event while showing, backgrounding or deleting the agent (Trew 1979; Fowler
1991, ch. 5 "Transitivity"; Billig 2008 on nominalisation; Greene & Resnik 2009 on
syntactic packaging and implicit sentiment). This module measures those choices
with rules over NLTK tokens and Penn Treebank tags (:mod:`framing.text`) and the
project's word lists ``framing/lexicons/agency.tsv``; the verb connotations come
from Sap et al. (2017).

The passive detector is evaluated against 330 hand-labelled PTC sentences (250
the rules were developed on, 80 held out; ``tests/fixtures/passive_gold.tsv``,
``scripts/eval_passive.py``); the labelling guideline in the fixture's header is
also the detector's specification.

Everything is a per-sentence rule: counts are per input text (the toolkit feeds one
sentence per row) and rates are per verb, noun or clause, so they do not depend on
how many sentences a longer input holds.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from framing.features.base import Cue, CueFeatures, check_raw_documents, safe_rate
from framing.features.lexicon import read_project_lexicon
from framing.text import Annotation, annotate

#: Categories ``framing/lexicons/agency.tsv`` must have (see DATASHEET.md, section agency).
LEXICON_CATEGORIES = (
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
)

#: Where ``sap_lexicon="auto"`` looks, under ``lexicon_dir`` / ``$FRAMING_LEXICONS``.
SAP_RELATIVE_PATH = "sap2017_agency_power/agency_power.csv"
SAP_AGENCY = ("agency_pos", "agency_neg", "agency_equal")
SAP_POWER = ("power_agent", "power_theme", "power_equal")

# --------------------------------------------------------------------------- verb morphology

#: English irregular verbs: ``base past participle``, separated by ``|`` or line
#: ends (``/`` separates variants).
#: The verb-form generator below adds the regular forms; NLTK's WordNet (and
#: so its lemmatiser) is not a dependency of the toolkit.
_IRREGULAR_VERBS = """
arise arose arisen|awake awoke awoken|be was/were been|bear bore borne/born|beat beat beaten/beat
become became become|begin began begun|bend bent bent|bet bet bet|bid bid bid|bind bound bound
bite bit bitten|bleed bled bled|blow blew blown|break broke broken|breed bred bred|bring brought brought
broadcast broadcast broadcast|build built built|burn burned/burnt burned/burnt|burst burst burst
buy bought bought|cast cast cast|catch caught caught|choose chose chosen|cling clung clung|come came come
cost cost cost|creep crept crept|cut cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn
dream dreamed/dreamt dreamed/dreamt|drink drank drunk|drive drove driven|dwell dwelt/dwelled dwelt/dwelled
eat ate eaten|fall fell fallen|feed fed fed|feel felt felt|fight fought fought|find found found
flee fled fled|fling flung flung|fly flew flown|forbid forbade/forbad forbidden|forecast forecast forecast
foresee foresaw foreseen|foretell foretold foretold|forget forgot forgotten|forgive forgave forgiven
forsake forsook forsaken|freeze froze frozen|get got got/gotten|give gave given|go went gone
grind ground ground|grow grew grown|hang hung/hanged hung/hanged|have had had|hear heard heard
hide hid hidden|hit hit hit|hold held held|hurt hurt hurt|keep kept kept|kneel knelt/kneeled knelt/kneeled
know knew known|lay laid laid|lead led led|lean leaned/leant leaned/leant|leap leaped/leapt leaped/leapt
learn learned/learnt learned/learnt|leave left left|lend lent lent|let let let|lie lay lain
light lit/lighted lit/lighted
lose lost lost|make made made|mean meant meant|meet met met|mislead misled misled|mistake mistook mistaken
misunderstand misunderstood misunderstood|overcome overcame overcome|overdo overdid overdone
overhear overheard overheard|override overrode overridden|overrun overran overrun|oversee oversaw overseen
overtake overtook overtaken|overthrow overthrew overthrown|pay paid paid|plead pleaded/pled pleaded/pled
prove proved proved/proven|put put put|quit quit quit|read read read|rebuild rebuilt rebuilt|redo redid redone
rethink rethought rethought|rewrite rewrote rewritten|rid rid rid|ride rode ridden|ring rang rung
rise rose risen|run ran run|saw sawed sawn/sawed|say said said|see saw seen|seek sought sought
sell sold sold|send sent sent|set set set|sew sewed sewn/sewed|shake shook shaken|shed shed shed
shine shone/shined shone/shined|shoot shot shot|show showed shown/showed|shrink shrank/shrunk shrunk
shut shut shut|sing sang sung|sink sank sunk|sit sat sat|slay slew slain|sleep slept slept|slide slid slid
sling slung slung|slit slit slit|smell smelled/smelt smelled/smelt|speak spoke spoken|speed sped/speeded sped/speeded
spell spelled/spelt spelled/spelt|spend spent spent|spill spilled/spilt spilled/spilt|spin spun spun
spit spat/spit spat/spit|split split split|spoil spoiled/spoilt spoiled/spoilt|spread spread spread
spring sprang/sprung sprung|stand stood stood|steal stole stolen|stick stuck stuck|sting stung stung
stink stank/stunk stunk|stride strode stridden|strike struck struck/stricken|string strung strung
strive strove/strived striven/strived|swear swore sworn|sweep swept swept|swell swelled swollen/swelled
swim swam swum|swing swung swung|take took taken|teach taught taught|tear tore torn|tell told told
think thought thought|throw threw thrown|thrust thrust thrust|tread trod trodden|undergo underwent undergone
understand understood understood|undertake undertook undertaken|undo undid undone|upset upset upset
uphold upheld upheld|wake woke woken|wear wore worn|weave wove woven|wed wed/wedded wed/wedded
weep wept wept|win won won|wind wound wound|withdraw withdrew withdrawn|withhold withheld withheld
withstand withstood withstood|wring wrung wrung|write wrote written
"""


def _irregular_table() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    table = {}
    for entry in _IRREGULAR_VERBS.replace("\n", "|").split("|"):
        if not entry.strip():
            continue
        base, past, participle = entry.split()
        table[base] = (tuple(past.split("/")), tuple(participle.split("/")))
    return table


IRREGULAR_VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = _irregular_table()
#: Past participles of the irregular verbs (a be/get + one of these is a passive candidate whatever its tag).
IRREGULAR_PARTICIPLES = frozenset(p for _, parts in IRREGULAR_VERBS.values() for p in parts) - {"been"}

_VOWELS = frozenset("aeiou")
# 3rd-person forms of Sap et al. (2017) whose base the suffix rules get wrong.
_THIRD_PERSON_EXCEPTIONS = {
    "aches": "ache",
    "belies": "belie",
    "dies": "die",
    "focuses": "focus",
    "lies": "lie",
    "shooes": "shoo",
    "tattooes": "tattoo",
    "ties": "tie",
    "tiptoes": "tiptoe",
    "underlies": "underlie",
    "unties": "untie",
    "vies": "vie",
    "biases": "bias",
    "canoes": "canoe",
    "hoes": "hoe",
    "shoes": "shoe",
}


def third_person_to_base(form: str) -> str:
    """Base form of a 3rd-person singular present verb (``"accompanies"`` -> ``"accompany"``).

    Suffix rules (``-ies`` -> ``-y``; ``-es`` dropped after s, sh, ch, x, z and o;
    otherwise ``-s`` dropped) with a short exception table; checked against
    Riveter's spaCy-lemmatised copy of Sap et al.'s lexicon in the tests.

    Parameters
    ----------
    form : str
        One lower-case word ending in ``s``.

    Returns
    -------
    str
    """
    if form in _THIRD_PERSON_EXCEPTIONS:
        return _THIRD_PERSON_EXCEPTIONS[form]
    if form.endswith("ies") and len(form) > 4:
        return form[:-3] + "y"
    if form.endswith(("sses", "shes", "ches", "xes", "zzes", "tzes", "oes")):
        return form[:-2]
    if form.endswith("s") and not form.endswith("ss"):
        return form[:-1]
    return form


def verb_forms(base: str) -> dict[str, frozenset[str]]:
    """Inflected forms of an English verb, by Penn Treebank tag.

    Regular morphology (``-s``/``-es``/``-ies``; ``-ed``/``-d``/``-ied``;
    ``-ing`` with e-dropping; final-consonant doubling generated as a variant
    whenever the base ends in consonant-vowel-consonant, so both ``visited`` and
    the harmless non-word ``visitted`` are produced) plus :data:`IRREGULAR_VERBS`.

    Parameters
    ----------
    base : str
        Lower-case base form (``"break"``).

    Returns
    -------
    dict
        ``{"VB": ..., "VBZ": ..., "VBD": ..., "VBN": ..., "VBG": ...}``, each a
        frozenset of forms (``VBP`` uses ``VB``).
    """
    last = base[-1:]
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = {base + "es"}
    elif last == "y" and len(base) > 1 and base[-2] not in _VOWELS:
        third = {base[:-1] + "ies"}
    else:
        third = {base + "s"}
    if last == "e":
        past = {base + "d"}
        if base.endswith("ie"):
            ing = {base[:-2] + "ying"}
        elif base.endswith(("ee", "ye", "oe")):
            ing = {base + "ing"}
        else:
            ing = {base[:-1] + "ing"}
    elif last == "y" and len(base) > 1 and base[-2] not in _VOWELS:
        past, ing = {base[:-1] + "ied"}, {base + "ing"}
    else:
        past, ing = {base + "ed"}, {base + "ing"}
        if (
            len(base) >= 3
            and last not in _VOWELS
            and last not in "wxy"
            and base[-2] in _VOWELS
            and base[-3] not in _VOWELS
        ):
            past.add(base + last + "ed")
            ing.add(base + last + "ing")
        if last == "c":
            past.add(base + "ked")
            ing.add(base + "king")
    participle = set(past)
    if base in IRREGULAR_VERBS:
        past, participle = set(IRREGULAR_VERBS[base][0]), set(IRREGULAR_VERBS[base][1])
        if base == "be":
            third, ing = {"is"}, {"being"}
    return {
        "VB": frozenset({base}),
        "VBZ": frozenset(third),
        "VBD": frozenset(past),
        "VBN": frozenset(participle),
        "VBG": frozenset(ing),
    }


class VerbIndex:
    """Maps an inflected verb token and its POS tag to a base form of a closed verb list.

    Built by generating every form of every base (:func:`verb_forms`) rather than by
    lemmatising tokens, so only forms of listed verbs are recognised. The tag picks
    the reading of ambiguous forms (``found``/VBD -> ``find``, ``found``/VB ->
    ``found``); a form not seen under its tag falls back to any listed reading.

    Parameters
    ----------
    bases : iterable of str
        Lower-case base forms.
    """

    _TAG_CLASS = {"VB": "VB", "VBP": "VB", "VBZ": "VBZ", "VBD": "VBD", "VBN": "VBN", "VBG": "VBG"}

    def __init__(self, bases: Iterable[str]) -> None:
        self.by_tag: dict[str, dict[str, str]] = {t: {} for t in ("VB", "VBZ", "VBD", "VBN", "VBG")}
        self.any: dict[str, str] = {}
        for base in sorted(set(bases)):
            for tag, forms in verb_forms(base).items():
                for form in sorted(forms):
                    self.by_tag[tag].setdefault(form, base)
        # Exact base forms first, then the rest, so a fallback prefers "found" -> "found".
        for tag in ("VB", "VBZ", "VBD", "VBN", "VBG"):
            for form, base in self.by_tag[tag].items():
                self.any.setdefault(form, base)
        self._tables = {tag: self.by_tag[cls] for tag, cls in self._TAG_CLASS.items()}

    def forms(self) -> frozenset[str]:
        """Every form known to the index."""
        return frozenset(self.any)

    def base(self, token: str, tag: str) -> str | None:
        """Base form of a lower-case token, or None when it is not a form of a listed verb."""
        table = self._tables.get(tag)
        found = table.get(token) if table is not None else None
        return found if found is not None else self.any.get(token)


def _noun_forms(words: Iterable[str]) -> frozenset[str]:
    """Singular nouns with their regular plurals (-s, -es, -ies)."""
    out = set()
    for word in words:
        out.add(word)
        if word.endswith(("s", "sh", "ch", "x", "z")):
            out.add(word + "es")
        elif word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
            out.add(word[:-1] + "ies")
        elif not word.endswith("men"):
            out.add(word + "s")
    return frozenset(out)


# --------------------------------------------------------------------------- Sap et al. (2017)


@dataclass(frozen=True)
class SapLexicon:
    """Connotation frames of agency and power (Sap et al. 2017), keyed by verb base form.

    Parameters
    ----------
    verbs : dict
        ``{base: (agency, power)}``; labels as in the file (``"agency_pos"``,
        ``"power_agent"`` ...), ``""`` when the verb has none.
    phrases : dict
        ``{base: ((following_words, (agency, power)), ...)}`` for the 65 entries
        with a particle or preposition (``"focuses on"``, ``"sidles up to"``),
        longest first.
    source : str
        The file read.
    """

    verbs: dict[str, tuple[str, str]]
    phrases: dict[str, tuple[tuple[tuple[str, ...], tuple[str, str]], ...]]
    source: str


def read_sap_lexicon(path: str | Path) -> SapLexicon:
    """Read ``agency_power.csv`` of Sap et al. (2017) (the original release, 3rd-person forms).

    Format: header ``verb,agency,power``; the verb in the 3rd person singular
    (``"abandons"``, ``"focuses on"``), agency one of agency_pos / agency_neg /
    agency_equal / empty, power one of power_agent / power_theme / power_equal /
    empty. Verbs are mapped to base forms with :func:`third_person_to_base`;
    rows that map to the same verb (``gos``/``goes``, ``echos``/``echoes``: the
    release gives each half of the labels) are merged, so the 2155 rows give
    2149 entries.

    Source: M. Sap, M. C. Prasettio, A. Holtzman, H. Rashkin, Y. Choi (2017).
    "Connotation Frames of Power and Agency in Modern Films". EMNLP 2017.
    Distributed with Riveter (``maartensap/riveter-nlp``, GPL-3.0); never bundled.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        For a wrong header, a row without three fields or an unknown label,
        naming the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Sap et al. (2017) lexicon file {path} not found")
    verbs: dict[str, tuple[str, str]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, str]]]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.reader(fh), start=1):
            if number == 1:
                if [c.strip().lower() for c in row] != ["verb", "agency", "power"]:
                    raise ValueError(f"{path}:1: expected header verb,agency,power, got {row}")
                continue
            if not row or not "".join(row).strip():
                continue
            if len(row) != 3:
                raise ValueError(f"{path}:{number}: expected 3 fields (verb,agency,power), got {len(row)}")
            verb, agency, power = (c.strip() for c in row)
            if agency not in SAP_AGENCY + ("",) or power not in SAP_POWER + ("",):
                raise ValueError(f"{path}:{number}: unknown label in {row}")
            words = verb.lower().split()
            if not words:
                raise ValueError(f"{path}:{number}: empty verb")
            base = third_person_to_base(words[0])
            if len(words) > 1:
                phrases.setdefault(base, []).append((tuple(words[1:]), (agency, power)))
            elif base in verbs:
                # The release splits six -o verbs over two rows, one label each
                # ("gos" has the agency, "goes" the power): merge them.
                old = verbs[base]
                verbs[base] = (old[0] or agency, old[1] or power)
            else:
                verbs[base] = (agency, power)
    ordered = {b: tuple(sorted(v, key=lambda e: -len(e[0]))) for b, v in phrases.items()}
    return SapLexicon(verbs, ordered, str(path))


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Passive:
    """One be/get passive found in a sentence.

    Parameters
    ----------
    aux : int
        Token index of the passive auxiliary (the be/get form).
    participle_index : int
        Token index of the past participle.
    last : int
        Index of the participle's last token (a particle: ``taped off``).
    agent : tuple of (int, int) or None
        Token range of the by-agent phrase (``by`` .. end, end exclusive), or
        None for an agentless passive.
    participle : str
        The participle as written.
    start, end : int
        Character span of the cue: from the auxiliary (or, for a later
        coordinated participle, the participle) to the participle, or to the end
        of the agent phrase when it follows.
    """

    aux: int
    participle_index: int
    last: int
    agent: tuple[int, int] | None
    participle: str
    start: int
    end: int

    @property
    def has_agent(self) -> bool:
        return self.agent is not None


_BE = frozenset(
    {
        "be",
        "is",
        "are",
        "am",
        "was",
        "were",
        "been",
        "being",
        "'s",
        "'re",
        "'m",
        "’s",
        "’re",
        "’m",
        "isn",
        "aren",
        "wasn",
        "weren",
    }
)
_BE_NONFINITE = frozenset({"be", "been", "being"})
_GET = frozenset({"get", "gets", "got", "gotten", "getting"})
_CONTRACTED = frozenset({"'s", "’s"})  # is or has
_SPLIT_CONTRACTION = frozenset({"s", "re", "m"})  # after a split-off curly apostrophe: he ’ s
_APOSTROPHES = frozenset({"'", "’"})
# Verbs NLTK splits off after a curly apostrophe: he ’ s, they ’ re, I ’ m, we ’ ve, you ’ ll, she ’ d.
_SPLIT_VERBS = _SPLIT_CONTRACTION | frozenset({"ve", "ll", "d"})
_SPLIT_PIECES = _APOSTROPHES | _SPLIT_VERBS
_AUX_TRIGGERS = _BE | _GET | _SPLIT_CONTRACTION
_AUXILIARIES = _BE | _GET | frozenset({"have", "has", "had", "having", "do", "does", "did"})
_QUOTES = frozenset({'"', "“", "”", "``", "''", "‘", "’", "'"})
_NEGATION = frozenset({"not", "n't", "never", "t"})
_GROUP_INSIDE = _NEGATION | _QUOTES  # may stand between the verbs of a group
_ADVERB_TAGS = frozenset({"RB", "RBR", "RBS"})
_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
_FINITE_TAGS = frozenset({"VBD", "VBP", "VBZ", "MD"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_NP_TAGS = frozenset({"DT", "PDT", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "PRP", "PRP$", "POS", "CD"})
_OBJECT_START_TAGS = frozenset({"DT", "PDT", "PRP", "PRP$", "CD", "NN", "NNS", "NNP", "NNPS", "JJ", "JJS", "JJR"})
_VERBAL_PREFIXES = frozenset({"re", "co", "pre", "mis", "over", "under", "out", "gang", "cross", "double", "self"})
# Where a clause (and so the reach of a by-agent or a coordinated participle) ends.
_CLAUSE_STOP = frozenset(
    [",", ";", ":", ".", "!", "?", "(", ")", "[", "]", "--", "—", "–", "…"]
    + "that which who whom whose when while because since although though if unless until after before".split()
    + ["whereas", "where"]
)
_CLAUSE_STOP_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "WDT", "WP", "WRB"})
_PREPOSITIONS = frozenset(
    "of in at on for from with about over under against between among near inside outside across behind within".split()
)
_BY_WINDOW = 12  # tokens after the participle searched for "by"
_COORD_WINDOW = 15  # tokens after a passive searched for "and" + participle
_MAX_SKIP = 4  # adverbs, negation and quotes between auxiliary and participle


_FLAG_AUX, _FLAG_NOMINAL, _FLAG_EVENT, _FLAG_APOSTROPHE = 1, 2, 4, 8


def _token_flags(nominalisations: Iterable[str], event_forms: Iterable[str]) -> dict[str, int]:
    """Which rules a token can start, as bit flags (one dictionary look-up a token)."""
    flags: dict[str, int] = {}
    for words, flag in (
        (_AUX_TRIGGERS, _FLAG_AUX),
        (nominalisations, _FLAG_NOMINAL),
        (event_forms, _FLAG_EVENT),
        (_APOSTROPHES, _FLAG_APOSTROPHE),
    ):
        for word in words:
            flags[word] = flags.get(word, 0) | flag
    return flags


@dataclass(frozen=True)
class AgencyRules:
    """The word lists of ``agency.tsv`` as the fast sets the rules use (see DATASHEET.md)."""

    nominalisations: frozenset[str]
    person_nouns: frozenset[str]
    personal_pronouns: frozenset[str]
    impersonal_pronouns: frozenset[str]
    adjectival: frozenset[str]
    adjectival_next: dict[str, frozenset[str]]
    get_idioms: frozenset[str]
    un_verbs: frozenset[str]
    un_verb_prefixes: tuple[str, ...]
    degree: frozenset[str]
    by_non_agent: dict[str, tuple[tuple[str, ...], ...]]
    time_words: frozenset[str]
    measure_units: frozenset[str]
    event_verbs: dict[str, tuple[tuple[str, ...], ...]]
    intransitive_past: frozenset[str]
    source: str
    token_flags: dict[str, int]

    @classmethod
    def from_lexicon(cls, directory: str | Path | None = None) -> AgencyRules:
        """Read ``agency.tsv`` (``directory``: default the package's ``framing/lexicons``).

        Raises
        ------
        FileNotFoundError
            If the file is missing.
        ValueError
            If a category of :data:`LEXICON_CATEGORIES` is missing (or a line is malformed).
        """
        lexicon = read_project_lexicon("agency", directory)
        missing = [c for c in LEXICON_CATEGORIES if c not in lexicon.categories]
        if missing:
            raise ValueError(f"{lexicon.source}: missing categories {missing}")
        terms = {c: [" ".join(t) for t in lexicon.categories[c]] for c in LEXICON_CATEGORIES}
        adjectival, adjectival_next = set(), {}
        for term in terms["adjectival_participle"]:
            words = term.split()
            if len(words) == 1:
                adjectival.add(words[0])
            else:
                adjectival_next.setdefault(words[0], set()).add(words[1])
        un_exact = {t for t in terms["un_verb"] if not t.endswith("*")}
        un_prefixes = tuple(sorted(t[:-1] for t in terms["un_verb"] if t.endswith("*")))
        by_non_agent: dict[str, list[tuple[str, ...]]] = {}
        for term in terms["by_non_agent"]:
            words = tuple(term.split())
            by_non_agent.setdefault(words[0], []).append(words[1:])
        events: dict[str, set[tuple[str, ...]]] = {}
        for term in terms["event_verb"]:
            base, *particle = term.split()
            for forms in verb_forms(base).values():
                for form in forms:
                    events.setdefault(form, set()).add(tuple(particle))
        intransitive = set()
        for base in terms["intransitive_verb"]:  # not the event verbs: "was burned", "was sunk"
            forms = verb_forms(base)
            intransitive |= forms["VBD"] | forms["VBN"]
        # NLTK keeps the period of "a.m." inside a sentence and splits it at the end.
        time_words = frozenset(terms["time_word"]) | {t + "." for t in terms["time_word"] if "." in t}
        return cls(
            nominalisations=_noun_forms(terms["nominalisation"]),
            person_nouns=_noun_forms(terms["person_noun"]),
            personal_pronouns=frozenset(terms["personal_pronoun"]),
            impersonal_pronouns=frozenset(terms["impersonal_pronoun"]),
            adjectival=frozenset(adjectival),
            adjectival_next={k: frozenset(v) for k, v in adjectival_next.items()},
            get_idioms=frozenset(terms["get_idiom"]),
            un_verbs=frozenset(un_exact),
            un_verb_prefixes=un_prefixes,
            degree=frozenset(terms["degree_adverb"]),
            by_non_agent={k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_non_agent.items()},
            time_words=time_words,
            measure_units=_noun_forms(terms["measure_unit"]) | _noun_forms(time_words),
            event_verbs={k: tuple(sorted(v)) for k, v in events.items()},
            intransitive_past=frozenset(intransitive),
            source=lexicon.source,
            token_flags=_token_flags(_noun_forms(terms["nominalisation"]), events),
        )

    # -- passive voice

    def is_un_adjective(self, word: str) -> bool:
        """``untouched``, ``unaffected``: un- + participle of a verb without un- (an adjective)."""
        return (
            word.startswith("un")
            and not word.startswith("under")
            and word.endswith(("ed", "en"))
            and word not in self.un_verbs
            and not word.startswith(self.un_verb_prefixes)
        )

    def _participle_ok(self, word: str, tag: str, aux_word: str, headline: bool) -> int:
        """0: not a participle; 1: a participle; 2: a participle that needs a by-agent to be verbal."""
        if tag == "VBN" or tag == "VBD":
            return 1
        if word in IRREGULAR_PARTICIPLES and tag not in _NOUN_TAGS:
            return 1  # the tagger often calls them JJ, VB, VBZ, IN: is shot/JJ, well known/IN
        if word in IRREGULAR_PARTICIPLES or word.endswith("ed"):
            if aux_word in _SPLIT_CONTRACTION and "-" not in word:
                return 1  # the tagger is lost after a split curly apostrophe (I ’ m told)
            if headline and tag in ("NNP", "NNPS"):
                return 1  # Title Case: More Media To Be Shut Down
            if tag == "JJ" and "-" in word and word.split("-", 1)[0] in _VERBAL_PREFIXES:
                return 1  # re-elected, co-opted, gang-raped
            if tag == "JJ":
                return 2
        return 0

    def _find_by_agent(self, lower: Sequence[str], tags: Sequence[str], start: int) -> tuple[int, int] | None:
        """Token range of a by-agent phrase in the clause from ``start``, or None.

        A time, measure or means by-phrase is passed over: ``was cut by 5
        percent by the council`` has an agent.
        """
        n = len(lower)
        stop = min(n, start + _BY_WINDOW)
        m = start
        while m < stop:
            word = lower[m]
            if word == "by":
                agent = self._agent_after_by(lower, tags, m)
                if agent is not None:
                    return agent
                m += 1
                continue
            if word in _CLAUSE_STOP or tags[m] in _CLAUSE_STOP_TAGS:
                return None
            m += 1
        return None

    def _agent_after_by(self, lower: Sequence[str], tags: Sequence[str], by: int) -> tuple[int, int] | None:
        n = len(lower)
        k = by + 1
        if k >= n:
            return None
        word, tag = lower[k], tags[k]
        if tag == "VBG" or word in self.time_words:  # by calling; by Friday
            return None
        for rest in self.by_non_agent.get(word, ()):
            if tuple(lower[k + 1 : k + 1 + len(rest)]) == rest:
                return None
        if tag == "CD" or word[:1].isdigit():
            # by 2020, by 5 percent, by 10 votes: a measure or date; by two gunmen: an agent.
            j = k + 1
            while j < n and (tags[j] in ("CD", "JJ", "JJR", "JJS") or lower[j] in ("-", "to")):
                j += 1
            if j >= n or tags[j] not in ("NNS", "NN", "NNPS") or lower[j] in self.measure_units:
                return None
        end = k
        while end < n and end - k < 8 and (tags[end] in _NP_TAGS or lower[end] in ("-", "&")):
            end += 1
        return by, max(end, k + 1)

    def passives(
        self,
        lower: Sequence[str],
        tags: Sequence[str],
        tokens: Sequence[str] | None = None,
        candidates: Sequence[int] | None = None,
    ) -> list[tuple[int, int, int, int, int, int, int]]:
        """Be/get passives of one tokenised sentence.

        Parameters
        ----------
        lower, tags : sequence of str
            Lower-case tokens and their Penn Treebank tags.
        tokens : sequence of str, optional
            The tokens as written; lets Title Case headlines (tagged NNP) count.
        candidates : sequence of int, optional
            Indices of the be/get forms, when the caller has them already.

        Returns
        -------
        list of (aux, participle, last, agent_start, agent_end, cue_first, cue_last)
            Token indices: the auxiliary, the participle and its last token (with
            a particle), the by-agent range (-1, -1 for an agentless passive) and
            the tokens a cue covers (auxiliary or, for a later coordinated
            participle, the participle itself, up to the participle or to the
            end of the agent phrase right after it).
        """
        if candidates is None:
            candidates = [k for k, w in enumerate(lower) if w in _AUX_TRIGGERS]
        n = len(lower)
        out: list[tuple[int, int, int, int, int, int, int]] = []
        taken: set[int] = set()
        for i in candidates:
            aux = lower[i]
            if aux in _SPLIT_CONTRACTION and not (i and lower[i - 1] in _APOSTROPHES):
                continue
            is_get = aux in _GET
            j, skipped, degree = i + 1, 0, False
            while j < n and skipped < _MAX_SKIP:
                w = lower[j]
                if tags[j] in _ADVERB_TAGS or w in _NEGATION or w in _QUOTES:
                    if w not in _QUOTES:
                        degree = w in self.degree
                    j += 1
                    skipped += 1
                    continue
                break
            if j >= n:
                continue
            word, tag = lower[j], tags[j]
            if word in _BE_NONFINITE or word in _GET:
                continue  # the participle belongs to the later auxiliary (has been shot, is being held)
            headline = tokens is not None and tokens[i][:1].isupper() and tokens[j][:1].isupper()
            kind = self._participle_ok(word, tag, aux, headline)
            if not kind and aux in ("is", "are", "was", "were", "am") and "?" in lower:
                j = self._inverted_participle(lower, tags, i)
                if j < 0:
                    continue
                word, tag, kind = lower[j], tags[j], 1
            if not kind or j in taken or self.is_un_adjective(word):
                continue
            last = j + 1 if j + 1 < n and tags[j + 1] == "RP" else j
            if (aux in _CONTRACTED or aux == "s") and self._object_follows(lower, tags, last + 1):
                continue  # he's said he agrees ('s = has); Haaf's cold-blooded murder (possessive)
            # The chain: this participle and those coordinated with it.
            chain = [(j, last, kind == 2 or self._adjectival(lower, j, degree, is_get))]
            self._extend_chain(lower, tags, chain)
            conjuncts = self._distant_conjuncts(lower, tags, chain[-1][1])
            groups = [chain] + conjuncts
            for g, group in enumerate(groups):
                agent = self._find_by_agent(lower, tags, group[-1][1] + 1)
                for k, (p, p_last, needs_agent) in enumerate(group):
                    if p in taken or (needs_agent and agent is None):
                        continue
                    taken.add(p)
                    # Cue: from the auxiliary (first participle) or the participle (later
                    # conjuncts) to the participle, or to the agent for the one before it.
                    cue_start = min(i, p) if g == 0 and k == 0 else p
                    cue_end = agent[1] - 1 if agent and k == len(group) - 1 else p_last
                    by, agent_end = agent if agent else (-1, -1)
                    out.append((i, p, p_last, by, agent_end, cue_start, cue_end))
        return out

    def _adjectival(self, lower: Sequence[str], j: int, degree: bool, is_get: bool) -> bool:
        word = lower[j]
        if degree or word in self.adjectival or (is_get and word in self.get_idioms):
            return True
        following = self.adjectival_next.get(word)
        return following is not None and j + 1 < len(lower) and lower[j + 1] in following

    def _has_object(self, lower: Sequence[str], tags: Sequence[str], k: int) -> bool:
        if k >= len(lower):
            return False
        return tags[k] in ("DT", "PRP", "PRP$", "CD", "NNP", "NNPS") and lower[k] not in self.time_words

    def _object_follows(self, lower: Sequence[str], tags: Sequence[str], k: int) -> bool:
        return k < len(lower) and tags[k] in _OBJECT_START_TAGS and lower[k] not in self.time_words

    def _inverted_participle(self, lower: Sequence[str], tags: Sequence[str], i: int) -> int:
        """``Why were these accounts removed?``: the participle after a subject NP, or -1."""
        if i and tags[i - 1] not in ("WRB", "WP", "WDT", "``", ":", ",") and lower[i - 1] not in _QUOTES:
            return -1
        j, n = i + 1, len(lower)
        while j < n and j - i <= 6 and tags[j] in _NP_TAGS:
            j += 1
        if j == i + 1:
            return -1
        while j < n and tags[j] in _ADVERB_TAGS:
            j += 1
        return j if j < n and tags[j] in ("VBN", "VBD") else -1

    def _extend_chain(self, lower: Sequence[str], tags: Sequence[str], chain: list) -> None:
        """Participles coordinated right after the last one: beaten and robbed; smeared, threatened, isolated."""
        n = len(lower)
        while True:
            m = chain[-1][1] + 1
            if m >= n or lower[m] not in ("and", "or", ","):
                return
            comma = lower[m] == ","
            m += 1
            if comma and m < n and lower[m] in ("and", "or"):
                m, comma = m + 1, False
            while m < n and tags[m] in _ADVERB_TAGS:
                m += 1
            if m >= n or not self._conjunct_ok(lower, tags, m, strict=comma):
                return
            last = m + 1 if m + 1 < n and tags[m + 1] == "RP" else m
            chain.append((m, last, self._adjectival(lower, m, False, False)))

    def _conjunct_ok(self, lower: Sequence[str], tags: Sequence[str], m: int, strict: bool) -> bool:
        word, tag = lower[m], tags[m]
        if tag != "VBN" and tag != "VBD":
            return False
        if word in self.intransitive_past or word in _AUXILIARIES or self.is_un_adjective(word):
            return False
        if strict and tag == "VBD":
            # In an asyndetic list (smeared, threatened, isolated) only a non-final
            # member may be tagged VBD: "was arrested, said police" is no list.
            return m + 1 < len(lower) and lower[m + 1] in (",", "and", "or")
        return tag == "VBN" or not self._has_object(lower, tags, m + 1)

    def _distant_conjuncts(self, lower: Sequence[str], tags: Sequence[str], start: int) -> list[list]:
        """Participles coordinated after the first one's complements: convicted in court ... and sent to prison."""
        n = len(lower)
        groups: list[list] = []
        m = start + 1
        stop = min(n, start + 1 + _COORD_WINDOW)
        while m < stop:
            word, tag = lower[m], tags[m]
            if word == "and":
                k = m + 1
                while k < n and tags[k] in _ADVERB_TAGS:
                    k += 1
                if (
                    k < n
                    and self._conjunct_ok(lower, tags, k, strict=False)
                    and not self._has_object(lower, tags, k + 1)
                ):
                    last = k + 1 if k + 1 < n and tags[k + 1] == "RP" else k
                    chain = [(k, last, self._adjectival(lower, k, False, False))]
                    self._extend_chain(lower, tags, chain)
                    groups.append(chain)
                    m = chain[-1][1] + 1
                    stop = min(n, m + _COORD_WINDOW)
                    continue
                if k < n and tags[k] in _VERB_TAGS:
                    return groups
            elif word in _CLAUSE_STOP or tag in _CLAUSE_STOP_TAGS:
                return groups
            m += 1
        return groups

    # -- other constructions

    def verb_groups(
        self, lower: Sequence[str], tags: Sequence[str], split: bool | None = None
    ) -> list[tuple[int, int]]:
        """Verb groups of a sentence as ``(first, head)`` token indices.

        A group is a maximal run of tokens tagged VB*/MD with only adverbs,
        negation or quotes between them; its head (the last verb) is the
        lexical verb.
        After a curly apostrophe NLTK splits ``he’s`` into ``he ’ s`` and tags
        the pieces erratically: ``s``/``re``/``m``/``ve``/``ll``/``d`` after a
        pronoun and an apostrophe is a verb whatever its tag, the apostrophe
        never is, and ``Abid ’ s`` (a possessive) is not a verb.
        """
        groups: list[tuple[int, int]] = []
        first = head = -1
        if split is None:
            split = not _APOSTROPHES.isdisjoint(lower)
        verb_tags, adverb_tags, inside = _VERB_TAGS, _ADVERB_TAGS, _GROUP_INSIDE  # local names: a hot loop
        for k, tag in enumerate(tags):
            if self._split_verb(lower, tags, k) if split and lower[k] in _SPLIT_PIECES else tag in verb_tags:
                if first < 0:
                    first = k
                head = k
            elif first >= 0 and not (tag in adverb_tags or lower[k] in inside):
                groups.append((first, head))
                first = -1
        if first >= 0:
            groups.append((first, head))
        return groups

    @staticmethod
    def _split_verb(lower: Sequence[str], tags: Sequence[str], k: int) -> bool:
        if lower[k] not in _SPLIT_VERBS:
            return False
        return k >= 2 and lower[k - 1] in _APOSTROPHES and tags[k - 2] in ("PRP", "EX", "WP", "WDT", "DT")

    def subject_head(self, lower: Sequence[str], tags: Sequence[str], verb: int) -> tuple[int, int, int]:
        """Subject of the finite verb at ``verb``: ``(np_start, head, kind)``.

        ``kind`` is 1 (personal), -1 (impersonal) or 0 (none found). The head is
        the nearest noun or pronoun to the left, past adverbs and commas; a
        relative ``which``/``that`` stands for the noun before it; a noun inside
        a prepositional phrase (``the man in the car``) gives way to the noun the
        phrase modifies.
        """
        k = verb - 1
        skipped = 0
        while k >= 0 and skipped < 3 and (tags[k] in _ADVERB_TAGS or lower[k] == "," or lower[k] in _QUOTES):
            k -= 1
            skipped += 1
        if k < 0:
            return -1, -1, 0
        word, tag = lower[k], tags[k]
        if tag == "PRP" or tag == "EX" or tag == "WP":
            if word in self.personal_pronouns:
                return k, k, 1
            if word in self.impersonal_pronouns:
                return k, k, -1
            return -1, -1, 0
        if tag == "WDT" or (word == "that" and tag == "IN"):
            k -= 1
            if k >= 0 and lower[k] == ",":
                k -= 1
            if k < 0 or tags[k] not in _NOUN_TAGS:
                return (k + 1, k + 1, -1) if word in self.impersonal_pronouns else (-1, -1, 0)
            word, tag = lower[k], tags[k]
        elif tag == "DT" and word in self.impersonal_pronouns:
            return k, k, -1
        if tag not in _NOUN_TAGS or word in self.time_words:
            return -1, -1, 0  # "..., which was announced on Monday, angered": Monday is no subject
        head = k
        for _ in range(2):  # the man in the car was -> man
            start = head
            while (
                start > 0
                and tags[start - 1] in _NP_TAGS
                and tags[start - 1] != "PRP"
                and lower[start - 1] not in _QUOTES
            ):
                start -= 1
            p = start - 1
            if p > 0 and lower[p] in _PREPOSITIONS and tags[p - 1] in _NOUN_TAGS:
                head = p - 1
                continue
            break
        start = head
        while (
            start > 0
            and tags[start - 1] in _NP_TAGS
            and tags[start - 1] not in ("PRP", "CD")
            and lower[start - 1] not in _QUOTES
        ):
            if tags[start - 1] in _NOUN_TAGS and tags[start] not in _NOUN_TAGS and tags[start] != "POS":
                break
            start -= 1
        if tags[head] in ("NNP", "NNPS") or lower[head] in self.person_nouns:
            return start, head, 1
        return start, head, -1

    def event_verb_end(self, lower: Sequence[str], tags: Sequence[str], k: int) -> int:
        """End (exclusive) of an intransitive event verb at ``k`` (with its particle), or -1."""
        entries = self.event_verbs.get(lower[k])
        if entries is None or tags[k] not in _VERB_TAGS:
            return -1
        n = len(lower)
        for particle in entries:  # () sorts first: try particle verbs last
            if particle and tuple(lower[k + 1 : k + 1 + len(particle)]) != particle:
                continue
            end = k + 1 + len(particle)
            if not particle and end < n and tags[end] == "RP":
                end += 1  # flared up
            m = end
            while m < n and tags[m] in _ADVERB_TAGS:
                m += 1
            if m < n and tags[m] in _OBJECT_START_TAGS and not self._time_phrase(lower, m):
                continue  # transitive use: escalated the conflict
            return end
        return -1

    def _time_phrase(self, lower: Sequence[str], m: int) -> bool:
        word = lower[m]
        if word in self.time_words:
            return True
        return (
            word in ("last", "this", "next", "early", "late") and m + 1 < len(lower) and lower[m + 1] in self.time_words
        )


# --------------------------------------------------------------------------- the transformer

_BASE_FEATURES = (
    "passive_count",
    "agent_passive_count",
    "agentless_passive_count",
    "passive_per_verb",
    "agentless_passive_per_verb",
    "nominalisation_count",
    "nominalisation_per_noun",
    "event_verb_count",
    "event_verb_per_verb",
    "personal_subject_count",
    "impersonal_subject_count",
    "personal_subject_per_clause",
    "impersonal_subject_per_clause",
)
_SAP_FEATURES = (
    "agency_pos_per_verb",
    "agency_neg_per_verb",
    "power_agent_per_verb",
    "power_theme_per_verb",
    "passive_agency_pos_per_verb",
    "passive_power_agent_per_verb",
)
_SAP_CATEGORIES = ("agency_pos", "agency_neg", "power_agent", "power_theme")


class AgencyFeatures(CueFeatures):
    """Agency shifts: passives (with and without agent), nominalisations, event verbs, subjects.

    How a text distributes agency is a framing choice (Trew 1979; Fowler 1991,
    ch. 5): an agentless passive ("mistakes were made"), a nominalisation ("the
    killing of protesters") or an intransitive event verb ("violence erupted")
    report an action without its doer, and an abstract grammatical subject ("the
    decision", "it") puts no one in charge. All rules read NLTK tokens and Penn
    Treebank tags (:func:`framing.text.annotate`) and the project's lists in
    ``framing/lexicons/agency.tsv``; see DATASHEET.md for the lists.

    Parameters
    ----------
    sap_lexicon : None, "auto" or path, default None
        Sap et al. (2017) agency/power connotation frames. None: off. ``"auto"``:
        ``<lexicon_dir>/sap2017_agency_power/agency_power.csv``. A path: that
        file. Adds the six Sap features below.
    lexicon_dir : path or None, default None
        Folder of the external lexicons for ``sap_lexicon="auto"``; None means
        the ``FRAMING_LEXICONS`` environment variable.

    Attributes
    ----------
    rules_ : AgencyRules
        The word lists of ``agency.tsv``, set by ``fit``.
    sap_ : SapLexicon or None
        The connotation frames when configured.
    sap_index_ : VerbIndex or None
        Verb forms of the Sap lexicon's verbs.
    feature_names_out_ : ndarray of str

    Notes
    -----
    Input ``X`` is a sequence of str of length n_samples (a single string raises
    ValueError); ``transform`` returns an ndarray of shape (n_samples, n_features),
    float64. Feature names are ``agency__<name>``.

    Units. *verb*: a verb group, i.e. a maximal run of tokens tagged VB*/MD with
    only adverbs, negation or quotes between them; each has one lexical head (``has
    been arrested`` is one verb), so auxiliaries are not counted twice.
    *clause*: a verb group whose first verb is finite (VBD, VBZ, VBP, MD).
    *noun*: a token tagged NN or NNS. Counts are per input text.

    ==============================  ====================================================  ==================
    feature                         what it measures                                      unit
    ==============================  ====================================================  ==================
    passive_count                   be/get passives (rule below)                          count
    agent_passive_count             passives with a by-agent                              count
    agentless_passive_count         passives without a by-agent                           count
    passive_per_verb                passive_count / verbs                                 per verb
    agentless_passive_per_verb      agentless_passive_count / verbs                       per verb
    nominalisation_count            NN/NNS tokens in the ``nominalisation`` list          count
    nominalisation_per_noun         nominalisation_count / nouns                          per noun
    event_verb_count                ``event_verb`` verbs used intransitively              count
    event_verb_per_verb             event_verb_count / verbs                              per verb
    personal_subject_count          clauses whose subject is a person or named actor      count
    impersonal_subject_count        clauses whose subject is impersonal or abstract       count
    personal_subject_per_clause     personal_subject_count / clauses                      per clause
    impersonal_subject_per_clause   impersonal_subject_count / clauses                    per clause
    agency_pos_per_verb             verbs whose head is agency_pos in Sap et al. 2017     per verb (Sap)
    agency_neg_per_verb             ... agency_neg                                        per verb (Sap)
    power_agent_per_verb            ... power_agent                                       per verb (Sap)
    power_theme_per_verb            ... power_theme                                       per verb (Sap)
    passive_agency_pos_per_verb     passives of agency_pos verbs (agent backgrounded)     per verb (Sap)
    passive_power_agent_per_verb    passives of power_agent verbs (powerful agent hidden) per verb (Sap)
    ==============================  ====================================================  ==================

    Rules and sources:

    - **Passive** (Quirk et al. 1985, *A Comprehensive Grammar of the English
      Language*, 3.63-3.78): a form of BE (be, is, are, am, was, were, been,
      being, 's, 're, 'm) or GET (get, got, gotten, gets, getting), then up to
      four adverbs, ``not``/``n't`` or quotes, then a past participle: a token
      tagged VBN, or VBD (the tagger's usual error after be), or -- after a
      curly-apostrophe contraction the tagger cannot read -- any word ending in
      -ed or an irregular participle. ``'s`` + participle + object is the
      perfect (``he's said he``), not a passive. Covers simple, negated, perfect
      (the participle after *been*), progressive (after *being*), modal,
      infinitival, gerund and inverted question (``Why were the accounts
      removed?``) passives. Central passives only: participles in
      ``adjectival_participle`` (Quirk's semi- and pseudo-passives: *is
      located*, *were interested*, *was born*, *is supposed to*, *are
      committed to*), after a degree adverb (*very*, *so*, *too*...), or tagged
      JJ count only with a by-agent; un- adjectives (*untouched*) and get
      idioms (*get rid of*, *get used to*) never. Coordinated participles
      sharing the auxiliary count one passive each (*were beaten and robbed*,
      *was convicted in court and sent to prison*).
    - **By-agent**: ``by`` within the clause after the participle (12 tokens,
      stopping at punctuation, subordinators and other verbs), unless it
      introduces a time (*by 2020*, *by Friday*, *by the time*), measure (*by 5
      percent*), means (*by phone*, *by calling*) or idiom (*by far*) listed in
      ``by_non_agent``/``time_word``/``measure_unit``. A by-agent after the
      last of directly coordinated participles (*shot and killed by police*)
      is shared by all of them.
    - **Nominalisation** (Fowler 1991, ch. 5; Billig 2008, "The language of
      critical discourse analysis: the case of nominalization", *Discourse &
      Society* 19(6)): a common noun (NN/NNS) in the curated
      ``nominalisation`` list (action nouns such as *killing*, *deportation*,
      *escalation*, *crackdown*, plurals derived). A curated list, not a
      suffix rule: without a verb dictionary, -tion/-ment/-al/-ing rules fire
      on *nation*, *government*, *hospital*, *morning*.
    - **Event verb** (ergative framing, Trew 1979; Fowler 1991): a verb token
      whose form belongs to an ``event_verb`` entry (*erupt*, *break out*,
      *escalate*, *die*; one-word entries may take a particle, *flared up*)
      used intransitively: not followed (after adverbs) by a determiner,
      pronoun, number, adjective or noun, except a time expression (*violence
      erupted Monday*). Its subject is not inspected: the subject features do that.
    - **Subjects**: for each clause, the nearest noun or pronoun left of the
      finite verb (skipping up to three adverbs, commas or quotes;
      ``which``/``that`` resolved to the noun before it; time words never
      count; a noun inside an of/in/at... phrase replaced by the noun it
      modifies; a relative clause between subject and verb defeats it). *Personal*: a personal pronoun (I, we,
      you, he, she, they, who), a proper noun (a named person or organisation:
      a named actor), or a ``person_noun`` (people and collective human agents:
      *police*, *officials*, *government*). *Impersonal*: it, there, this,
      that, what, or any other common noun (*violence*, *the decision*). No
      subject found (imperatives, coordinated verbs): neither.
    - **Sap et al. (2017)** connotation frames (``sap_lexicon``): the head
      verb of each verb group is mapped to its base form through the forms
      generated from the lexicon's verbs (:class:`VerbIndex`); a verb +
      particle entry (*focuses on*) wins over the bare verb. The frames
      describe the verb's agent and theme, not its grammatical subject, so a
      verb counts the same in either voice; because a passive puts the theme
      in subject position and backgrounds the agent, passives of agency_pos
      and power_agent verbs get their own rates.

    Raises
    ------
    FileNotFoundError
        At ``fit``: ``agency.tsv`` is missing; or ``sap_lexicon`` is set and its
        file (``<lexicon_dir>/sap2017_agency_power/agency_power.csv`` or the
        given path) is missing, or ``"auto"`` is used while ``lexicon_dir`` is
        None and ``FRAMING_LEXICONS`` is unset (the message names both).
    ValueError
        At ``fit``: ``agency.tsv`` lacks a category or a lexicon line is
        malformed; ``sap_lexicon`` is neither None, "auto" nor a path.

    References
    ----------
    Billig, M. (2008). The language of critical discourse analysis: the case of
    nominalization. Discourse & Society, 19(6), 783-800.
    Fowler, R. (1991). Language in the News. Routledge.
    Quirk, R., Greenbaum, S., Leech, G., Svartvik, J. (1985). A Comprehensive
    Grammar of the English Language. Longman.
    Sap, M., Prasettio, M. C., Holtzman, A., Rashkin, H., Choi, Y. (2017).
    Connotation Frames of Power and Agency in Modern Films. EMNLP 2017.
    Trew, T. (1979). Theory and ideology at work. In Fowler et al., Language
    and Control. Routledge.
    """

    family = "agency"

    def __init__(self, sap_lexicon=None, lexicon_dir=None):
        self.sap_lexicon = sap_lexicon
        self.lexicon_dir = lexicon_dir

    # -- CueFeatures hooks

    def _prepare(self) -> None:
        self.rules_ = AgencyRules.from_lexicon()
        self.sap_ = None
        self.sap_index_ = None
        path = self._sap_path()
        if path is not None:
            self.sap_ = read_sap_lexicon(path)
            self.sap_index_ = VerbIndex(set(self.sap_.verbs) | set(self.sap_.phrases))

    def _sap_path(self) -> Path | None:
        value = self.sap_lexicon
        if value is None:
            return None
        if isinstance(value, str) and value == "auto":
            from framing.features.external import lexicon_file

            return lexicon_file(SAP_RELATIVE_PATH, self.lexicon_dir)
        if not isinstance(value, (str, Path)):
            raise ValueError(f"sap_lexicon must be None, 'auto' or a path, got {value!r}")
        path = Path(value).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"sap_lexicon file {path} not found (Sap et al. 2017 agency_power.csv)")
        return path

    def _feature_names(self) -> list[str]:
        return list(_BASE_FEATURES) + (list(_SAP_FEATURES) if self.sap_ is not None else [])

    def _featurize(self, annotation: Annotation, text: str, explain: bool) -> tuple[list[float], list[Cue]]:
        rules = self.rules_
        lower, tags = annotation.lower, annotation.tags
        cues: list[Cue] = []

        # One pass finds the tokens any rule starts from (be/get forms, listed
        # nouns and verbs, apostrophes); most sentences have few.
        flags = rules.token_flags
        hits = [k for k, word in enumerate(lower) if word in flags]
        found = 0
        for k in hits:
            found |= flags[lower[k]]
        groups = rules.verb_groups(lower, tags, bool(found & _FLAG_APOSTROPHE))
        n_verbs = len(groups)

        # Passives.
        if found & _FLAG_AUX:
            aux = [k for k in hits if flags[lower[k]] & _FLAG_AUX]
            passives = rules.passives(lower, tags, annotation.tokens, aux)
        else:
            passives = []
        n_agent = sum(1 for p in passives if p[3] >= 0)
        if explain:
            for passive in passives:
                category = "passive_with_agent" if passive[3] >= 0 else "passive_agentless"
                cues.append(self._cue(annotation, text, category, passive[5], passive[6], "rule:passive"))

        # Nominalisations.
        n_nouns = tags.count("NN") + tags.count("NNS")
        n_nominal = 0
        if found & _FLAG_NOMINAL:
            for k in hits:
                if flags[lower[k]] & _FLAG_NOMINAL and (tags[k] == "NN" or tags[k] == "NNS"):
                    n_nominal += 1
                    if explain:
                        cues.append(self._cue(annotation, text, "nominalisation", k, k, "project:agency"))

        # Event verbs.
        n_event = 0
        if found & _FLAG_EVENT:
            passive_parts = {p[1] for p in passives}
            for k in hits:
                if flags[lower[k]] & _FLAG_EVENT and k not in passive_parts:
                    end = rules.event_verb_end(lower, tags, k)
                    if end > 0:
                        n_event += 1
                        if explain:
                            cues.append(self._cue(annotation, text, "event_verb", k, end - 1, "project:agency"))

        # Subjects of finite clauses.
        n_clauses = n_personal = n_impersonal = 0
        for g_first, _ in groups:
            if tags[g_first] not in _FINITE_TAGS and lower[g_first] not in _SPLIT_VERBS:
                continue  # (a split piece starts a group only after a pronoun: he ’ s)
            n_clauses += 1
            start, subj, kind = rules.subject_head(lower, tags, g_first)
            if kind > 0:
                n_personal += 1
            elif kind < 0:
                n_impersonal += 1
            if explain and kind:
                category = "personal_subject" if kind > 0 else "impersonal_subject"
                cues.append(self._cue(annotation, text, category, start, subj, "rule:subject"))

        n_passive = len(passives)
        values = [
            float(n_passive),
            float(n_agent),
            float(n_passive - n_agent),
            safe_rate(n_passive, n_verbs),
            safe_rate(n_passive - n_agent, n_verbs),
            float(n_nominal),
            safe_rate(n_nominal, n_nouns),
            float(n_event),
            safe_rate(n_event, n_verbs),
            float(n_personal),
            float(n_impersonal),
            safe_rate(n_personal, n_clauses),
            safe_rate(n_impersonal, n_clauses),
        ]
        if self.sap_ is not None:
            values.extend(self._sap_values(annotation, text, groups, passives, explain, cues))
        return values, cues

    def _sap_values(self, annotation, text, groups, passives, explain, cues) -> list[float]:
        lower, tags = annotation.lower, annotation.tags
        verbs, phrases, base_of = self.sap_.verbs, self.sap_.phrases, self.sap_index_.base
        passive_heads = {p[1] for p in passives}
        counts = dict.fromkeys(_SAP_CATEGORIES, 0)
        passive_pos = passive_agent = 0
        for _, head in groups:
            base = base_of(lower[head], tags[head])
            if base is None:
                continue
            labels, end = verbs.get(base), head
            for rest, phrase_labels in phrases.get(base, ()):
                if tuple(lower[head + 1 : head + 1 + len(rest)]) == rest:
                    labels, end = phrase_labels, head + len(rest)
                    break
            if labels is None:
                continue
            agency, power = labels
            if agency in counts:
                counts[agency] += 1
            if power in counts:
                counts[power] += 1
            if explain:
                for label in labels:
                    if label in counts:
                        cues.append(self._cue(annotation, text, label, head, end, "sap2017"))
            if passive_heads and head in passive_heads:
                passive_pos += labels[0] == "agency_pos"
                passive_agent += labels[1] == "power_agent"
        n_verbs = len(groups)
        return [safe_rate(counts[c], n_verbs) for c in _SAP_CATEGORIES] + [
            safe_rate(passive_pos, n_verbs),
            safe_rate(passive_agent, n_verbs),
        ]

    def _cue(self, annotation: Annotation, text: str, category: str, first: int, last: int, source: str) -> Cue:
        start, end = annotation.offsets[first][0], annotation.offsets[last][1]
        return Cue(self.family, category, start, end, text[start:end], source)

    # -- passives as records (evaluation, reports)

    def find_passives(self, text: str) -> list[Passive]:
        """The be/get passives of one text.

        Parameters
        ----------
        text : str

        Returns
        -------
        list of Passive
            In order of their participles' discovery (auxiliary order).
        """
        return self.find_passives_many([text])[0]

    def find_passives_many(self, texts: Sequence[str]) -> list[list[Passive]]:
        """:meth:`find_passives` for many texts, annotated in one batch.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit``.
        ValueError
            If ``texts`` is a single string.
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "rules_")
        docs = check_raw_documents(texts)
        out = []
        for doc, ann in zip(docs, annotate(docs)):
            found = []
            for aux, part, last, by, agent_end, first, final in self.rules_.passives(ann.lower, ann.tags, ann.tokens):
                start, end = ann.offsets[first][0], ann.offsets[final][1]
                agent = (by, agent_end) if by >= 0 else None
                found.append(Passive(aux, part, last, agent, ann.tokens[part], start, end))
            out.append(found)
        return out

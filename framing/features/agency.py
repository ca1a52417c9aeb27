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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

from framing.features.base import Cue, CueFeatures, check_raw_documents, safe_rate
from framing.lexicons.external import SAP2017_FILE, lexicon_file, read_sap_lexicon
from framing.lexicons.inflection import IRREGULAR_VERBS, VerbIndex, noun_forms, verb_forms
from framing.lexicons.lexicon import Lexicon, LexiconMatcher, read_project_lexicon
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
SAP_RELATIVE_PATH = SAP2017_FILE

#: Past participles of the irregular verbs (a be/get + one of these is a passive candidate whatever its tag).
IRREGULAR_PARTICIPLES = frozenset(p for _, parts in IRREGULAR_VERBS.values() for p in parts) - {"been"}


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
    }
)
_BE_NONFINITE = frozenset({"be", "been", "being"})
_GET = frozenset({"get", "gets", "got", "gotten", "getting"})
_CONTRACTED = frozenset({"'s", "’s"})  # is or has
_AUX_TRIGGERS = _BE | _GET
_AUXILIARIES = _BE | _GET | frozenset({"have", "has", "had", "having", "do", "does", "did"})
_QUOTES = frozenset({'"', "“", "”", "``", "''", "‘", "’", "'"})
_NEGATION = frozenset({"not", "n't", "n’t", "never"})
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


_FLAG_AUX, _FLAG_NOMINAL, _FLAG_EVENT = 1, 2, 4


def _token_flags(nominalisations: Iterable[str], event_forms: Iterable[str]) -> dict[str, int]:
    """Which rules a token can start, as bit flags (one dictionary look-up a token)."""
    flags: dict[str, int] = {}
    for words, flag in (
        (_AUX_TRIGGERS, _FLAG_AUX),
        (nominalisations, _FLAG_NOMINAL),
        (event_forms, _FLAG_EVENT),
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
    un_verbs: LexiconMatcher
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
            nominalisations=noun_forms(terms["nominalisation"]),
            person_nouns=noun_forms(terms["person_noun"]),
            personal_pronouns=frozenset(terms["personal_pronoun"]),
            impersonal_pronouns=frozenset(terms["impersonal_pronoun"]),
            adjectival=frozenset(adjectival),
            adjectival_next={k: frozenset(v) for k, v in adjectival_next.items()},
            get_idioms=frozenset(terms["get_idiom"]),
            un_verbs=LexiconMatcher(Lexicon("agency_un_verb", {"un_verb": lexicon.categories["un_verb"]}, lexicon.source)),
            degree=frozenset(terms["degree_adverb"]),
            by_non_agent={k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_non_agent.items()},
            time_words=time_words,
            measure_units=noun_forms(terms["measure_unit"]) | noun_forms(time_words),
            event_verbs={k: tuple(sorted(v)) for k, v in events.items()},
            intransitive_past=frozenset(intransitive),
            source=lexicon.source,
            token_flags=_token_flags(noun_forms(terms["nominalisation"]), events),
        )

    # -- passive voice

    def is_un_adjective(self, word: str) -> bool:
        """``untouched``, ``unaffected``: un- + participle of a verb without un- (an adjective)."""
        return (
            word.startswith("un")
            and not word.startswith("under")
            and word.endswith(("ed", "en"))
            and not self.un_verbs.token_categories(word)
        )

    def _participle_ok(self, word: str, tag: str, headline: bool) -> int:
        """0: not a participle; 1: a participle; 2: a participle that needs a by-agent to be verbal."""
        if tag == "VBN" or tag == "VBD":
            return 1
        if word in IRREGULAR_PARTICIPLES and tag not in _NOUN_TAGS:
            return 1  # the tagger often calls them JJ, VB, VBZ, IN: is shot/JJ, well known/IN
        if word in IRREGULAR_PARTICIPLES or word.endswith("ed"):
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
            kind = self._participle_ok(word, tag, headline)
            if not kind and aux in ("is", "are", "was", "were", "am") and "?" in lower:
                j = self._inverted_participle(lower, tags, i)
                if j < 0:
                    continue
                word, tag, kind = lower[j], tags[j], 1
            if not kind or j in taken or self.is_un_adjective(word):
                continue
            last = j + 1 if j + 1 < n and tags[j + 1] == "RP" else j
            if aux in _CONTRACTED and self._object_follows(lower, tags, last + 1):
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

    def verb_groups(self, lower: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int]]:
        """Verb groups of a sentence as ``(first, head)`` token indices.

        A group is a maximal run of tokens tagged VB*/MD with only adverbs,
        negation or quotes between them; its head (the last verb) is the
        lexical verb.
        """
        groups: list[tuple[int, int]] = []
        first = head = -1
        verb_tags, adverb_tags, inside = _VERB_TAGS, _ADVERB_TAGS, _GROUP_INSIDE  # local names: a hot loop
        for k, tag in enumerate(tags):
            if tag in verb_tags:
                if first < 0:
                    first = k
                head = k
            elif first >= 0 and not (tag in adverb_tags or lower[k] in inside):
                groups.append((first, head))
                first = -1
        if first >= 0:
            groups.append((first, head))
        return groups

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
    sap_ : framing.lexicons.external.SapLexicon or None
        The connotation frames when configured.
    sap_index_ : framing.lexicons.inflection.VerbIndex or None
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
      being, 's, 're, 'm, with straight or curly apostrophes) or GET (get, got,
      gotten, gets, getting), then up to four adverbs, ``not``/``n't`` or
      quotes, then a past participle: a token tagged VBN, or VBD (the tagger's
      usual error after be), or an irregular participle whatever its tag unless
      it is tagged as a noun (*is shot*/JJ), or in a Title Case headline a
      capitalised participle tagged NNP. ``'s`` + participle + object is the
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
      generated from the lexicon's verbs
      (:class:`~framing.lexicons.inflection.VerbIndex`); a verb +
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
        hits = list(compress(range(len(lower)), map(flags.__contains__, lower)))
        found = 0
        for k in hits:
            found |= flags[lower[k]]
        groups = rules.verb_groups(lower, tags)
        n_verbs = len(groups)

        # Passives.
        if found & _FLAG_AUX:
            aux = [k for k in hits if flags[lower[k]] & _FLAG_AUX]
            passives = rules.passives(lower, tags, annotation.tokens, aux)
        else:
            passives = []
        n_agent = sum(1 for p in passives if p[3] >= 0) if passives else 0
        if explain:
            for passive in passives:
                category = "passive_with_agent" if passive[3] >= 0 else "passive_agentless"
                cues.append(self._cue(annotation, text, category, passive[5], passive[6], "rule:passive"))

        # Nominalisations (per NN/NNS token; the nouns are counted only when needed).
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
        finite = _FINITE_TAGS
        for g_first, _ in groups:
            if tags[g_first] not in finite:
                continue
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
        # (safe_rate inlined: a hot path)
        values = [
            float(n_passive),
            float(n_agent),
            float(n_passive - n_agent),
            n_passive / n_verbs if n_verbs else 0.0,
            (n_passive - n_agent) / n_verbs if n_verbs else 0.0,
            float(n_nominal),
            n_nominal / (tags.count("NN") + tags.count("NNS")) if n_nominal else 0.0,
            float(n_event),
            n_event / n_verbs if n_verbs else 0.0,
            float(n_personal),
            float(n_impersonal),
            n_personal / n_clauses if n_clauses else 0.0,
            n_impersonal / n_clauses if n_clauses else 0.0,
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

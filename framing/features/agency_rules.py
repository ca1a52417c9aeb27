"""The agency rules: passives (with and without an agent), verb groups, subjects and event verbs.

Rules over NLTK tokens and Penn Treebank tags (:mod:`framing.text`) and the
project's word lists ``framing/lexicons/agency.tsv`` (categories in
:data:`LEXICON_CATEGORIES`, documented in DATASHEET.md). :class:`AgencyRules`
is what :class:`~framing.features.agency.AgencyFeatures` counts with; the
passive detector's specification is the labelling guideline in the header of
``tests/fixtures/passive_gold.tsv`` (330 hand-labelled PTC sentences;
``scripts/eval_passive.py`` scores the rules against them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from framing.lexicons.inflection import IRREGULAR_VERBS, noun_forms, verb_forms
from framing.lexicons.lexicon import Lexicon, LexiconMatcher, read_project_lexicon

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

#: Past participles of the irregular verbs (a be/get + one of these is a passive candidate whatever its tag).
IRREGULAR_PARTICIPLES = frozenset(p for _, parts in IRREGULAR_VERBS.values() for p in parts) - {"been"}


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
FINITE_TAGS = frozenset({"VBD", "VBP", "VBZ", "MD"})
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


FLAG_AUX, FLAG_NOMINAL, FLAG_EVENT = 1, 2, 4


def _token_flags(nominalisations: Iterable[str], event_forms: Iterable[str]) -> dict[str, int]:
    """Which rules a token can start, as bit flags (one dictionary look-up a token)."""
    flags: dict[str, int] = {}
    for words, flag in (
        (_AUX_TRIGGERS, FLAG_AUX),
        (nominalisations, FLAG_NOMINAL),
        (event_forms, FLAG_EVENT),
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

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

from collections.abc import Sequence
from itertools import compress
from pathlib import Path

from framing.features.agency_rules import (  # noqa: F401 (LEXICON_CATEGORIES: the family's public API)
    FINITE_TAGS,
    FLAG_AUX,
    FLAG_EVENT,
    FLAG_NOMINAL,
    LEXICON_CATEGORIES,
    AgencyRules,
    Passive,
)
from framing.features.base import Cue, CueFeatures, check_raw_documents, safe_rate
from framing.lexicons.external import SAP2017_FILE, lexicon_file, read_sap_lexicon
from framing.lexicons.inflection import VerbIndex
from framing.resources import user_path
from framing.text import Annotation, annotate

#: Where ``sap_lexicon="auto"`` looks, under ``lexicon_dir`` / ``$FRAMING_LEXICONS``.
SAP_RELATIVE_PATH = SAP2017_FILE


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
        path = user_path(value)
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
        if found & FLAG_AUX:
            aux = [k for k in hits if flags[lower[k]] & FLAG_AUX]
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
        if found & FLAG_NOMINAL:
            for k in hits:
                if flags[lower[k]] & FLAG_NOMINAL and (tags[k] == "NN" or tags[k] == "NNS"):
                    n_nominal += 1
                    if explain:
                        cues.append(self._cue(annotation, text, "nominalisation", k, k, "project:agency"))

        # Event verbs.
        n_event = 0
        if found & FLAG_EVENT:
            passive_parts = {p[1] for p in passives}
            for k in hits:
                if flags[lower[k]] & FLAG_EVENT and k not in passive_parts:
                    end = rules.event_verb_end(lower, tags, k)
                    if end > 0:
                        n_event += 1
                        if explain:
                            cues.append(self._cue(annotation, text, "event_verb", k, end - 1, "project:agency"))

        # Subjects of finite clauses.
        n_clauses = n_personal = n_impersonal = 0
        finite = FINITE_TAGS
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

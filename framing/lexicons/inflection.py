"""English inflection without a dictionary: verb forms from base forms, candidate lemmas from forms.

The feature families match closed word lists (the project's lexicons and the
public ones) against running text, and the lists hold base forms where the
text has inflected ones. The toolkit has no lemmatiser (NLTK's WordNet is not
one of its resources), so this module goes both ways with spelling rules and
one table of irregular verbs, :data:`IRREGULAR_VERBS`:

- *base -> forms* (generation): :func:`verb_forms` (by Penn Treebank tag),
  :func:`all_verb_forms` (one tuple) and :func:`noun_forms` (plurals). A list
  of base forms is expanded once, when a transformer is fitted, and the text is
  then matched token by token. Generation over-produces harmlessly: both
  ``visited`` and the non-word ``visitted`` are made, and a non-word never
  occurs in text.
- *form -> lemmas* (analysis): :func:`lemma_candidates` (WordNet's detachment
  rules plus the irregular table) and :func:`third_person_to_base` (for the
  3rd-person verbs of Sap et al. 2017). Candidates are checked against a lemma
  list; a wrong candidate is harmless when it is not on the list.
- :class:`VerbIndex` maps a tagged token to the base form of a closed verb
  list, through the generated forms.

Who uses what: :mod:`framing.features.hedging` (Recasens et al. 2013 and Islam
et al. 2020 verb lists, matched in all forms), :mod:`framing.features.loaded`
(the Recasens et al. 2013 bias lexicon of lemmas), :mod:`framing.features.agency`
(event and intransitive verbs, passive participles, Sap et al. 2017).
"""

from __future__ import annotations

from collections.abc import Iterable

_VOWELS = frozenset("aeiou")

#: English irregular verbs: ``base past participle``, separated by ``|`` or line
#: ends (``/`` separates variants). Regular variants in common news use are
#: listed too (``burned/burnt``, ``forecast/forecasted``).
_IRREGULAR_VERBS = """
arise arose arisen|awake awoke awoken|be was/were been|bear bore borne/born|beat beat beaten/beat
become became become|begin began begun|bend bent bent|bet bet bet|bid bid bid|bind bound bound
bite bit bitten|bleed bled bled|blow blew blown|break broke broken|breed bred bred|bring brought brought
broadcast broadcast broadcast|build built built|burn burned/burnt burned/burnt|burst burst burst
buy bought bought|cast cast cast|catch caught caught|choose chose chosen|cling clung clung|come came come
cost cost cost|creep crept crept|cut cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn
dream dreamed/dreamt dreamed/dreamt|drink drank drunk|drive drove driven|dwell dwelt/dwelled dwelt/dwelled
eat ate eaten|fall fell fallen|feed fed fed|feel felt felt|fight fought fought|find found found
flee fled fled|fling flung flung|fly flew flown|forbid forbade/forbad forbidden|forecast forecast/forecasted forecast/forecasted
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


#: ``{base: (past forms, past participles)}`` of English irregular verbs.
IRREGULAR_VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = _irregular_table()

#: ``{past or participle form: bases}``, the table read backwards (``"saw"`` -> ``("saw", "see")``).
_IRREGULAR_BASES: dict[str, tuple[str, ...]] = {}
for _base, (_past, _participles) in sorted(IRREGULAR_VERBS.items()):
    for _form in _past + _participles:
        if _base not in _IRREGULAR_BASES.get(_form, ()):
            _IRREGULAR_BASES[_form] = _IRREGULAR_BASES.get(_form, ()) + (_base,)
del _base, _past, _participles, _form
_IRREGULAR_BASES.update({"am": ("be",), "are": ("be",), "is": ("be",), "has": ("have",)})

#: The Penn Treebank verb tags :func:`verb_forms` returns (``VBP`` has the ``VB`` forms).
VERB_FORM_TAGS = ("VB", "VBZ", "VBD", "VBN", "VBG")


# --------------------------------------------------------------------------- base -> forms


def _consonant_y(base: str) -> bool:
    return len(base) > 1 and base[-1] == "y" and base[-2] not in _VOWELS


def verb_forms(base: str) -> dict[str, frozenset[str]]:
    """Inflected forms of an English verb, by Penn Treebank tag.

    Regular morphology: ``-s``, or ``-es`` after s, sh, ch, x, z and after a
    consonant + o (``goes``, but ``woos``), ``-ies`` after a consonant + y;
    ``-ed``/``-d``/``-ied``; ``-ing`` with the final e dropped (not after ee,
    ye, oe) and ``-ie`` -> ``-ying``; the final consonant doubled as a variant
    whenever the base ends in consonant-vowel-consonant (other than w, x, y),
    since doubling depends on stress (``admitted``, and the harmless non-word
    ``visitted``); ``-c`` -> ``-cked``/``-cking``. The past and participle of a
    verb in :data:`IRREGULAR_VERBS` come from the table instead (``be`` also
    has ``is`` and ``being``).

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
    if base.endswith(("s", "sh", "ch", "x", "z")) or (last == "o" and len(base) > 1 and base[-2] not in _VOWELS):
        third = {base + "es"}
    elif _consonant_y(base):
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
    elif _consonant_y(base):
        past, ing = {base[:-1] + "ied"}, {base + "ing"}
    else:
        past, ing = {base + "ed"}, {base + "ing"}
        if len(base) >= 3 and last not in _VOWELS and last not in "wxy" and base[-2] in _VOWELS and base[-3] not in _VOWELS:
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


def all_verb_forms(base: str) -> tuple[str, ...]:
    """Every form of :func:`verb_forms`, the base form first, then by tag and alphabetically.

    Parameters
    ----------
    base : str
        Lower-case base form.

    Returns
    -------
    tuple of str
        Distinct forms.
    """
    forms = verb_forms(base)
    return tuple(dict.fromkeys(f for tag in VERB_FORM_TAGS for f in sorted(forms[tag])))


def noun_forms(words: Iterable[str]) -> frozenset[str]:
    """Singular nouns with their regular plurals.

    ``-es`` after s, sh, ch, x, z; ``-ies`` after a consonant + y; no plural
    for nouns ending in ``-men`` (already plural: irregular plurals are listed
    in the lexicons); ``-s`` otherwise.

    Parameters
    ----------
    words : iterable of str
        Lower-case singular nouns.

    Returns
    -------
    frozenset of str
        The words and their plurals.
    """
    out = set()
    for word in words:
        out.add(word)
        if word.endswith(("s", "sh", "ch", "x", "z")):
            out.add(word + "es")
        elif _consonant_y(word):
            out.add(word[:-1] + "ies")
        elif not word.endswith("men"):
            out.add(word + "s")
    return frozenset(out)


# --------------------------------------------------------------------------- form -> lemmas

#: WordNet's detachment rules (``morphy``; Miller 1995), as in NLTK's ``wordnet.py``.
_MORPHY_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "noun": (("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
             ("shes", "sh"), ("men", "man"), ("ies", "y")),
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
             ("ing", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
}


def ptb_pos(tag: str) -> str:
    """Coarse part of speech of a Penn Treebank tag.

    ``JJ*`` -> ``"adj"``, ``NN*`` -> ``"noun"``, ``VB*`` -> ``"verb"``,
    ``RB*`` -> ``"adverb"`` (MPQA's names), anything else -> ``""``.
    """
    if tag.startswith("JJ"):
        return "adj"
    if tag.startswith("NN"):
        return "noun"
    if tag.startswith("VB"):
        return "verb"
    if tag.startswith("RB"):
        return "adverb"
    return ""


def lemma_candidates(token: str, tag: str) -> tuple[str, ...]:
    """Possible lemmas of a lower-case token: WordNet's detachment rules and the irregular verbs.

    The token itself comes first, then every form that one of WordNet's
    ``morphy`` suffix rules for the token's part of speech (from its Penn
    Treebank tag) produces: nouns ``-s, -ses, -ves, -xes, -zes, -ches, -shes,
    -men, -ies``; verbs ``-s, -ies, -es, -ed, -ing``; adjectives ``-er,
    -est``. For verbs, also the inverses of :func:`verb_forms`'s other
    spelling rules (``-ied`` -> ``-y``, ``-ying`` -> ``-ie``, a doubled final
    consonant, ``-cked`` -> ``-c``), which WordNet leaves to its exception
    lists, and the base of a past or participle in :data:`IRREGULAR_VERBS`
    (``fought`` -> ``fight``, ``saw`` -> ``see``); WordNet's exception lists
    themselves are not used. So every form :func:`verb_forms` generates leads
    back to its base. Check a candidate against a lemma list to accept it.

    Parameters
    ----------
    token : str
        Lower-case token.
    tag : str
        Its Penn Treebank tag.

    Returns
    -------
    tuple of str
        Unique candidates, the token first.

    References
    ----------
    George A. Miller. 1995. WordNet: a lexical database for English. CACM 38(11);
    the rules as implemented in NLTK's ``WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS``.
    """
    out = [token]
    pos = ptb_pos(tag)
    for suffix, replacement in _MORPHY_RULES.get(pos, ()):
        if token.endswith(suffix) and len(token) > len(suffix):
            lemma = token[: len(token) - len(suffix)] + replacement
            if lemma not in out:
                out.append(lemma)
    if pos == "verb":
        for base in _verb_spelling_bases(token) + _IRREGULAR_BASES.get(token, ()):
            if base not in out:
                out.append(base)
    return tuple(out)


def _verb_spelling_bases(token: str) -> tuple[str, ...]:
    """Bases that :func:`verb_forms`'s spelling rules (beyond WordNet's) lead from ``token``.

    ``-ied`` -> ``-y`` (carried), ``-ying`` -> ``-ie`` (dying), a doubled final
    consonant before ``-ed``/``-ing`` (stopped, admitting), ``-cked``/``-cking`` -> ``-c``
    (panicked).
    """
    out = []
    if token.endswith("ied") and len(token) > 4:
        out.append(token[:-3] + "y")
    if token.endswith("ying") and len(token) >= 5:
        out.append(token[:-4] + "ie")
    for suffix in ("ed", "ing"):
        stem = token[: -len(suffix)]
        if token.endswith(suffix) and len(stem) >= 3:
            if stem[-1] == stem[-2] and stem[-1] not in _VOWELS and stem[-1] not in "wxy":
                out.append(stem[:-1])
            elif stem.endswith("ck"):
                out.append(stem[:-1])
    return tuple(out)


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
    Riveter's spaCy-lemmatised copy of Sap et al.'s (2017) lexicon in the tests.

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
        self.by_tag: dict[str, dict[str, str]] = {t: {} for t in VERB_FORM_TAGS}
        self.any: dict[str, str] = {}
        for base in sorted(set(bases)):
            for tag, forms in verb_forms(base).items():
                for form in sorted(forms):
                    self.by_tag[tag].setdefault(form, base)
        # Exact base forms first, then the rest, so a fallback prefers "found" -> "found".
        for tag in VERB_FORM_TAGS:
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

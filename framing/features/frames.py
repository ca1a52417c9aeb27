"""Frame lexicon: cue words of the 14 generic framing dimensions, per sentence.

The policy frames codebook of Boydstun, Card, Gross, Resnik & Smith (2014),
annotated in the Media Frames Corpus (Card et al. 2015) and reused by
SemEval-2023 Task 3 subtask 2 (Piskorski et al. 2023), names 14 dimensions an
article can frame an issue by: Economic, Capacity_and_resources, Morality,
Fairness_and_equality, Legality_Constitutionality_and_jurisprudence,
Policy_prescription_and_evaluation, Crime_and_punishment,
Security_and_defense, Health_and_safety, Quality_of_life, Cultural_identity,
Public_opinion, Political, External_regulation_and_reputation.

:class:`FrameLexiconFeatures` counts the project's own cue words for each
(``framing/lexicons/frames.tsv``; definitions, inclusion criteria and counts
in ``framing/lexicons/DATASHEET.md``), one category at a time, as the other
lexicon families do: within a category the longest term wins at each
position and matches do not overlap; across categories they may ("carbon
tax" is a Policy_prescription_and_evaluation cue and its "tax" an Economic
one).

The lexicon is **English**: on other languages the features are (almost)
all zero. Like every cue family it reads sentences; for articles wrap it in
:class:`framing.features.document.DocumentFeatures` (feature option
``doc_frames``), whose ``pooled`` aggregation gives the article's own rate
per 1,000 words.
"""

from __future__ import annotations

from collections.abc import Sequence

from framing.data.techniques import SEMEVAL2023_FRAMES
from framing.features.base import Cue, CueFeatures, cue_span, word_count
from framing.lexicons.lexicon import Lexicon, LexiconMatcher, read_project_lexicon
from framing.text import Annotation

#: Categories of ``framing/lexicons/frames.tsv``: the SemEval-2023 frame names, lower-cased.
FRAME_CATEGORIES: tuple[str, ...] = tuple(frame.lower() for frame in SEMEVAL2023_FRAMES)

#: Category of the lexicon file -> the frame name as the corpus spells it.
CORPUS_FRAME_NAMES: dict[str, str] = {frame.lower(): frame for frame in SEMEVAL2023_FRAMES}

#: Rates are per this many word tokens.
PER_WORDS = 1000.0


class FrameLexiconFeatures(CueFeatures):
    """Rates of each framing dimension's cue words in sentences.

    Parameters
    ----------
    lexicon : Lexicon or None, default None
        The frame lexicon; ``None`` reads the project's
        ``framing/lexicons/frames.tsv``, which must have exactly the 14
        :data:`FRAME_CATEGORIES`. Another :class:`~framing.lexicons.lexicon.Lexicon`
        (for instance a translated one, matched on NLTK's English tokens)
        gives one rate per category of its own; a category equal to a frame
        name lower-cased is named as the corpus spells the frame.

    Input and output: ``X`` is a sequence of str of length n_samples (raw
    sentences); :meth:`transform` returns an ndarray of shape (n_samples,
    14) with columns ``frames__<Frame>_per_1k_words``, in the order of
    :data:`~framing.data.techniques.SEMEVAL2023_FRAMES`:

    =============================================  ==========================================
    feature                                        measures; unit; source
    =============================================  ==========================================
    ``<Frame>_per_1k_words``, one per frame:       matches of the frame's cue words and
    Economic, Capacity_and_resources, Morality,    phrases (longest, non-overlapping within
    Fairness_and_equality,                         the frame); per 1,000 word tokens of the
    Legality_Constitutionality_and_jurisprudence,  sentence; ``framing/lexicons/frames.tsv``
    Policy_prescription_and_evaluation,            (project lexicon; frame definitions from
    Crime_and_punishment, Security_and_defense,    Boydstun et al. 2014 and Card et al. 2015)
    Health_and_safety, Quality_of_life,
    Cultural_identity, Public_opinion, Political,
    External_regulation_and_reputation
    =============================================  ==========================================

    A word token has a letter or digit; every rate is 0 for a sentence
    without word tokens. English only (see the module docstring).

    :meth:`explain` returns one :class:`~framing.features.base.Cue` per
    match: family ``"frames"``, category the frame name, source
    ``"project:frames"`` (or the lexicon's name).

    Raises
    ------
    ValueError
        At ``fit``, if the project file's categories are not the 14 frames.
    TypeError
        At ``fit``, if ``lexicon`` is neither None nor a Lexicon.
    FileNotFoundError
        At ``fit``, if ``framing/lexicons/frames.tsv`` is missing.

    References
    ----------
    Boydstun, Card, Gross, Resnik & Smith (2014). Tracking the development of
    media frames within and across policy issues. APSA 2014.
    Card, Boydstun, Gross, Resnik & Smith (2015). The Media Frames Corpus:
    Annotations of frames across issues. ACL 2015.
    Piskorski, Stefanovitch, Da San Martino & Nakov (2023). SemEval-2023
    Task 3. SemEval 2023.
    """

    family = "frames"

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon

    def _prepare(self) -> None:
        if self.lexicon is None:
            lexicon = read_project_lexicon("frames")
            found = set(lexicon.category_names)
            if found != set(FRAME_CATEGORIES):
                raise ValueError(
                    f"{lexicon.source}: categories differ from the 14 frames "
                    f"(unknown: {sorted(found - set(FRAME_CATEGORIES))}, "
                    f"missing: {sorted(set(FRAME_CATEGORIES) - found)})"
                )
            # column order fixed by the corpus's frame list, whatever the file order
            lexicon = Lexicon(lexicon.name, {c: lexicon.categories[c] for c in FRAME_CATEGORIES}, lexicon.source)
            source = "project:frames"
        elif isinstance(self.lexicon, Lexicon):
            lexicon = self.lexicon
            source = lexicon.name
        else:
            raise TypeError(
                f"lexicon must be a framing.lexicons.lexicon.Lexicon or None, got {type(self.lexicon).__name__}"
            )
        self.lexicon_ = lexicon
        self.source_ = source
        self.frames_ = tuple(CORPUS_FRAME_NAMES.get(c, c) for c in lexicon.category_names)
        # One matcher per category: categories may overlap, a category's matches may not.
        self.matchers_ = tuple(
            LexiconMatcher(Lexicon(c, {c: terms})) for c, terms in lexicon.categories.items()
        )
        # Which categories a token can start a match of; most tokens start none,
        # so most sentences skip matching altogether.
        self.starts_ = _StartIndex(self.matchers_)

    def _feature_names(self) -> list[str]:
        return [f"{frame}_per_1k_words" for frame in self.frames_]

    def _featurize(self, annotation: Annotation, text: str, explain: bool) -> tuple[Sequence[float], list[Cue]]:
        values = [0.0] * len(self.matchers_)
        cues: list[Cue] = []
        lower = annotation.lower
        candidates = set()
        starts = self.starts_
        for token in lower:
            hit = starts[token]
            if hit:
                candidates.update(hit)
        if not candidates:
            return values, cues
        words = word_count(annotation)
        for k in sorted(candidates):
            matches = self.matchers_[k].match(lower)
            if words:
                values[k] = PER_WORDS * len(matches) / words
            if explain:
                for first, last, _ in matches:
                    start, end, surface = cue_span(annotation, text, first, last)
                    cues.append(Cue(self.family, self.frames_[k], start, end, surface, self.source_))
        return values, cues


class _StartIndex(dict):
    """``token -> tuple of category indices`` whose terms can start at the token (memoised; pickles empty).

    A term starts at a token when the token alone matches it (a word or a
    prefix wildcard) or is the first token of one of its phrases (phrases
    never start with a wildcard; :class:`LexiconMatcher` enforces it).
    """

    limit = 500_000

    def __init__(self, matchers: Sequence[LexiconMatcher]) -> None:
        super().__init__()
        self.matchers = tuple(matchers)
        self.phrase_firsts = tuple(
            frozenset(term[0] for terms in m.lexicon.categories.values() for term in terms if len(term) > 1)
            for m in self.matchers
        )

    def __missing__(self, token: str) -> tuple[int, ...]:
        hit = tuple(
            k
            for k, m in enumerate(self.matchers)
            if token in self.phrase_firsts[k] or m.match((token,))
        )
        if len(self) < self.limit:
            self[token] = hit
        return hit

    def __reduce__(self):
        return (type(self), (self.matchers,))

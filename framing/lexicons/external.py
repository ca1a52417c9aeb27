"""Loaders for the public lexicons the feature families use, in their native formats.

These lexicons are GPL-licensed or unlicensed research data, so the project never
bundles them: each loader reads the original file from a folder the user
configures (``lexicon_dir``, default the ``FRAMING_LEXICONS`` environment
variable) laid out as the staged copies are::

    <lexicon_dir>/recasens2013/npov_lexicon.txt, strong_subjectives_riloff2003.txt, ...
    <lexicon_dir>/mpqa_subjclues/subjclueslen1-HLTEMNLP05.tff
    <lexicon_dir>/hu_liu_opinion/positive-words.txt, negative-words.txt
    <lexicon_dir>/mfd2_frimer2019/mfd2.0.dic
    <lexicon_dir>/mfd_original_graham2009/mft_original.dic
    <lexicon_dir>/emfd_hopp2021/emfd_scoring.csv
    <lexicon_dir>/islam2020_hedges_boosters/hedge_words.txt, booster_words.txt, discourse_markers.txt
    <lexicon_dir>/wooorm_hedges_weasels_fillers/hedges.txt, weasels.txt, fillers.txt
    <lexicon_dir>/sap2017_agency_power/agency_power.csv

Entries are tokenised as text is (lower case, ``NLTKWordTokenizer``), so a
multi-word entry becomes a phrase of tokens and matches the tokens of
:class:`framing.text.Annotation`. A trailing ``*`` (LIWC dictionaries) stays a
prefix wildcard on the last token.

Three lexicons carry more than terms by category and have their own types:
MPQA clues have a part of speech and a stemming flag
(:class:`SubjectivityLexicon`, matched by :class:`SubjectivityClueMatcher`),
eMFD words carry foundation probabilities (:class:`WeightedLexicon`), and Sap
et al.'s verbs carry agency and power labels (:class:`SapLexicon`).

One function loads each lexicon (``load_<name>``, citing it); :data:`EXTERNAL_LEXICONS`
lists them. Which of them a feature family accepts is the family's business:
``LoadedLanguageFeatures(external=...)`` takes recasens2013, mpqa, hu_liu, mfd2,
mfd and emfd; ``HedgingFeatures(external=...)`` builds its hedge, booster,
weasel and verb categories from recasens2013, islam2020 and wooorm;
``AgencyFeatures(sap_lexicon="auto")`` reads sap2017.

Files are parsed once per process while they are unchanged (path, mtime and
size), so refitting a transformer in a grid search does not re-read them; the
returned objects are shared and must not be modified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from framing.lexicons.emfd import EMFD_FILE, EMFD_FOUNDATIONS, WeightedLexicon, load_emfd
from framing.lexicons.locate import LEXICONS_ENV, entry_tokens, lexicon_file, resolve_lexicon_dir
from framing.lexicons.mpqa import (
    MPQA_FILE,
    SubjectivityClue,
    SubjectivityClueMatcher,
    SubjectivityLexicon,
    load_mpqa,
)
from framing.lexicons.sap import SAP2017_FILE, SAP_AGENCY, SAP_POWER, SapLexicon, load_sap2017, read_sap_lexicon
from framing.lexicons.word_lists import (
    HU_LIU_FILES,
    ISLAM2020_FILES,
    MFD2_FILE,
    MFD_FILE,
    RECASENS2013_FILES,
    WOOORM_FILES,
    load_hu_liu,
    load_islam2020,
    load_mfd,
    load_mfd2,
    load_recasens2013,
    load_wooorm,
    read_liwc_dic,
)


@dataclass(frozen=True)
class ExternalLexicon:
    """A loadable external lexicon: its loader and files (relative to ``lexicon_dir``)."""

    name: str
    loader: Callable[..., object]
    files: tuple[str, ...]
    citation: str


#: Every loadable public lexicon (each family says which it accepts; see the module docstring).
EXTERNAL_LEXICONS: dict[str, ExternalLexicon] = {
    "recasens2013": ExternalLexicon(
        "recasens2013", load_recasens2013,
        tuple(f"recasens2013/{f}" for f in RECASENS2013_FILES.values()),
        "Recasens, Danescu-Niculescu-Mizil & Jurafsky 2013, ACL",
    ),
    "mpqa": ExternalLexicon("mpqa", load_mpqa, (MPQA_FILE,), "Wilson, Wiebe & Hoffmann 2005, HLT/EMNLP"),
    "hu_liu": ExternalLexicon("hu_liu", load_hu_liu, tuple(HU_LIU_FILES.values()), "Hu & Liu 2004, KDD"),
    "mfd2": ExternalLexicon("mfd2", load_mfd2, (MFD2_FILE,), "Frimer et al. 2019, OSF"),
    "mfd": ExternalLexicon("mfd", load_mfd, (MFD_FILE,), "Graham, Haidt & Nosek 2009, JPSP"),
    "emfd": ExternalLexicon("emfd", load_emfd, (EMFD_FILE,), "Hopp et al. 2021, Behavior Research Methods"),
    "islam2020": ExternalLexicon(
        "islam2020", load_islam2020,
        tuple(f"islam2020_hedges_boosters/{f}" for f in ISLAM2020_FILES.values()),
        "Islam, Xiao & Mercer 2020, LREC",
    ),
    "wooorm": ExternalLexicon(
        "wooorm", load_wooorm,
        tuple(f"wooorm_hedges_weasels_fillers/{f}" for f in WOOORM_FILES.values()),
        "Wormer, npm hedges/weasels/fillers 2.0.1",
    ),
    "sap2017": ExternalLexicon(
        "sap2017", load_sap2017, (SAP2017_FILE,), "Sap, Prasettio, Holtzman, Rashkin & Choi 2017, EMNLP"
    ),
}

__all__ = [
    "EMFD_FILE", "EMFD_FOUNDATIONS", "EXTERNAL_LEXICONS", "HU_LIU_FILES", "ISLAM2020_FILES", "LEXICONS_ENV", "MFD2_FILE",
    "MFD_FILE", "MPQA_FILE", "RECASENS2013_FILES", "SAP2017_FILE", "SAP_AGENCY", "SAP_POWER", "WOOORM_FILES",
    "ExternalLexicon", "SapLexicon", "SubjectivityClue", "SubjectivityClueMatcher", "SubjectivityLexicon",
    "WeightedLexicon", "entry_tokens", "lexicon_file", "load_emfd", "load_hu_liu", "load_islam2020", "load_mfd",
    "load_mfd2", "load_mpqa", "load_recasens2013", "load_sap2017", "load_wooorm", "read_liwc_dic", "read_sap_lexicon",
    "resolve_lexicon_dir",
]

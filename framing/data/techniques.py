"""Label sets of the standard corpora, spelled exactly as the corpora spell them."""

from __future__ import annotations

#: PTC, EMNLP-2019 release (Da San Martino et al. 2019): 18 techniques.
PTC2019_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Obfuscation,Intentional_Vagueness,Confusion",
    "Red_Herring",
    "Reductio_ad_hitlerum",
    "Repetition",
    "Slogans",
    "Straw_Men",
    "Thought-terminating_Cliches",
    "Whataboutism",
)

#: SemEval-2020 Task 11 TC (PTC v2): 14 techniques; three pairs merged and
#: Obfuscation dropped relative to the 2019 release.
SEMEVAL2020_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

#: SemEval-2023 Task 3 subtask 3: 23 persuasion techniques.
SEMEVAL2023_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_Fear-Prejudice",
    "Appeal_to_Hypocrisy",
    "Appeal_to_Popularity",
    "Appeal_to_Time",
    "Appeal_to_Values",
    "Causal_Oversimplification",
    "Consequential_Oversimplification",
    "Conversation_Killer",
    "Doubt",
    "Exaggeration-Minimisation",
    "False_Dilemma-No_Choice",
    "Flag_Waving",
    "Guilt_by_Association",
    "Loaded_Language",
    "Name_Calling-Labeling",
    "Obfuscation-Vagueness-Confusion",
    "Questioning_the_Reputation",
    "Red_Herring",
    "Repetition",
    "Slogans",
    "Straw_Man",
    "Whataboutism",
)

#: SemEval-2023 Task 3 subtask 2: the 14 Media Frames Corpus dimensions (Card et al. 2015).
SEMEVAL2023_FRAMES: tuple[str, ...] = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)

#: SemEval-2023 Task 3 subtask 1 news genres.
SEMEVAL2023_GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")

#: BABE / MBIC sentence bias labels as spelled in the CSVs.
BIAS_LABELS: tuple[str, ...] = ("Biased", "Non-biased", "No agreement")

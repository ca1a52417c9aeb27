"""Frames and genre (SemEval-2023 Task 3 subtasks 2 and 1): lexicon, document features, folds, tasks, runs.

Unit tests use hand-written sentences with exact expected values and a small
SemEval-2023-layout corpus written to a temporary folder; the corpus tests
(``FRAMING_DATA``) check the English release's counts, the folds on it, and
that every frame's cue words are denser in the articles annotated with the
frame. Run this file as a script to print the table the datasheet reports
(``framing/lexicons/DATASHEET.md``, section 7.5)::

    FRAMING_DATA=/path/to/data NLTK_DATA=/path/to/nltk_data python tests/test_frames_genre.py
"""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from nltk.tokenize import NLTKWordTokenizer
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import FeatureUnion, Pipeline

from framing.data.model import Document
from framing.data.techniques import SEMEVAL2023_FRAMES, SEMEVAL2023_GENRES
from framing.lexicons.lexicon import Lexicon

pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    # the small corpus has 4 of the 14 frames: one-vs-rest warns about the constant others
    pytest.mark.filterwarnings("ignore:Label not .* is present in all training examples:UserWarning"),
]

LEXICON = Path(__file__).resolve().parent.parent / "framing" / "lexicons" / "frames.tsv"
FRAME_CATEGORIES = tuple(f.lower() for f in SEMEVAL2023_FRAMES)

# --------------------------------------------------------------------------- frames.tsv, read strictly


def _entries() -> list[tuple[int, str, str]]:
    raw = LEXICON.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert lines[0] == "term\tcategory"
    out = []
    for number, line in enumerate(lines[1:], start=2):
        assert line.strip(), f"frames.tsv:{number}: blank line"
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        assert len(fields) == 2, f"frames.tsv:{number}: {line!r}"
        out.append((number, fields[0], fields[1]))
    return out


def _matches(pattern: str, token: str) -> bool:
    return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern


def _contains(outer: list[str], inner: list[str]) -> bool:
    n = len(inner)
    return any(
        all(_matches(p, outer[i + k].rstrip("*")) for k, p in enumerate(inner)) for i in range(len(outer) - n + 1)
    )


def test_frames_lexicon_has_the_14_frames_sorted_without_duplicates():
    entries = _entries()
    assert {c for _, _, c in entries} == set(FRAME_CATEGORIES)
    keys = [(c, t) for _, t, c in entries]
    assert keys == sorted(keys), "entries must be sorted by category, then term"
    assert not [k for k, n in Counter(keys).items() if n > 1]
    per_frame = Counter(c for _, _, c in entries)
    assert min(per_frame.values()) >= 25, per_frame  # every frame has a real list


def test_frames_lexicon_terms_are_lower_case_nltk_tokens_with_safe_wildcards():
    tokenizer = NLTKWordTokenizer()
    for number, term, _ in _entries():
        where = f"frames.tsv:{number}: {term!r}"
        assert term == term.lower() and term == " ".join(term.split()), where
        bare = term.replace("*", "")
        assert " ".join(tokenizer.tokenize(bare)) == bare, f"{where}: NLTK splits it as {tokenizer.tokenize(bare)}"
        tokens = term.split()
        for token in tokens:
            assert "*" not in token[:-1], where
            if token.endswith("*"):
                assert len(token) - 1 >= 4, f"{where}: wildcard prefix too short"
        assert len(tokens) == 1 or not tokens[0].endswith("*"), f"{where}: phrase starts with a wildcard"


def test_frames_lexicon_no_term_repeats_another_of_its_frame_and_no_frame_shares_a_term():
    entries = _entries()
    by_frame: dict[str, list[str]] = {}
    for _, term, frame in entries:
        by_frame.setdefault(frame, []).append(term)
    for frame, terms in by_frame.items():
        for a in terms:
            for b in terms:
                assert a == b or not _contains(b.split(), a.split()), f"{frame}: {a!r} matches inside {b!r}"
    shared = set()
    for _, pattern, frame in entries:
        for _, term, other in entries:
            if other != frame and " " not in pattern and " " not in term and _matches(pattern, term.rstrip("*")):
                shared.add(term)
    assert shared == set(), f"terms in two frames: {sorted(shared)}"


@pytest.mark.parametrize(
    ("frame", "word"),
    [
        ("public_opinion", "protestant"),  # protest* would catch it
        ("health_and_safety", "hospitality"),
        ("health_and_safety", "doctored"),
        ("health_and_safety", "nursery"),
        ("policy_prescription_and_evaluation", "quotation"),
        ("crime_and_punishment", "crimea"),
        ("economic", "subsidiary"),
        ("economic", "subside"),
        ("political", "liberally"),
    ],
)
def test_frames_lexicon_false_friends_do_not_match(frame, word):
    patterns = [t for _, t, c in _entries() if c == frame and " " not in t]
    assert not [p for p in patterns if _matches(p, word)]


def test_frames_lexicon_covers_the_codebook_examples():
    expected = {
        "economic": ["economy", "costs", "taxpayers", "inflation"],
        "capacity_and_resources": ["shortage", "resources", "understaffed"],
        "morality": ["moral", "religious", "evil"],
        "fairness_and_equality": ["discrimination", "inequality", "unfair"],
        "legality_constitutionality_and_jurisprudence": ["constitutional", "court", "lawsuit"],
        "policy_prescription_and_evaluation": ["policy", "regulations", "reform"],
        "crime_and_punishment": ["arrested", "prosecutors", "prison"],
        "security_and_defense": ["military", "terrorism", "troops"],
        "health_and_safety": ["vaccine", "pandemic", "hospitals"],
        "quality_of_life": ["poverty", "housing", "families"],
        "cultural_identity": ["culture", "traditions", "heritage"],
        "public_opinion": ["poll", "survey", "protesters"],
        "political": ["election", "democrats", "lawmakers"],
        "external_regulation_and_reputation": ["sanctions", "diplomatic", "treaty"],
    }
    entries = _entries()
    for frame, words in expected.items():
        patterns = [t for _, t, c in entries if c == frame and " " not in t]
        missing = [w for w in words if not any(_matches(p, w) for p in patterns)]
        assert not missing, f"{frame}: {missing}"


# --------------------------------------------------------------------------- FrameLexiconFeatures

S1 = "Police arrested two men over the bank fraud."  # 8 word tokens (the final "." is not a word)
S2 = "The carbon tax divided voters."  # 5 word tokens
DOC = S1 + " " + S2


def _column(names, frame):
    return list(names).index(f"frames__{frame}_per_1k_words")


@pytest.mark.nltk
def test_frame_lexicon_rates_per_1000_words_are_exact():
    from framing.features.frames import FrameLexiconFeatures

    f = FrameLexiconFeatures().fit()
    names = f.get_feature_names_out()
    assert len(names) == 14 and names[0] == "frames__Economic_per_1k_words"
    X = f.transform([S1, S2, "", "!!!"])
    assert X.shape == (4, 14)
    # S1: police, arrested, fraud -> Crime_and_punishment 3/8; bank -> Economic 1/8
    assert X[0, _column(names, "Crime_and_punishment")] == pytest.approx(1000 * 3 / 8)
    assert X[0, _column(names, "Economic")] == pytest.approx(1000 * 1 / 8)
    assert X[0].sum() == pytest.approx(1000 * 4 / 8)
    # S2: "carbon tax" (Policy) and its "tax" (Economic) overlap across frames; voters (Political)
    for frame in ("Policy_prescription_and_evaluation", "Economic", "Political"):
        assert X[1, _column(names, frame)] == pytest.approx(1000 / 5)
    assert X[1].sum() == pytest.approx(3 * 1000 / 5)
    assert not X[2:].any()  # no word tokens: rates are 0


@pytest.mark.nltk
def test_frame_lexicon_explain_gives_the_counted_cues_with_offsets():
    from framing.features.frames import FrameLexiconFeatures

    f = FrameLexiconFeatures().fit()
    cues = f.explain(S2)
    assert [(c.category, c.words) for c in cues] == [
        ("Policy_prescription_and_evaluation", "carbon tax"),
        ("Economic", "tax"),
        ("Political", "voters"),
    ]
    for c in cues:
        assert S2[c.start : c.end] == c.words and c.family == "frames" and c.source == "project:frames"
    # explain and transform count the same matches
    from framing.features.base import word_count
    from framing.text import annotate

    names = f.get_feature_names_out()
    for text in (S1, S2, "The court ruled the ban unconstitutional, lawyers for the church said."):
        counts = Counter(c.category for c in f.explain(text))
        words = word_count(annotate([text])[0])
        expected = [1000 * counts.get(n.removeprefix("frames__").removesuffix("_per_1k_words"), 0) / words for n in names]
        assert f.transform([text])[0] == pytest.approx(expected)


@pytest.mark.nltk
def test_frame_lexicon_takes_another_lexicon_and_rejects_bad_ones():
    from framing.features.frames import FrameLexiconFeatures

    small = Lexicon("mine", {"economic": (("money",),), "weather": (("rain*",),)})
    f = FrameLexiconFeatures(lexicon=small).fit()
    assert list(f.get_feature_names_out()) == ["frames__Economic_per_1k_words", "frames__weather_per_1k_words"]
    # 3 word tokens (Money, and, rainfall): one match each per 3 words
    assert f.transform(["Money and rainfall."])[0] == pytest.approx([1000 / 3, 1000 / 3])
    with pytest.raises(TypeError):
        FrameLexiconFeatures(lexicon={"economic": ["money"]}).fit()


# --------------------------------------------------------------------------- DocumentFeatures


@pytest.mark.nltk
def test_document_aggregations_are_exact():
    from framing.features.document import DocumentFeatures

    d = DocumentFeatures("frames", aggregations=("mean", "max", "share", "pooled", "sum")).fit()
    assert d.sentence_spans(DOC) == [(0, len(S1)), (len(S1) + 1, len(DOC))]
    names = list(d.get_feature_names_out())
    assert len(names) == 5 * 14 and names[0] == "frames__Economic_per_1k_words_mean"
    X = d.transform([DOC, "", "   \n  "])
    row = dict(zip(names, X[0]))
    economic = [1000 / 8, 1000 / 5]  # bank | tax
    crime = [1000 * 3 / 8, 0.0]
    assert row["frames__Economic_per_1k_words_mean"] == pytest.approx(np.mean(economic))
    assert row["frames__Economic_per_1k_words_max"] == pytest.approx(1000 / 5)
    assert row["frames__Economic_per_1k_words_share"] == pytest.approx(1.0)
    # pooled = matches over the article's 13 words: the article's own rate
    assert row["frames__Economic_per_1k_words_pooled"] == pytest.approx(1000 * 2 / 13)
    assert row["frames__Economic_per_1k_words_sum"] == pytest.approx(sum(economic))
    assert row["frames__Crime_and_punishment_per_1k_words_mean"] == pytest.approx(np.mean(crime))
    assert row["frames__Crime_and_punishment_per_1k_words_share"] == pytest.approx(0.5)
    assert row["frames__Crime_and_punishment_per_1k_words_pooled"] == pytest.approx(1000 * 3 / 13)
    assert row["frames__Morality_per_1k_words_max"] == 0.0
    assert not X[1:].any()  # documents without sentences get zeros


@pytest.mark.nltk
def test_document_features_of_other_families_and_sums():
    from framing.features.document import DocumentFeatures

    d = DocumentFeatures("style", aggregations=("sum", "mean")).fit()
    names = list(d.get_feature_names_out())
    row = dict(zip(names, d.transform([DOC])[0]))
    assert row["style__n_words_sum"] == 13  # the article's length in words
    assert row["style__n_words_mean"] == pytest.approx(6.5)
    d = DocumentFeatures("hedging", segmentation="lines").fit()
    assert d.get_feature_names_out()[0].startswith("hedging__") and d.transform([DOC]).shape == (1, 3 * 8)


@pytest.mark.nltk
def test_document_explain_offsets_are_document_offsets():
    from framing.features.document import DocumentFeatures

    d = DocumentFeatures("frames").fit()
    cues = d.explain(DOC)
    assert [c.words for c in cues] == ["Police", "arrested", "bank", "fraud", "carbon tax", "tax", "voters"]
    for c in cues:
        assert DOC[c.start : c.end] == c.words
    assert d.explain_many([DOC, ""])[1] == []


def test_document_features_reject_bad_parameters():
    from framing.features.document import DocumentFeatures

    for bad in (
        DocumentFeatures("nonsense"),
        DocumentFeatures("frames", aggregations=("median",)),
        DocumentFeatures("frames", aggregations=()),
        DocumentFeatures("frames", aggregations="mean"),
        DocumentFeatures("frames", aggregations=("mean", "mean")),
        DocumentFeatures("frames", segmentation="words"),
    ):
        with pytest.raises(ValueError):
            bad.fit()
    with pytest.raises(NotFittedError):
        DocumentFeatures("frames").transform([DOC])


# --------------------------------------------------------------------------- the scikit-learn contract

TEXTS = [
    "The court ruled the new law unconstitutional. Lawyers for the plaintiffs welcomed the ruling.",
    "Police arrested three suspects after the robbery. Prosecutors will seek prison terms.",
    "Troops and missiles massed on the border. The army fears an invasion.",
    "Inflation and taxes hit the economy. Investors sold stocks as prices rose.",
    "Voters backed the Republican candidate. The senator won the election easily.",
    "Hospitals filled with patients as the pandemic spread. Doctors urged vaccination.",
] * 4
LABELS = np.array([0, 0, 1, 1, 0, 1] * 4)


def _estimators():
    from framing.features.document import DocumentFeatures
    from framing.features.frames import FrameLexiconFeatures

    return [FrameLexiconFeatures(), DocumentFeatures("frames"), DocumentFeatures(FrameLexiconFeatures(), aggregations=("pooled",))]


@pytest.mark.nltk
@pytest.mark.parametrize("index", [0, 1, 2])
def test_contract(index):
    est = _estimators()[index]
    params = est.get_params(deep=False)
    with pytest.raises(NotFittedError):
        est.transform(TEXTS[:2])
    cloned = clone(est)
    assert cloned.get_params(deep=False).keys() == params.keys()
    X = est.fit(TEXTS).transform(TEXTS)
    assert est.get_params(deep=False) == params  # fit changes no parameter
    assert X.shape == (len(TEXTS), len(est.get_feature_names_out()))
    again = pickle.loads(pickle.dumps(est))
    assert np.array_equal(again.transform(TEXTS), X)
    with pytest.raises(ValueError):
        est.transform(TEXTS[0])  # a single string
    with pytest.raises(ValueError):
        est.transform([TEXTS[0], 3])
    pipe = Pipeline([("f", clone(est)), ("clf", LogisticRegression(max_iter=500))]).fit(TEXTS, LABELS)
    assert pipe.predict(TEXTS).shape == (len(TEXTS),)
    union = FeatureUnion([("f", clone(est)), ("tfidf", TfidfVectorizer())]).fit(TEXTS)
    assert union.transform(TEXTS).shape[1] == X.shape[1] + len(union.transformer_list[1][1].vocabulary_)


@pytest.mark.nltk
def test_document_features_in_grid_search():
    from framing.features.document import DocumentFeatures

    pipe = Pipeline([("f", DocumentFeatures("frames")), ("clf", LogisticRegression(max_iter=500))])
    grid = GridSearchCV(pipe, {"f__aggregations": [("mean",), ("pooled", "share")]}, cv=2).fit(TEXTS, LABELS)
    assert grid.best_params_["f__aggregations"] in [("mean",), ("pooled", "share")]
    from framing.features.frames import FrameLexiconFeatures

    assert "family__lexicon" in DocumentFeatures(FrameLexiconFeatures()).get_params(deep=True)


# --------------------------------------------------------------------------- folds


def _assert_stratified(in_fold: np.ndarray, share: np.ndarray) -> None:
    rare = share <= 12
    assert np.all(np.abs(in_fold[rare] - share[rare]) <= 1), (in_fold, share)
    assert np.all(in_fold[~rare] >= 0.6 * share[~rare]), (in_fold, share)


def test_multilabel_folds_partition_articles_and_balance_every_frame():
    from framing.tasks.frames import ArticleMultilabelStratifiedKFold

    rng = np.random.default_rng(0)
    y = (rng.random((200, 14)) < np.linspace(0.05, 0.6, 14)).astype(int)
    ids = np.array([f"a{i}" for i in range(200)], dtype=object)
    splitter = ArticleMultilabelStratifiedKFold(5, random_state=42)
    folds = list(splitter.split(np.zeros(200), y, groups=ids))
    assert len(folds) == splitter.get_n_splits() == 5
    tests = np.concatenate([te for _, te in folds])
    assert sorted(tests) == list(range(200))
    for tr, te in folds:
        assert not set(tr) & set(te)
        # iterative stratification deals the rarest labels first: they are even to
        # one article; frequent labels absorb the rest but keep most of their share
        _assert_stratified(y[te].sum(axis=0), y.sum(axis=0) / 5)
    again = list(ArticleMultilabelStratifiedKFold(5, random_state=42).split(np.zeros(200), y, groups=ids))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))  # seeded
    with pytest.raises(ValueError, match="one row per article"):
        list(splitter.split(np.zeros(200), y, groups=np.array(["same"] * 200)))
    with pytest.raises(ValueError, match="indicator"):
        list(splitter.split(np.zeros(200), y[:, 0], groups=ids))


def test_genre_folds_give_every_fold_its_satire():
    from framing.tasks.frames import ArticleStratifiedKFold

    y = np.array(["opinion"] * 382 + ["reporting"] * 41 + ["satire"] * 10, dtype=object)
    ids = np.arange(len(y))
    for _, te in ArticleStratifiedKFold(5, random_state=42).split(None, y, groups=ids):
        counts = Counter(y[te])
        assert counts["satire"] == 2 and counts["reporting"] in (8, 9)
    with pytest.raises(ValueError, match="one row per article"):
        list(ArticleStratifiedKFold(5).split(None, y, groups=np.zeros(len(y))))


# --------------------------------------------------------------------------- tasks


def _doc(id_, text, **meta):
    return Document(id_, text, metadata={"subtask": 2, **meta}, labelled="frames" in meta or "genre" in meta)


def test_frames_task_rows_scores_decoding_and_official_format():
    from framing.tasks import FramesTask

    task = FramesTask()
    docs = [_doc("1", "A text.", frames=("Economic", "Political")), _doc("2", "Another.", frames=("Morality",))]
    ex = task.examples(docs, SEMEVAL2023_FRAMES, "lines")
    assert ex.y.shape == (2, 14) and ex.y[0, 0] == 1 and ex.y[0, SEMEVAL2023_FRAMES.index("Political")] == 1
    assert list(ex.X["text"]) == ["A text.", "Another."] and list(ex.refs["end"]) == [7, 8]
    assert np.array_equal(task.stratification_labels(ex.y), ex.y)
    # an empty prediction gets its best-scoring frame
    y_pred = np.zeros((2, 14), dtype=int)
    y_pred[0, 0] = 1
    y_score = np.tile(np.linspace(0, 1, 14), (2, 1))
    decoded = task.decode(ex, y_pred, y_score, None)
    assert decoded[0].tolist() == y_pred[0].tolist() and np.flatnonzero(decoded[1]).tolist() == [13]
    assert FramesTask(min_frames=0).decode(ex, y_pred, y_score, None)[1].sum() == 0
    scores = task.score(ex, decoded, y_score, None)
    # gold {Economic, Political}, {Morality}; predicted {Economic}, {External...}: 1 TP, 1 FP, 2 FN
    assert scores.metrics["micro_precision"] == pytest.approx(1 / 2)
    assert scores.metrics["micro_recall"] == pytest.approx(1 / 3)
    assert scores.metrics["micro_f1"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert len(scores.per_class) == 14
    name, content = task.official_predictions(ex, decoded)
    assert name == "predictions-subtask-2.txt"
    assert content == "1\tEconomic\n2\tExternal_regulation_and_reputation\n"
    unlabelled = task.examples([Document("3", "x", metadata={"subtask": 2}, labelled=False)], SEMEVAL2023_FRAMES, "lines")
    assert unlabelled.y is None
    with pytest.raises(ValueError, match="subtask 2"):
        task.examples([Document("4", "x", metadata={"subtask": 3}, labelled=True)], SEMEVAL2023_FRAMES, "lines")


def test_genre_task_rows_scores_and_official_format():
    from framing.tasks import GenreTask

    task = GenreTask()
    docs = [_doc(str(i), f"Text {i}.", genre=g) for i, g in enumerate(["opinion", "opinion", "reporting", "satire"])]
    ex = task.examples(docs, SEMEVAL2023_GENRES, "lines")
    assert list(ex.y) == ["opinion", "opinion", "reporting", "satire"]
    pred = np.array(["opinion", "reporting", "reporting", "opinion"], dtype=object)
    scores = task.score(ex, pred, None, None)
    # opinion P 1/2 R 1/2 F1 1/2; reporting P 1/2 R 1 F1 2/3; satire 0: macro over the 3 present classes
    assert scores.metrics["macro_f1"] == pytest.approx((1 / 2 + 2 / 3 + 0) / 3)
    assert scores.metrics["micro_f1"] == pytest.approx(2 / 4)
    assert task.official_predictions(ex, pred) == ("predictions-subtask-1.txt", "0\topinion\n1\treporting\n2\treporting\n3\topinion\n")
    with pytest.raises(ValueError, match="subtask 1"):
        task.examples([Document("9", "x", metadata={"subtask": 2}, labelled=True)], SEMEVAL2023_GENRES, "lines")


# --------------------------------------------------------------------------- configs


def test_task_configs_choose_the_subtask_language_and_features():
    from omegaconf import OmegaConf

    from framing.config import compose

    def resolved(*overrides):
        return OmegaConf.to_container(compose(list(overrides)), resolve=True)

    cfg = resolved("dataset=semeval2023_en", "task=frames")
    assert cfg["dataset"]["subtask"] == 2 and cfg["dataset"]["reader"]["subtask"] == 2
    assert set(cfg["features"]) == {"tfidf_words"}  # language-independent default
    doc_all = resolved("dataset=semeval2023_en", "task=frames", "features=doc_all")["features"]
    assert set(doc_all) == {"tfidf_words", "doc_frames", "doc_loaded", "doc_agency", "doc_hedging", "doc_style"}
    assert resolved("dataset=semeval2023_en", "task=genre")["dataset"]["reader"]["subtask"] == 1
    assert resolved("dataset=semeval2023_en", "task=slc")["dataset"]["reader"]["subtask"] == 3
    assert set(resolved("dataset=semeval2023_en", "task=genre", "features=[tfidf_chars]")["features"]) == {"tfidf_chars"}
    fr = resolved("dataset=semeval2023_en", "dataset.language=fr", "task=frames")["dataset"]
    assert fr["name"] == "semeval2023_fr" and fr["reader"]["language"] == "fr"
    it = resolved("dataset=semeval2023_it", "task=genre")["dataset"]
    assert it["name"] == "semeval2023_it" and it["reader"]["language"] == "it" and it["reader"]["subtask"] == 1


# --------------------------------------------------------------------------- end to end on a small corpus

TOPICS = {
    "Economic": "Inflation and taxes squeezed the economy, and investors worried about prices and budget deficits.",
    "Crime_and_punishment": "Police arrested the suspects, and prosecutors said they face prison for the fraud.",
    "Security_and_defense": "Troops and missiles gathered at the border as the army prepared for war.",
    "Political": "Voters in the election backed the senator, and the party campaign celebrated.",
}
GENRE_STYLE = {
    "opinion": "I think this is a disgrace, and we must say so.",
    "reporting": "Officials said on Tuesday that the figures were published.",
    "satire": "In a shocking twist, the spoon declared itself president of the kitchen.",
}


@pytest.fixture(scope="module")
def mini_release(tmp_path_factory) -> Path:
    """A SemEval-2023-layout English release of 30 train and 3 dev articles (subtasks 1 and 2)."""
    root = tmp_path_factory.mktemp("semeval2023_task3")
    lang = root / "en"
    topics = list(TOPICS)
    genres = ["opinion"] * 18 + ["reporting"] * 8 + ["satire"] * 4
    labels1, labels2 = [], []
    for subtask in (1, 2):
        for split in ("train", "dev"):
            (lang / f"{split}-articles-subtask-{subtask}").mkdir(parents=True)
    for i in range(33):
        split = "train" if i < 30 else "dev"
        frames = [topics[i % 4], topics[(i // 4) % 4]] if i % 3 else [topics[i % 4]]
        frames = list(dict.fromkeys(frames))
        genre = genres[i % 30]
        title = f"Article {i}: news of the day"
        body = "\n\n".join([title] + [TOPICS[f] for f in frames] + [GENRE_STYLE[genre]])
        for subtask in (1, 2):
            (lang / f"{split}-articles-subtask-{subtask}" / f"article{1000 + i}.txt").write_text(body + "\n", encoding="utf-8")
        if split == "train":
            labels1.append(f"{1000 + i}\t{genre}")
            labels2.append(f"{1000 + i}\t{','.join(frames)}")
    (lang / "train-labels-subtask-1.txt").write_text("\n".join(labels1) + "\n", encoding="utf-8")
    (lang / "train-labels-subtask-2.txt").write_text("\n".join(labels2) + "\n", encoding="utf-8")
    return root


def _files(client, run_id, path=""):
    out = []
    for item in client.list_artifacts(run_id, path):
        out.extend(_files(client, run_id, item.path) if item.is_dir else [item.path])
    return out


@pytest.mark.nltk
@pytest.mark.parametrize("task", ["frames", "genre"])
def test_run_cross_validates_and_logs_to_mlflow(mini_release, tracking_uri, task):
    from mlflow.tracking import MlflowClient

    from framing.config import compose
    from framing.experiment import run

    cfg = compose([
        "dataset=semeval2023_en", f"dataset.reader.root={mini_release}", f"task={task}",
        "features=[tfidf_words,doc_frames]", "cv.folds=3", f"tracking.uri={tracking_uri}",
        "tracking.log_model=false", f"report_articles={1 if task == 'frames' else 0}",
    ])
    result = run(cfg)
    main = {"frames": "cv_micro_f1", "genre": "cv_macro_f1"}[task]
    assert result.main_metric == main
    assert 0.0 <= result.metrics[main] <= 1.0 and result.metrics[f"{main}_std"] >= 0.0
    assert result.metrics["n_train"] == 30
    if task == "frames":
        assert result.metrics[main] > 0.9  # the topics are separable by their words
        assert {"cv_macro_f1", "cv_micro_precision", "cv_micro_recall"} <= set(result.metrics)
    per_class = result.scores["cv"].per_class
    assert [r["label"] for r in per_class] == list(SEMEVAL2023_FRAMES if task == "frames" else SEMEVAL2023_GENRES)
    client = MlflowClient(tracking_uri)
    logged = client.get_run(result.run_id)
    assert logged.info.status == "FINISHED" and logged.data.metrics[main] == pytest.approx(result.metrics[main])
    assert logged.data.params["dataset.subtask"] == ("2" if task == "frames" else "1")
    files = set(_files(client, result.run_id))
    official = "predictions-subtask-2.txt" if task == "frames" else "predictions-subtask-1.txt"
    assert {"metrics/cv_per_class.json", f"predictions/cv/{official}", "predictions/cv/readable.tsv"} <= files
    lines = client.download_artifacts(result.run_id, f"predictions/cv/{official}")
    rows = Path(lines).read_text().splitlines()
    assert len(rows) == 30 and all(r.split("\t")[0].startswith("10") for r in rows)


@pytest.mark.nltk
def test_predict_frames_of_a_fitted_model(mini_release):
    from framing.config import compose
    from framing.experiment import feature_columns, load_corpus, make_task
    from framing.models import build_pipeline, to_python
    from framing.tasks.frames import predict_frames

    cfg = compose(["dataset=semeval2023_en", f"dataset.reader.root={mini_release}", "task=frames",
                   "features=[tfidf_words,doc_frames]"])
    task, corpus = make_task(cfg.task), load_corpus(cfg.dataset)
    train = task.examples(corpus["train"], corpus.labels, "lines")
    features = to_python(cfg.features)
    model = build_pipeline(features, cfg.model, columns=feature_columns(task, features), multilabel=True, seed=0)
    model.fit(train.X, train.y)
    found = predict_frames(model, TOPICS["Security_and_defense"] + "\n" + TOPICS["Security_and_defense"])
    assert found and found[0][0] == "Security_and_defense"
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    with pytest.raises(ValueError, match="frames"):
        predict_frames(model, "text", labels=["Economic"])


@pytest.mark.nltk
def test_analyzer_reports_the_frames_of_a_frames_model(mini_release):
    import json

    from framing import analyze as an
    from framing.report.analysis_html import render_html
    from framing.report.terminal import render_text
    from framing.tracking.registry import StoredModel
    from framing.config import compose
    from framing.experiment import feature_columns, load_corpus, make_task
    from framing.models import build_pipeline, to_python

    cfg = compose(["dataset=semeval2023_en", f"dataset.reader.root={mini_release}", "task=frames"])
    task, corpus = make_task(cfg.task), load_corpus(cfg.dataset)
    train = task.examples(corpus["train"], corpus.labels, "lines")
    features = to_python(cfg.features)
    pipeline = build_pipeline(features, cfg.model, columns=feature_columns(task, features), multilabel=True, seed=0)
    pipeline.fit(train.X, train.y)
    card = {"task": "frames", "kind": "multilabel", "labels": list(SEMEVAL2023_FRAMES),
            "dataset": "semeval2023_en", "train_split": "train"}
    model = an.as_analyzer_model(StoredModel(pipeline, card, "runs:/x/model"), None)
    assert model.role == "frames"
    analyzer = an.Analyzer.from_models([model])
    text = TOPICS["Economic"] + "\n" + TOPICS["Economic"]
    doc = analyzer.analyze(an.Article("economy.txt", "economy", text))
    assert doc["models"]["frames"]["labels"] == list(SEMEVAL2023_FRAMES)
    assert [f["frame"] for f in doc["frames"]][0] == "Economic" and doc["frames"][0]["predicted"]
    assert len(doc["frames"]) == 14 and all(0 <= f["probability"] <= 1 for f in doc["frames"])
    assert "frames (article): Economic" in render_text(doc)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(json.loads(an.to_json(doc)), an.load_schema())
    # without a frames model the document has no frames keys (unchanged schema 1.0 documents)
    plain = an.Analyzer().analyze(an.Article("economy.txt", "economy", text))
    assert "frames" not in plain and "frames" not in plain["models"]


# --------------------------------------------------------------------------- the English release


@pytest.mark.corpus
def test_english_release_counts_and_folds(shared_data):
    from framing.data.semeval2023 import read_semeval2023
    from framing.tasks import FramesTask, GenreTask

    root = shared_data / "semeval2023_task3"
    genre_corpus = read_semeval2023(root, "en", 1, ("train",))
    frames_corpus = read_semeval2023(root, "en", 2, ("train",))
    genre = GenreTask().examples(genre_corpus["train"], genre_corpus.labels, "lines")
    frames = FramesTask().examples(frames_corpus["train"], frames_corpus.labels, "lines")
    assert len(genre) == len(frames) == 433  # SOURCE.md
    assert Counter(genre.y) == {"opinion": 382, "reporting": 41, "satire": 10}  # SOURCE.md
    assert frames.y.sum(axis=1).min() >= 1  # every article has a frame (FramesTask.min_frames relies on it)
    for _, te in GenreTask().cv_splitter(5, 42).split(genre.X, genre.y, groups=genre.doc_ids):
        assert Counter(genre.y[te])["satire"] == 2
    support = frames.y.sum(axis=0)
    for _, te in FramesTask().cv_splitter(5, 42).split(frames.X, frames.y, groups=frames.doc_ids):
        _assert_stratified(frames.y[te].sum(axis=0), support / 5)


def frame_lexicon_sanity(root: Path) -> list[dict]:
    """Per frame: article cue rates (per 1,000 words) with and without the frame, AUC, coverage.

    Articles: SemEval-2023 English train, subtask 2; rates from
    ``DocumentFeatures("frames", aggregations=("pooled",))`` (Punkt sentences).
    """
    from sklearn.metrics import roc_auc_score

    from framing.data.semeval2023 import read_semeval2023
    from framing.features.document import DocumentFeatures
    from framing.tasks import FramesTask

    corpus = read_semeval2023(root, "en", 2, ("train",))
    ex = FramesTask().examples(corpus["train"], corpus.labels, "lines")
    X = DocumentFeatures("frames", aggregations=("pooled",)).fit().transform(list(ex.X["text"]))
    rows = []
    for j, frame in enumerate(corpus.labels):
        x, y = X[:, j], ex.y[:, j]
        rows.append({"frame": frame, "articles": int(y.sum()), "with": float(x[y == 1].mean()),
                     "without": float(x[y == 0].mean()), "auc": float(roc_auc_score(y, x)),
                     "covered": float((x[y == 1] > 0).mean())})
    return rows


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.nltk
def test_every_frame_cue_rate_is_higher_in_articles_with_the_frame(shared_data):
    rows = frame_lexicon_sanity(shared_data / "semeval2023_task3")
    assert sum(r["articles"] for r in rows) == 1615  # frame labels of the 433 train articles
    for r in rows:
        # a category whose cues are not denser where annotators saw the frame needs revising
        assert r["with"] > r["without"] and r["auc"] > 0.5, r


if __name__ == "__main__":
    import os

    data = os.environ.get("FRAMING_DATA")
    if not data:
        raise SystemExit("set FRAMING_DATA to the folder holding semeval2023_task3/")
    print("| frame | articles with it | rate with (per 1k words) | rate without | ratio | AUC | articles with it that have a cue (%) |")
    print("|---|---|---|---|---|---|---|")
    for r in frame_lexicon_sanity(Path(data) / "semeval2023_task3"):
        print(f"| {r['frame']} | {r['articles']} | {r['with']:.2f} | {r['without']:.2f} | "
              f"{r['with'] / r['without']:.1f} | {r['auc']:.2f} | {100 * r['covered']:.0f} |")

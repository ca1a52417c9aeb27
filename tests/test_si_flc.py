"""SI and FLC tasks: token rows, tags, decoding into spans, token features, end-to-end runs."""

from __future__ import annotations

import csv
import io
import pickle

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from framing.config import compose
from framing.data.model import Document, Span
from framing.experiment import load_corpus, run
from framing.features import default_families
from framing.features.token import TokenFeatures, check_token_table, word_shape
from framing.models import build_pipeline, to_python
from framing.tasks import FLCTask, SITask
from framing.tasks.flc import technique_of, technique_scores
from framing.tasks.spans import infer_span_task, predict_spans, span_task_from_card
from framing.tasks.tagging import covering_span, token_table
from framing.text import annotate

# Line 1 is a title, line 2 blank, then two sentences on their own lines (the PTC layout).
TEXT = "Rally news\n\nThe corrupt elites lied again.\nWe must fight back, now!\n"
#        0123456789 0 1
#                     12: "The" [12,15) "corrupt" [16,23) "elites" [24,30) "lied" [31,35) "again" [36,41) "." [41,42)
#                     43: "We" [43,45) "must" [46,50) "fight" [51,56) "back" [57,61) "," [61,62) "now" [63,66) "!" [66,67)


def doc(spans=(), metadata=None, doc_id="1"):
    return Document(doc_id, TEXT, tuple(spans), metadata or {})


@pytest.fixture()
def table():
    return token_table([doc()], "lines")


# --------------------------------------------------------------------------- rows and gold tags


def test_token_table_has_exact_offsets(table):
    assert list(table["text"]) == [
        "Rally", "news", "The", "corrupt", "elites", "lied", "again", ".",
        "We", "must", "fight", "back", ",", "now", "!",
    ]
    for row in table.itertuples():
        assert TEXT[row.start : row.end] == row.text
        assert TEXT[row.sentence_start : row.sentence_start + len(row.sentence)] == row.sentence
        assert row.sentence[row.start - row.sentence_start : row.end - row.sentence_start] == row.text
    assert list(table["index"]) == [0, 1, 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6]
    assert sorted(set(table["sentence_start"])) == [0, 12, 43]
    # one shared str object per sentence
    rows = table[table["sentence_start"] == 12]["sentence"]
    assert len({id(s) for s in rows}) == 1


def test_covering_span_prefers_the_shortest_span():
    starts, ends = np.array([0, 4, 8, 13]), np.array([3, 7, 12, 15])
    # span 0 covers tokens 0-2, span 1 token 1 only, span 2 touches no token (ends where token 3 starts)
    assert covering_span(starts, ends, [(0, 12), (4, 7), (12, 13)]).tolist() == [0, 1, 0, -1]
    # a span ending inside a token still covers it
    assert covering_span(starts, ends, [(5, 9)]).tolist() == [-1, 0, 0, -1]


def test_si_gold_tags_io_and_bio():
    # "corrupt elites" [16,30) and "fight back" [51,61)
    d = doc([Span(16, 30, "Name_Calling,Labeling"), Span(51, 61, "Slogans")])
    ex = SITask().examples([d], (), "lines")
    assert ex.y.tolist() == [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]
    assert ex.meta["gold"] == {"1": [(16, 30), (51, 61)]}
    assert ex.labels == ("O", "I")
    assert list(ex.X.columns) == ["text", "sentence", "index"]
    bio = SITask(tagging="bio").examples([d], (), "lines")
    assert bio.y.tolist() == ["O", "O", "O", "B", "I", "O", "O", "O", "O", "O", "B", "I", "O", "O", "O"]


def test_si_gold_prefers_the_semeval2020_si_spans():
    # SemEval-2020 documents carry the (merged) SI gold in metadata; spans are the TC gold
    d = doc([Span(16, 23, "Loaded_Language")], {"si_spans": (Span(12, 30),)})
    ex = SITask().examples([d], (), "lines")
    assert ex.meta["gold"] == {"1": [(12, 30)]}
    assert ex.y.tolist()[:6] == [0, 0, 1, 1, 1, 0]


def test_flc_gold_tags_take_the_shortest_technique():
    # Doubt over the whole sentence, Loaded_Language on "corrupt"
    d = doc([Span(12, 42, "Doubt"), Span(16, 23, "Loaded_Language")])
    ex = FLCTask().examples([d], ("Doubt", "Loaded_Language"), "lines")
    assert ex.y.tolist()[2:8] == ["Doubt", "Loaded_Language", "Doubt", "Doubt", "Doubt", "Doubt"]
    assert ex.labels == ("Doubt", "Loaded_Language")
    bio = FLCTask(tagging="bio").examples([d], ("Doubt", "Loaded_Language"), "lines")
    assert bio.y.tolist()[2:8] == ["B-Doubt", "B-Loaded_Language", "B-Doubt", "I-Doubt", "I-Doubt", "I-Doubt"]


def test_unlabelled_documents_have_no_gold():
    d = Document("9", TEXT, (), {}, labelled=False)
    ex = SITask().examples([d], (), "lines")
    assert ex.y is None and ex.meta["gold"] is None and len(ex) == 15


# --------------------------------------------------------------------------- decoding


def tags(*inside):
    out = np.zeros(15, dtype=np.int64)
    out[list(inside)] = 1
    return out


def spans_of(task, y, d=None):
    ex = task.examples([d or doc()], (), "lines")
    return task.spans_by_article(ex, y)["1"]


def test_runs_become_character_spans():
    # tokens 3-4: "corrupt elites" [16,30); token 10: "fight" [51,56)
    assert spans_of(SITask(), tags(3, 4, 10)) == [(16, 30), (51, 56)]
    assert TEXT[16:30] == "corrupt elites"


def test_spans_continue_across_a_line_break_only_when_asked():
    # "again ." at the end of line 3 and "We must" at the start of line 4
    assert spans_of(SITask(), tags(6, 7, 8, 9)) == [(36, 50)]
    assert TEXT[36:50] == "again.\nWe must"
    assert spans_of(SITask(join_lines=False), tags(6, 7, 8, 9)) == [(36, 41), (43, 50)]
    # the title's last token and the next sentence's first: line 2 is blank, still consecutive sentences
    assert spans_of(SITask(), tags(1, 2)) == [(6, 15)]


def test_edge_punctuation_is_trimmed():
    # "back , now" keeps the inner comma; "back ," loses it; "." alone is dropped
    assert spans_of(SITask(), tags(11, 12, 13)) == [(57, 66)]
    assert spans_of(SITask(), tags(11, 12)) == [(57, 61)]
    assert spans_of(SITask(join_lines=False), tags(7)) == []
    assert spans_of(SITask(trim_punctuation=False), tags(11, 12)) == [(57, 62)]


def test_bio_begin_tag_splits_adjacent_spans():
    y = np.array(["O"] * 15, dtype=object)
    y[3], y[4], y[5] = "B", "I", "B"
    assert spans_of(SITask(tagging="bio"), y) == [(16, 30), (31, 35)]
    # an I after O starts a span too
    y = np.array(["O"] * 15, dtype=object)
    y[4] = "I"
    assert spans_of(SITask(tagging="bio"), y) == [(24, 30)]


def test_threshold_decides_on_probability_of_inside():
    ex = SITask().examples([doc()], (), "lines")
    p_inside = np.full(15, 0.1)
    p_inside[[3, 4]] = 0.35
    y_score = np.column_stack([1 - p_inside, p_inside])
    y_pred = (p_inside >= 0.5).astype(int)
    assert SITask().decode(ex, y_pred, y_score, [0, 1]).tolist() == [0] * 15
    decoded = SITask(threshold=0.3).decode(ex, y_pred, y_score, [0, 1])
    assert decoded.tolist() == tags(3, 4).tolist()
    spans = SITask(threshold=0.3).predicted_spans(ex, decoded, y_score, [0, 1])
    assert [(s.start, s.end, s.score) for s in spans] == [(16, 30, pytest.approx(0.35))]
    # decision values are not probabilities: the threshold is not applied to them
    decision = np.column_stack([-(p_inside - 0.5), p_inside - 0.5])
    assert SITask(threshold=0.3).decode(ex, y_pred, decision, [0, 1]).tolist() == [0] * 15


def test_task_parameters_are_checked():
    with pytest.raises(ValueError, match="tagging"):
        SITask(tagging="bioes")
    with pytest.raises(ValueError, match="threshold"):
        SITask(threshold=1.5)
    with pytest.raises(ValueError, match="technique_decoding"):
        FLCTask(technique_decoding="sentence")


def test_official_si_and_flc_formats():
    unlabelled = Document("1", TEXT, labelled=False)
    ex = SITask().examples([unlabelled], (), "lines")
    name, content = SITask().official_predictions(ex, tags(3, 4, 10))
    assert name == "predictions-si.txt"
    assert list(csv.reader(io.StringIO(content), delimiter="\t")) == [["1", "16", "30"], ["1", "51", "56"]]
    # a labelled article without gold spans has no line in the official gold file: its spans are left out
    gold_less = SITask().examples([doc()], (), "lines")
    assert SITask().official_predictions(gold_less, tags(3, 4, 10))[1] == ""
    scores = SITask().score(gold_less, tags(3, 4, 10), None, None)
    assert scores.metrics["precision_all_articles"] == 0.0 and scores.metrics["f1"] == 1.0  # nothing to find, nothing submitted
    assert "not in the SI submission file" in scores.notes[0]
    fex = FLCTask().examples([doc()], ("Doubt",), "lines")
    y = np.array(["O"] * 15, dtype=object)
    y[3:5] = "Loaded_Language"
    name, content = FLCTask().official_predictions(fex, y)
    assert name == "predictions-flc.txt"
    assert content == "1\tLoaded_Language\t16\t30\n"


def test_si_score_uses_the_character_gold():
    # gold "corrupt elites lied" [16,35); predicted "corrupt elites" [16,30): P = 14/14, R = 14/19
    d = doc([Span(16, 35, "Doubt")])
    task = SITask()
    ex = task.examples([d], (), "lines")
    m = task.score(ex, tags(3, 4), None, None).metrics
    assert (m["precision"], m["recall"]) == pytest.approx((1.0, 14 / 19))


def test_flc_run_decoding_gives_one_technique_per_span():
    fex = FLCTask().examples([doc()], ("A", "B"), "lines")
    classes = ["A", "B", "O"]
    y_score = np.tile([0.0, 0.0, 1.0], (15, 1))
    # "corrupt elites lied": argmax A, B, A; summed A = 1.3 > B = 1.1
    y_score[3] = [0.5, 0.3, 0.2]
    y_score[4] = [0.3, 0.5, 0.2]
    y_score[5] = [0.5, 0.3, 0.2]
    y_pred = np.array(classes, dtype=object)[y_score.argmax(axis=1)]
    run = FLCTask().decode(fex, y_pred, y_score, classes)
    assert run.tolist()[3:6] == ["A", "A", "A"]
    assert FLCTask().spans_by_article(fex, run)["1"] == [(16, 35, "A")]
    token = FLCTask(technique_decoding="token").decode(fex, y_pred, y_score, classes)
    assert FLCTask().spans_by_article(fex, token)["1"] == [(16, 23, "A"), (24, 30, "B"), (31, 35, "A")]
    spans = FLCTask().predicted_spans(fex, run, y_score, classes)
    assert spans[0].score == pytest.approx((0.5 + 0.3 + 0.5) / 3)
    # a threshold on 1 - P(O) widens the span: token 6 has P(O) = 0.6
    y_score[6] = [0.1, 0.3, 0.6]
    wide = FLCTask(threshold=0.35).decode(fex, y_pred, y_score, classes)
    assert FLCTask().spans_by_article(fex, wide)["1"] == [(16, 41, "A")]


def test_flc_bio_decoding_and_scoring():
    d = doc([Span(16, 30, "A"), Span(51, 61, "B")])
    task = FLCTask(tagging="bio")
    fex = task.examples([d], ("A", "B"), "lines")
    tags_ = task.decode(fex, fex.y, None, None)
    assert tags_.tolist()[3:5] == ["B-A", "I-A"]
    assert task.score(fex, tags_, None, None).metrics["micro_f1"] == 1.0


def test_technique_helpers():
    assert technique_of("B-Doubt") == "Doubt" and technique_of("I-Doubt") == "Doubt"
    assert technique_of("Bandwagon") == "Bandwagon" and technique_of("O") == "O"
    techniques, scores = technique_scores(np.array([[0.1, 0.2, 0.3, 0.4]]), ["B-X", "I-X", "O", "Y"])
    assert techniques == ["X", "Y"] and scores.tolist() == [[pytest.approx(0.3), 0.4]]


# --------------------------------------------------------------------------- token features

SENTENCE = 'The corrupt elites lied "again".'
# tokens: The corrupt elites lied " again " .  (8)


def token_frame(sentence=SENTENCE, n=8):
    return pd.DataFrame({"sentence": [sentence] * n, "index": range(n)})


def test_token_features_exact_values():
    tf = TokenFeatures(min_count=1).fit(token_frame())
    dicts = list(tf.feature_dicts(token_frame()))
    first, again, last = dicts[0], dicts[5], dicts[7]
    assert (first["w[-2]"], first["w[-1]"], first["w[0]"], first["w[+1]"], first["w[+2]"]) == (
        "<s>", "<s>", "the", "corrupt", "elites")
    assert first["w[-1]|w"] == "<s>|the" and first["w|w[+1]"] == "the|corrupt"
    assert first["pos[0]"] == "DT" and first["pos[-1]|pos"] == "<s>|DT"
    assert first["shape"] == "Xx" and first["title"] == 1.0 and first["first"] == 1.0
    assert first["rel_position"] == 0.0 and "prefix" not in first  # "the" is not longer than 3
    assert dicts[1]["prefix"] == "cor" and dicts[1]["suffix"] == "upt"
    # "again" sits between an opening and a closing quote
    assert again["in_quotes"] == 1.0 and "in_quotes" not in dicts[4] and "in_quotes" not in dicts[6]
    assert again["rel_position"] == pytest.approx(5 / 7)
    assert last["w[+1]"] == "</s>" and last["last"] == 1.0 and last["punct"] == 1.0
    assert last["sent_len"] == "6-10"
    neg, _, pos, compound = annotate([SENTENCE])[0].sentiment
    assert (last["vader_neg"], last["vader_pos"], last["vader_compound"]) == (neg, pos, compound)


def test_token_cues_match_the_families_explain():
    tf = TokenFeatures(min_count=1).fit(token_frame())
    dicts = list(tf.feature_dicts(token_frame()))
    offsets = annotate([SENTENCE])[0].offsets
    cues = [c for f in default_families() for c in f.fit().explain(SENTENCE)]
    assert cues, "the test sentence should fire some cue"
    for i, (a, b) in enumerate(offsets):
        expected = sorted({f"{c.family}:{c.category}" for c in cues if c.start < b and c.end > a})
        assert dicts[i].get("cue", []) == expected
        if i + 1 < len(offsets):
            assert dicts[i].get("cue[+1]", []) == dicts[i + 1].get("cue", [])
    assert dicts[0]["sent_cue"] == sorted({f"{c.family}:{c.category}" for c in cues})


def test_word_shape():
    assert word_shape("Kyiv") == "Xx" and word_shape("1,200") == "d,d" and word_shape("NATO's") == "X'x"


def test_token_features_contract():
    X = token_frame()
    tf = TokenFeatures(window=1, min_count=1)
    params = tf.get_params()
    with pytest.raises(NotFittedError):
        tf.transform(X)
    fitted = clone(tf).fit(X)
    assert clone(tf).get_params() == params and fitted.get_params() == params
    out = fitted.transform(X)
    assert out.shape == (8, len(fitted.get_feature_names_out()))
    again = pickle.loads(pickle.dumps(fitted))
    assert (again.transform(X) != out).nnz == 0
    # fit_transform equals fit then transform
    assert (clone(tf).fit_transform(X) != out).nnz == 0
    with pytest.raises(ValueError, match="single string"):
        fitted.transform("The corrupt elites")
    with pytest.raises(ValueError, match="columns"):
        fitted.transform(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ValueError, match="past the"):
        fitted.transform(pd.DataFrame({"sentence": [SENTENCE], "index": [8]}))
    # a 2-column array works as the table
    assert (fitted.transform(X[["sentence", "index"]].to_numpy(dtype=object)) != out).nnz == 0


def test_min_count_prunes_rare_features():
    X = pd.concat([token_frame(), token_frame("We must fight back.", 5)], ignore_index=True)
    all_names = set(TokenFeatures(min_count=1).fit(X).get_feature_names_out())
    kept = set(TokenFeatures(min_count=2).fit(X).get_feature_names_out())
    assert kept < all_names
    assert "w[0]=corrupt" in all_names and "w[0]=corrupt" not in kept
    assert "first" in kept and "sent_len=6-10" in kept


def test_token_features_in_pipeline_and_grid_search():
    X = pd.concat([token_frame(), token_frame("We must fight back.", 5)] * 4, ignore_index=True)
    y = np.array(([0, 1, 1, 0, 0, 0, 0, 0] + [0, 0, 1, 1, 0]) * 4)
    pipe = Pipeline([("f", TokenFeatures(min_count=1)), ("clf", LogisticRegression())]).fit(X, y)
    assert pipe.predict(X).shape == (52,)
    grid = GridSearchCV(pipe, {"f__window": [1, 2]}, cv=2).fit(X, y)
    assert grid.best_params_["f__window"] in (1, 2)


def test_si_tokens_read_the_token_table_in_the_pipeline_builder():
    features = to_python(compose(["task=si"]).features)
    pipe = build_pipeline(features, {"_target_": "sklearn.linear_model.LogisticRegression"})
    (name, transformer, columns), = pipe.named_steps["features"].transformers
    assert name == "si_tokens" and columns == ["sentence", "index"]
    assert isinstance(transformer, TokenFeatures)  # sparse indicators: no scaler


def test_check_token_table_rejects_bad_rows():
    with pytest.raises(ValueError, match="expected str"):
        check_token_table(pd.DataFrame({"sentence": [3], "index": [0]}))
    with pytest.raises(ValueError, match=">= 0"):
        check_token_table(pd.DataFrame({"sentence": ["a"], "index": [-1]}))


# --------------------------------------------------------------------------- configuration


def test_span_tasks_default_to_token_features():
    assert set(compose(["task=si"]).features) == {"si_tokens"}
    assert set(compose(["task=flc"]).features) == {"si_tokens"}
    # the command line still wins, and other tasks keep their default
    assert set(compose(["task=si", "features=[tfidf_words]"]).features) == {"tfidf_words"}
    assert "tfidf_words" in compose(["task=slc"]).features


# --------------------------------------------------------------------------- end to end (demo corpus)


def _artifacts(client, run_id, path=""):
    out = []
    for item in client.list_artifacts(run_id, path):
        out.extend(_artifacts(client, run_id, item.path) if item.is_dir else [item.path])
    return out


@pytest.mark.filterwarnings("ignore:Hint. Inferred schema contains integer column")
def test_si_run_on_the_demo_corpus(tracking_uri):
    cfg = compose([f"tracking.uri={tracking_uri}", "task=si", "task.threshold=0.6", "report_articles=2"])
    result = run(cfg)
    assert result.main_metric == "dev_f1"
    for split in ("dev", "test"):
        assert 0.0 < result.metrics[f"{split}_f1"] <= 1.0
    client = MlflowClient(tracking_uri)
    files = set(_artifacts(client, result.run_id))
    for expected in ("predictions/dev/predictions-si.txt", "predictions/dev/readable.tsv",
                     "metrics/dev_per_class.json", "report/articles.html"):
        assert expected in files, expected
    official = open(client.download_artifacts(result.run_id, "predictions/dev/predictions-si.txt")).read()
    rows = list(csv.reader(io.StringIO(official), delimiter="\t"))
    corpus = load_corpus(cfg.dataset)
    texts = {d.id: d.text for d in corpus["dev"]}
    assert rows and all(len(r) == 3 and r[0] in texts for r in rows)
    assert all(0 <= int(a) < int(b) <= len(texts[d]) for d, a, b in rows)
    html = open(client.download_artifacts(result.run_id, "report/articles.html"), encoding="utf-8").read()
    assert "cue-spans" in html  # predicted spans are marked in the report

    # the logged model reloads and finds the same spans in raw text
    model = mlflow.sklearn.load_model(result.model_uri)
    first = corpus["dev"][0]
    task = SITask(threshold=0.6)
    found = task.predict_spans(model, first.text, segmentation="lines", doc_id=first.id)
    assert [[first.id, str(s.start), str(s.end)] for s in found] == [r for r in rows if r[0] == first.id]
    assert all(first.text[s.start : s.end].strip() for s in found)


def test_flc_run_on_the_demo_corpus(tracking_uri):
    cfg = compose([f"tracking.uri={tracking_uri}", "task=flc", "report_articles=1", "tracking.log_model=false"])
    result = run(cfg)
    assert result.main_metric == "dev_micro_f1"
    assert 0.0 <= result.metrics["dev_micro_f1"] <= 1.0
    per_class = result.scores["dev"].per_class
    assert {r["label"] for r in per_class} >= set(load_corpus(cfg.dataset).labels)
    client = MlflowClient(tracking_uri)
    official = open(client.download_artifacts(result.run_id, "predictions/dev/predictions-flc.txt")).read()
    rows = list(csv.reader(io.StringIO(official), delimiter="\t"))
    assert all(len(r) == 4 and int(r[2]) < int(r[3]) for r in rows)


@pytest.fixture(scope="module")
def small_si_model():
    """A token tagger trained on 15 demo articles (balanced, so argmax decoding finds spans)."""
    corpus = load_corpus(compose([]).dataset)
    ex = SITask().examples(corpus["train"][:15], corpus.labels, "lines")
    model = build_pipeline({"si_tokens": {"_target_": "framing.features.token.TokenFeatures"}},
                           {"_target_": "sklearn.linear_model.LogisticRegression", "class_weight": "balanced"})
    return model.fit(ex.X, ex.y), corpus


def test_predict_spans_infers_the_task_from_the_model(small_si_model):
    model, corpus = small_si_model
    task = SITask()
    assert isinstance(infer_span_task(model), SITask) and infer_span_task(model).tagging == "io"
    text = corpus["dev"][0].text
    spans = predict_spans(model, text)
    assert spans == task.predict_spans(model, text)
    assert all(0 <= s.start < s.end <= len(text) and s.label is None for s in spans)
    assert predict_spans(model, "") == []


# --------------------------------------------------------------------------- real corpora


@pytest.mark.corpus
def test_gold_tags_decode_back_to_the_semeval2020_si_gold(shared_data):
    from framing.data.semeval2020 import read_semeval2020

    corpus = read_semeval2020(shared_data / "ptc_semeval2020", splits=("dev",))
    task = SITask()
    ex = task.examples(corpus["dev"], corpus.labels, "lines")
    assert len(ex.meta["gold"]) == 75 and sum(map(len, ex.meta["gold"].values())) == 940
    # the token tags lose almost nothing: decoding the gold tags scores SI F1 > 0.998 (measured 0.9991)
    assert task.score(ex, ex.y, None, None).metrics["f1"] > 0.998
    spans = task.predicted_spans(ex, ex.y)
    texts = {d.id: d.text for d in corpus["dev"]}
    assert all(0 <= s.start < s.end <= len(texts[s.doc_id]) for s in spans)


# --------------------------------------------------------------------------- CRF (optional extra)


def test_crf_tagger_learns_sequences_and_checks_row_order():
    pytest.importorskip("sklearn_crfsuite", reason="the optional CRF extra (sklearn-crfsuite) is not installed")
    import scipy.sparse as sp

    from framing.crf import CRFTagger

    # feature 0 marks "loaded" words, feature 1 anything else; last column: token position
    rows = [[1, 0, 0], [1, 0, 1], [0, 1, 2], [0, 1, 0], [1, 0, 1], [0, 1, 2]] * 10
    X = sp.csr_matrix(np.array(rows, dtype=float))
    y = np.array([1, 1, 0, 0, 1, 0] * 10)
    crf = CRFTagger(c1=0.0, c2=0.01, max_iterations=50).fit(X, y)
    assert crf.classes_.tolist() == [0, 1]
    assert crf.predict(X).tolist() == y.tolist()
    proba = crf.predict_proba(X)
    assert proba.shape == (60, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert (proba.argmax(axis=1) == y).all()
    again = pickle.loads(pickle.dumps(crf))
    assert np.allclose(again.predict_proba(X), proba)
    with pytest.raises(ValueError, match="text order"):
        crf.predict(sp.csr_matrix(np.array([[1, 0, 0], [1, 0, 2]], dtype=float)))


def test_crf_model_in_the_si_pipeline():
    pytest.importorskip("sklearn_crfsuite", reason="the optional CRF extra (sklearn-crfsuite) is not installed")
    corpus = load_corpus(compose([]).dataset)
    task = SITask(threshold=0.25)
    train = task.examples(corpus["train"][:12], corpus.labels, "lines")
    model = build_pipeline(to_python(compose(["task=si"]).features), to_python(compose(["model=crf"]).model))
    columns = [c for _, _, c in model.named_steps["features"].transformers]
    assert columns == [["sentence", "index"], ["index"]]  # token table, then the positions
    model.fit(train.X, train.y)
    dev = task.examples(corpus["dev"][:3], corpus.labels, "lines")
    proba = model.predict_proba(dev.X)
    assert proba.shape == (len(dev), 2)
    spans = task.predicted_spans(dev, task.decode(dev, model.predict(dev.X), proba, model.classes_), proba, model.classes_)
    texts = {d.id: d.text for d in corpus["dev"][:3]}
    assert all(0 <= s.start < s.end <= len(texts[s.doc_id]) for s in spans)


def test_span_task_from_the_model_card():
    card = {"task": "flc", "task_params": {"tagging": "bio", "threshold": 0.3, "technique_decoding": "token",
                                           "context_features": ["ignored"]}}
    task = span_task_from_card(card)
    assert isinstance(task, FLCTask) and (task.tagging, task.threshold, task.technique_decoding) == ("bio", 0.3, "token")
    assert span_task_from_card({"task": "si", "task_params": {"threshold": 0.4}}).threshold == 0.4
    with pytest.raises(ValueError, match="not a span tagger"):
        span_task_from_card({"task": "slc"})


def test_analyzer_shows_predicted_spans(small_si_model):
    from framing import analyze as an
    from framing.report.analysis_html import render_html
    from framing.report.terminal import render_text
    from framing.tracking.registry import StoredModel

    model, corpus = small_si_model
    card = {"task": "si", "kind": "binary", "labels": ["O", "I"], "dataset": "demo", "train_split": "train",
            "task_params": {"tagging": "io", "threshold": 0.6, "join_lines": True, "trim_punctuation": True}}
    spans_model = an.as_analyzer_model(StoredModel(model, card, "runs:/x/model"), None)
    assert spans_model.role == "spans"
    text = corpus["dev"][0].text
    analyzer = an.Analyzer.from_models([spans_model])
    doc = analyzer.analyze(an.Article("a.txt", "a", text))
    expected = SITask(threshold=0.6).predict_spans(model, text)
    assert expected, "the test model should find some span in the article"
    assert [(s["start"], s["end"], s["technique"]) for s in doc["spans"]] == [(s.start, s.end, None) for s in expected]
    assert all(s["text"] == text[s["start"]:s["end"]] for s in doc["spans"])
    assert doc["models"]["spans"]["uri"] == "runs:/x/model"
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(doc, an.load_schema(), cls=jsonschema.Draft202012Validator)
    assert f"spans ({len(expected)})" in render_text(doc)
    assert "cue-spans" in render_html([doc])
    # documents without a span model are unchanged
    assert "spans" not in an.Analyzer().analyze(an.Article("a.txt", "a", text))

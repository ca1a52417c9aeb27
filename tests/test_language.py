"""Language check of ``framing analyze`` (:mod:`framing.language`): English passes, other languages are named.

Inline sentences run everywhere (NLTK's stopwords corpus is a set-up
resource); the SemEval-2023 task 3 articles (English, French, German,
Italian, Polish, Russian) need the shared corpora and skip without them.
"""

from __future__ import annotations

import time

import pytest

from framing.language import ENGLISH_MIN_SHARE, MIN_WORDS, detect_language, stopword_lists

pytestmark = pytest.mark.usefixtures("nltk_data")  # the stopwords corpus

TEXTS = {
    "english": "The minister said on Monday that the talks would resume after the shelling of the city, "
               "and that the government had no plans to give in to what he called a shameful betrayal.",
    "french": "Le ministre a déclaré lundi que les négociations reprendraient après le bombardement de la ville, "
              "et que le gouvernement n'avait aucune intention de céder à ce qu'il a appelé une trahison honteuse.",
    "german": "Der Minister sagte am Montag, dass die Gespräche nach dem Beschuss der Stadt wieder aufgenommen "
              "würden und dass die Regierung nicht vorhabe, dem nachzugeben, was er einen schändlichen Verrat nannte.",
    "italian": "Il ministro ha detto lunedì che i colloqui riprenderanno dopo il bombardamento della città, e che il "
               "governo non ha alcuna intenzione di cedere a quello che ha definito un vergognoso tradimento.",
    "russian": "Министр заявил в понедельник, что переговоры возобновятся после обстрела города и что "
               "правительство не намерено уступать тому, что он назвал позорным предательством.",
    "spanish": "El ministro dijo el lunes que las conversaciones se reanudarían tras el bombardeo de la ciudad, y "
               "que el gobierno no tenía intención de ceder ante lo que calificó de una vergonzosa traición.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_each_language_is_named_and_only_english_passes(language):
    guess = detect_language(TEXTS[language])
    assert guess.language == language
    assert guess.is_english == (language == "english")
    assert 0.0 < guess.confidence <= 1.0
    doc = guess.to_dict()
    assert doc["detected"] == language and doc["english"] == (language == "english")


def test_short_texts_get_no_verdict_and_no_warning():
    guess = detect_language("Путин бомбит Сирию")  # three words: too short to tell
    assert guess.n_words < MIN_WORDS
    assert guess.language is None and guess.confidence == 0.0 and guess.is_english
    assert detect_language("").language is None
    assert detect_language("1234 5678 !!!").n_words == 0


def test_english_varieties_of_the_english_list_are_left_out():
    lists = stopword_lists()
    assert "english" in lists and "french" in lists and "russian" in lists
    assert "hinglish" not in lists  # NLTK's hinglish list holds most English stopwords: every English text would tie


def test_deterministic_and_fast():
    text = TEXTS["german"] * 200  # ~6,000 words
    first = detect_language(text)
    started = time.perf_counter()
    again = detect_language(text)
    assert time.perf_counter() - started < 0.5
    assert again == first and again.shares == first.shares


def _articles(root, lang):
    folder = root / "semeval2023_task3" / lang / "dev-articles-subtask-3"
    if not folder.is_dir():
        pytest.skip(f"{folder} missing: the SemEval-2023 task 3 corpus is needed")
    return sorted(folder.glob("*.txt"))


@pytest.mark.parametrize("lang, expected", [("fr", "french"), ("ge", "german"), ("it", "italian"),
                                            ("ru", "russian"), ("po", None)])
def test_semeval2023_articles_in_other_languages_are_not_english(shared_data, lang, expected):
    paths = _articles(shared_data, lang)
    guesses = [detect_language(p.read_text(encoding="utf-8")) for p in paths]
    assert not [p.name for p, g in zip(paths, guesses) if g.is_english]  # every one warns
    if expected:  # Polish has no NLTK list: not English, but no name to expect
        assert sum(g.language == expected for g in guesses) == len(guesses)
    assert max(g.english_share for g in guesses) < ENGLISH_MIN_SHARE


def test_semeval2023_english_articles_and_the_samples_are_english(shared_data):
    paths = _articles(shared_data, "en")
    samples = shared_data.parent / "samples"
    paths += sorted(samples.glob("*.txt")) if samples.is_dir() else []
    guesses = [detect_language(p.read_text(encoding="utf-8")) for p in paths]
    assert not [p.name for p, g in zip(paths, guesses) if not g.is_english]
    assert all(g.language == "english" for g in guesses)
    assert min(g.english_share for g in guesses) > ENGLISH_MIN_SHARE + 0.05  # a margin, not a near miss

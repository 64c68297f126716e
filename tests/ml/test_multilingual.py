"""Recognition of answers in Arabic, Albanian, Romanian, English, French and Spanish, and
the detection of an answer's language (no database: the shipped framework's files)."""

import json
from functools import lru_cache

import pytest

from ml.language_training import (
    language_gold_files,
    load_language_examples,
    train_language_models,
)
from ml.languages import FOREIGN, UnknownLanguage, detect_language, language_check
from ml.multilingual import (
    LanguageRecognizer,
    arabic_stem,
    read_language_labels,
    word_form,
)
from ml.ranking import Ranker
from ml.recognizer import Recognizer
from ml.training import GOLD_DIR
from ml.types import Suggestion
from tests.ml.shipped_framework import FRAMEWORK_DIR, shipped_concepts

ITALIAN_LABELS = {c.code: c.pref_label for c in shipped_concepts()}


@lru_cache(maxsize=len(FOREIGN))
def base_recognizer(language: str) -> LanguageRecognizer:
    labels = read_language_labels(FRAMEWORK_DIR / "labels" / language)
    return LanguageRecognizer(list(shipped_concepts()), labels, language=language)


@lru_cache(maxsize=1)
def trained_ranker() -> Ranker:
    """The models of the other languages as ml_train makes them (shipped train answers)."""
    recognizers = {language: base_recognizer(language) for language in FOREIGN}
    return train_language_models(recognizers, load_language_examples("train"))


def recognizer(language: str) -> Recognizer:
    return base_recognizer(language).with_ranker(trained_ranker())


def suggest(language: str, text: str) -> list[Suggestion]:
    return recognizer(language).suggest(text, top_k=5)


def by_code(suggestions: list[Suggestion], code: str) -> Suggestion:
    return next(s for s in suggestions if s.code == code)


TYPICAL = [
    ("en", "I worked as a bricklayer, building walls with blocks", "EDI-C03"),
    ("en", "I drove the forklift in a warehouse for three years", "LOG-C03"),
    ("en", "I was a cleaner in offices and hospitals", "PUL-C01"),
    ("fr", "j'ai travaillé comme cariste, je conduisais le chariot élévateur", "LOG-C03"),
    ("fr", "je faisais le carrelage dans les salles de bain", "EDI-C06"),
    ("fr", "aide à domicile pour une dame âgée", "ASS-C01"),
    ("es", "trabajé de albañil, levantaba muros de ladrillo", "EDI-C03"),
    ("es", "manejaba el montacargas en el almacén", "LOG-C03"),
    ("es", "cuidaba a una señora mayor en su casa", "ASS-C01"),
    ("ro", "am lucrat ca zidar pe șantier, ridicam ziduri din cărămidă", "EDI-C03"),
    ("ro", "am lucrat cu stivuitorul în depozit", "LOG-C03"),
    ("ro", "am îngrijit o bătrână acasă la ea", "ASS-C01"),
    ("sq", "kam punuar murator, ngrija mure me tulla", "EDI-C03"),
    ("sq", "kam punuar me muletto në magazinë", "LOG-C03"),
    ("sq", "kujdesesha për një plakë në shtëpinë e saj", "ASS-C01"),
    ("ar", "خدمت بنّاي، كنبني الحيوط بالياجور", "EDI-C03"),
    ("ar", "كنت كنسوق الكلارك فالماغازان", "LOG-C03"),
    ("ar", "خدمت بادانتي مع واحد الشيباني", "ASS-C01"),
]


@pytest.mark.parametrize(("language", "text", "code"), TYPICAL)
def test_typical_answers_find_their_competence(language, text, code):
    suggestions = suggest(language, text)
    assert code in [s.code for s in suggestions[:3]]
    found = by_code(suggestions, code)
    assert found.label == ITALIAN_LABELS[code]  # the counsellor reads the Italian label
    assert found.span == text[found.start : found.end] and found.span.strip()
    assert not (found.negated or found.wish or found.others)


NEGATED = [
    ("en", "I never drove a forklift", "LOG-C03"),
    ("en", "I didn't work as a bricklayer", "EDI-P01"),
    ("fr", "je n'ai jamais conduit de chariot élévateur", "LOG-C03"),
    ("es", "nunca he manejado el montacargas", "LOG-C03"),
    ("ro", "n-am lucrat niciodată cu stivuitorul", "LOG-C03"),
    ("sq", "nuk kam punuar kurrë me muletto", "LOG-C03"),
    ("ar", "عمري ما سقت الكلارك", "LOG-C03"),
    ("ar", "ماخدمتش بالكلارك", "LOG-C03"),
    ("ar", "الكلارك عمري ما سقتو", "LOG-C03"),
    ("en", "the forklift I never drove", "LOG-C03"),
    ("sq", "pllakashtrues? jo, kurrë", "EDI-C06"),
]


@pytest.mark.parametrize(("language", "text", "code"), NEGATED)
def test_denied_words_are_flagged_and_never_shown(language, text, code):
    suggestions = suggest(language, text)
    assert suggestions, "the denied words are still read"
    assert not any(s.shown for s in suggestions)
    if "-C" in code:  # a competence: read, and denied
        assert by_code(suggestions, code).negated


WISHES_AND_OTHERS = [
    ("en", "I would like to become a cook one day", "wish"),
    ("fr", "j'aimerais devenir cuisinier quand je sors", "wish"),
    ("es", "me gustaría ser cocinero", "wish"),
    ("ro", "aș vrea să devin bucătar", "wish"),
    ("sq", "do të doja të bëhem kuzhinier", "wish"),
    ("ar", "نتمنى نولي طبّاخ ملي نخرج", "wish"),
    ("en", "my brother is a cook", "others"),
    ("fr", "mon frère est cuisinier", "others"),
    ("es", "mi hermano es cocinero", "others"),
    ("ro", "fratele meu e bucătar", "others"),
    ("sq", "vëllai im është kuzhinier", "others"),
    ("ar", "خويا طبّاخ", "others"),
]


@pytest.mark.parametrize(("language", "text", "flag"), WISHES_AND_OTHERS)
def test_wishes_and_other_peoples_jobs_are_not_cards(language, text, flag):
    suggestions = suggest(language, text)
    cooking = [s for s in suggestions if s.code.startswith("RIS-")]
    assert cooking, "the cook is recognised"
    assert all(getattr(s, flag) and not s.shown for s in cooking)


def test_a_denied_skill_beside_a_real_one_keeps_the_real_one():
    suggestions = suggest("fr", "j'étais maçon, mais le carrelage jamais")
    walls = by_code(suggestions, "EDI-C03")
    assert not walls.negated
    tiles = [s for s in suggestions if s.code == "EDI-C06"]
    assert all(s.negated for s in tiles)


def test_arabic_spans_point_into_the_original_text_with_its_marks():
    # Diacritics, tatweel and an attached article: the matcher compares normalised
    # stems, the span is the person's own writing.
    text = "أنا خَدَمْتُ بَنّـاي فالمغرب، وكنبني الحيوط بالياجور"
    suggestions = suggest("ar", text)
    walls = by_code(suggestions, "EDI-C03")
    assert walls.span == text[walls.start : walls.end]
    assert walls.span in text and walls.span.strip()
    assert walls.label == ITALIAN_LABELS["EDI-C03"]
    assert f"«{walls.span}»" in walls.reason


def test_latin_spans_keep_the_persons_case_and_accents():
    text = "J'AI TRAVAILLÉ comme Carreleur à Lyon"
    tiles = by_code(suggest("fr", text), "EDI-C06")
    assert tiles.span == text[tiles.start : tiles.end]
    assert "Carreleur" in tiles.span


def test_duration_is_read_in_the_language():
    assert suggest("fr", "maçon pendant 8 ans")[0].duration_months == 96
    assert suggest("ar", "صبّاغ 7 سنين")[0].duration_months == 84


def test_arabic_stems_remove_articles_clitics_and_darija_prefixes():
    assert arabic_stem("الحيوط") == arabic_stem("حيوط")
    assert arabic_stem("فالكوزينة") == arabic_stem("كوزينه")
    assert arabic_stem("كنخدم") == arabic_stem("نخدم")[1:] or arabic_stem("كنخدم") == "خدم"
    assert arabic_stem("بَنّـاي") == arabic_stem("بناي")  # marks and tatweel do not count


def test_lookup_lemmas_are_used_where_spacy_has_a_table():
    assert word_form("es", "trabajé", None) != word_form("es", "trabajar", None)
    assert recognizer("es").nlp("trabajé")[0].lemma_ == "trabajar"
    assert recognizer("ro").nlp("lucrat")[0].lemma_ == "lucra"


def test_unknown_language_is_refused():
    assert language_check(" FR ") == "fr"
    with pytest.raises(UnknownLanguage):
        language_check("de")


# --- language detection ------------------------------------------------------------------


def _gold(language: str) -> list[str]:
    texts = []
    for kind in ("dev", "train"):
        path = language_gold_files(kind).get(language)
        if path is not None:
            texts += [json.loads(line)["text"] for line in path.read_text().splitlines() if line]
    return texts


@pytest.mark.parametrize("language", FOREIGN)
def test_detector_accuracy_on_the_gold_answers(language):
    texts = _gold(language)
    assert len(texts) >= 120
    right = sum(detect_language(text) == language for text in texts)
    assert right / len(texts) >= 0.9


def test_detector_keeps_italian_answers_italian():
    texts = [
        json.loads(line)["text"]
        for path in sorted(GOLD_DIR.glob("dev-*.jsonl"))
        for line in path.read_text().splitlines()
        if line
    ]
    right = sum(detect_language(text) == "it" for text in texts)
    assert right / len(texts) >= 0.97


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("كنخدم فالبني", "ar"),
        ("I worked in a warehouse with the forklift", "en"),
        ("j'ai travaillé dans un entrepôt", "fr"),
        ("trabajé en una bodega con el montacargas", "es"),
        ("am lucrat într-un depozit", "ro"),
        ("kam punuar në një magazinë", "sq"),
        ("ho lavorato in magazzino col muletto", "it"),
    ],
)
def test_detector_reads_one_sentence(text, language):
    assert detect_language(text) == language


def test_detector_falls_back_to_the_default_without_evidence():
    assert detect_language("") == "it"
    assert detect_language("123 !!") == "it"
    assert detect_language("HACCP", default="fr") == "fr"

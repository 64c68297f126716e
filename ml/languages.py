"""The languages Ponte reads answers in, and a small detector for an answer's language.

The detector needs no model: Arabic script means Arabic; for Latin script each language
has a profile of frequent function words (ml/data/<lang>/profile.txt, and Italian's
below) and of letters only it uses (ș, ë, ñ...). Each word scores for the languages whose
profile has it, shared words less. With no evidence the answer is taken as Italian, the
interview's own language.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

ITALIAN = "it"
FOREIGN = ("ar", "sq", "ro", "en", "fr", "es")
LANGUAGES = (ITALIAN, *FOREIGN)
DATA_DIR = Path(__file__).resolve().parent / "data"

ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u0671-\u06d3\u06fa-\u06ff]")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# Letters that point to one language (or two) among those we read.
LETTERS = {
    "ș": ("ro",),
    "ş": ("ro",),
    "ț": ("ro",),
    "ţ": ("ro",),
    "ă": ("ro",),
    "î": ("ro", "fr"),
    "â": ("ro", "fr"),
    "ë": ("sq",),
    "ç": ("sq", "fr"),
    "ñ": ("es",),
    "¿": ("es",),
    "¡": ("es",),
    "œ": ("fr",),
    "ê": ("fr",),
    "è": ("fr", "it"),
    "ù": ("fr", "it"),
    "ò": ("it",),
    "ì": ("it",),
}
LETTER_WEIGHT = 1.5
# Word endings typical of one language (people often write without accents, and short
# answers have few function words): a weaker hint than a whole word.
ENDINGS = {
    "it": ("avo", "evo", "ivo", "ato", "ata", "zione", "are", "ere", "ire", "mente", "ndo"),
    "ro": ("eam", "ului", "ilor", "elor", "ul", "urile", "uri", "ăm", "iam"),
    "sq": ("oja", "ova", "ojme", "ojmë", "ja", "ve", "imet", "imin", "shme", "në", "ët"),
    "es": ("aba", "abas", "aban", "ción", "cion", "ía", "dad", "ños", "ñas", "amos"),
    "fr": ("ais", "ait", "eux", "euse", "ée", "ées", "eur", "eurs", "oir", "ète"),
    "en": ("ing", "ed", "ers", "ly", "ght"),
}
ENDING_WEIGHT = 0.3
ENDING_MIN_WORD = 4


ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def arabic_normal(word: str) -> str:
    """No diacritics or tatweel, one alef, ي for final ى, ه for ة (spellings vary)."""
    return ARABIC_MARKS.sub("", word).translate(ARABIC_LETTERS)


class UnknownLanguage(ValueError):
    """A language code Ponte does not read."""


def language_check(code: str) -> str:
    """The code in lower case, if Ponte reads that language; else UnknownLanguage."""
    language = code.strip().lower()
    if language not in LANGUAGES:
        raise UnknownLanguage(code)
    return language


def read_data_words(path: Path) -> frozenset[str]:
    """The words of a list (several per line, # comments), lower case."""
    if not path.exists():
        return frozenset()
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.update(word.lower() for word in line.split())
    return frozenset(words)


@lru_cache(maxsize=len(FOREIGN))
def language_stopwords(language: str) -> frozenset[str]:
    """Function words of a language other than Italian (ml/data/<lang>/stopwords.txt),
    for Arabic also as the recogniser normalises them."""
    words = read_data_words(DATA_DIR / language / "stopwords.txt")
    if language == "ar":
        words |= {arabic_normal(word) for word in words}
    return words


@lru_cache(maxsize=1)
def profiles() -> dict[str, frozenset[str]]:
    """The function words of each Latin-script language (Arabic is told by its script)."""
    return {
        language: read_data_words(DATA_DIR / language / "profile.txt")
        for language in LANGUAGES
        if language != "ar"
    }


@lru_cache(maxsize=1)
def _weights() -> dict[str, dict[str, float]]:
    """word -> {language: weight}; a word shared by n languages weighs 1/n for each."""
    owners: dict[str, list[str]] = {}
    for language, words in profiles().items():
        for word in words:
            owners.setdefault(word, []).append(language)
    return {word: {lang: 1 / len(langs) for lang in langs} for word, langs in owners.items()}


def detect_language(text: str, *, default: str = ITALIAN) -> str:
    """The language an answer is written in (ISO 639-1), `default` when nothing tells."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return default
    arabic = sum(1 for c in letters if ARABIC_LETTER.match(c))
    if arabic * 2 >= len(letters):
        return "ar"
    scores: dict[str, float] = {}
    weights = _weights()
    for match in WORD.finditer(text.lower()):
        word = unicodedata.normalize("NFC", match.group().replace("’", "'"))
        for part in _parts(word):
            for language, weight in weights.get(part, {}).items():
                scores[language] = scores.get(language, 0.0) + weight
        if word not in weights and len(word) >= ENDING_MIN_WORD:
            for language, endings in ENDINGS.items():
                if word.endswith(endings):
                    scores[language] = scores.get(language, 0.0) + ENDING_WEIGHT
    lower = text.lower()
    for letter, languages in LETTERS.items():
        if letter in lower:
            for language in languages:
                scores[language] = scores.get(language, 0.0) + LETTER_WEIGHT / len(languages)
    if not scores:
        return default
    best, best_score = max(scores.items(), key=lambda item: (item[1], item[0] == default))
    return best if best_score > scores.get(default, 0.0) else default


def _parts(word: str) -> tuple[str, ...]:
    """The word, and for an elided form its pieces ("j'ai" -> j', ai; "l'ho" -> l', ho)."""
    if "'" in word:
        head, _quote, tail = word.partition("'")
        return (word, head + "'", tail)
    return (word,)

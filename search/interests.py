"""What a person is drawn to, as an affinity with each sector of the framework (0..1).

Two sources, read by search.profiles: what the person said in the interview (the answers on
the work and learning they wish, the jobs they liked most, the wishes the recogniser heard
as such) and their own profile (the sectors of the skills they hold). Declared interests
count fully; the profile counts up to PROFILE_AFFINITY, in proportion to how much the
person holds in that sector. Pure functions: text and labels in, sector codes out.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from search.matching import STAGE_WEIGHT

DECLARED_AFFINITY = 1.0
PROFILE_AFFINITY = 0.6
PROFILE_FULL_MASS = 2.0
"""Stage weights summed over a sector's held skills (two certified, or about three identified)
at which the profile's affinity with that sector is full."""
MIN_STEM = 4
STOPWORDS = frozenset(
    [
        "a",
        "ad",
        "al",
        "alla",
        "alle",
        "allo",
        "ai",
        "agli",
        "all",
        "anche",
        "ancora",
        "avere",
        "avrei",
        "che",
        "chi",
        "ci",
        "come",
        "con",
        "cosa",
        "da",
        "dal",
        "dalla",
        "dalle",
        "dai",
        "dei",
        "del",
        "della",
        "delle",
        "dell",
        "di",
        "e",
        "ed",
        "era",
        "ero",
        "essere",
        "fa",
        "fare",
        "fatto",
        "faccio",
        "facevo",
        "fatta",
        "gli",
        "ha",
        "hai",
        "ho",
        "i",
        "il",
        "in",
        "io",
        "la",
        "le",
        "lei",
        "lo",
        "lui",
        "ma",
        "mi",
        "mia",
        "mie",
        "miei",
        "mio",
        "molto",
        "ne",
        "nel",
        "nella",
        "nelle",
        "nei",
        "negli",
        "o",
        "oppure",
        "per",
        "perché",
        "più",
        "piace",
        "piacerebbe",
        "piaceva",
        "piaciuto",
        "po",
        "poi",
        "proprio",
        "qualche",
        "qualcosa",
        "quale",
        "quando",
        "quello",
        "questo",
        "se",
        "si",
        "sia",
        "sono",
        "stato",
        "stata",
        "su",
        "sul",
        "sulla",
        "sui",
        "tra",
        "tipo",
        "tutto",
        "un",
        "una",
        "uno",
        "vorrei",
        "voglio",
        "volere",
        "lavoro",
        "lavori",
        "lavorare",
        "lavoravo",
        "lavorato",
        "lavorando",
        "mestiere",
        "settore",
        "corso",
        "corsi",
        "imparare",
        "capace",
        "sentivo",
        "bene",
        "tanto",
        "altro",
        "altri",
        "altre",
        "cose",
        "anni",
        "anno",
        "giorno",
    ]
)
NEGATIONS = frozenset({"non", "mai", "nessun", "nessuno", "nessuna", "niente", "nulla"})
GENERIC_LABEL_WORDS = frozenset(
    {"base", "persona", "servizi", "competenze", "trasversali", "laboratori", "manutenzione"}
)
"""Words of sector names too vague (or shared by several sectors) to tell an interest."""
_CLAUSES = re.compile(r"[.;:!?\n]+|,|\bma\b|\bperò\b|\binvece\b", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9]+")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_PLAIN_STOPWORDS = frozenset(_plain(word) for word in STOPWORDS)


def stem(word: str) -> str:
    """A crude Italian stem: no final vowel, at most five letters (cucina, cucinare → cucin;
    cuoco, cuoca → cuoc). Stems match when equal: verde and verdura stay apart."""
    if len(word) > MIN_STEM and word[-1] in "aeiou":
        word = word[:-1]
    return word[:5]


def content_stems(text: str) -> tuple[str, ...]:
    words = _WORDS.findall(_plain(text))
    return tuple(stem(w) for w in words if len(w) >= 3 and w not in _PLAIN_STOPWORDS)


@dataclass(frozen=True)
class Vocabulary:
    """Phrases that name a sector: every content word of a phrase must be in the text."""

    phrases: tuple[tuple[str, tuple[str, ...]], ...]  # (sector code, stems)


def vocabulary_from(
    sectors: Iterable[tuple[str, str]], concepts: Iterable[tuple[str, str, Iterable[str]]]
) -> Vocabulary:
    """From the sectors (code, name) and the profiles and competences (sector code, label,
    alternative labels) of the framework. Each specific word of a sector's name is a phrase
    of its own; labels are phrases as they stand."""
    phrases: list[tuple[str, tuple[str, ...]]] = []
    for code, name in sectors:
        for word in _WORDS.findall(_plain(name)):
            if word not in GENERIC_LABEL_WORDS and len(word) >= 3 and word not in _PLAIN_STOPWORDS:
                phrases.append((code, (stem(word),)))
    for code, label, alternatives in concepts:
        for phrase in (label, *alternatives):
            stems = content_stems(phrase)
            if code and stems:
                phrases.append((code, stems))
    return Vocabulary(tuple(dict.fromkeys(phrases)))


def _clauses(text: str) -> list[str]:
    """The parts of the text that say what the person wants: negated clauses left out
    ("non voglio più fare il muratore, mi piacerebbe il verde" keeps only the second)."""
    kept = []
    for clause in _CLAUSES.split(_plain(text)):
        if not set(_WORDS.findall(clause)) & NEGATIONS:
            kept.append(clause)
    return kept


def sectors_in_text(text: str, vocabulary: Vocabulary) -> frozenset[str]:
    """The sectors the text names through any phrase of the vocabulary."""
    found: set[str] = set()
    for clause in _clauses(text):
        stems = set(content_stems(clause))
        if not stems:
            continue
        for code, phrase in vocabulary.phrases:
            if code not in found and stems.issuperset(phrase):
                found.add(code)
    return frozenset(found)


def profile_masses(held: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Stage weights summed per sector over the held skills ((sector code, stage) pairs)."""
    masses: dict[str, float] = {}
    for sector, stage in held:
        if sector:
            masses[sector] = masses.get(sector, 0.0) + STAGE_WEIGHT.get(stage, 0.0)
    return masses


def sector_affinity(declared: Iterable[str], masses: Mapping[str, float]) -> dict[str, float]:
    """Declared interests count DECLARED_AFFINITY; the profile's sectors up to
    PROFILE_AFFINITY, by how much the person holds there. Rounded to hundredths."""
    found = {
        sector: round(PROFILE_AFFINITY * min(1.0, mass / PROFILE_FULL_MASS), 2)
        for sector, mass in masses.items()
        if mass > 0
    }
    for sector in declared:
        found[sector] = DECLARED_AFFINITY
    return found

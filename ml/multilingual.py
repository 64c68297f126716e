"""Recognition of answers written in Arabic, Albanian, Romanian, English, French or Spanish.

Each language has its own spaCy pipeline, built without downloadable models:
`spacy.blank(<lang>)` for the tokenizer and the sentences, then `ponte_lemma_fixes`, which
gives every word the form the matcher compares (the lemma of spacy-lookups-data where it
has a table: en, fr, es, ro; then a light stem of ours, the only reduction for Albanian
and Arabic), then `ponte_language_cues`, which marks negated, wished and other people's
words with small word lists per language (ml/data/<lang>/cues.tsv).

The labels come from the framework's translations (labels/<lang>/*.csv: preferred label,
alternative labels and colloquial phrasings, Moroccan and Tunisian words included); the
concept codes are those of the Italian framework, so profiles and matching do not change.
`LanguageRecognizer` is the Italian `Recognizer` on that pipeline and those labels: it
returns the same `Suggestion`s, with the Italian label of the competence and spans in the
person's own text.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.lookups import Table, load_lookups
from spacy.tokens import Doc, Token

from ml.job_titles import JobTitles
from ml.languages import (
    DATA_DIR,
    FOREIGN,
    arabic_normal,
    language_check,
    language_stopwords,
    read_data_words,
)
from ml.nlp import NO_SENSE_RULES, LabelPattern, SenseRules, fold, is_content
from ml.ranking import Ranker
from ml.recognizer import Recognizer
from ml.types import ConceptText

LOOKUP_LANGUAGES = frozenset({"en", "fr", "es", "ro"})  # spacy-lookups-data has a table
FRONTED_OBJECT = 2  # content words before the negation that may be its object
SHORT_CLAUSE = 5  # content words of a clause short enough for that reading
SPREAD_LIMIT = 24  # a one-word label used by more competences than this is too vague
CLAUSE_PUNCTUATION = frozenset({",", ";", ":", "،", "؛", "(", ")", "-", "–", "—", "?", "؟", "!"})

# --- normalisation and stems -----------------------------------------------------------------

ARABIC_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
ARABIC_VERB_PREFIXES = ("كن", "كت", "كي", "تي", "تن")  # Darija continuous: كنخدم، كيخدم
ARABIC_SUFFIXES = ("ات", "ين", "ون", "ها", "هم", "كم", "نا", "وا", "يه", "ه", "ي", "ت", "و")
ARABIC_MIN_STEM = 3


def arabic_stem(word: str) -> str:
    """A light stem: article and attached و/ف/ب, the Darija continuous prefix (كن…)
    and one pronoun or plural suffix, keeping at least three letters."""
    stem = arabic_normal(word)
    for article in ARABIC_ARTICLES:
        if stem.startswith(article) and len(stem) - len(article) >= ARABIC_MIN_STEM - 1:
            stem = stem[len(article) :]
            break
    else:
        if stem[:1] in "وفب" and len(stem) > ARABIC_MIN_STEM + 1:
            stem = stem[1:]
    for prefix in ARABIC_VERB_PREFIXES:
        if stem.startswith(prefix) and len(stem) - len(prefix) >= ARABIC_MIN_STEM:
            stem = stem[len(prefix) :]
            break
    for suffix in ARABIC_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= ARABIC_MIN_STEM:
            return stem[: -len(suffix)]
    return stem


ALBANIAN_ENDINGS = (
    "uesit uesi uese imet imit imin imi ave eve ëve ive ove ojnë onte ojmë uar ova oja "
    "onin ët it in ën ës në ve ja je ur at et a e ë i t u j"
)
ALBANIAN_SUFFIXES = tuple(sorted(ALBANIAN_ENDINGS.split(), key=len, reverse=True))
ALBANIAN_MIN_STEM = 3


def albanian_stem(word: str) -> str:
    """A light stem of ours: the commonest case, article and verb endings."""
    for suffix in ALBANIAN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= ALBANIAN_MIN_STEM:
            return fold(word[: -len(suffix)])
    return fold(word)


ROMANIAN_ARTICLES = ("ului", "ilor", "elor", "ul", "ii", "le", "lor", "ua")
ROMANIAN_MIN_STEM = 4


def romanian_stem(word: str) -> str:
    """After the lookup table: the enclitic article it missed (stivuitorul, cărămizile)."""
    folded = fold(word)
    for article in ROMANIAN_ARTICLES:
        if folded.endswith(article) and len(folded) - len(article) >= ROMANIAN_MIN_STEM:
            return folded[: -len(article)]
    return folded


def plural_stem(word: str) -> str:
    """en, fr, es, ro after the lookup table: a plural -s the table missed."""
    folded = fold(word)
    if len(folded) > 4 and folded.endswith("s") and not folded.endswith("ss"):
        return folded[:-1]
    return folded


def word_form(language: str, word: str, table: Table | None) -> str:
    """The form the matcher compares for one word (labels and answers alike)."""
    lower = word.lower()
    if language == "ar":
        return arabic_stem(lower)
    if language == "sq":
        return albanian_stem(lower)
    lemma = table.get(lower) if table is not None else None
    if isinstance(lemma, list):
        lemma = lemma[0] if lemma else None
    base = lemma if isinstance(lemma, str) else lower
    return romanian_stem(base) if language == "ro" else plural_stem(base)


# --- per-language word lists -----------------------------------------------------------------


def cue_normal(language: str, text: str) -> str:
    """How cue words are compared: lower case with their accents ("él" is not "el"; the
    lists hold the spellings without accents that people use), Arabic normalised."""
    if language == "ar":
        return arabic_normal(text)
    return unicodedata.normalize("NFC", text.lower()).replace("’", "'")


Phrases = dict[str, tuple[tuple[str, ...], ...]]  # first word -> phrases, longest first


@dataclass(frozen=True)
class Cues:
    """The cue words of one language (ml/data/<lang>/cues.tsv), as token sequences."""

    negation: Phrases
    wish: Phrases
    others: frozenset[str]
    self_words: frozenset[str]
    contrast: Phrases
    negation_patterns: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=len(FOREIGN))
def language_cues(language: str) -> Cues:
    tokenizer = spacy.blank(language).tokenizer
    rows: dict[str, list[str]] = {}
    path = DATA_DIR / language / "cues.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, words = line.split("\t")
            rows.setdefault(kind.strip(), []).extend(w.strip() for w in words.split("|"))

    def phrases(kind: str) -> Phrases:
        found = {
            tuple(cue_normal(language, t.text) for t in tokenizer(p)) for p in rows.get(kind, [])
        }
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted((p for p in found if p), key=len, reverse=True):
            by_first.setdefault(phrase[0], []).append(phrase)
        return {first: tuple(items) for first, items in by_first.items()}

    return Cues(
        negation=phrases("negation"),
        wish=phrases("wish"),
        others=frozenset(cue_normal(language, w) for w in rows.get("others", [])),
        self_words=frozenset(cue_normal(language, w) for w in rows.get("self", [])),
        contrast=phrases("contrast"),
        negation_patterns=tuple(re.compile(p) for p in rows.get("negation_pattern", [])),
    )


# --- the pipeline ----------------------------------------------------------------------------


@lru_cache(maxsize=len(FOREIGN))
def lemma_table(language: str) -> Table | None:
    """spacy-lookups-data's lemma table of a language, shared by every pipeline."""
    if language not in LOOKUP_LANGUAGES:
        return None
    return load_lookups(language, ["lemma_lookup"]).get_table("lemma_lookup")


class LanguageLemmas:
    """Every word's matcher form: the lookup lemma where there is a table, then our stem."""

    def __init__(self, language: str):
        self.language = language
        self.table = lemma_table(language)

    def __call__(self, doc: Doc) -> Doc:
        stop = language_stopwords(self.language)
        for token in doc:
            normal = cue_normal(self.language, token.text)
            # A function word keeps its written form, which is_content finds in the list.
            token.lemma_ = normal if normal in stop else _cached_form(self, token.text)
        return doc


@lru_cache(maxsize=200_000)
def _cached_form(lemmas: LanguageLemmas, text: str) -> str:
    return word_form(lemmas.language, text, lemmas.table)


def _starts_at(words: list[str], index: int, phrases: Phrases) -> int:
    """The length of the longest phrase found at words[index:], 0 if none."""
    for phrase in phrases.get(words[index], ()):
        if tuple(words[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _clauses(doc: Doc, words: list[str], cues: Cues) -> list[list[Token]]:
    clauses: list[list[Token]] = []
    for sent in doc.sents:
        current: list[Token] = []
        for token in sent:
            if token.text in CLAUSE_PUNCTUATION or _starts_at(words, token.i, cues.contrast):
                if current:
                    clauses.append(current)
                current = [] if token.text in CLAUSE_PUNCTUATION else [token]
            else:
                current.append(token)
        if current:
            clauses.append(current)
    return clauses


def _is_negation(words: list[str], token: Token, cues: Cues) -> bool:
    return bool(_starts_at(words, token.i, cues.negation)) or any(
        p.search(words[token.i]) for p in cues.negation_patterns
    )


def _deny(clause: list[Token], words: list[str], cues: Cues) -> None:
    """A negation covers the rest of its clause; one that ends its clause ("le carrelage
    jamais", "engleza nu stiu deloc", "forklift no") covers all of it, and so does one
    after the object said first in a short clause ("الكلارك عمري ما سقتو", "the forklift
    I never drove")."""
    places = [i for i, token in enumerate(clause) if _is_negation(words, token, cues)]
    if not places:
        return
    last_has_content_after = any(is_content(t) for t in clause[places[-1] + 1 :])
    fronted = sum(1 for t in clause[: places[0]] if is_content(t))
    short = sum(1 for t in clause if is_content(t)) <= SHORT_CLAUSE
    whole = not last_has_content_after or (fronted <= FRONTED_OBJECT and short)
    for token in clause if whole else clause[places[0] :]:
        token._.negated = True


def _questions_answered_no(doc: Doc, words: list[str], cues: Cues) -> None:
    """ "pllaka? jo, kurrë": a short question the person answers with a negation."""
    sentences = list(doc.sents)
    for question, answer in zip(sentences, sentences[1:], strict=False):
        if question[-1].text in ("?", "؟") and _is_negation(words, answer[0], cues):
            for token in question:
                token._.negated = True


def mark_language_cues(doc: Doc, language: str) -> None:
    """Negation and wishes cover the rest of their clause; a clause naming someone else
    (a relative, "he", "she") with no word of the person's own is theirs."""
    cues = language_cues(language)
    words = [cue_normal(language, t.text) for t in doc]
    for clause in _clauses(doc, words, cues):
        _deny(clause, words, cues)
        for position, token in enumerate(clause):
            if _starts_at(words, token.i, cues.wish):
                for later in clause[position:]:
                    later._.wish = True
                break
        clause_words = {words[t.i] for t in clause}
        if clause_words & cues.others and not clause_words & cues.self_words:
            for token in clause:
                token._.others = True
    _questions_answered_no(doc, words, cues)


DURATION_UNITS = {
    "en": {"year": 12, "years": 12, "month": 1, "months": 1},
    "fr": {"an": 12, "ans": 12, "année": 12, "années": 12, "mois": 1},
    "es": {"año": 12, "años": 12, "mes": 1, "meses": 1},
    "ro": {"an": 12, "ani": 12, "lună": 1, "luni": 1},
    "sq": {"vit": 12, "vite": 12, "vjet": 12, "muaj": 1},
    "ar": {"سنه": 12, "سنين": 12, "سنوات": 12, "عام": 12, "اعوام": 12, "شهر": 1, "شهور": 1},
}


def duration_months(doc: Doc, language: str) -> int | None:
    """The longest duration said with digits ("8 ans", "7 سنين"), in months."""
    units = DURATION_UNITS.get(language, {})
    longest = None
    for token in doc[:-1]:
        if token.text.isdigit() and len(token.text) <= 2:
            unit = units.get(cue_normal(language, doc[token.i + 1].text))
            if unit:
                longest = max(longest or 0, int(token.text) * unit)
    return longest


@Language.factory("ponte_language_lemmas")
def make_language_lemmas(nlp: Language, name: str) -> LanguageLemmas:
    return LanguageLemmas(str(nlp.lang))


@Language.component("ponte_language_cues")
def language_cues_component(doc: Doc) -> Doc:
    mark_language_cues(doc, doc.lang_)
    doc._.duration_months = duration_months(doc, doc.lang_)
    return doc


def make_language_nlp(language: str) -> Language:
    """The pipeline of one language. The lemma component carries the Italian pipeline's
    name, so the recogniser's label and framework reading applies to it unchanged."""
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ponte_language_lemmas", name="ponte_lemma_fixes")
    nlp.add_pipe("ponte_language_cues")
    nlp.initialize()
    return nlp


# --- labels and the recogniser ---------------------------------------------------------------

Labels = dict[str, tuple[str, tuple[str, ...]]]


def read_language_labels(folder: Path) -> Labels:
    """code -> (preferred label, alternative labels) from labels/<lang>/*.csv."""
    labels: Labels = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                alts = tuple(a.strip() for a in (row["alt_labels"] or "").split("|") if a.strip())
                labels[row["code"].strip()] = (row["pref_label"].strip(), alts)
    return labels


class LanguageRecognizer(Recognizer):
    """The recogniser for answers in one language other than Italian.

    Built from the Italian concepts and that language's labels: matching and similarity
    read the language's labels only; suggestions carry the Italian label."""

    def __init__(
        self,
        concepts: list[ConceptText],
        labels: Labels,
        *,
        language: str,
        ranker: Ranker | None = None,
    ):
        self.language = language_check(language)
        translated = [self._translated(concept, labels) for concept in concepts]
        super().__init__(translated, ranker=ranker)
        italian = {c.code: c for c in concepts}
        self.catalogue.concepts = italian
        self.catalogue.targets = {
            code: replace(target, label=italian[code].pref_label)
            for code, target in self.catalogue.targets.items()
        }

    @staticmethod
    def _translated(concept: ConceptText, labels: Labels) -> ConceptText:
        pref, alts = labels.get(concept.code, ("", ()))
        return replace(concept, pref_label=pref, alt_labels=alts, description="")

    def _pipeline(self) -> Language:
        return make_language_nlp(self.language)

    def _sense_rules(self) -> SenseRules:
        return NO_SENSE_RULES

    def _generic_words(self) -> frozenset[str]:
        return read_data_words(DATA_DIR / self.language / "generic_words.txt")

    def _job_titles(self, concepts: list[ConceptText]) -> JobTitles:
        return JobTitles((), {})  # the table's job titles are Italian words

    def _phrases(self, name: str = "phrases.tsv") -> list[tuple[str, str, bool]]:
        return []  # Italian phrasings; the language's own are in its label files

    def _specific(self, patterns: list[LabelPattern]) -> list[LabelPattern]:
        """As for Italian, with more room for a word shared by many competences: where
        the lemmas make one word of the job and the action ("cook", "clean"), Italian
        has two (cuoco, cucinare)."""
        generic = self._generic_words()
        spread = self._spread(patterns)
        return [
            p
            for p in patterns
            if len(p.lemmas) > 1
            or (p.lemmas[0] not in generic and len(spread[p.lemmas[0]]) <= SPREAD_LIMIT)
        ]

"""The Italian spaCy pipeline of Ponte, built without downloadable models.

spacy.blank("it") + sentencizer + the lookup lemmatizer of spacy-lookups-data, then our
components: lemma fixes (our exceptions, dialect and foreign work words), cue detection
(negation, wishes and plans, other people's jobs: ml.cues; duration) and a matcher of
framework labels on content lemmas (in order, on light stems as a fallback for typos and
forms the lookup table lacks, and in any order for short labels said with the object
first). Pure Python: text in, dataclasses out.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from competenze.durations import duration_in_months
from ml.cues import mark_cues, names_action, register_extensions, speaks_of_self
from ml.languages import language_stopwords

DATA_DIR = Path(__file__).resolve().parent / "data"
MIN_STEM_LENGTH = 4
SEPARATOR = "§"


def read_lines(name: str) -> list[str]:
    """The lines of a data file in ml/data, without blanks and # comments."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=8)
def read_words(name: str) -> frozenset[str]:
    """The words of a list in ml/data (several per line allowed, # comments)."""
    return frozenset(word for line in read_lines(name) for word in line.split())


def stopwords(language: str = "it") -> frozenset[str]:
    """Function words of the answer's language (the others: ml.multilingual)."""
    if language != "it":
        return language_stopwords(language)
    return read_words("stopwords.txt")


def _pairs(name: str) -> dict[str, str]:
    table = {}
    for line in read_lines(name):
        form, word = line.split("\t")
        table[fold(form.strip())] = word.strip()
    return table


@lru_cache(maxsize=1)
def lemma_exceptions() -> dict[str, str]:
    """Our fixes to the lookup table: form (folded) -> lemma, final."""
    return _pairs("lemma_exceptions.tsv")


@lru_cache(maxsize=1)
def translations() -> dict[str, str]:
    """Dialect and foreign work words: form (folded) -> the Italian word they stand for,
    lemmatised afterwards like any Italian word (cocina -> cucina -> cucinare)."""
    return {**_pairs("dialect.tsv"), **_pairs("foreign.tsv")}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: 'Attività' -> 'attivita'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


DOUBLED = re.compile(r"([bcdfglmnprstvz])\1")


def light_stem(lemma: str) -> str:
    """Drop the final vowel and single the doubled consonants: bancali/bancale -> bancal,
    scaffali/scafali -> scafal, magazzino/magazino -> magazin.

    Catches the plural and gender forms that the lookup table lacks, and the commonest
    misspelling of Italian (one consonant for two, or two for one).
    """
    folded = DOUBLED.sub(r"\1", fold(lemma))
    if len(folded) > MIN_STEM_LENGTH and folded[-1] in "aeiou":
        return folded[:-1]
    return folded


PERSON = "persona"  # the lemma of a pronoun that stands for someone cared for


def is_content(token: Token) -> bool:
    if token.is_punct or token.is_space or token.like_num or token.like_url:
        return False
    if token.lemma_ == PERSON:
        return True
    words = stopwords(token.lang_)
    return token.lower_ not in words and token.lemma_ not in words and len(token.text) > 1


register_extensions()
if not Doc.has_extension("duration_months"):
    Doc.set_extension("duration_months", default=None)


class LemmaFixes:
    """Lower-case lookup for capitalised words, then our exceptions table."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self._table: dict[str, str] | None = None
        self._lemmas: frozenset[str] | None = None

    def table(self) -> dict[str, str]:
        if self._table is None:
            lookups = self.nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
            self._table = lookups.get_table("lemma_lookup")
        return self._table

    def lemmas(self) -> frozenset[str]:
        """Every lemma of the lookup table (to recognise an infinitive)."""
        if self._lemmas is None:
            self._lemmas = frozenset(self.table().values())
        return self._lemmas

    def __call__(self, doc: Doc) -> Doc:
        exceptions = lemma_exceptions()
        words = translations()
        table = self.table()
        for token in doc:
            lower = token.lower_
            folded = fold(lower)
            if folded in exceptions:
                token.lemma_ = exceptions[folded]
            elif folded in words:
                word = words[folded]
                token.lemma_ = exceptions.get(word) or table.get(word, word)
            elif token.lemma_ == token.text or not token.lemma_:
                token.lemma_ = (
                    table.get(lower)
                    or self._infinitive_with_clitics(lower)
                    or self._dialect(lower)
                    or self._unknown_verb(lower, words, table)
                    or lower
                )
            else:
                token.lemma_ = token.lemma_.lower()
        _care_pronouns(doc)
        return doc

    def _infinitive_with_clitics(self, word: str) -> str | None:
        """ "organizzarsi", "lavarla", "cavarsela" -> the bare infinitive."""
        for clitics in INFINITIVE_CLITICS:
            if word.endswith("r" + clitics) and len(word) > len(clitics) + 3:
                infinitive = word[: -len(clitics)] + "e"
                if infinitive in self.lemmas():
                    return infinitive
        return None

    def _unknown_verb(self, word: str, words: dict[str, str], table: dict[str, str]) -> str | None:
        """A verb form the table lacks, read as its infinitive: new verbs of the first
        conjugation ("scannerizzavo" -> scannerizzare), known verbs in forms the table
        misses, dialect imperfects whose infinitive the lexicon knows ("netavi" -> netare
        -> pulire)."""
        for ending, infinitive_ending in VERB_ENDINGS:
            stem = word[: -len(ending)]
            if not word.endswith(ending) or len(stem) < MIN_VERB_STEM:
                continue
            infinitive = stem + infinitive_ending
            if infinitive in words:
                italian = words[infinitive]
                return lemma_exceptions().get(italian) or table.get(italian, italian)
            if infinitive in self.lemmas() or ending in NEW_VERB_ENDINGS:
                return infinitive
        return None

    def _dialect(self, word: str) -> str | None:
        if not word.endswith(tuple(ending for ending, _italian in DIALECT_INFINITIVES)):
            return None
        return _dialect_infinitive(word, self.lemmas())


# Someone cared for, and what is done to them: in a sentence about an old or sick person
# or a child, "la lavavo", "lo alzavo" wash and lift that person (the pronoun is read as
# "persona": "lavare la persona" is a label), not the laundry.
CARED_FOR = frozenset(
    {
        "badante",
        "signora",
        "signore",
        "anziano",
        "anziana",
        "nonno",
        "nonna",
        "madre",
        "padre",
        "mamma",
        "papà",
        "suocero",
        "suocera",
        "zio",
        "zia",
        "malato",
        "malata",
        "paziente",
        "disabile",
        "assistito",
        "assistita",
        "ospite",
        "allettato",
        "allettata",
        "bambino",
        "bambina",
        "marito",
        "moglie",
        "compagno",
        "piantone",
    }
)
CARE_VERBS = frozenset(
    {
        "lavare",
        "vestire",
        "svestire",
        "alzare",
        "sollevare",
        "girare",
        "spostare",
        "imboccare",
        "pettinare",
        "cambiare",
        "medicare",
        "accompagnare",
        "portare",
        "mettere",
        "aiutare",
        "accudire",
        "curare",
        "assistere",
        "sedere",
        "coricare",
    }
)
PERSON_PRONOUNS = frozenset({"lo", "la", "li", "le", "gli", "l'"})
CARE_AUXILIARIES = frozenset({"ho", "avevo", "ha", "aveva", "abbiamo", "avevamo"})


def _care_pronouns(doc: Doc) -> None:
    sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sentences:
        if not any(fold(t.lemma_) in CARED_FOR for t in sent):
            continue
        tokens = list(sent)
        for index, token in enumerate(tokens):
            if token.lemma_ not in CARE_VERBS:
                continue
            before = index - 1
            while before > 0 and tokens[before].lower_ in CARE_AUXILIARIES:
                before -= 1  # "l'ho lavata"
            if before >= 0 and tokens[before].lower_ in PERSON_PRONOUNS:
                tokens[before].lemma_ = PERSON


DIALECT_INFINITIVES = (("à", "are"), ("ì", "ire"), ("é", "ere"))
VERB_ENDINGS = tuple(
    (ending, infinitive)
    for infinitive, endings in (
        (
            "are",
            ("avamo", "avano", "avate", "ando", "avo", "avi", "ava", "ato", "ata", "ati", "ate"),
        ),
        ("ere", ("evamo", "evano", "endo", "evo", "evi", "eva", "uto", "uta", "uti", "ute")),
        ("ire", ("ivamo", "ivano", "ivo", "ivi", "iva", "ito", "ita", "iti", "ite")),
    )
    for ending in endings
)
# Endings that only a verb of the first conjugation has: a word the table lacks that ends
# so is a new verb ("scannerizzavo", "whatsappavo").
NEW_VERB_ENDINGS = frozenset({"avamo", "avano", "avo", "ava", "ando"})
MIN_VERB_STEM = 4
INFINITIVE_CLITICS = (
    "sela",
    "sele",
    "selo",
    "seli",
    "mela",
    "melo",
    "gliela",
    "glielo",
    "si",
    "mi",
    "ti",
    "ci",
    "vi",
    "lo",
    "la",
    "li",
    "le",
    "ne",
    "gli",
)


def _dialect_infinitive(word: str, lemmas: frozenset[str]) -> str | None:
    """Northern infinitives without their ending ("tirà" -> tirare); only forms whose
    Italian infinitive is a known lemma are read (the others are in the lexicon)."""
    for ending, italian in DIALECT_INFINITIVES:
        if word.endswith(ending) and len(word) > 3:
            infinitive = word[: -len(ending)] + italian
            if infinitive in lemmas:
                return infinitive
    return None


@Language.factory("ponte_lemma_fixes")
def make_lemma_fixes(nlp: Language, name: str) -> LemmaFixes:
    return LemmaFixes(nlp)


@Language.component("ponte_cues")
def cues(doc: Doc) -> Doc:
    """Mark negated, wished and other people's tokens; store the longest duration said."""
    mark_cues(doc)
    longest = None
    for sent in doc.sents:
        sent_months = duration_in_months(sent.text)
        if sent_months is not None:
            longest = max(longest or 0, sent_months)
    doc._.duration_months = longest
    return doc


@dataclass(frozen=True)
class LabelPattern:
    """One label of one concept, as the matcher sees it. A `negative` label says what not
    to do ("non mischiare candeggina e ammoniaca"): it is met by words said negatively."""

    concept_code: str
    label: str
    is_preferred: bool
    lemmas: tuple[str, ...]
    negative: bool = False


@dataclass(frozen=True)
class LabelMatch:
    pattern: LabelPattern
    start: int
    end: int
    method: str  # "lemma", "order" (same lemmas, object said first) or "stem"
    negated: bool
    wish: bool
    others: bool
    sentence_start: int
    sentence_end: int
    action: bool = False  # the words hold a verb or a job noun, not only things or places
    own_voice: bool = False  # the sentence has the person speaking of themselves

    @property
    def asserted(self) -> bool:
        """Said by the person of their own experience: not denied, wished or of others."""
        return not (self.negated or self.wish or self.others)


RuleKey = tuple[str, str]  # (folded lemma, sector code or "" for every sector)


@dataclass(frozen=True)
class SenseRules:
    """Word-sense rules on folded lemmas (ml/data/senses.tsv): a lone family noun is care
    work only next to a care verb, a language name right after a noun is an adjective
    ("ristorante cinese"), "impastare" near "malta" is not bread..."""

    needs: dict[RuleKey, frozenset[str]]
    not_after: dict[RuleKey, frozenset[str]]
    not_near: dict[RuleKey, frozenset[str]]
    # (lemmas, sector, context): a label holding these words counts only with the context
    # ("giocare a carte" is keeping someone company only with someone cared for)
    needs_phrases: tuple[tuple[tuple[str, ...], str, frozenset[str]], ...] = ()

    def allows(self, pattern: LabelPattern, stream: list[str], start: int, end: int) -> bool:
        """May `pattern`, found at stream[start:end], count?"""
        if not (self.needs or self.not_after or self.not_near or self.needs_phrases):
            return True
        sector = pattern.concept_code.split("-")[0]
        before = stream[start - 1] if start > 0 else SEPARATOR
        near = set(stream[max(start - NEAR_WORDS, 0) : end + NEAR_WORDS]) - set(pattern.lemmas)
        sentence: set[str] | None = None
        for phrase, phrase_sector, words in self.needs_phrases:
            if phrase_sector in ("", sector) and _holds(pattern.lemmas, phrase):
                sentence = sentence or _sentence_words(stream, start, end)
                if not words & sentence:
                    return False
        for lemma in pattern.lemmas:
            for key in ((lemma, ""), (lemma, sector)):
                if before in self.not_after.get(key, ()) or self.not_near.get(key, NONE) & near:
                    return False
                if len(pattern.lemmas) == 1 and key in self.needs:
                    sentence = sentence or _sentence_words(stream, start, end)
                    if not self.needs[key] & sentence:
                        return False
        return True


NEAR_WORDS = 3
NONE: frozenset[str] = frozenset()
NO_SENSE_RULES = SenseRules({}, {}, {})


def _holds(lemmas: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    return any(lemmas[i : i + width] == phrase for i in range(len(lemmas) - width + 1))


def _sentence_words(stream: list[str], start: int, end: int) -> set[str]:
    left = start
    while left > 0 and stream[left - 1] != SEPARATOR:
        left -= 1
    right = end
    while right < len(stream) and stream[right] != SEPARATOR:
        right += 1
    return set(stream[left:right])


def sense_rules(nlp: Language) -> SenseRules:
    """Read ml/data/senses.tsv, reducing every word to the lemma the matcher will see."""
    tables: dict[str, dict[RuleKey, frozenset[str]]] = {
        "needs": {},
        "not_after": {},
        "not_near": {},
    }
    phrases = []
    with nlp.select_pipes(enable=["lemmatizer", "ponte_lemma_fixes"]):
        for line in read_lines("senses.tsv"):
            head, rule, context = (part.strip() for part in line.split("\t"))
            word, _at, sector = head.partition("@")
            words = frozenset(fold(t.lemma_) for t in nlp(context) if is_content(t))
            lemmas = tuple(fold(t.lemma_) for t in nlp(word) if is_content(t))
            if rule == "needs" and len(lemmas) > 1:
                phrases.append((lemmas, sector, words))
                continue
            for lemma in lemmas:
                key = (lemma, sector)
                tables[rule][key] = tables[rule].get(key, NONE) | words
    return SenseRules(**tables, needs_phrases=tuple(phrases))


def _content_stream(doc: Doc) -> tuple[list[str], list[Token | None]]:
    """Content lemmas of the doc, with a separator between sentences (no cross matches)."""
    words: list[str] = []
    tokens: list[Token | None] = []
    for sent in doc.sents:
        for token in sent:
            if is_content(token):
                words.append(fold(token.lemma_))
                tokens.append(token)
        words.append(SEPARATOR)
        tokens.append(None)
    return words, tokens


UNORDERED_MAX = 3  # labels of up to three content words also match in any order


class LabelMatcher:
    """Finds framework labels in a doc, tolerant to articles, prepositions and word order
    of function words, to inflection (lemmas), to small typos (stems) and, for short
    labels, to the object said first ("i conti li tengo io" for "tenere i conti")."""

    def __init__(
        self, nlp: Language, patterns: list[LabelPattern], senses: SenseRules = NO_SENSE_RULES
    ):
        self.vocab = nlp.vocab
        self.patterns = patterns
        self.senses = senses
        self.by_lemma = PhraseMatcher(nlp.vocab)
        self.by_stem = PhraseMatcher(nlp.vocab)
        self.unordered: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            key = str(index)
            self.by_lemma.add(key, [Doc(nlp.vocab, words=list(pattern.lemmas))])
            stems = [light_stem(lemma) for lemma in pattern.lemmas]
            self.by_stem.add(key, [Doc(nlp.vocab, words=stems)])
            if 1 < len(set(pattern.lemmas)) == len(pattern.lemmas) <= UNORDERED_MAX:
                self.unordered.setdefault(pattern.lemmas[0], []).append(index)

    def __call__(self, doc: Doc) -> list[LabelMatch]:
        words, tokens = _content_stream(doc)
        if not words:
            return []
        lemma_doc = Doc(self.vocab, words=words)
        stem_doc = Doc(self.vocab, words=[light_stem(w) if w != SEPARATOR else w for w in words])
        found: dict[tuple[int, int, int], LabelMatch] = {}
        voices: dict[int, bool] = {}  # sentence start -> the person speaks of themselves
        ordered: set[tuple[int, int]] = set()
        spans: list[tuple[str, int, int, int]] = []
        for method, matcher, target in (
            ("lemma", self.by_lemma, lemma_doc),
            ("stem", self.by_stem, stem_doc),
        ):
            for match_id, start, end in matcher(target):
                spans.append((method, int(self.vocab.strings[match_id]), start, end))
        spans.extend(self._unordered(words))
        for method, index, start, end in spans:
            if method == "order" and (index, start) in ordered:
                continue
            if not self.senses.allows(self.patterns[index], words, start, end):
                continue
            ordered.add((index, start))
            span_tokens = [t for t in tokens[start:end] if t is not None]
            key = (index, span_tokens[0].idx, span_tokens[-1].idx)
            if key not in found:
                found[key] = self._match(index, span_tokens, method, voices)
        return sorted(found.values(), key=lambda m: (m.start, m.end))

    def _unordered(self, words: list[str]) -> Iterable[tuple[str, int, int, int]]:
        """Short labels whose words all appear, in another order, close together."""
        for position, word in enumerate(words):
            for index in self.unordered.get(word, ()):
                lemmas = self.patterns[index].lemmas
                window = len(lemmas) + 1
                left, right = max(position - window, 0), position + window + 1
                places = [position]
                for lemma in lemmas[1:]:
                    near = [i for i in range(left, min(right, len(words))) if words[i] == lemma]
                    if not near or SEPARATOR in words[min(near[0], position) : max(near)]:
                        break
                    places.append(near[0])
                else:
                    first = min(places)
                    if places != list(range(first, first + len(places))):  # not a phrase
                        yield "order", index, first, max(places) + 1

    def _match(
        self, index: int, span_tokens: list[Token], method: str, voices: dict[int, bool]
    ) -> LabelMatch:
        first, last = span_tokens[0], span_tokens[-1]
        sent = first.sent
        return LabelMatch(
            pattern=self.patterns[index],
            start=first.idx,
            end=last.idx + len(last.text),
            method=method,
            negated=any(t._.negated for t in span_tokens) != self.patterns[index].negative,
            wish=any(t._.wish for t in span_tokens),
            others=any(t._.others for t in span_tokens),
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            action=any(names_action(t) for t in span_tokens),
            own_voice=voices.setdefault(sent.start, speaks_of_self(sent))
            if sent.start not in voices
            else voices[sent.start],
        )


def make_nlp() -> Language:
    """The pipeline without the matcher: used for answers and for the labels alike."""
    nlp = spacy.blank("it")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("ponte_lemma_fixes")
    nlp.add_pipe("ponte_cues")
    nlp.initialize()
    return nlp


LABEL_NEGATIONS = frozenset({"non", "mai", "senza", "niente", "nessun", "nessuna", "nessuno"})


def label_patterns(nlp: Language, labels: Iterable[tuple[str, str, bool]]) -> list[LabelPattern]:
    """(concept code, label, preferred?) -> patterns of content lemmas, deduplicated."""
    items = list(labels)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    patterns = []
    with nlp.select_pipes(enable=["lemmatizer", "ponte_lemma_fixes"]):
        for (code, label, preferred), doc in zip(items, nlp.pipe(t[1] for t in items), strict=True):
            lemmas = tuple(fold(t.lemma_) for t in doc if is_content(t))
            negative = any(t.lower_ in LABEL_NEGATIONS for t in doc)
            if lemmas and (code, lemmas) not in seen:
                seen.add((code, lemmas))
                patterns.append(LabelPattern(code, label, preferred, lemmas, negative))
    return patterns

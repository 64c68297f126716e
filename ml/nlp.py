"""The Italian spaCy pipeline of Ponte, built without downloadable models.

spacy.blank("it") + sentencizer + the lookup lemmatizer of spacy-lookups-data, then our
components: lemma fixes, cue detection (negation, hedging, duration) and a matcher of
framework labels on content lemmas (and on light stems as a fallback for typos and forms
the lookup table lacks). Pure Python: text in, dataclasses out.
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
from spacy.tokens import Doc, Span, Token

DATA_DIR = Path(__file__).resolve().parent / "data"
MIN_STEM_LENGTH = 4
SEPARATOR = "§"

NEGATION_CUES = frozenset(
    {"non", "mai", "nessuno", "nessun", "nessuna", "neanche", "nemmeno", "neppure", "senza", "né"}
)
NEGATION_EXCEPTIONS = frozenset({"solo", "soltanto", "appena"})  # "non solo ..."
HEDGE_CUES = frozenset(
    {
        "vorrei",
        "piacerebbe",
        "imparare",
        "sogno",
        "spero",
        "magari",
        "forse",
        "desidero",
        "interesserebbe",
        "vorrebbe",
        "voglio",
        "potrei",
        "mi piacerebbe",
        "sognerei",
    }
)
CLAUSE_BREAKS = frozenset(
    {",", ";", ":", "ma", "però", "invece", "mentre", "perché", "poi", "e poi", "quindi", "(", ")"}
)
CUE_WINDOW = 8

NUMBER_WORDS = {
    "un": 1,
    "uno": 1,
    "una": 1,
    "due": 2,
    "tre": 3,
    "quattro": 4,
    "cinque": 5,
    "sei": 6,
    "sette": 7,
    "otto": 8,
    "nove": 9,
    "dieci": 10,
    "undici": 11,
    "dodici": 12,
    "quindici": 15,
    "venti": 20,
    "qualche": 2,
    "pochi": 2,
    "alcuni": 3,
    "parecchi": 5,
    "tanti": 6,
    "molti": 6,
    "diversi": 4,
}
UNIT_MONTHS = {
    "anno": 12,
    "anni": 12,
    "mese": 1,
    "mesi": 1,
    "settimana": 0.25,
    "settimane": 0.25,
    "estate": 3,
    "estati": 3,
    "stagione": 4,
    "stagioni": 4,
}
DURATION_RE = re.compile(
    r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s+(" + "|".join(UNIT_MONTHS)
    + r")(\s+e\s+mezzo)?\b",
    re.IGNORECASE,
)
HALF_RE = re.compile(r"\bmezz[oa']\s*(anno|mese)\b", re.IGNORECASE)


def _read_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(word for line in _read_lines("stopwords.txt") for word in line.split())


@lru_cache(maxsize=1)
def lemma_exceptions() -> dict[str, str]:
    """Our fixes to the lookup table, and northern dialect words read as Italian lemmas."""
    table = {}
    for name in ("dialect.tsv", "lemma_exceptions.tsv"):
        for line in _read_lines(name):
            form, lemma = line.split("\t")
            table[form.strip()] = lemma.strip()
    return table


def fold(text: str) -> str:
    """Lower case without accents: 'Attività' -> 'attivita'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def light_stem(lemma: str) -> str:
    """Drop the final vowel: bancali/bancale -> bancal, piastrelle/piastrella -> piastrell.

    Catches the plural and gender forms that the lookup table lacks.
    """
    folded = fold(lemma)
    if len(folded) > MIN_STEM_LENGTH and folded[-1] in "aeiou":
        return folded[:-1]
    return folded


def is_content(token: Token) -> bool:
    if token.is_punct or token.is_space or token.like_num or token.like_url:
        return False
    words = stopwords()
    return token.lower_ not in words and token.lemma_ not in words and len(token.text) > 1


for name in ("negated", "hedged"):
    if not Token.has_extension(name):
        Token.set_extension(name, default=False)
if not Doc.has_extension("duration_months"):
    Doc.set_extension("duration_months", default=None)


class LemmaFixes:
    """Lower-case lookup for capitalised words, then our exceptions table."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self._table: dict[str, str] | None = None

    def table(self) -> dict[str, str]:
        if self._table is None:
            lookups = self.nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
            self._table = lookups.get_table("lemma_lookup")
        return self._table

    def __call__(self, doc: Doc) -> Doc:
        exceptions = lemma_exceptions()
        table = self.table()
        for token in doc:
            lower = token.lower_
            if lower in exceptions:
                token.lemma_ = exceptions[lower]
            elif token.lemma_ == token.text or not token.lemma_:
                token.lemma_ = table.get(lower, lower)
            else:
                token.lemma_ = token.lemma_.lower()
        return doc


@Language.factory("ponte_lemma_fixes")
def make_lemma_fixes(nlp: Language, name: str) -> LemmaFixes:
    return LemmaFixes(nlp)


def _clause_tokens(sent: Span, index: int, step: int) -> Iterable[Token]:
    """Tokens from `index` walking by `step` inside the sentence, stopping at a clause break."""
    position = index + step
    walked = 0
    while sent.start <= position < sent.end and walked < CUE_WINDOW:
        token = sent.doc[position]
        if token.lower_ in CLAUSE_BREAKS:
            return
        yield token
        position += step
        walked += 1


def _negation_scope(sent: Span) -> None:
    for token in sent:
        if token.lower_ not in NEGATION_CUES:
            continue
        following = sent.doc[token.i + 1] if token.i + 1 < sent.end else None
        if following is not None and following.lower_ in NEGATION_EXCEPTIONS:
            continue
        for scoped in _clause_tokens(sent, token.i, +1):
            scoped._.negated = True


def _hedge_scope(sent: Span) -> None:
    for token in sent:
        if token.lower_ not in HEDGE_CUES and token.lemma_ not in HEDGE_CUES:
            continue
        for scoped in _clause_tokens(sent, token.i, +1):
            scoped._.hedged = True
        if token.lemma_ == "imparare":  # "il muletto lo vorrei imparare"
            for scoped in _clause_tokens(sent, token.i, -1):
                scoped._.hedged = True


def duration_in_months(text: str) -> int | None:
    """The longest duration said in `text`, in months ('per tre anni' -> 36)."""
    months: list[float] = []
    for number, unit, half in DURATION_RE.findall(text):
        count = int(number) if number.isdigit() else NUMBER_WORDS[number.lower()]
        unit_months = UNIT_MONTHS[unit.lower()]
        months.append(count * unit_months + (unit_months / 2 if half else 0))
    for match in HALF_RE.finditer(text):
        months.append(6 if match.group(1).lower() == "anno" else 0.5)
    return round(max(months)) if months else None


@Language.component("ponte_cues")
def cues(doc: Doc) -> Doc:
    """Mark negated and hedged tokens; store each sentence's duration in months."""
    longest = None
    for sent in doc.sents:
        _negation_scope(sent)
        _hedge_scope(sent)
        sent_months = duration_in_months(sent.text)
        if sent_months is not None:
            longest = max(longest or 0, sent_months)
    doc._.duration_months = longest
    return doc


@dataclass(frozen=True)
class LabelPattern:
    """One label of one concept, as the matcher sees it."""

    concept_code: str
    label: str
    is_preferred: bool
    lemmas: tuple[str, ...]


@dataclass(frozen=True)
class LabelMatch:
    pattern: LabelPattern
    start: int
    end: int
    method: str  # "lemma" or "stem"
    negated: bool
    hedged: bool
    sentence_start: int
    sentence_end: int


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


class LabelMatcher:
    """Finds framework labels in a doc, tolerant to articles, prepositions and word order
    of function words, to inflection (lemmas) and to small typos (stems)."""

    def __init__(self, nlp: Language, patterns: list[LabelPattern]):
        self.vocab = nlp.vocab
        self.patterns = patterns
        self.by_lemma = PhraseMatcher(nlp.vocab)
        self.by_stem = PhraseMatcher(nlp.vocab)
        for index, pattern in enumerate(patterns):
            key = str(index)
            self.by_lemma.add(key, [Doc(nlp.vocab, words=list(pattern.lemmas))])
            stems = [light_stem(lemma) for lemma in pattern.lemmas]
            self.by_stem.add(key, [Doc(nlp.vocab, words=stems)])

    def __call__(self, doc: Doc) -> list[LabelMatch]:
        words, tokens = _content_stream(doc)
        if not words:
            return []
        lemma_doc = Doc(self.vocab, words=words)
        stem_doc = Doc(self.vocab, words=[light_stem(w) if w != SEPARATOR else w for w in words])
        found: dict[tuple[int, int, int], LabelMatch] = {}
        for method, matcher, target in (
            ("lemma", self.by_lemma, lemma_doc),
            ("stem", self.by_stem, stem_doc),
        ):
            for match_id, start, end in matcher(target):
                index = int(self.vocab.strings[match_id])
                span_tokens = [t for t in tokens[start:end] if t is not None]
                key = (index, span_tokens[0].idx, span_tokens[-1].idx)
                if key not in found:
                    found[key] = self._match(index, span_tokens, method)
        return sorted(found.values(), key=lambda m: (m.start, m.end))

    def _match(self, index: int, span_tokens: list[Token], method: str) -> LabelMatch:
        first, last = span_tokens[0], span_tokens[-1]
        sent = first.sent
        return LabelMatch(
            pattern=self.patterns[index],
            start=first.idx,
            end=last.idx + len(last.text),
            method=method,
            negated=any(t._.negated for t in span_tokens),
            hedged=any(t._.hedged for t in span_tokens),
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
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


def label_patterns(nlp: Language, labels: Iterable[tuple[str, str, bool]]) -> list[LabelPattern]:
    """(concept code, label, preferred?) -> patterns of content lemmas, deduplicated."""
    items = list(labels)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    patterns = []
    with nlp.select_pipes(enable=["lemmatizer", "ponte_lemma_fixes"]):
        for (code, label, preferred), doc in zip(items, nlp.pipe(t[1] for t in items), strict=True):
            lemmas = tuple(fold(t.lemma_) for t in doc if is_content(t))
            if lemmas and (code, lemmas) not in seen:
                seen.add((code, lemmas))
                patterns.append(LabelPattern(code, label, preferred, lemmas))
    return patterns

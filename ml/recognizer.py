"""From an answer's text to ranked competence suggestions with their supporting words."""

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.tokens import Doc

from ml.concepts import ConceptCatalogue
from ml.nlp import (
    LabelMatch,
    LabelMatcher,
    LabelPattern,
    fold,
    is_content,
    label_patterns,
    make_nlp,
)
from ml.ranking import Candidate, Ranker
from ml.types import ConceptText, Suggestion

SIMILARITY_CANDIDATES = 8
GENERIC_WORD_TARGETS = 6
MAX_TEXT_CHARS = 10_000


@dataclass
class Analysis:
    doc: Doc
    candidates: list[Candidate]


class Recognizer:
    """Built once per process from the framework's concepts; thread-safe for reading."""

    def __init__(self, concepts: list[ConceptText], ranker: Ranker | None = None):
        self.nlp = make_nlp()
        self.catalogue = ConceptCatalogue(concepts)
        patterns = self._specific(label_patterns(self.nlp, self.catalogue.labels()))
        self.matcher = LabelMatcher(self.nlp, patterns)
        self.ambiguity = self._ambiguity(patterns)
        self.ranker = ranker or Ranker()
        self._fit_similarity()

    def with_ranker(self, ranker: Ranker) -> "Recognizer":
        """The same pipeline and index with another ranker (no rebuild)."""
        clone = copy.copy(self)
        clone.ranker = ranker
        return clone

    def _specific(self, patterns: list[LabelPattern]) -> list[LabelPattern]:
        """Drop one-word patterns whose word is spread over many competences' labels
        ('lavorare' from 'lavorare con gli altri'): they would match almost any answer."""
        spread: dict[str, set[str]] = defaultdict(set)
        for pattern in patterns:
            for lemma in pattern.lemmas:
                spread[lemma].update(self.catalogue.targets_of[pattern.concept_code])
        return [
            p
            for p in patterns
            if len(p.lemmas) > 1 or len(spread[p.lemmas[0]]) <= GENERIC_WORD_TARGETS
        ]

    def _ambiguity(self, patterns) -> dict[tuple[str, ...], int]:  # type: ignore[no-untyped-def]
        targets: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for pattern in patterns:
            targets[pattern.lemmas].update(self.catalogue.targets_of[pattern.concept_code])
        return {lemmas: len(codes) for lemmas, codes in targets.items()}

    def lemma_text(self, doc: Doc) -> str:
        return " ".join(fold(t.lemma_) for t in doc if is_content(t))

    def _fit_similarity(self) -> None:
        documents = [self.catalogue.targets[code].document for code in self.catalogue.order]
        lemma_docs = [self.lemma_text(d) for d in self.nlp.pipe(documents)]
        self.word_vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.word_matrix = self.word_vectorizer.fit_transform(lemma_docs)
        self.char_vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=fold
        )
        self.char_matrix = self.char_vectorizer.fit_transform(documents)

    def _similarities(self, doc: Doc) -> tuple[np.ndarray, np.ndarray]:
        word_query = self.word_vectorizer.transform([self.lemma_text(doc)])
        char_query = self.char_vectorizer.transform([doc.text])
        word = (self.word_matrix @ word_query.T).toarray().ravel()
        char = (self.char_matrix @ char_query.T).toarray().ravel()
        return word, char

    def analyse(self, text: str) -> Analysis:
        doc = self.nlp(text[:MAX_TEXT_CHARS])
        candidates: dict[str, Candidate] = {}
        for match in self.matcher(doc):
            self._add_match(candidates, match)
        word, char = self._similarities(doc)
        self._add_similar(candidates, word, char)
        return Analysis(doc=doc, candidates=list(candidates.values()))

    def _candidate(self, candidates: dict[str, Candidate], code: str) -> Candidate:
        if code not in candidates:
            target = self.catalogue.targets[code]
            candidates[code] = Candidate(code=code, kind=target.kind, sector=target.sector)
        return candidates[code]

    def _add_match(self, candidates: dict[str, Candidate], match: LabelMatch) -> None:
        concept = self.catalogue.concepts[match.pattern.concept_code]
        via = (
            "profile"
            if concept.kind == "profilo"
            else "competence"
            if concept.code in self.catalogue.targets
            else "detail"
        )
        for code in self.catalogue.targets_of[concept.code]:
            if code not in self.catalogue.targets:
                continue
            candidate = self._candidate(candidates, code)
            candidate.matches.append(match)
            candidate.via.add(via)
            candidate.ambiguity = max(
                candidate.ambiguity, self.ambiguity.get(match.pattern.lemmas, 1)
            )

    def _add_similar(
        self, candidates: dict[str, Candidate], word: np.ndarray, char: np.ndarray
    ) -> None:
        word_rank = Counter({i: r for r, i in enumerate(np.argsort(-word))})
        char_rank = Counter({i: r for r, i in enumerate(np.argsort(-char))})
        top = set(np.argsort(-word)[:SIMILARITY_CANDIDATES]) | set(
            np.argsort(-char)[:SIMILARITY_CANDIDATES]
        )
        for index, code in enumerate(self.catalogue.order):
            if index not in top and code not in candidates:
                continue
            candidate = self._candidate(candidates, code)
            candidate.word_sim, candidate.char_sim = float(word[index]), float(char[index])
            candidate.word_rank, candidate.char_rank = word_rank[index], char_rank[index]

    def suggest(self, text: str, *, top_k: int = 5, min_score: float = 0.0) -> list[Suggestion]:
        analysis = self.analyse(text)
        scores = self.ranker.score(analysis.candidates)
        ranked = sorted(
            zip(scores, analysis.candidates, strict=True), key=lambda pair: (-pair[0], pair[1].code)
        )
        return [
            self._suggestion(analysis.doc, candidate, score)
            for score, candidate in ranked[:top_k]
            if score >= min_score
        ]

    def _suggestion(self, doc: Doc, candidate: Candidate, score: float) -> Suggestion:
        target = self.catalogue.targets[candidate.code]
        usable = candidate.usable_matches()
        best = max(
            usable or candidate.matches,
            default=None,
            key=lambda m: (len(m.pattern.lemmas), m.method == "lemma"),
        )
        start, end = (best.start, best.end) if best else self._best_sentence(doc, target)
        return Suggestion(
            code=candidate.code,
            label=target.label,
            score=score,
            start=start,
            end=end,
            span=doc.text[start:end],
            reason=self._reason(candidate, best),
            negated=bool(candidate.matches) and all(m.negated for m in candidate.matches),
            hedged=bool(candidate.matches)
            and not usable
            and any(m.hedged for m in candidate.matches),
            duration_months=doc._.duration_months,
            via=tuple(sorted(candidate.via)),
        )

    def _best_sentence(self, doc: Doc, target) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        vocabulary = set(fold(target.document).split())
        best = max(doc.sents, default=None,
                   key=lambda s: sum(fold(t.lemma_) in vocabulary for t in s))
        return (best.start_char, best.end_char) if best is not None else (0, 0)

    def _reason(self, candidate: Candidate, best: LabelMatch | None) -> str:
        if best is None:
            return "Testo simile alla descrizione della competenza"
        concept = self.catalogue.concepts[best.pattern.concept_code]
        kinds = {"profilo": "mestiere", "abilita": "abilità", "conoscenza": "conoscenza"}
        source = kinds.get(concept.kind)
        detail = f" ({source}: {concept.pref_label})" if source else ""
        prefix = (
            "Detto in forma negativa: "
            if best.negated
            else "Detto come desiderio: "
            if best.hedged
            else ""
        )
        return f"{prefix}«{best.pattern.label}»{detail}"

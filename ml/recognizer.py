"""From an answer's text to ranked competence suggestions with their supporting words."""

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.language import Language
from spacy.tokens import Doc, Token

from ml.concepts import ConceptCatalogue, Target
from ml.job_titles import JobTitles, is_title_code, job_titles
from ml.nlp import (
    LabelMatch,
    LabelMatcher,
    LabelPattern,
    SenseRules,
    fold,
    is_content,
    label_patterns,
    make_nlp,
    read_lines,
    read_words,
    sense_rules,
)
from ml.ranking import (
    AnswerContext,
    Candidate,
    Ranker,
    SpanPlace,
    card_limit,
    logit,
    show_features,
)
from ml.types import ConceptText, Suggestion

SIMILARITY_CANDIDATES = 8
GENERIC_WORD_TARGETS = 12
MAX_TEXT_CHARS = 10_000
SOURCE_KINDS = {"profilo": "mestiere", "abilita": "abilità", "conoscenza": "conoscenza"}


@dataclass
class Analysis:
    doc: Doc
    candidates: list[Candidate]
    own: list[bool]  # per token: said by the person of their own experience

    @property
    def words(self) -> int:
        """Content words of the answer."""
        return sum(1 for t in self.doc if is_content(t))


@dataclass(frozen=True)
class Scored:
    """A candidate with the ranker's score, its place and what the show decision reads."""

    candidate: Candidate
    score: float
    rank: int
    show_row: list[float]


def _own(token: Token) -> bool:
    """Said by the person of their own experience."""
    return not (token._.negated or token._.wish or token._.others)


class Recognizer:
    """Built once per process from the framework's concepts; thread-safe for reading."""

    def __init__(self, concepts: list[ConceptText], ranker: Ranker | None = None):
        self.nlp = self._pipeline()
        titles = self._job_titles(concepts)
        self.catalogue = ConceptCatalogue([*concepts, *titles.concepts])
        self.title_order = titles.order
        phrases = [p for p in label_patterns(self.nlp, self._phrases()) if len(p.lemmas) > 1]
        terms = label_patterns(self.nlp, self._phrases("terms.tsv"))
        labels = self._titles_decide(label_patterns(self.nlp, self.catalogue.labels()))
        patterns = self._specific(labels + phrases + terms)
        self.matcher = LabelMatcher(self.nlp, patterns, self._sense_rules())
        self.ambiguity = self._ambiguity(patterns)
        self.ranker = ranker or Ranker()
        self._fit_similarity()
        self.profile_fit = self._profile_fit()

    def with_ranker(self, ranker: Ranker) -> "Recognizer":
        """The same pipeline and index with another ranker (no rebuild)."""
        clone = copy.copy(self)
        clone.ranker = ranker
        return clone

    # Per-language hooks (ml/multilingual.py overrides them for the other languages).
    def _pipeline(self) -> Language:
        return make_nlp()

    def _sense_rules(self) -> SenseRules:
        return sense_rules(self.nlp)

    def _generic_words(self) -> frozenset[str]:
        return read_words("generic_words.txt")

    def _job_titles(self, concepts: list[ConceptText]) -> JobTitles:
        return job_titles(concepts)

    def _phrases(self, name: str = "phrases.tsv") -> list[tuple[str, str, bool]]:
        """Everyday phrasings of competences (ml/data/phrases.tsv, matched like labels; those
        of a single content word are left out: too vague on their own) or the single words
        that name one (ml/data/terms.tsv)."""
        rows: list[tuple[str, str, bool]] = []
        for line in read_lines(name):
            code, phrases = line.split("\t")
            if code.strip() in self.catalogue.targets:
                rows.extend((code.strip(), p.strip(), False) for p in phrases.split("|"))
        return rows

    def _profile_fit(self) -> dict[tuple[str, str], float]:
        """For each job title and competence it implies: how close the competence's texts
        are to the title's own description, 1 for the closest ("muratore" is first of all
        building walls, then plastering...)."""
        fit: dict[tuple[str, str], float] = {}
        index = {code: i for i, code in enumerate(self.catalogue.order)}
        profiles = [c for c in self.catalogue.concepts.values() if c.kind == "profilo"]
        if not profiles:
            return fit
        texts = [" ".join([p.pref_label, *p.alt_labels, p.description]) for p in profiles]
        vectors = self.word_vectorizer.transform(self._lemma_texts(texts))
        for row, profile in enumerate(profiles):
            codes = [c for c in self.catalogue.targets_of[profile.code] if c in index]
            if not codes:
                continue
            sims = (self.word_matrix[[index[c] for c in codes]] @ vectors[row].T).toarray().ravel()
            best = max(float(sims.max()), 1e-9)
            for code, sim in zip(codes, sims, strict=True):
                fit[(profile.code, code)] = float(sim) / best
        return fit

    def _titles_decide(self, patterns: list[LabelPattern]) -> list[LabelPattern]:
        """A job title listed in ml/data/job_titles.tsv supports the competences listed
        there: the same words as a label of a framework profile are left to it (the title's
        preferred label is its profile's name, shown, not matched)."""
        titles = [p for p in patterns if is_title_code(p.concept_code) and not p.is_preferred]
        listed = {p.lemmas for p in titles}
        return titles + [
            p
            for p in patterns
            if not is_title_code(p.concept_code)
            and (
                self.catalogue.concepts[p.concept_code].kind != "profilo" or p.lemmas not in listed
            )
        ]

    def _specific(self, patterns: list[LabelPattern]) -> list[LabelPattern]:
        """Drop one-word patterns that cannot name a competence on their own: generic words
        ('aiutare', 'capire': ml/data/generic_words.txt) and words that are a whole label
        of many competences."""
        generic = self._generic_words()
        spread = self._spread(patterns)
        return [
            p
            for p in patterns
            if len(p.lemmas) > 1
            or (p.lemmas[0] not in generic and len(spread[p.lemmas[0]]) <= GENERIC_WORD_TARGETS)
        ]

    def _spread(self, patterns: list[LabelPattern]) -> dict[str, set[str]]:
        """The competences whose labels use each lemma."""
        spread: dict[str, set[str]] = defaultdict(set)
        for pattern in patterns:
            for lemma in pattern.lemmas:
                spread[lemma].update(self.catalogue.targets_of[pattern.concept_code])
        return spread

    def _ambiguity(self, patterns: list[LabelPattern]) -> dict[tuple[str, ...], int]:
        """How many competences a label may mean: those sharing its words, and for a lone
        word every competence whose labels use it ("banco", "pulizie")."""
        targets: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for pattern in patterns:
            targets[pattern.lemmas].update(self.catalogue.targets_of[pattern.concept_code])
        spread = self._spread(patterns)
        return {
            lemmas: max(len(codes), len(spread[lemmas[0]]) if len(lemmas) == 1 else 0)
            for lemmas, codes in targets.items()
        }

    def lemma_text(self, tokens: Doc | list[Token]) -> str:
        return " ".join(fold(t.lemma_) for t in tokens if is_content(t))

    def _lemma_texts(self, texts: list[str]) -> list[str]:
        """Content lemmas of framework texts (no cues: they are not a person's words)."""
        with self.nlp.select_pipes(enable=["lemmatizer", "ponte_lemma_fixes"]):
            return [self.lemma_text(doc) for doc in self.nlp.pipe(texts)]

    def _fit_similarity(self) -> None:
        phrases: dict[str, list[str]] = defaultdict(list)
        for code, phrase, _preferred in self._phrases() + self._phrases("terms.tsv"):
            phrases[code].append(phrase)
        documents = [
            " . ".join([self.catalogue.targets[code].document, *phrases[code]])
            for code in self.catalogue.order
        ]
        lemma_docs = self._lemma_texts(documents)
        self.word_vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.word_matrix = self.word_vectorizer.fit_transform(lemma_docs)
        self.char_vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=fold
        )
        self.char_matrix = self.char_vectorizer.fit_transform(documents)

    def _similarities(self, own: list[Token]) -> tuple[np.ndarray, np.ndarray]:
        """Similarity of the person's own words (not denied, wished or of others)."""
        word_query = self.word_vectorizer.transform([self.lemma_text(own)])
        char_query = self.char_vectorizer.transform([" ".join(t.text for t in own)])
        word = (self.word_matrix @ word_query.T).toarray().ravel()
        char = (self.char_matrix @ char_query.T).toarray().ravel()
        return word, char

    def analyse(self, text: str) -> Analysis:
        doc = self.nlp(text[:MAX_TEXT_CHARS])
        candidates: dict[str, Candidate] = {}
        for match in self.matcher(doc):
            self._add_match(candidates, match)
        tokens = list(doc)
        flags = [_own(t) for t in tokens]
        own = [t for t, flag in zip(tokens, flags, strict=True) if flag]
        if any(is_content(t) for t in own):
            word, char = self._similarities(own)
            self._add_similar(candidates, word, char)
        return Analysis(doc=doc, candidates=list(candidates.values()), own=flags)

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
            candidate.via[via] = candidate.via.get(via, False) or match.asserted
            if via == "profile" and match.asserted:
                fit = self.profile_fit.get((concept.code, code), 0.0)
                candidate.profile_fit = max(candidate.profile_fit, fit)
                candidate.title_order = max(
                    candidate.title_order, self._title_order(concept.code, code)
                )
            candidate.ambiguity = max(
                candidate.ambiguity, self.ambiguity.get(match.pattern.lemmas, 1)
            )

    def _title_order(self, profile: str, code: str) -> float:
        """1 for the competence a job title says first, 1/2 for the second...; 0 for one
        the title's line leaves out."""
        order = self.title_order.get(profile, ())
        return 1.0 / (1 + order.index(code)) if code in order else 0.0

    def _add_similar(
        self, candidates: dict[str, Candidate], word: np.ndarray, char: np.ndarray
    ) -> None:
        word_order, char_order = np.argsort(-word), np.argsort(-char)
        word_rank = Counter({i: r for r, i in enumerate(word_order)})
        char_rank = Counter({i: r for r, i in enumerate(char_order)})
        top = set(word_order[:SIMILARITY_CANDIDATES]) | set(char_order[:SIMILARITY_CANDIDATES])
        for index, code in enumerate(self.catalogue.order):
            if index not in top and code not in candidates:
                continue
            candidate = self._candidate(candidates, code)
            candidate.word_sim, candidate.char_sim = float(word[index]), float(char[index])
            candidate.word_rank, candidate.char_rank = word_rank[index], char_rank[index]

    # --- scoring ----------------------------------------------------------------------------

    def score(self, analysis: Analysis) -> list[Scored]:
        """Candidates ordered by the ranker, each with the features of the show decision."""
        scores = self.ranker.score(analysis.candidates)
        ranked = sorted(
            zip(scores, analysis.candidates, strict=True), key=lambda pair: (-pair[0], pair[1].code)
        )
        context = AnswerContext(
            words=analysis.words,
            asserted_candidates=sum(1 for c in analysis.candidates if c.usable_matches()),
            best_logit=logit(ranked[0][0]) if ranked else 0.0,
        )
        better: list[tuple[int, int]] = []
        scored = []
        for rank, (score, candidate) in enumerate(ranked):
            span = self._best_match_span(candidate)
            place = SpanPlace(
                shared=span is not None and span in better,
                inside=span is not None
                and any(s <= span[0] and span[1] <= e and (s, e) != span for s, e in better),
            )
            if span is not None:
                better.append(span)
            row = show_features(candidate, score, rank, place, context)
            scored.append(Scored(candidate, score, rank, row))
        return scored

    @staticmethod
    def _best_match(candidate: Candidate) -> LabelMatch | None:
        return max(
            candidate.usable_matches() or candidate.matches,
            default=None,
            key=lambda m: (len(m.pattern.lemmas), m.method != "stem", -m.start),
        )

    def _best_match_span(self, candidate: Candidate) -> tuple[int, int] | None:
        best = self._best_match(candidate)
        return (best.start, best.end) if best is not None else None

    def suggest(self, text: str, *, top_k: int = 5, min_score: float = 0.0) -> list[Suggestion]:
        """The `top_k` best competences, most likely first; `shown` marks the cards (at most
        `card_limit` of the answer's length, the most likely)."""
        analysis = self.analyse(text)
        scored = self.score(analysis)
        confidence = self.ranker.confidence([s.show_row for s in scored], [s.score for s in scored])
        threshold = self.ranker.show_threshold()
        ordered = sorted(
            zip(confidence, scored, strict=True), key=lambda pair: (-pair[0], pair[1].rank)
        )
        text = analysis.doc.text
        limit = card_limit(analysis.words)
        suggestions = []
        for place, (probability, item) in enumerate(ordered[:top_k]):
            if probability < min_score:
                continue
            shown = (
                not item.candidate.unasserted_only and probability >= threshold and place < limit
            )
            suggestions.append(self._suggestion(analysis, text, item.candidate, probability, shown))
        return suggestions

    def _suggestion(
        self, analysis: Analysis, text: str, candidate: Candidate, score: float, shown: bool
    ) -> Suggestion:
        doc = analysis.doc
        target = self.catalogue.targets[candidate.code]
        best = self._best_match(candidate)
        start, end = (best.start, best.end) if best else self._best_sentence(analysis, target)
        unasserted = candidate.unasserted_only
        negated = unasserted and all(m.negated for m in candidate.matches)
        wish = unasserted and not negated and any(m.wish for m in candidate.matches)
        others = unasserted and not negated and not wish
        return Suggestion(
            code=candidate.code,
            label=target.label,
            score=score,
            start=start,
            end=end,
            span=text[start:end],
            reason=self._reason(text, best),
            negated=negated,
            wish=wish,
            others=others,
            shown=shown,
            duration_months=doc._.duration_months,
            via=tuple(sorted(candidate.sources())),
        )

    def _best_sentence(self, analysis: Analysis, target: Target) -> tuple[int, int]:
        """The sentence with most of the competence's words among the person's own."""
        vocabulary = set(fold(target.document).split())
        own = analysis.own
        best = max(
            analysis.doc.sents,
            default=None,
            key=lambda s: sum(fold(t.lemma_) in vocabulary for t in s if own[t.i]),
        )
        return (best.start_char, best.end_char) if best is not None else (0, 0)

    def _reason(self, text: str, best: LabelMatch | None) -> str:
        """Why, quoting only the person's own words (never a label as if it were said)."""
        if best is None:
            return "Parole simili alla descrizione della competenza"
        concept = self.catalogue.concepts[best.pattern.concept_code]
        source = SOURCE_KINDS.get(concept.kind)
        detail = f" ({source}: {concept.pref_label})" if source and concept.pref_label else ""
        prefix = ""
        if not best.asserted:
            prefix = (
                "Detto in forma negativa: "
                if best.negated
                else "Detto come desiderio o progetto: "
                if best.wish
                else "Detto di un'altra persona: "
            )
        return f"{prefix}«{text[best.start : best.end]}»{detail}"

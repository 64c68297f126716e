"""One card per competence per interview; bulk decisions on cards and their undo."""

import pytest

from common.exceptions import AccessDenied, ApplicationError
from competenze.models import Evidence, InterviewAnswer, SkillEntry, SkillSuggestion
from competenze.selectors.interviews import (
    interview_cards_by_sector,
    interview_cards_pending_count,
)
from competenze.services import interview_batches as batches
from competenze.services import interview_cards as cards
from competenze.services import interviews as services
from tests.factories import ConceptFactory, CounsellorFactory, FrameworkFactory, SectorFactory
from tests.factories.interviews import InterviewAnswerFactory, InterviewFactory, make_suggestion

pytestmark = pytest.mark.django_db

FIRST = "Facevo il muletto in un magazzino, scaricavo i camion."
SECOND = "Ho lavorato anche in un deposito, col muletto tutto il giorno."
THIRD = "Il muletto lo guidavo anche in fabbrica."


@pytest.fixture
def framework():
    return FrameworkFactory(is_default=True)


@pytest.fixture
def interview():
    return InterviewFactory()


def _answer(interview, question_id, text):
    return InterviewAnswerFactory(interview=interview, question_id=question_id, text=text)


def _store(answer, concept, span, score):
    services.answer_suggestions_store(
        answer=answer,
        model_version="prova",
        suggestions=[make_suggestion(concept.code, answer.text, span, score=score)],
    )
    return SkillSuggestion.objects.get(answer=answer, concept=concept)


def test_the_same_competence_in_three_answers_makes_one_card(interview, framework):
    forklift = ConceptFactory(framework=framework)
    card = _store(_answer(interview, "q1", FIRST), forklift, "muletto", 0.7)
    again = _store(_answer(interview, "q2", SECOND), forklift, "col muletto", 0.9)
    third = _store(_answer(interview, "q3", THIRD), forklift, "Il muletto lo guidavo", 0.6)
    assert card.is_card and again.card == card and third.card == card
    assert interview_cards_pending_count(interview=interview) == 1
    (group,) = interview_cards_by_sector(interview=interview)
    (shown,) = group.cards
    assert shown.suggestion == card
    assert [(s.answer.question_id, s.span) for s in shown.also] == [
        ("q2", "col muletto"),
        ("q3", "Il muletto lo guidavo"),
    ]
    card.refresh_from_db()
    assert card.score == pytest.approx(0.9)  # the card is as sure as its strongest words


def test_accepting_a_card_decides_the_words_joined_to_it(interview, framework):
    forklift = ConceptFactory(framework=framework)
    card = _store(_answer(interview, "q1", FIRST), forklift, "muletto", 0.7)
    again = _store(_answer(interview, "q2", SECOND), forklift, "col muletto", 0.9)
    services.suggestion_accept(suggestion=card, decided_by=interview.counsellor)
    again.refresh_from_db()
    assert again.status == "accettata"
    entry = SkillEntry.objects.get(person=interview.person, concept=forklift)
    assert "muletto" in entry.evidence_text and "col muletto" in entry.evidence_text
    assert entry.evidences.count() == 2  # one evidence per answer
    assert interview_cards_pending_count(interview=interview) == 0


def test_an_accepted_competence_never_comes_back_as_a_new_card(interview, framework):
    forklift = ConceptFactory(framework=framework)
    card = _store(_answer(interview, "q1", FIRST), forklift, "muletto", 0.6)
    services.suggestion_accept(suggestion=card, decided_by=interview.counsellor)
    later = _store(_answer(interview, "q2", SECOND), forklift, "col muletto", 1.0)
    assert later.card == card
    assert interview_cards_pending_count(interview=interview) == 0


def test_a_rejected_competence_comes_back_only_when_said_much_more_strongly(interview, framework):
    learning = ConceptFactory(framework=framework)
    rejected = _store(_answer(interview, "q1", FIRST), learning, "muletto", 0.5)
    services.suggestion_reject(suggestion=rejected, decided_by=interview.counsellor)
    weak = _store(_answer(interview, "q2", SECOND), learning, "col muletto", 0.6)
    assert weak.card == rejected and weak.reopens is None
    assert interview_cards_pending_count(interview=interview) == 0
    strong = _store(_answer(interview, "q3", THIRD), learning, "Il muletto lo guidavo", 0.95)
    assert strong.is_card and strong.reopens == rejected
    (group,) = interview_cards_by_sector(interview=interview)
    (card,) = group.cards
    assert card.reopens == rejected  # the card says it was rejected before


def test_cards_are_grouped_by_sector_and_ordered_by_confidence(interview, framework):
    kitchen = SectorFactory(framework=framework, code="RIS", label="Ristorazione")
    store = SectorFactory(framework=framework, code="LOG", label="Logistica")
    cook, dishes = (ConceptFactory(framework=framework, sector=kitchen) for _ in range(2))
    forklift = ConceptFactory(framework=framework, sector=store)
    answer = _answer(interview, "q1", FIRST)
    services.answer_suggestions_store(
        answer=answer,
        model_version="prova",
        suggestions=[
            make_suggestion(cook.code, FIRST, "Facevo", score=0.6),
            make_suggestion(dishes.code, FIRST, "magazzino", score=0.7),
            make_suggestion(forklift.code, FIRST, "muletto", score=0.95),
        ],
    )
    groups = interview_cards_by_sector(interview=interview)
    assert [g.sector_code for g in groups] == ["LOG", "RIS"]
    assert [c.suggestion.concept for c in groups[1].cards] == [dishes, cook]


def test_a_changed_answer_hands_its_card_to_the_words_of_another_answer(interview, framework):
    forklift = ConceptFactory(framework=framework)
    first = _answer(interview, "q1", FIRST)
    card = _store(first, forklift, "muletto", 0.7)
    second = _store(_answer(interview, "q2", SECOND), forklift, "col muletto", 0.8)
    third = _store(_answer(interview, "q3", THIRD), forklift, "Il muletto lo guidavo", 0.6)
    cards.answer_suggestions_discard(answer=first)
    assert not SkillSuggestion.objects.filter(pk=card.pk).exists()
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.is_card and third.card == second
    assert interview_cards_pending_count(interview=interview) == 1


def _three_cards(interview, framework):
    concepts = [ConceptFactory(framework=framework) for _ in range(3)]
    answer = _answer(interview, "q1", FIRST)
    services.answer_suggestions_store(
        answer=answer,
        model_version="prova",
        suggestions=[
            make_suggestion(concepts[0].code, FIRST, "muletto", score=0.97),
            make_suggestion(concepts[1].code, FIRST, "scaricavo i camion", score=0.9),
            make_suggestion(concepts[2].code, FIRST, "magazzino", score=0.5),
        ],
    )
    return concepts


def test_accept_the_evident_then_reject_the_rest_brings_the_count_to_zero(interview, framework):
    concepts = _three_cards(interview, framework)
    accepted = batches.interview_cards_accept_evident(
        interview=interview, decided_by=interview.counsellor
    )
    assert set(SkillEntry.objects.values_list("concept", flat=True)) == {
        concepts[0].pk,
        concepts[1].pk,
    }
    assert accepted.suggestions.count() == 2
    assert interview_cards_pending_count(interview=interview) == 1
    rejected = batches.interview_cards_reject_pending(
        interview=interview, decided_by=interview.counsellor
    )
    assert rejected.suggestions.get().concept == concepts[2]
    assert interview_cards_pending_count(interview=interview) == 0
    with pytest.raises(ApplicationError, match="Non ci sono competenze suggerite"):
        batches.interview_cards_reject_pending(interview=interview, decided_by=interview.counsellor)


def test_undo_of_a_bulk_accept_puts_the_profile_back(interview, framework):
    concepts = _three_cards(interview, framework)
    existing = SkillEntry.objects.create(
        person=interview.person,
        concept=concepts[1],
        recorded_by=interview.counsellor,
        source=SkillEntry.Source.COUNSELLOR,
        level=SkillEntry.Level.ADVANCED,
        evidence_text="da un attestato",
    )
    batch = batches.interview_cards_accept_evident(
        interview=interview, decided_by=interview.counsellor
    )
    existing.refresh_from_db()
    assert "scaricavo i camion" in existing.evidence_text
    assert InterviewAnswer.objects.get().evidence is not None
    batches.suggestion_batch_undo(batch=batch, undone_by=interview.counsellor)
    assert list(SkillEntry.objects.all()) == [existing]  # the created entry is gone
    existing.refresh_from_db()
    assert (existing.level, existing.evidence_text) == (3, "da un attestato")
    assert not existing.evidences.exists()
    assert not Evidence.objects.exists()
    assert InterviewAnswer.objects.get().evidence is None
    assert interview_cards_pending_count(interview=interview) == 3
    assert set(SkillSuggestion.objects.values_list("status", flat=True)) == {"proposta"}
    with pytest.raises(ApplicationError, match="già stata annullata"):
        batches.suggestion_batch_undo(batch=batch, undone_by=interview.counsellor)


def test_undo_of_a_bulk_reject_makes_the_cards_undecided_again(interview, framework):
    _three_cards(interview, framework)
    batch = batches.interview_cards_reject_pending(
        interview=interview, decided_by=interview.counsellor
    )
    assert interview_cards_pending_count(interview=interview) == 0
    batches.suggestion_batch_undo(batch=batch, undone_by=interview.counsellor)
    assert interview_cards_pending_count(interview=interview) == 3
    assert not SkillSuggestion.objects.exclude(decided_at=None).exists()


def test_undo_is_refused_once_a_card_was_decided_again(interview, framework):
    _three_cards(interview, framework)
    batch = batches.interview_cards_reject_pending(
        interview=interview, decided_by=interview.counsellor
    )
    card = batch.suggestions.order_by("-score").first()
    services.suggestion_accept(suggestion=card, decided_by=interview.counsellor)
    with pytest.raises(ApplicationError, match="decise di nuovo"):
        batches.suggestion_batch_undo(batch=batch, undone_by=interview.counsellor)
    assert SkillEntry.objects.count() == 1


def test_undo_is_refused_once_an_entry_was_validated(interview, framework):
    _three_cards(interview, framework)
    batch = batches.interview_cards_accept_evident(
        interview=interview, decided_by=interview.counsellor
    )
    SkillEntry.objects.update(stage=SkillEntry.Stage.VALIDATED)
    with pytest.raises(ApplicationError, match="già oltre la fase"):
        batches.suggestion_batch_undo(batch=batch, undone_by=interview.counsellor)
    assert SkillEntry.objects.count() == 2


def test_bulk_decisions_need_an_editor(interview, framework):
    _three_cards(interview, framework)
    stranger = CounsellorFactory()
    with pytest.raises(AccessDenied):
        batches.interview_cards_accept_evident(interview=interview, decided_by=stranger)
    with pytest.raises(AccessDenied):
        batches.interview_cards_reject_pending(interview=interview, decided_by=stranger)
    assert interview_cards_pending_count(interview=interview) == 3


def test_pending_counts_see_cards_not_joined_words(interview, framework):
    forklift = ConceptFactory(framework=framework)
    _store(_answer(interview, "q1", FIRST), forklift, "muletto", 0.7)
    _store(_answer(interview, "q2", SECOND), forklift, "col muletto", 0.9)
    assert interview_cards_pending_count(interview=interview) == 1

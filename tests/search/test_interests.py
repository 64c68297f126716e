"""What the person said they wish (interview answers, wishes the recogniser heard) and the
sectors of their own profile count in the ranking, on every backend."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command

from common.models import AccessLog
from competenze.models import Interview, InterviewAnswer, SkillSuggestion
from competenze.selectors.interviews import person_wished_sectors_list
from competenze.services.interview_suggestions import answer_suggestions_store
from competenze.services.interviews import interview_answer, interview_start
from search import interests
from search.profiles import declared_interests, interest_vocabulary
from search.queries import person_context, person_opportunities_match
from search.types import COURSE, OFFER, PLACEMENT
from tests.factories import ConceptFactory, CounsellorFactory, SectorFactory
from tests.factories.interviews import (
    InterviewAnswerFactory,
    SkillSuggestionFactory,
    load_shipped_templates,
)
from tests.search import builders as b

VOCABULARY = interests.vocabulary_from(
    [
        ("RIS", "Ristorazione e cucina"),
        ("VER", "Manutenzione del verde e agricoltura"),
        ("EDI", "Edilizia"),
        ("LOG", "Logistica e magazzino"),
    ],
    [
        ("EDI", "Muratore", ["muratore", "ho fatto il muratore"]),
        ("RIS", "Aiuto cuoco", ["cuoco", "aiuto cuoco", "lavapiatti"]),
        ("VER", "Giardiniere", ["giardiniere", "manutentore del verde"]),
        ("COM", "Curare il reparto ortofrutta", ["verdura"]),
    ],
)


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        ("Mi piacerebbe lavorare in cucina, come cuoca.", {"RIS"}),
        ("Vorrei fare il giardiniere o lavorare in campagna con l'agricoltura", {"VER"}),
        ("Non voglio più fare il muratore, mi piacerebbe lavorare in un magazzino", {"LOG"}),
        ("Non lo so ancora.", set()),
        ("Mi piacerebbe stare all'aperto, nel verde.", {"VER"}),  # verde is not verdura
        ("Aiutare le persone", set()),
    ],
)
def test_sectors_named_in_what_the_person_wishes(text, sectors):
    assert interests.sectors_in_text(text, VOCABULARY) == sectors


def test_profile_sectors_count_by_how_much_is_held_and_declared_ones_fully():
    masses = interests.profile_masses(
        [("RIS", "certificata"), ("RIS", "validata"), ("COM", "individuata"), ("", "validata")]
    )
    assert masses == {"RIS": 1.8, "COM": 0.6}
    affinity = interests.sector_affinity({"VER", "COM"}, masses)
    assert affinity == {"RIS": 0.54, "COM": 1.0, "VER": 1.0}


@pytest.mark.django_db
def test_the_shipped_framework_names_the_sectors_people_talk_about():
    call_command("load_framework")
    vocabulary = interest_vocabulary()
    said = {
        "Mi piacerebbe fare la badante o lavorare in una casa di riposo": {"ASS"},
        "Vorrei guidare il muletto in un magazzino": {"LOG"},
        "Mi piacerebbe imparare a fare il pane e le pizze": {"PAN"},
        "Vorrei lavorare come giardiniere": {"VER"},
    }
    for text, sectors in said.items():
        assert sectors <= interests.sectors_in_text(text, vocabulary), text


@pytest.fixture
def verde(world):
    framework = world.cooking.framework
    framework.is_default = True  # interests are read in the default framework's words
    framework.save()
    sector = SectorFactory(framework=framework, code="VER", label="Manutenzione del verde")
    return ConceptFactory(
        framework=framework,
        code="VER-C01",
        pref_label="Curare il verde",
        alt_labels=["giardiniere", "tagliare l'erba"],
        sector=sector,
    )


def aspiration(person, text, question="aspirazioni.lavoro"):
    return InterviewAnswerFactory(
        interview__person=person, question_id=question, section="aspirazioni", text=text
    )


@pytest.mark.django_db
def test_aspirations_and_wishes_are_declared_interests(world, verde):
    answer = aspiration(world.person, "Mi piacerebbe fare il giardiniere.")
    assert declared_interests(world.person) == {"VER"}
    wish = SkillSuggestionFactory(
        answer=InterviewAnswerFactory(interview=answer.interview, question_id="formazione.corsi"),
        concept=world.cashier,
        hedged=True,
    )
    assert declared_interests(world.person) == {"VER", "COM"}
    wish.status = SkillSuggestion.Status.REJECTED
    wish.decided_at = b.aware_now()
    wish.save()
    assert declared_interests(world.person) == {"VER"}
    answer.interview.status = Interview.Status.CANCELLED
    answer.interview.save()
    assert declared_interests(world.person) == set()


@pytest.mark.django_db
def test_reading_the_interests_is_audited_only_when_there_are_some(world, verde):
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    person_context(user=counsellor, pseudonym=world.person.pseudonym)
    read = AccessLog.objects.filter(actor=counsellor, data_category="colloquio")
    assert not read.exists()
    aspiration(world.person, "Vorrei lavorare nel verde")
    context = person_context(user=counsellor, pseudonym=world.person.pseudonym)
    assert context.profile.interests == {"VER"}
    assert read.count() == 1


def _two_placements(world):
    """A canteen and a green-space placement, indexed; the person's counsellor, and the
    titles of the placements in the order the person's matches give them."""
    b.placement(world, title="Mensa solidale", activity="assistenza")
    b.placement(world, title="Cura del verde pubblico", activity="ambiente")
    b.measure(world.person, "map")
    b.index_everything()
    counsellor = CounsellorFactory(organisation=world.person.organisation)

    def titles():
        page = person_opportunities_match(
            user=counsellor, pseudonym=world.person.pseudonym, kinds=(PLACEMENT,)
        )
        return [item.title for item in page.results]

    return counsellor, titles


@pytest.mark.django_db
def test_declared_interest_ranks_its_sector_first(backend_name, world, verde):
    _counsellor, titles = _two_placements(world)
    assert titles() == ["Mensa solidale", "Cura del verde pubblico"]  # a tie: by key
    aspiration(world.person, "Mi piacerebbe lavorare all'aperto, nel verde.")
    assert titles() == ["Cura del verde pubblico", "Mensa solidale"]


@pytest.mark.django_db
def test_profile_sector_ranks_related_work_above_unrelated_work_nearer(backend_name, world, verde):
    """The agriculture profile of the issue: nearby bakery work no longer comes first."""
    b.skill(world.person, verde, "validata")
    b.offer(world, title="Panettiere", skills=[(world.cooking, True)])
    b.offer(world, title="Giardiniere", town="Monza", skills=[(verde, True)])
    b.course(world, title="Pasticceria", teaches=[world.cooking])
    b.course(world, title="Potatura", town="Monza", teaches=[verde])
    b.index_everything()
    counsellor = CounsellorFactory(organisation=world.person.organisation)
    page = person_opportunities_match(
        user=counsellor, pseudonym=world.person.pseudonym, kinds=(OFFER, COURSE)
    )
    ranked = [(item.title, item.suitable) for item in page.results]
    assert ranked[:2] in (
        [("Giardiniere", True), ("Potatura", True)],
        [("Potatura", True), ("Giardiniere", True)],
    )
    assert ("Panettiere", False) in ranked


@pytest.mark.django_db
def test_a_wish_heard_by_the_recogniser_counts_as_an_interest_end_to_end(
    backend_name, world, verde, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Answer → extraction (the real recogniser) → AnswerWish → interests → ranking: «vorrei
    fare il giardiniere», said where the person tells their past work, is never a card but
    puts the green sector first."""
    settings.PONTE_ML_ARTIFACT_DIR = tmp_path / "models"
    load_shipped_templates()
    counsellor, titles = _two_placements(world)
    assert titles() == ["Mensa solidale", "Cura del verde pubblico"]  # a tie: by key
    interview, _created = interview_start(person=world.person, started_by=counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = interview_answer(
            interview=interview,
            question_id="lavoro.prima.descrizione",
            text="Ho servito ai tavoli in pizzeria. Adesso vorrei fare il giardiniere.",
            answered_by=counsellor,
        )
    answer.refresh_from_db()

    assert answer.extraction_status == InterviewAnswer.ExtractionStatus.READY
    assert list(answer.wishes.values_list("concept__code", flat=True)) == [verde.code]
    assert verde.pk not in set(answer.suggestions.values_list("concept_id", flat=True))
    assert person_wished_sectors_list(person=world.person) == ["VER"]
    assert titles() == ["Cura del verde pubblico", "Mensa solidale"]


@pytest.mark.django_db
def test_stored_wishes_replace_the_answers_earlier_ones_and_skip_negated_words(world, verde):
    answer = InterviewAnswerFactory(interview__person=world.person, question_id="lavoro.prima")

    def heard(concept, *, wish=True, negated=False):
        return SimpleNamespace(
            code=concept.code, score=0.4, start=0, end=4, span="fare", reason="",
            negated=negated, wish=wish, duration_months=None,
        )  # fmt: skip

    answer_suggestions_store(
        answer=answer, suggestions=[], model_version="t", wishes=[heard(verde)]
    )
    assert person_wished_sectors_list(person=world.person) == ["VER"]
    answer.extraction_status = InterviewAnswer.ExtractionStatus.PENDING
    answer.save()
    answer_suggestions_store(
        answer=answer,
        suggestions=[],
        model_version="t",
        wishes=[heard(verde, negated=True), heard(world.cashier)],
    )
    assert person_wished_sectors_list(person=world.person) == ["COM"]
    answer.interview.status = Interview.Status.CANCELLED
    answer.interview.save()
    assert person_wished_sectors_list(person=world.person) == []

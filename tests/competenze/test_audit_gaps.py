"""Reads that wrote no audit row before: consents through the API, the admin lists of
judicial measures, consents and interviews, interview answers through the API and pages."""

import pytest
from django.urls import reverse

from common.models import AccessLog
from competenze.models import Consent
from tests.conftest import client_for
from tests.factories import (
    ConsentFactory,
    JudicialMeasureFactory,
    PersonFactory,
    PersonIdentityFactory,
    ProgrammeManagerFactory,
    UserFactory,
)
from tests.factories.interviews import InterviewAnswerFactory, InterviewFactory

pytestmark = pytest.mark.django_db


def rows(**filters):
    return AccessLog.objects.filter(action=AccessLog.Action.VIEW, **filters)


@pytest.fixture
def admin_user():
    return UserFactory(
        username="admin.audit",
        role="amministratore",
        organisation=None,
        is_staff=True,
        is_superuser=True,
    )


# --- consents through the API -----------------------------------------------------------------


def test_consents_read_through_the_api_are_audited():
    person = PersonFactory()
    ConsentFactory(person=person, purpose=Consent.Purpose.PROCESSING)
    url = reverse("api:competenze:person-consents", kwargs={"pseudonym": person.pseudonym})
    manager = ProgrammeManagerFactory(organisation=person.organisation)
    for reader in (person.counsellor, manager):
        response = client_for(reader).get(url)
        assert response.status_code == 200
        assert len(response.json()) == 1
        assert rows(actor=reader, subject=person.pseudonym, data_category="consensi").count() == 1


# --- admin lists ------------------------------------------------------------------------------


def _measure(person):
    return JudicialMeasureFactory(person=person)


def _consent(person):
    return ConsentFactory(person=person)


def _identity(person):
    return PersonIdentityFactory(person=person)


@pytest.mark.parametrize(
    ("model", "category", "make", "twice"),
    [
        ("judicialmeasure", "giudiziari", _measure, True),
        ("consent", "consensi", _consent, True),
        ("personidentity", "identita", _identity, False),
    ],
)
def test_admin_lists_audit_every_person_shown(client, admin_user, model, category, make, twice):
    people = PersonFactory.create_batch(3)
    for person in people:
        make(person)
    if twice:
        make(people[0])  # two rows of one person: one audit row for them
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:competenze_{model}_changelist"))
    assert response.status_code == 200
    logged = rows(actor=admin_user, data_category=category, purpose="admin: elenco")
    assert sorted(logged.values_list("subject", flat=True)) == sorted(p.pseudonym for p in people)
    assert set(logged.values_list("actor_username", flat=True)) == {"admin.audit"}


def test_admin_list_audits_only_the_people_the_filtered_page_shows(client, admin_user):
    on_map = JudicialMeasureFactory(measure_type="map").person
    JudicialMeasureFactory(measure_type="detenzione")
    client.force_login(admin_user)
    url = reverse("admin:competenze_judicialmeasure_changelist")
    assert client.get(url, {"measure_type": "map"}).status_code == 200
    logged = rows(actor=admin_user, data_category="giudiziari")
    assert list(logged.values_list("subject", flat=True)) == [on_map.pseudonym]


def test_admin_list_of_interview_answers_is_audited(client, admin_user):
    answer = InterviewAnswerFactory()
    client.force_login(admin_user)
    response = client.get(reverse("admin:competenze_interviewanswer_changelist"))
    assert response.status_code == 200
    subject = answer.interview.person.pseudonym
    assert rows(actor=admin_user, subject=subject, data_category="colloquio").count() == 1


# --- interview answers: API and pages -------------------------------------------------------


@pytest.fixture
def answer():
    return InterviewAnswerFactory(interview=InterviewFactory())


def api(name, answer, **extra):
    kwargs = {"interview_id": answer.interview_id, **extra}
    return reverse(f"api:competenze:{name}", kwargs=kwargs)


@pytest.mark.parametrize(
    "name_and_extra",
    [
        ("interview-answers", {}),
        ("interview-answer-detail", {"question_id": "lavoro.descrizione"}),
        ("interview-review", {}),
    ],
)
def test_interview_answers_read_through_the_api_are_audited(answer, name_and_extra):
    name, extra = name_and_extra
    interview = answer.interview
    for reader in (
        interview.counsellor,
        ProgrammeManagerFactory(organisation=interview.person.organisation),
    ):
        response = client_for(reader).get(api(name, answer, **extra))
        assert response.status_code == 200
        assert answer.text in response.content.decode()
        logged = rows(actor=reader, subject=interview.person.pseudonym, data_category="colloquio")
        assert logged.count() == 1


def test_a_missing_answer_is_not_logged_as_read(answer):
    url = api("interview-answer-detail", answer, question_id="altro.note")
    assert client_for(answer.interview.counsellor).get(url).status_code == 404
    assert not rows(data_category="colloquio").exists()


def test_interview_pages_showing_answers_are_audited(answer, client):
    interview = answer.interview
    client.force_login(interview.counsellor)
    pages = [
        reverse("competenze:answer-panel", args=[interview.pk, answer.question_id]),
        reverse("competenze:interview-review", args=[interview.pk]),
        reverse("competenze:interview", args=[interview.pk]) + f"?domanda={answer.question_id}",
    ]
    for number, page in enumerate(pages, start=1):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "in cucina in una mensa" in response.content.decode(), page
        logged = rows(actor=interview.counsellor, data_category="colloquio")
        assert logged.count() == number, page

"""The programme manager's dashboard: aggregated figures only, by institute and by month."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competenze.models import Institute, SkillEntry
from competenze.models.people import MeasureType
from lavoro.models import Proposal, ProposalEvent
from lavoro.selectors.dashboard import NO_INSTITUTE, programme_figures_get
from tests.factories import (
    CounsellorFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentityFactory,
    PlacementFactory,
    ProgrammeManagerFactory,
    ProposalFactory,
    SkillEntryFactory,
    TraineeUserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/cruscotto/"
Stage = SkillEntry.Stage
TODAY = timezone.localdate()
LONG_AGO = datetime.date(2020, 1, 1)


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _institute(name: str) -> Institute:
    return Institute.objects.create(
        name=name, kind=Institute.Kind.CC, municipality=MunicipalityFactory()
    )


def _measure(person, institute, start=LONG_AGO, end=None):
    return JudicialMeasureFactory(
        person=person,
        institute=institute,
        start_date=start,
        end_date=end,
        measure_type=MeasureType.DETENTION,
    )


@pytest.fixture
def dataset():
    """Four people of the manager's organisation, one of another; see the tests for the sums."""
    organisation = OrganisationFactory()
    manager = ProgrammeManagerFactory(organisation=organisation)
    bollate, opera = _institute("CC Bollate di prova"), _institute("CR Opera di prova")
    now = timezone.now()
    p1, p2, p3, p4 = (PersonFactory(organisation=organisation) for _ in range(4))
    _measure(p1, bollate)
    SkillEntryFactory(person=p1, stage=Stage.VALIDATED, stage_changed_at=now)
    SkillEntryFactory(person=p1, stage=Stage.CERTIFIED, stage_changed_at=now)
    SkillEntryFactory(person=p1, stage=Stage.IDENTIFIED)
    started = ProposalFactory(
        person=p1, offer=None, placement=PlacementFactory(), status=Proposal.Status.STARTED
    )
    ProposalEvent.objects.create(proposal=started, from_status="accettata", to_status="avviata")
    ProposalFactory(person=p1, status=Proposal.Status.SENT)
    _measure(p2, opera)
    SkillEntryFactory(person=p2, stage=Stage.IDENTIFIED)
    PersonIdentityFactory(person=p3, first_name="Nomedaltrove", last_name="Cognomeprivato")
    _measure(p4, bollate, start=LONG_AGO, end=datetime.date(2021, 1, 1))  # ended
    _measure(p4, opera, start=datetime.date(2022, 1, 1))  # current
    other = PersonFactory()  # another organisation: never counted
    _measure(other, bollate)
    SkillEntryFactory(person=other, stage=Stage.CERTIFIED, stage_changed_at=now)
    ProposalFactory(person=other, status=Proposal.Status.SENT)
    return manager, (p1, p2, p3, p4, other)


def test_url_name():
    assert reverse("common:dashboard") == URL


@pytest.mark.parametrize(
    "factory", [CounsellorFactory, EmployerUserFactory, HostBodyUserFactory, TraineeUserFactory]
)
def test_other_roles_get_403(factory):
    assert _login(factory()).get(URL).status_code == 403


def test_anonymous_is_sent_to_login():
    assert Client().get(URL).status_code == 302


def test_totals_are_those_of_the_manager_organisation(dataset):
    manager, _people = dataset
    figures = programme_figures_get(user=manager)
    assert (figures.people, figures.profiles) == (4, 2)
    assert figures.skills_by_stage == {"individuata": 2, "validata": 1, "certificata": 1}
    statuses = {value: count for value, _label, count in figures.proposals_by_status}
    assert statuses["avviata"] == 1 and statuses["inviata"] == 1
    assert sum(statuses.values()) == 2
    assert figures.placements_started == 1


def test_figures_by_institute_use_the_current_measure(dataset):
    manager, _people = dataset
    rows = {row.label: row for row in programme_figures_get(user=manager).by_institute}
    bollate, opera = rows["CC Bollate di prova"], rows["CR Opera di prova"]
    none = rows[NO_INSTITUTE]
    assert (bollate.people, bollate.profiles, bollate.validated, bollate.certified) == (1, 1, 1, 1)
    assert (bollate.proposals, bollate.placements_started) == (2, 1)
    assert (opera.people, opera.profiles, opera.proposals) == (2, 1, 0)  # p2 and p4
    assert (none.people, none.profiles) == (1, 0)


def test_figures_by_month_cover_twelve_months(dataset):
    manager, _people = dataset
    months = programme_figures_get(user=manager).by_month
    assert len(months) == 12
    assert months[-1].month == TODAY.replace(day=1)
    assert months[0].month < months[-1].month
    current = months[-1]
    assert (current.profiles, current.validated, current.certified) == (2, 1, 1)
    assert (current.proposals, current.placements_started) == (2, 1)
    assert sum(m.profiles for m in months[:-1]) == 0


def test_page_shows_aggregates_and_no_person(dataset):
    manager, people = dataset
    response = _login(manager).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CC Bollate di prova" in html and "CR Opera di prova" in html
    assert 'data-testid="stat-profiles">2<' in html
    assert 'role="img"' in html and "<table" in html and '<th scope="row">' in html
    for person in people:
        assert person.pseudonym not in html
    assert "Nomedaltrove" not in html and "Cognomeprivato" not in html


def test_query_count_does_not_depend_on_people(dataset, django_assert_max_num_queries):
    manager, _people = dataset
    with CaptureQueriesContext(connection) as few:
        programme_figures_get(user=manager)
    for _ in range(15):
        person = PersonFactory(organisation=manager.organisation)
        SkillEntryFactory(person=person, stage=Stage.VALIDATED, stage_changed_at=timezone.now())
        ProposalFactory(person=person)
    with CaptureQueriesContext(connection) as many:
        programme_figures_get(user=manager)
    assert len(few) == len(many) <= 10
    client = _login(manager)
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200


def test_empty_organisation_renders(db):
    response = _login(ProgrammeManagerFactory()).get(URL)
    assert response.status_code == 200
    assert "Nessuna persona registrata." in response.content.decode()

"""The programme manager's dashboard: aggregated figures only, by institute and by month."""

import csv
import datetime
import io
import re

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
    # groups of one or two people: never named, only summed in one row
    assert "CC Bollate di prova" not in html and "CR Opera di prova" not in html
    assert "Altri istituti (meno di 5 persone ciascuno)" in html
    assert 'data-testid="stat-profiles">&lt; 5<' in html  # 2 profiles: a small cell
    assert 'role="img"' in html and "<table" in html and '<th scope="row">' in html
    assert 'data-testid="chart-empty"' not in html
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
    html = response.content.decode()
    assert "Nessuna persona registrata." in html
    # no blank chart: a sentence says why there is none, the monthly table stays
    assert 'role="img"' not in html
    assert 'data-testid="chart-empty"' in html and "Nessun dato negli ultimi 12 mesi" in html
    assert "<caption>Dati mensili</caption>" in html


NUMBER = re.compile(r"-?\d+(\.\d+)?")
SVG_NUMBERS = ("x", "y", "width", "height", "x1", "y1", "x2", "y2")


def _svg_attributes(html: str) -> list[tuple[str, str]]:
    start = html.index("<svg viewBox")  # the chart, not the layout's icons
    svg = html[start : html.index("</svg>", start)]
    return re.findall(r'\s([a-zA-Z0-9_-]+)="([^"]*)"', svg)


def test_chart_numbers_have_a_dot_under_the_italian_locale(dataset):
    manager, _people = dataset
    html = _login(manager).get(URL, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    attributes = _svg_attributes(html)
    numbers = [value for name, value in attributes if name in SVG_NUMBERS]
    view_box = next(value for name, value in attributes if name == "viewBox").split()

    assert 'lang="it"' in html
    assert len(numbers) > 12 * 3 * 4  # every bar's x, y, width, height at least
    for value in numbers + view_box:
        assert NUMBER.fullmatch(value), value
    assert any("." in value for value in numbers)  # 720 / 12 / 4 = 7.5: decimals exist


@pytest.fixture
def crowded():
    """Seven people: six in Bollate (two with a started MAP place), one in Opera."""
    organisation = OrganisationFactory()
    manager = ProgrammeManagerFactory(organisation=organisation)
    bollate, opera = _institute("CC Bollate di prova"), _institute("CR Opera di prova")
    people = [PersonFactory(organisation=organisation) for _ in range(7)]
    for person in people[:6]:
        _measure(person, bollate)
        SkillEntryFactory(person=person, stage=Stage.IDENTIFIED)
    _measure(people[6], opera)
    for person in people[:2]:
        started = ProposalFactory(
            person=person, offer=None, placement=PlacementFactory(), status=Proposal.Status.STARTED
        )
        ProposalEvent.objects.create(proposal=started, from_status="accettata", to_status="avviata")
    return manager


def _rows(html: str, caption: str) -> dict[str, list[str]]:
    table = html[html.index(f"<caption>{caption}</caption>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]*)</th>((?:<td>[^<]*</td>)*)', table)
    return {label: re.findall(r"<td>([^<]*)</td>", cells) for label, cells in rows}


def test_small_groups_are_merged_suppressed_and_not_recomputable(crowded):
    html = _login(crowded).get(URL).content.decode()
    rows = _rows(html, "Per istituto")

    assert "CR Opera di prova" not in html  # one person: only inside the merged row
    other = rows["Altri istituti (meno di 5 persone ciascuno)"]
    assert other[0] == "&lt; 5"
    # 7 people in the summary, so Bollate's 6 would give the merged 1 away: hidden too
    assert rows["CC Bollate di prova"][0] == "n.d."
    assert 'data-testid="stat-people">7<' in html
    started = _rows(html, "Proposte per stato")["Avviata"]
    assert started == ["&lt; 5"]
    for cells in rows.values():
        assert not {"1", "2", "3", "4"} & set(cells)


def test_summary_and_tables_count_starts_the_same_way(crowded):
    figures = programme_figures_get(user=crowded)
    completed = ProposalFactory(
        person=PersonFactory(organisation=crowded.organisation),
        offer=None,
        placement=PlacementFactory(),
        status=Proposal.Status.COMPLETED,
    )
    ProposalEvent.objects.create(proposal=completed, from_status="accettata", to_status="avviata")
    ProposalFactory(person=completed.person, status=Proposal.Status.STARTED)  # a job, not MAP
    figures = programme_figures_get(user=crowded)

    assert figures.placements_started == 3
    assert sum(row.placements_started for row in figures.by_institute) == 3
    assert sum(month.placements_started for month in figures.by_month) == 3
    assert figures.proposals == sum(count for _v, _l, count in figures.proposals_by_status)
    assert figures.validated == sum(row.validated for row in figures.by_institute)


def test_csv_export_holds_the_suppressed_tables(crowded):
    response = _login(crowded).get(reverse("common:dashboard-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    titles = [line[0] for line in lines if len(line) == 1]
    rows = {line[0]: line[1:] for line in lines if len(line) > 1}

    assert titles == ["Dati mensili", "Proposte per stato", "Per istituto"]
    assert rows["Altri istituti (meno di 5 persone ciascuno)"][0] == "< 5"
    assert rows["CC Bollate di prova"][0] == "n.d."
    assert rows["Avviata"] == ["< 5"]
    assert "CR Opera di prova" not in response.content.decode()


@pytest.mark.parametrize("name", ["common:dashboard-csv", "common:dashboard-coverage"])
def test_exports_are_for_managers_only(name, crowded):
    assert _login(CounsellorFactory()).get(reverse(name)).status_code == 403


def test_coverage_page_aggregates_kinds_and_suppresses(crowded, settings, tmp_path):
    settings.PONTE_SEARCH_EMBEDDED_DIR = tmp_path / "search"
    response = _login(crowded).get(reverse("common:dashboard-coverage"))
    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(html, "Copertura degli abbinamenti")

    assert set(rows) == {
        "Offerte di lavoro",
        "Corsi di formazione",
        "Posti MAP/LPU",
        "Almeno un tipo",
    }
    assert rows["Almeno un tipo"] == ["0", "0", "7"]  # nothing is indexed

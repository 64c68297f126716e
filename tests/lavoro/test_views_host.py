"""Host-body pages: conventions, MAP/LPU placements, proposed volunteers, start and hours."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from common.models import AccessLog, Organisation
from competenze.models.people import MeasureType
from lavoro.models import Convention, Placement, Proposal, ProposalEvent
from lavoro.services.placements import MEASURES_REQUIRED, PLACES_OVER_CONVENTION
from tests.factories import (
    ConventionFactory,
    CounsellorFactory,
    EmployerUserFactory,
    HostBodyFactory,
    HostBodyUserFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonIdentityFactory,
    PlacementFactory,
    ProposalFactory,
    ProvinceFactory,
    TraineeUserFactory,
)
from tests.lavoro.web_helpers import FIRST_NAME, LAST_NAME, login

pytestmark = pytest.mark.django_db
HOME = "/ente/"
Status = Proposal.Status


@pytest.fixture
def host():
    body = HostBodyFactory(
        organisation=OrganisationFactory(name="Parco Esempio APS", kind=Organisation.Kind.HOST_BODY)
    )
    return body, HostBodyUserFactory(organisation=body.organisation)


@pytest.fixture
def convention(host):
    return ConventionFactory(host_body=host[0], total_places=5)


@pytest.fixture
def placement(host, convention):
    return PlacementFactory(
        host_body=host[0], convention=convention, places=2, title="Cura del verde pubblico"
    )


def _sent_proposal(placement):
    proposal = ProposalFactory(
        offer=None,
        placement=placement,
        status=Status.SENT,
        message="Persona puntuale, disponibile il sabato",
    )
    ProposalEvent.objects.create(proposal=proposal, from_status=Status.DRAFT, to_status=Status.SENT)
    PersonIdentityFactory(person=proposal.person, first_name=FIRST_NAME, last_name=LAST_NAME)
    JudicialMeasureFactory(person=proposal.person, measure_type=MeasureType.MAP)
    return proposal


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("factory", [CounsellorFactory, EmployerUserFactory, TraineeUserFactory])
def test_host_pages_refuse_other_roles(factory):
    client = login(factory())
    assert client.get(HOME).status_code == 403
    assert client.get("/ente/posti/nuovo/").status_code == 403


def test_anonymous_is_sent_to_login():
    assert Client().get(HOME).status_code == 302


def test_host_user_without_host_body_gets_an_explanation():
    response = login(HostBodyUserFactory()).get(HOME)
    assert response.status_code == 200
    assert "non è ancora registrata come ente ospitante" in _html(response)


def test_home_lists_placements_conventions_and_pseudonymised_volunteers(host, placement):
    proposal = _sent_proposal(placement)
    ProposalFactory(offer=None, placement=placement)  # a draft: the host body does not see it
    response = login(host[1]).get(HOME)
    assert response.status_code == 200
    html = _html(response)
    assert "Cura del verde pubblico" in html and "Tribunale di Milano" in html
    assert proposal.person.pseudonym in html
    assert "Persona puntuale" in html
    assert "Accetta" in html and "Non accogliere" in html
    for forbidden in (FIRST_NAME, LAST_NAME, "Messa alla prova (MAP)"):
        assert forbidden not in html
    assert html.count("badge status-inviata") == 1


def test_convention_create(host):
    data = {
        "court": "Tribunale di Bergamo",
        "reference": "12/2026",
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
        "total_places": "4",
    }
    response = login(host[1]).post("/ente/convenzioni/nuova/", data)
    assert response.status_code == 302
    convention = Convention.objects.get(host_body=host[0])
    assert (convention.court, convention.total_places) == ("Tribunale di Bergamo", 4)


def test_convention_dates_in_wrong_order_are_explained(host):
    data = {
        "court": "Tribunale di Bergamo",
        "reference": "12/2026",
        "valid_from": "2026-06-01",
        "valid_to": "2026-01-01",
        "total_places": "4",
    }
    html = _html(login(host[1]).post("/ente/convenzioni/nuova/", data))
    assert "La data di fine non può precedere quella di inizio." in html
    assert "Tribunale di Bergamo" in html
    assert not Convention.objects.exists()


def _placement_data(convention, **changes):
    town = MunicipalityFactory(name="Crema", province=ProvinceFactory(code="CR", name="Cremona"))
    data = {
        "convention": convention.pk,
        "title": "Biblioteca civica",
        "description": "Riordino",
        "activity": Placement.Activity.HERITAGE,
        "places": "3",
        "min_weekly_hours": "4",
        "weekly_hours": "8",
        "eligible_measures": ["map", "lpu"],
        "municipality": f"{town.name} ({town.province.code})",
        "start_date": "2027-01-15",
    }
    data.update(changes)
    return data


def test_placement_create_then_publish(host, convention):
    client = login(host[1])
    response = client.post("/ente/posti/nuovo/", _placement_data(convention))
    placement = Placement.objects.get(title="Biblioteca civica")
    assert response["Location"] == f"/ente/posti/{placement.pk}/"
    assert placement.status == Placement.Status.DRAFT
    assert placement.eligible_measures == ["map", "lpu"]
    assert (placement.places, placement.min_weekly_hours) == (3, 4)
    client.post(f"/ente/posti/{placement.pk}/pubblica/")
    placement.refresh_from_db()
    assert placement.status == Placement.Status.PUBLISHED


def test_placement_errors_from_the_service_are_shown(host, convention):
    data = _placement_data(convention, places="9")
    html = _html(login(host[1]).post("/ente/posti/nuovo/", data))
    assert str(PLACES_OVER_CONVENTION % {"places": 9, "total": 5}) in html
    assert "Biblioteca civica" in html
    assert not Placement.objects.exists()
    data = _placement_data(convention, eligible_measures=[])
    html = _html(login(host[1]).post("/ente/posti/nuovo/", data))
    assert "Campo obbligatorio." in html or str(MEASURES_REQUIRED) in html


def test_placement_edit_keeps_the_convention(host, placement):
    data = _placement_data(placement.convention, title="Verde e giardini", places="2")
    response = login(host[1]).post(f"/ente/posti/{placement.pk}/", data)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.title == "Verde e giardini"


def test_other_host_body_cannot_edit_my_placement(placement):
    stranger = HostBodyUserFactory(organisation=HostBodyFactory().organisation)
    assert login(stranger).get(f"/ente/posti/{placement.pk}/").status_code == 404


def test_accept_confirm_start_record_hours_and_conclude(host, placement):
    proposal = _sent_proposal(placement)
    client = login(host[1])
    url = f"/proposte/{proposal.pk}/stato/"
    client.post(url, {"to_status": Status.ACCEPTED, "next": HOME})
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    response = client.post(url, {"to_status": Status.STARTED, "next": HOME}, follow=True)
    assert "Avvio confermato." in _html(response)
    proposal.refresh_from_db()
    placement.refresh_from_db()
    assert proposal.status == Status.STARTED and placement.places_taken == 1
    response = client.post(f"/ente/proposte/{proposal.pk}/ore/", {"hours": "6"}, follow=True)
    assert f"Registrate 6 ore per {proposal.person.pseudonym}." in _html(response)
    client.post(f"/ente/proposte/{proposal.pk}/ore/", {"hours": "4"})
    response = client.post(f"/ente/proposte/{proposal.pk}/ore/", {"hours": "2,75"}, follow=True)
    assert f"Registrate 2,75 ore per {proposal.person.pseudonym}." in _html(response)
    response = client.post(f"/ente/proposte/{proposal.pk}/ore/", {"hours": "1,3"}, follow=True)
    assert "Indica le ore in quarti d&#x27;ora" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.hours_done == Decimal("12.75")
    assert ProposalEvent.objects.filter(proposal=proposal, note__contains="6").exists()
    client.post(url, {"to_status": Status.COMPLETED})
    proposal.refresh_from_db()
    placement.refresh_from_db()
    assert proposal.status == Status.COMPLETED and placement.places_taken == 0
    # a concluded placement is locked: no form, and no hours through a crafted request
    html = _html(client.get(HOME))
    assert f'id="hours-{proposal.pk}"' not in html
    response = client.post(f"/ente/proposte/{proposal.pk}/ore/", {"hours": "1"}, follow=True)
    assert "uno concluso o interrotto è chiuso" in _html(response)
    proposal.refresh_from_db()
    assert proposal.hours_done == Decimal("12.75")


def test_wrong_hours_and_transitions_are_explained_in_italian(host, placement):
    proposal = _sent_proposal(placement)
    client = login(host[1])
    response = client.post(f"/ente/proposte/{proposal.pk}/ore/", {"hours": "3"}, follow=True)
    assert "Le ore si registrano solo per un percorso avviato" in _html(response)
    response = client.post(f"/ente/proposte/{proposal.pk}/ore/", {"hours": "0"}, follow=True)
    assert "Indica almeno un quarto d'ora (0,25)." in _html(response)
    response = client.post(
        f"/proposte/{proposal.pk}/stato/", {"to_status": Status.COMPLETED}, follow=True
    )
    assert "Passaggio non consentito" in _html(response)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.hours_done) == (Status.SENT, 0)


def test_other_host_body_cannot_act_on_my_proposal(placement):
    proposal = _sent_proposal(placement)
    stranger = HostBodyUserFactory(organisation=HostBodyFactory().organisation)
    client = login(stranger)
    assert (
        client.post(f"/proposte/{proposal.pk}/stato/", {"to_status": Status.ACCEPTED}).status_code
        == 404
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT


def test_unsafe_next_is_ignored(host, placement):
    proposal = _sent_proposal(placement)
    response = login(host[1]).post(
        f"/proposte/{proposal.pk}/stato/",
        {"to_status": Status.ACCEPTED, "next": "https://evil.example"},
    )
    assert response["Location"] == HOME


def test_expired_convention_is_not_accepted_for_a_new_placement(host):
    old = ConventionFactory(
        host_body=host[0], valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2021, 1, 1)
    )
    html = _html(login(host[1]).post("/ente/posti/nuovo/", _placement_data(old)))
    assert "La convenzione è scaduta il 01/01/2021." in html
    assert not Placement.objects.exists()


def test_host_body_reads_the_pseudonymised_profile_and_why_before_accepting(host, placement):
    from competenze.models import Concept
    from tests.factories import ConceptFactory, SkillEntryFactory

    verde = ConceptFactory(pref_label="Curare il verde", kind=Concept.Kind.COMPETENCE)
    pulizia = ConceptFactory(pref_label="Pulire gli spazi pubblici", kind=Concept.Kind.COMPETENCE)
    placement.skills.set([verde, pulizia])
    proposal = _sent_proposal(placement)
    SkillEntryFactory(person=proposal.person, concept=verde, stage="individuata")
    client = login(host[1])
    home = _html(client.get(HOME))
    profile_url = f"/proposte/{proposal.pk}/persona/"
    assert f'href="{profile_url}"' in home

    html = _html(client.get(profile_url))
    assert proposal.person.pseudonym in html
    assert "Ha le competenze richieste: Curare il verde." in html
    assert "Non ha ancora: Pulire gli spazi pubblici." in html
    assert "Persona puntuale, disponibile il sabato" in html
    assert FIRST_NAME not in html and LAST_NAME not in html
    assert "Messa alla prova" not in html and "MAP" not in html.replace("MAP/LPU", "")
    assert 'value="accettata"' in html  # the decision is on the same page
    client.post(f"/proposte/{proposal.pk}/stato/", {"to_status": Status.ACCEPTED})
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    assert AccessLog.objects.filter(
        actor=host[1], subject=proposal.person.pseudonym, data_category="profilo_pseudonimo"
    ).exists()
    other = HostBodyUserFactory(organisation=HostBodyFactory().organisation)
    assert login(other).get(profile_url).status_code == 404
    assert login(proposal.person.counsellor).get(profile_url).status_code == 403

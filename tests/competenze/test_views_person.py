"""Person file (/operatore/persone/<pseudonym>/): identity and judicial data behind audited
requests, measures, consents, experiences, skill summary, interviews."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from common.models import AccessLog, Organisation
from competenze.models import Consent, Experience, JudicialMeasure
from competenze.models.people import IDENTITY_RECIPIENT_NEEDED
from tests.competenze.web_helpers import FETCH, login
from tests.factories import (
    ConsentFactory,
    CounsellorFactory,
    EmployerUserFactory,
    JudicialMeasureFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PersonIdentityFactory,
    ProgrammeManagerFactory,
    SkillEntryFactory,
    TraineeUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = PersonFactory()
    PersonIdentityFactory(person=person, first_name="Gennaro", last_name="Esposito")
    JudicialMeasureFactory(
        person=person, measure_type="affidamento", notes="Prescrizione riservata XYZ"
    )
    return person


@pytest.fixture
def counsellor(person):
    return CounsellorFactory(organisation=person.organisation)


def url(name, person, *args):
    return reverse(f"competenze:{name}", args=[person.pseudonym, *args])


def test_person_file_renders_sections_without_identity_or_judicial_data(person, counsellor):
    SkillEntryFactory(person=person, concept__pref_label="Preparare i primi piatti")
    response = login(counsellor).get(url("person-detail", person))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Dati identificativi",
        "Misura giudiziaria e vincoli",
        "Consensi",
        "Esperienze",
        "Profilo delle competenze",
        "Colloqui guidati",
    ):
        assert heading in html
    assert "Mostra dati identificativi" in html and "Mostra misura e vincoli" in html
    assert "Gennaro" not in html and "Esposito" not in html
    assert "Prescrizione riservata XYZ" not in html
    assert "Preparare i primi piatti" in html
    assert not AccessLog.objects.filter(data_category__in=["identita", "giudiziari"]).exists()


def test_person_of_another_organisation_answers_404_and_is_audited(person):
    stranger = CounsellorFactory()
    assert login(stranger).get(url("person-detail", person)).status_code == 404
    assert AccessLog.objects.filter(actor=stranger, action="denied").exists()


@pytest.mark.parametrize("factory", [EmployerUserFactory, TraineeUserFactory])
def test_person_file_refuses_other_roles(person, factory):
    assert login(factory()).get(url("person-detail", person)).status_code == 403


def test_programme_manager_of_the_organisation_gets_403(person):
    manager = ProgrammeManagerFactory(organisation=person.organisation)
    assert login(manager).get(url("person-detail", person)).status_code == 403


def test_show_identity_is_a_post_that_audits_the_read(person, counsellor):
    client = login(counsellor)
    assert client.get(url("person-identity", person)).status_code == 405
    response = client.post(url("person-identity", person))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gennaro" in html and "Esposito" in html and person.identity.codice_fiscale in html
    log = AccessLog.objects.get(data_category="identita", action="view")
    assert log.actor == counsellor and log.subject == person.pseudonym


def test_show_identity_with_fetch_returns_only_the_fragment(person, counsellor):
    response = login(counsellor).post(url("person-identity", person), **FETCH)
    html = response.content.decode()
    assert "Gennaro" in html and "<html" not in html
    assert AccessLog.objects.filter(data_category="identita", action="view").count() == 1


def test_show_identity_when_not_recorded_says_so(counsellor):
    person = PersonFactory(organisation=counsellor.organisation)
    html = login(counsellor).post(url("person-identity", person)).content.decode()
    assert "Dati identificativi non ancora inseriti." in html


def test_show_measures_is_audited(person, counsellor):
    html = login(counsellor).post(url("person-measures", person)).content.decode()
    assert "Affidamento in prova ai servizi sociali" in html
    assert "Prescrizione riservata XYZ" in html
    assert AccessLog.objects.filter(data_category="giudiziari", action="view").exists()


def test_add_measure_through_the_service(person, counsellor):
    milano = MunicipalityFactory(name="Milano")
    response = login(counsellor).post(
        url("measure-add", person),
        {
            "misura-measure_type": "map",
            "misura-start_date": "2026-01-10",
            "misura-end_date": "2026-12-31",
            "misura-allowed_municipalities": "Milano",
            "misura-max_weekly_hours": "20",
            "misura-daily_start": "08:00",
            "misura-daily_end": "18:00",
            "misura-avoid_sectors": "pan, ris",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#misura")
    measure = JudicialMeasure.objects.get(person=person, measure_type="map")
    assert list(measure.allowed_municipalities.all()) == [milano]
    assert measure.avoid_sectors == ["pan", "ris"]
    assert AccessLog.objects.filter(data_category="giudiziari", action="create").exists()


def test_add_measure_refuses_reversed_dates_in_italian(person, counsellor):
    html = (
        login(counsellor)
        .post(
            url("measure-add", person),
            {
                "misura-measure_type": "map",
                "misura-start_date": "2026-05-10",
                "misura-end_date": "2026-01-01",
                "misura-notes": "testo da non perdere",
            },
        )
        .content.decode()
    )
    assert "La data di fine non può essere precedente alla data di inizio." in html
    assert "testo da non perdere" in html
    assert not JudicialMeasure.objects.filter(measure_type="map").exists()


def test_add_measure_refuses_too_many_hours(person, counsellor):
    html = (
        login(counsellor)
        .post(
            url("measure-add", person),
            {
                "misura-measure_type": "map",
                "misura-start_date": "2026-05-10",
                "misura-max_weekly_hours": "70",
            },
        )
        .content.decode()
    )
    assert "Al massimo 60 ore settimanali." in html


def test_give_and_revoke_a_consent(person, counsellor):
    employer = OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Trattoria Da Gino")
    client = login(counsellor)
    response = client.post(
        url("consent-give", person),
        {
            "purpose": Consent.Purpose.DISCLOSE_IDENTITY,
            "recipient": employer.pk,
            "note": "ok",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person, purpose=Consent.Purpose.DISCLOSE_IDENTITY)
    assert consent.recipient == employer and consent.recorded_by == counsellor
    html = client.get(url("person-detail", person)).content.decode()
    assert "Trattoria Da Gino" in html and "Revoca" in html
    client.post(url("consent-revoke", person, consent.pk))
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revoked_by == counsellor
    again = client.post(url("consent-revoke", person, consent.pk), follow=True)
    assert "Il consenso è già stato revocato." in again.content.decode()
    assert AccessLog.objects.filter(data_category="consensi", action="update").exists()


def test_identity_consent_needs_a_recipient(person, counsellor):
    html = (
        login(counsellor)
        .post(
            url("consent-give", person),
            {
                "purpose": Consent.Purpose.DISCLOSE_IDENTITY,
            },
        )
        .content.decode()
    )
    assert str(IDENTITY_RECIPIENT_NEEDED) in html
    assert not Consent.objects.exists()


def test_cannot_revoke_the_consent_of_another_person(person, counsellor):
    other = ConsentFactory()
    response = login(counsellor).post(url("consent-revoke", person, other.pk))
    assert response.status_code == 404


def test_add_experience_and_date_error(person, counsellor):
    client = login(counsellor)
    bad = client.post(
        url("experience-add", person),
        {
            "esperienza-kind": "informale",
            "esperienza-category": "lavoro",
            "esperienza-title": "Aiuto cuoco",
            "esperienza-start_date": "2020-05-01",
            "esperienza-end_date": "2019-01-01",
        },
    )
    assert "La data di fine non può essere precedente" in bad.content.decode()
    assert 'value="Aiuto cuoco"' in bad.content.decode()
    good = client.post(
        url("experience-add", person),
        {
            "esperienza-kind": "informale",
            "esperienza-category": "lavoro",
            "esperienza-title": "Aiuto cuoco",
            "esperienza-organisation_name": "Mensa",
            "esperienza-description": "Preparavo i primi.",
        },
    )
    assert good.status_code == 302
    assert Experience.objects.get(person=person).title == "Aiuto cuoco"


def test_person_file_audits_the_consent_list(person, counsellor):
    login(counsellor).get(url("person-detail", person))
    assert AccessLog.objects.filter(data_category="consensi", action="view").exists()


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value for name, value in attrs if name == "id" and value)


def _duplicate_ids(html: str) -> list[str]:
    collector = _IdCollector()
    collector.feed(html)
    return sorted({id_ for id_ in collector.ids if collector.ids.count(id_) > 1})


def test_person_page_has_no_duplicate_ids(person, counsellor):
    SkillEntryFactory(person=person)
    client = login(counsellor)
    pages = {
        "scheda": client.get(url("person-detail", person)),
        "misure mostrate": client.post(url("person-measures", person)),
        "misura con errori": client.post(
            url("measure-add", person), {"misura-start_date": "2026-05-10"}
        ),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert 'id="id_misura-start_date"' in html and 'id="id_esperienza-start_date"' in html
        assert _duplicate_ids(html) == [], name

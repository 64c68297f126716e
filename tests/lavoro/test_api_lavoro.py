import pytest
from django.urls import reverse

from common.models import Province
from competenze.models import Concept
from lavoro.models import Course, Employer, JobOffer, Placement, Proposal
from tests.conftest import client_for
from tests.factories import (
    ConceptFactory,
    ConventionFactory,
    CounsellorFactory,
    CourseFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JobOfferFactory,
    MunicipalityFactory,
    PlacementFactory,
    SectorFactory,
    TrainingProviderFactory,
    valid_partita_iva,
)
from tests.factories.extra_lavoro import OfferSkillFactory
from tests.lavoro.conftest import give_consent, give_measure

pytestmark = pytest.mark.django_db

PAGE_KEYS = {"count", "next", "previous", "results"}
ERROR_KEYS = {"message", "code", "extra"}


def url(name, **kwargs):
    return reverse(f"api:lavoro:{name}", kwargs=kwargs)


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    if code:
        assert body["code"] == code
    return body


def test_anonymous_requests_are_refused_with_an_italian_json_error(api_client):
    for name in ("offers", "courses", "placements", "proposals"):
        body = assert_error(api_client.get(url(name)), 403)
        assert "autenticazione" in body["message"].lower()


# employers


def test_employer_registers_the_company_and_reads_it_back(employer_user):
    client = client_for(employer_user)
    assert_error(client.get(url("employer-me")), 404)
    response = client.post(
        url("employer-register"),
        {
            "name": "Officina Rossi",
            "partita_iva": valid_partita_iva(77),
            "ateco_code": "25.62",
            "smuraglia_interest": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "Officina Rossi"
    milano = MunicipalityFactory(istat_code="015146", name="Milano")
    site = client.post(
        url("employer-sites"), {"name": "Capannone", "municipality": "015146"}, format="json"
    )
    assert site.status_code == 201, site.json()
    me = client.get(url("employer-me")).json()
    assert me["partita_iva"] == valid_partita_iva(77)
    assert me["sites"] == [
        {
            "id": site.json()["id"],
            "name": "Capannone",
            "address": "",
            "municipality": {"istat_code": "015146", "name": milano.name, "province": "MI"},
        }
    ]


def test_employer_register_with_a_bad_partita_iva_gets_a_field_error(employer_user):
    bad = valid_partita_iva(78)[:10] + str((int(valid_partita_iva(78)[10]) + 1) % 10)
    response = client_for(employer_user).post(
        url("employer-register"), {"name": "Bar Sport", "partita_iva": bad}, format="json"
    )
    body = assert_error(response, 400, "invalid")
    assert body["message"].startswith("Alcuni dati non sono validi")
    assert "cifra di controllo" in str(body["extra"]["fields"]["partita_iva"])
    assert not Employer.objects.exists()


def test_employer_register_with_a_taken_partita_iva_gets_an_italian_error(employer_user):
    EmployerFactory(partita_iva=valid_partita_iva(79))
    response = client_for(employer_user).post(
        url("employer-register"),
        {"name": "Bar Sport", "partita_iva": valid_partita_iva(79)},
        format="json",
    )
    body = assert_error(response, 400, "duplicate")
    assert body["message"] == "Esiste già un'azienda registrata con questa partita IVA."


def test_counsellor_cannot_register_a_company(counsellor):
    response = client_for(counsellor).post(
        url("employer-register"),
        {"name": "X", "partita_iva": valid_partita_iva(80)},
        format="json",
    )
    assert_error(response, 403, "permission_denied")


# offers


def test_employer_creates_and_publishes_an_offer(employer, employer_member, skill):
    client = client_for(employer_member)
    MunicipalityFactory(istat_code="017029", name="Brescia")
    response = client.post(
        url("offers"),
        {
            "title": "Sarta",
            "municipality": "017029",
            "contract": "determinato",
            "skills": [{"code": "SAR.C01", "essential": True}],
            "compatible_measures": ["art21"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["skills"][0]["label"]) == ("bozza", "Cucire a macchina")
    published = client.post(url("offer-publish", offer_id=body["id"]))
    assert published.status_code == 200, published.json()
    assert published.json()["published_at"]


def test_offer_with_an_unknown_skill_code_is_refused(employer, employer_member, framework):
    MunicipalityFactory(istat_code="017029")
    response = client_for(employer_member).post(
        url("offers"),
        {
            "title": "Sarta",
            "municipality": "017029",
            "contract": "determinato",
            "skills": [{"code": "NON.ESISTE"}],
        },
        format="json",
    )
    body = assert_error(response, 400, "invalid")
    assert "Codice sconosciuto" in str(body["extra"]["fields"]["skills"])


def test_publishing_an_offer_without_skills_gives_an_italian_error(employer, employer_member):
    offer = JobOfferFactory(employer=employer, status="bozza")
    body = assert_error(
        client_for(employer_member).post(url("offer-publish", offer_id=offer.pk)), 400, "incomplete"
    )
    assert "almeno una competenza" in body["message"]
    assert body["extra"] == {"missing": ["skills"]}


def test_user_without_a_company_cannot_create_offers(employer_user):
    assert_error(client_for(employer_user).post(url("offers"), {}, format="json"), 404)


def test_employer_a_cannot_edit_employer_b_offers(offer, employer_member):
    other = EmployerUserFactory(organisation=EmployerFactory().organisation)
    client = client_for(other)
    assert_error(
        client.patch(url("offer-detail", offer_id=offer.pk), {"title": "Mia"}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(client.post(url("offer-close", offer_id=offer.pk)), 403)
    JobOffer.objects.filter(pk=offer.pk).update(status="bozza")
    assert_error(
        client.patch(url("offer-detail", offer_id=offer.pk), {"title": "Mia"}, format="json"),
        404,
        "not_found",
    )
    assert_error(client.post(url("offer-publish", offer_id=offer.pk)), 404)
    offer.refresh_from_db()
    assert offer.title == "Aiuto cuoco"


def test_employer_edits_and_closes_own_offer(offer, employer_member, framework):
    ConceptFactory(framework=framework, code="SAR.C02")
    client = client_for(employer_member)
    response = client.patch(
        url("offer-detail", offer_id=offer.pk),
        {
            "title": "Cuoco",
            "skills": [{"code": "SAR.C02"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [s["code"] for s in response.json()["skills"]] == ["SAR.C02"]
    assert client.post(url("offer-close", offer_id=offer.pk)).json()["status"] == "chiusa"
    assert_error(client.post(url("offer-close", offer_id=offer.pk)), 400, "already_closed")


def test_open_offer_list_is_paginated_and_filtered(counsellor, framework):
    sector = SectorFactory(framework=framework, code="SAR")
    profile = ConceptFactory(
        framework=framework, code="SAR.P01", kind=Concept.Kind.PROFILE, sector=sector
    )
    bergamo = MunicipalityFactory(
        istat_code="016024",
        name="Bergamo",
        province=Province.objects.create(code="BG", name="Bergamo"),
    )
    sartoria = JobOfferFactory(title="Sarta esperta", municipality=bergamo, profile=profile)
    cucina = JobOfferFactory(title="Lavapiatti")
    OfferSkillFactory(offer=cucina, concept=ConceptFactory(framework=framework))
    JobOfferFactory(title="Sarta in bozza", status="bozza")
    client = client_for(counsellor)
    body = client.get(url("offers")).json()
    assert set(body) == PAGE_KEYS
    assert body["count"] == 2
    for query in (
        {"province": "bg"},
        {"municipality": "016024"},
        {"q": "sarta"},
        {"profile": "SAR.P01"},
        {"sector": "sar"},
    ):
        results = client.get(url("offers"), query).json()["results"]
        assert [o["id"] for o in results] == [sartoria.pk], query
    page = client.get(url("offers"), {"page_size": 1}).json()
    assert len(page["results"]) == 1 and page["next"]


def test_my_offers_lists_drafts_of_my_company_only(offer, employer_member):
    draft = JobOfferFactory(employer=offer.employer, status="bozza")
    JobOfferFactory()
    body = client_for(employer_member).get(url("offers-mine")).json()
    assert set(body) == PAGE_KEYS
    assert {o["id"] for o in body["results"]} == {offer.pk, draft.pk}
    assert client_for(CounsellorFactory()).get(url("offers-mine")).json()["count"] == 0


# courses


def course_payload(provider, **overrides):
    MunicipalityFactory(istat_code="015146")
    return {
        "provider_id": provider.pk,
        "title": "Saldatura",
        "municipality": "015146",
        "seats": 8,
        "total_hours": 120,
        "certificate": "qualifica",
        **overrides,
    }


def test_admin_creates_and_publishes_a_course(admin_user, skill):
    client = client_for(admin_user)
    response = client.post(
        url("courses"), course_payload(TrainingProviderFactory(), skills=["SAR.C01"]), format="json"
    )
    assert response.status_code == 201, response.json()
    course_id = response.json()["id"]
    assert response.json()["skills"] == ["SAR.C01"]
    assert client.post(url("course-publish", course_id=course_id)).json()["status"] == (
        "pubblicata"
    )
    listing = client_for(CounsellorFactory()).get(url("courses")).json()
    assert set(listing) == PAGE_KEYS
    assert [c["id"] for c in listing["results"]] == [course_id]


def test_counsellor_cannot_create_a_course(counsellor):
    response = client_for(counsellor).post(
        url("courses"), course_payload(TrainingProviderFactory()), format="json"
    )
    body = assert_error(response, 403, "permission_denied")
    assert "corsi" in body["message"]
    assert not Course.objects.exists()


def test_draft_course_is_hidden_from_others(counsellor):
    course = CourseFactory(status="bozza")
    assert_error(client_for(counsellor).get(url("course-detail", course_id=course.pk)), 404)


# conventions and placements


def test_host_body_creates_a_convention_and_publishes_a_placement(host_body, host_member):
    client = client_for(host_member)
    convention = client.post(
        url("conventions"),
        {
            "court": "Tribunale di Monza",
            "reference": "MAP-2026-3",
            "valid_from": "2026-01-01",
            "total_places": 4,
        },
        format="json",
    )
    assert convention.status_code == 201, convention.json()
    MunicipalityFactory(istat_code="108033")
    payload = {
        "convention_id": convention.json()["id"],
        "title": "Biblioteca",
        "municipality": "108033",
        "activity": "patrimonio",
        "places": 2,
        "eligible_measures": ["map"],
    }
    response = client.post(url("placements"), payload, format="json")
    assert response.status_code == 201, response.json()
    placement_id = response.json()["id"]
    published = client.post(url("placement-publish", placement_id=placement_id))
    assert published.json()["status"] == "pubblicata"
    too_many = client.patch(
        url("placement-detail", placement_id=placement_id), {"places": 5}, format="json"
    )
    assert "superano" in str(assert_error(too_many, 400)["extra"]["fields"]["places"])


def test_placement_with_measures_outside_map_lpu_lsu_is_refused(host_body, host_member):
    convention = ConventionFactory(host_body=host_body)
    MunicipalityFactory(istat_code="108033")
    response = client_for(host_member).post(
        url("placements"),
        {
            "convention_id": convention.pk,
            "title": "Biblioteca",
            "municipality": "108033",
            "activity": "patrimonio",
            "places": 2,
            "eligible_measures": ["affidamento"],
        },
        format="json",
    )
    assert "eligible_measures" in assert_error(response, 400, "invalid")["extra"]["fields"]
    assert not Placement.objects.exists()


def test_host_body_cannot_use_another_host_body_convention(host_member):
    MunicipalityFactory(istat_code="108033")
    response = client_for(host_member).post(
        url("placements"),
        {
            "convention_id": ConventionFactory().pk,
            "title": "Biblioteca",
            "municipality": "108033",
            "activity": "patrimonio",
            "places": 1,
            "eligible_measures": ["map"],
        },
        format="json",
    )
    assert_error(response, 404)


def test_placement_list_is_paginated_and_filters_by_measure(counsellor):
    lpu_only = PlacementFactory(eligible_measures=["lpu"])
    PlacementFactory(eligible_measures=["map"])
    PlacementFactory(status="bozza", eligible_measures=["lpu"])
    body = client_for(counsellor).get(url("placements"), {"measure": "lpu"}).json()
    assert set(body) == PAGE_KEYS
    assert [p["id"] for p in body["results"]] == [lpu_only.pk]


# proposals


@pytest.fixture
def counsellor_client(person_counsellor):
    return client_for(person_counsellor)


def test_proposal_needs_consent_then_goes_through_the_workflow(
    person, counsellor_client, offer, employer_member
):
    payload = {"pseudonym": person.pseudonym, "offer_id": offer.pk, "message": "Puntuale"}
    refused = assert_error(
        counsellor_client.post(url("proposals"), payload, format="json"), 400, "consent_missing"
    )
    assert "consenso" in refused["message"]
    give_consent(person)
    created = counsellor_client.post(url("proposals"), payload, format="json")
    assert created.status_code == 201, created.json()
    proposal_id = created.json()["id"]
    employer = client_for(employer_member)
    assert_error(employer.get(url("proposal-detail", proposal_id=proposal_id)), 404)
    sent = counsellor_client.post(
        url("proposal-transition", proposal_id=proposal_id), {"to_status": "inviata"}, format="json"
    )
    assert sent.json()["status"] == "inviata"
    accepted = employer.post(
        url("proposal-transition", proposal_id=proposal_id),
        {"to_status": "accettata", "note": "Colloquio lunedì"},
        format="json",
    )
    assert accepted.status_code == 200, accepted.json()
    events = accepted.json()["events"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        ("", "bozza"),
        ("bozza", "inviata"),
        ("inviata", "accettata"),
    ]
    assert events[-1]["note"] == "Colloquio lunedì"
    listing = employer.get(url("proposals")).json()
    assert set(listing) == PAGE_KEYS
    assert [p["id"] for p in listing["results"]] == [proposal_id]
    assert "first_name" not in str(listing)


def test_invalid_transition_answers_with_the_allowed_targets(person, counsellor_client, offer):
    give_consent(person)
    proposal_id = counsellor_client.post(
        url("proposals"), {"pseudonym": person.pseudonym, "offer_id": offer.pk}, format="json"
    ).json()["id"]
    response = counsellor_client.post(
        url("proposal-transition", proposal_id=proposal_id),
        {"to_status": "conclusa"},
        format="json",
    )
    body = assert_error(response, 400, "invalid_transition")
    assert body["message"].startswith("Passaggio non consentito da «In preparazione»")
    assert body["extra"] == {"allowed": ["inviata", "ritirata"]}


def test_counsellor_cannot_accept_their_own_proposal(person, counsellor_client, offer):
    give_consent(person)
    proposal_id = counsellor_client.post(
        url("proposals"), {"pseudonym": person.pseudonym, "offer_id": offer.pk}, format="json"
    ).json()["id"]
    counsellor_client.post(
        url("proposal-transition", proposal_id=proposal_id), {"to_status": "inviata"}, format="json"
    )
    response = counsellor_client.post(
        url("proposal-transition", proposal_id=proposal_id),
        {"to_status": "accettata"},
        format="json",
    )
    assert "Accettata" in assert_error(response, 403, "permission_denied")["message"]


def test_host_body_user_cannot_transition_an_offer_proposal(
    person, counsellor_client, offer, host_member
):
    give_consent(person)
    proposal_id = counsellor_client.post(
        url("proposals"), {"pseudonym": person.pseudonym, "offer_id": offer.pk}, format="json"
    ).json()["id"]
    counsellor_client.post(
        url("proposal-transition", proposal_id=proposal_id), {"to_status": "inviata"}, format="json"
    )
    response = client_for(host_member).post(
        url("proposal-transition", proposal_id=proposal_id),
        {"to_status": "accettata"},
        format="json",
    )
    assert_error(response, 404, "not_found")
    assert Proposal.objects.get(pk=proposal_id).status == "inviata"


def test_proposal_payload_needs_exactly_one_target(person, counsellor_client, offer, course):
    give_consent(person)
    for extra in ({}, {"offer_id": offer.pk, "course_id": course.pk}):
        response = counsellor_client.post(
            url("proposals"), {"pseudonym": person.pseudonym, **extra}, format="json"
        )
        assert_error(response, 400, "invalid")


def test_counsellor_cannot_propose_people_of_another_organisation(person, offer):
    give_consent(person)
    response = client_for(CounsellorFactory()).post(
        url("proposals"), {"pseudonym": person.pseudonym, "offer_id": offer.pk}, format="json"
    )
    assert_error(response, 404)
    assert not Proposal.objects.exists()


def test_placement_proposal_start_and_hours(person, counsellor_client, placement, host_member):
    give_consent(person)
    give_measure(person, "map")
    proposal_id = counsellor_client.post(
        url("proposals"),
        {"pseudonym": person.pseudonym, "placement_id": placement.pk},
        format="json",
    ).json()["id"]
    host = client_for(host_member)
    transition = url("proposal-transition", proposal_id=proposal_id)
    counsellor_client.post(transition, {"to_status": "inviata"}, format="json")
    host.post(transition, {"to_status": "accettata"}, format="json")
    assert host.post(transition, {"to_status": "avviata"}, format="json").status_code == 200
    assert Placement.objects.get(pk=placement.pk).places_taken == 1
    hours = host.post(url("proposal-hours", proposal_id=proposal_id), {"hours": 6}, format="json")
    assert hours.status_code == 200, hours.json()
    assert hours.json()["hours_done"] == 6
    refused = counsellor_client.post(
        url("proposal-hours", proposal_id=proposal_id), {"hours": 6}, format="json"
    )
    assert_error(refused, 403, "permission_denied")


def test_placement_proposal_for_an_ineligible_measure_is_refused(
    person, counsellor_client, placement
):
    give_consent(person)
    give_measure(person, "semiliberta")
    response = counsellor_client.post(
        url("proposals"),
        {"pseudonym": person.pseudonym, "placement_id": placement.pk},
        format="json",
    )
    body = assert_error(response, 400, "measure_not_eligible")
    assert "misura" in body["message"]


def test_proposal_list_is_paginated_for_counsellors(person, counsellor_client, offer):
    give_consent(person)
    counsellor_client.post(
        url("proposals"), {"pseudonym": person.pseudonym, "offer_id": offer.pk}, format="json"
    )
    body = counsellor_client.get(url("proposals")).json()
    assert set(body) == PAGE_KEYS
    assert body["count"] == 1
    assert body["results"][0]["pseudonym"] == person.pseudonym
    assert client_for(HostBodyUserFactory()).get(url("proposals")).json()["count"] == 0


def test_candidate_404_body_is_the_generic_one(employer_member):
    hidden = client_for(employer_member).get(url("candidate-detail", pseudonym="P-ZZZZ-ZZZZ"))
    generic = client_for(employer_member).get(url("offer-detail", offer_id=999999))
    assert hidden.status_code == generic.status_code == 404
    assert hidden.json() == generic.json()

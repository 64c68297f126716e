"""Offer form: fields, competences suggested by the recogniser, publish and close."""

import pytest
from django.test import Client

from competenze.models import Concept
from lavoro.models import JobOffer, OfferSkill, Proposal, ProposalEvent
from lavoro.services.offers import OFFER_ALREADY_CLOSED
from ml.errors import RecognizerUnavailable
from ml.offers import offer_skill_suggestions
from tests.factories import (
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JobOfferFactory,
    MunicipalityFactory,
    PersonIdentityFactory,
    ProposalFactory,
    ProvinceFactory,
)
from tests.factories.extra_lavoro import OfferSkillFactory, SiteFactory
from tests.lavoro.web_helpers import login, shipped_framework_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
NEW = "/azienda/offerte/nuova/"
KITCHEN_TITLE = "Aiuto cuoco"
KITCHEN_TEXT = (
    "Cerchiamo un aiuto cuoco per la cucina del ristorante: preparazione dei primi piatti, "
    "pulizia delle attrezzature, rispetto delle norme HACCP."
)


@pytest.fixture
def employer_user():
    employer = EmployerFactory()
    return EmployerUserFactory(organisation=employer.organisation)


@pytest.fixture
def lodi():
    return MunicipalityFactory(name="Lodi", province=ProvinceFactory(code="LO", name="Lodi"))


def _offer_data(place, **changes):
    data = {
        "title": KITCHEN_TITLE,
        "description": KITCHEN_TEXT,
        "municipality": f"{place.name} ({place.province.code})",
        "contract": JobOffer.Contract.FIXED_TERM,
        "weekly_hours": "30",
        "positions": "2",
        "start_date": "2027-03-01",
        "compatible_measures": ["art21", "semiliberta"],
        "smuraglia_eligible": "on",
        "action": "save",
    }
    data.update(changes)
    return data


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("factory", [CounsellorFactory, HostBodyUserFactory])
def test_offer_pages_refuse_other_roles(factory):
    assert login(factory()).get(NEW).status_code == 403


def test_anonymous_is_sent_to_login():
    assert Client().get(NEW).status_code == 302


def test_employer_without_company_gets_404():
    assert login(EmployerUserFactory()).get(NEW).status_code == 404


def test_new_offer_form_explains_measures_in_neutral_words(employer_user, shipped_framework):
    response = login(employer_user).get(NEW)
    assert response.status_code == 200
    html = _html(response)
    assert "Disponibile a valutare persone in lavoro esterno (art. 21)" in html
    assert "Suggerisci competenze" in html
    assert "Cerca competenza" in html
    assert "/static/js/offer-skills.js" in html


def test_saving_creates_a_draft_with_confirmed_skills(employer_user, shipped_framework, lodi):
    data = _offer_data(
        lodi,
        **{
            "skill__RIS-C01": "essenziale",
            "skill__RIS-C06": "facoltativa",
            "skill__LOG-C03": "scarta",
        },
    )
    response = login(employer_user).post(NEW, data)
    offer = JobOffer.objects.get(title=KITCHEN_TITLE)
    assert response.status_code == 302
    assert response["Location"] == f"/azienda/offerte/{offer.pk}/"
    assert offer.status == JobOffer.Status.DRAFT
    assert offer.municipality == lodi
    assert offer.compatible_measures == ["art21", "semiliberta"]
    assert (offer.weekly_hours, offer.positions, offer.smuraglia_eligible) == (30, 2, True)
    skills = dict(OfferSkill.objects.filter(offer=offer).values_list("concept__code", "essential"))
    assert skills == {"RIS-C01": True, "RIS-C06": False}


def test_the_shift_is_saved_and_a_half_shift_is_refused(employer_user, shipped_framework, lodi):
    client = login(employer_user)
    half = client.post(NEW, _offer_data(lodi, shift_start="06:00", shift_end=""))
    assert half.status_code == 200
    assert "Indica l&#x27;orario per intero, inizio e fine, oppure lascialo vuoto." in (
        half.content.decode()
    )
    client.post(NEW, _offer_data(lodi, shift_start="22:00", shift_end="06:00"))
    offer = JobOffer.objects.get(title=KITCHEN_TITLE)
    assert (offer.shift_start.hour, offer.shift_end.hour) == (22, 6)  # a night shift
    assert 'value="22:00"' in client.get(f"/azienda/offerte/{offer.pk}/").content.decode()


def test_missing_title_and_place_are_explained_and_input_kept(employer_user, shipped_framework):
    data = _offer_data(MunicipalityFactory(), title="", municipality="", weekly_hours="60")
    response = login(employer_user).post(NEW, data)
    assert response.status_code == 200
    html = _html(response)
    assert "Campo obbligatorio." in html
    assert "Indica il comune oppure scegli una sede." in html
    assert "Le ore settimanali vanno da 1 a 48." in html
    assert "preparazione dei primi piatti" in html  # the description typed is still there
    assert not JobOffer.objects.exists()


def test_site_gives_the_municipality(employer_user, shipped_framework, lodi):
    employer = employer_user.organisation.employer
    site = SiteFactory(employer=employer, municipality=lodi)
    data = _offer_data(lodi, municipality="", site=str(site.pk))
    assert login(employer_user).post(NEW, data).status_code == 302
    offer = JobOffer.objects.get()
    assert (offer.site, offer.municipality) == (site, lodi)


def test_suggest_button_without_js_shows_highlighted_suggestions(
    employer_user, shipped_framework, lodi
):
    data = _offer_data(lodi, action="suggest")
    response = login(employer_user).post(NEW, data)
    assert response.status_code == 200
    html = _html(response)
    assert 'name="skill__RIS-C01"' in html
    assert "<mark>Aiuto cuoco</mark>" in html or "<mark>aiuto cuoco</mark>" in html
    assert "Eseguire le preparazioni di base in cucina" in html
    assert "preparazione dei primi piatti" in html  # nothing lost, nothing saved
    assert not JobOffer.objects.exists()


def test_suggestions_fragment_for_the_page_script(employer_user, shipped_framework):
    response = login(employer_user).post(
        "/azienda/offerte/suggerimenti/",
        {"title": KITCHEN_TITLE, "description": KITCHEN_TEXT, "skill__RIS-C01": "essenziale"},
    )
    assert response.status_code == 200
    html = _html(response)
    assert "<mark>" in html and "<html" not in html
    assert 'name="skill__RIS-C06"' in html
    assert 'name="skill__RIS-C01"' not in html  # already chosen: not suggested again


def test_without_a_default_framework_the_form_says_suggestions_are_unavailable(employer_user):
    response = login(employer_user).post(
        "/azienda/offerte/suggerimenti/", {"title": KITCHEN_TITLE, "description": KITCHEN_TEXT}
    )
    assert response.status_code == 200
    assert "Il suggerimento delle competenze non è disponibile ora" in _html(response)


def test_the_recogniser_says_it_is_unavailable_with_a_typed_error():
    with pytest.raises(RecognizerUnavailable) as raised:
        offer_skill_suggestions(title=KITCHEN_TITLE, description=KITCHEN_TEXT)
    assert raised.value.code == "recognizer_unavailable"
    assert "load_framework" in raised.value.message


def test_edit_page_suggests_from_the_saved_text(employer_user, shipped_framework, lodi):
    client = login(employer_user)
    client.post(NEW, _offer_data(lodi, **{"skill__RIS-C01": "essenziale"}))
    offer = JobOffer.objects.get()
    html = _html(client.get(f"/azienda/offerte/{offer.pk}/"))
    assert html.count('name="skill__RIS-C01"') == 3  # one row: the chosen one
    assert 'value="essenziale" checked' in html
    assert "Competenze suggerite dal testo" in html
    assert 'name="skill__RIS-C06"' in html and "<mark>" in html


def test_confirming_a_suggestion_updates_the_skills(employer_user, shipped_framework, lodi):
    client = login(employer_user)
    client.post(NEW, _offer_data(lodi, **{"skill__RIS-C01": "essenziale"}))
    offer = JobOffer.objects.get()
    data = _offer_data(
        lodi,
        **{
            "skill__RIS-C01": "scarta",
            "skill__RIS-C06": "essenziale",
            "skill__RIS-C05": "facoltativa",
        },
    )
    assert client.post(f"/azienda/offerte/{offer.pk}/", data).status_code == 302
    skills = dict(OfferSkill.objects.filter(offer=offer).values_list("concept__code", "essential"))
    assert skills == {"RIS-C06": True, "RIS-C05": False}


def test_search_by_label_without_js_lists_matching_competences(
    employer_user, shipped_framework, lodi
):
    data = _offer_data(
        lodi, action="find", skill_query="carrello elevatore", title="", description=""
    )
    html = _html(login(employer_user).post(NEW, data))
    label = Concept.objects.get(code="LOG-C03").pref_label
    assert label in html
    assert 'name="skill__LOG-C03"' in html


@pytest.mark.parametrize(
    "query", ["sicurezza", "Lavorare in sicurezza", "scarpe antinfortunistiche"]
)
def test_safety_is_found_by_label_and_alternative_label(
    query, employer_user, shipped_framework, lodi
):
    data = _offer_data(lodi, action="find", skill_query=query, title="", description="")
    html = _html(login(employer_user).post(NEW, data))
    assert 'name="skill__TRV-C01"' in html  # «Lavorare in sicurezza», a transversal competence
    api = login(employer_user).get(
        "/api/v1/framework/concepts/", {"kind": "competenza", "q": query}
    )
    assert "TRV-C01" in {row["code"] for row in api.json()["results"]}


def test_a_chosen_skill_found_again_is_said_to_be_chosen(employer_user, shipped_framework, lodi):
    data = _offer_data(
        lodi,
        action="find",
        skill_query="Lavorare in sicurezza",
        title="",
        description="",
        **{"skill__TRV-C01": "essenziale"},
    )
    html = _html(login(employer_user).post(NEW, data))
    assert "«Lavorare in sicurezza» è già tra le competenze scelte o suggerite." in html
    assert "Nessuna competenza trovata" not in html


def test_search_with_no_match_says_so(employer_user, shipped_framework, lodi):
    data = _offer_data(lodi, action="find", skill_query="astronautica", title="", description="")
    html = _html(login(employer_user).post(NEW, data))
    assert "Nessuna competenza trovata per «astronautica»." in html


def test_publish_without_skills_is_refused_in_italian(employer_user):
    offer = JobOfferFactory(
        employer=employer_user.organisation.employer, status=JobOffer.Status.DRAFT
    )
    client = login(employer_user)
    response = client.post(f"/azienda/offerte/{offer.pk}/pubblica/", follow=True)
    assert "Per pubblicare l'offerta mancano: almeno una competenza." in _html(response)
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.DRAFT


def test_publish_then_close(employer_user):
    offer = JobOfferFactory(
        employer=employer_user.organisation.employer, status=JobOffer.Status.DRAFT
    )
    OfferSkillFactory(offer=offer)
    client = login(employer_user)
    response = client.post(f"/azienda/offerte/{offer.pk}/pubblica/", follow=True)
    assert "Offerta pubblicata" in _html(response)
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.PUBLISHED and offer.published_at
    client.post(f"/azienda/offerte/{offer.pk}/chiudi/")
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.CLOSED
    response = client.post(f"/azienda/offerte/{offer.pk}/chiudi/", follow=True)
    assert str(OFFER_ALREADY_CLOSED).replace("&#x27;", "'") in _html(response)


def test_closed_offer_is_read_only(employer_user):
    offer = JobOfferFactory(
        employer=employer_user.organisation.employer, status=JobOffer.Status.CLOSED, title="Chiusa"
    )
    client = login(employer_user)
    html = _html(client.get(f"/azienda/offerte/{offer.pk}/"))
    assert "L'offerta è chiusa" in html and "disabled" in html
    client.post(f"/azienda/offerte/{offer.pk}/", {"title": "Cambiata", "action": "save"})
    offer.refresh_from_db()
    assert offer.title == "Chiusa"


def test_other_company_offer_answers_404(employer_user):
    other = JobOfferFactory()  # published, another company
    client = login(employer_user)
    assert client.get(f"/azienda/offerte/{other.pk}/").status_code == 404
    assert client.post(f"/azienda/offerte/{other.pk}/chiudi/").status_code == 404
    other.refresh_from_db()
    assert other.status == JobOffer.Status.PUBLISHED


def test_asking_for_suggestions_shows_no_validation_errors(employer_user, shipped_framework):
    data = _offer_data(MunicipalityFactory(), municipality="", action="suggest")
    html = _html(login(employer_user).post(NEW, data))
    assert "Controlla i dati inseriti" not in html
    assert 'name="skill__RIS-C01"' in html


def test_offer_page_lists_received_proposals_and_accepts_them(employer_user):
    offer = JobOfferFactory(employer=employer_user.organisation.employer)
    proposal = ProposalFactory(offer=offer, status=Proposal.Status.SENT)
    ProposalEvent.objects.create(proposal=proposal, from_status="bozza", to_status="inviata")
    PersonIdentityFactory(person=proposal.person, first_name="Nomeriservato")
    client = login(employer_user)
    html = _html(client.get(f"/azienda/offerte/{offer.pk}/"))
    assert proposal.person.pseudonym in html and "Nomeriservato" not in html
    assert "Accetta" in html
    page = f"/azienda/offerte/{offer.pk}/"
    response = client.post(
        f"/proposte/{proposal.pk}/stato/", {"to_status": Proposal.Status.ACCEPTED, "next": page}
    )
    assert response["Location"] == page
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED

"""Candidate search, candidate profile, shortlist and contact requests (employer side)."""

import re

import pytest
from django.core import mail
from django.test import Client

from common.models import AccessLog
from competenze.models import Consent
from lavoro.models import ContactRequest, JobOffer, ShortlistEntry
from lavoro.services.candidates import ALREADY_REQUESTED, ALREADY_SHORTLISTED
from search.indexing import rebuild as search_rebuild
from tests.factories import (
    ConsentFactory,
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    JobOfferFactory,
    MunicipalityFactory,
    PersonFactory,
    ProgrammeManagerFactory,
    ProvinceFactory,
    SkillEntryFactory,
)
from tests.lavoro.web_helpers import (  # noqa: F401
    FIRST_NAME,
    assert_no_personal_data,
    candidate_world,
    login,
    search_index_fixture,
)

pytestmark = pytest.mark.django_db
SEARCH = "/azienda/candidati/"


@pytest.fixture
def world(search_index):
    built = candidate_world()
    search_index()
    return built


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _detail(world) -> str:
    return f"/azienda/candidati/{world.person.pseudonym}/"


@pytest.mark.parametrize(
    "factory", [CounsellorFactory, HostBodyUserFactory, ProgrammeManagerFactory]
)
def test_candidate_pages_refuse_other_roles(factory, world):
    client = login(factory())
    assert client.get(SEARCH).status_code == 403
    assert client.get(_detail(world)).status_code == 403


def test_anonymous_is_sent_to_login():
    assert Client().get(SEARCH).status_code == 302


def test_search_lists_only_shared_profiles_without_personal_data(world):
    response = login(world.employer_user).get(SEARCH)
    assert response.status_code == 200
    html = _html(response)
    assert world.person.pseudonym in html
    assert world.hidden.pseudonym not in html  # no "profilo_datori" consent
    assert "Cucinare primi piatti" in html and "validata" in html
    assert "AR madrelingua" in html
    assert_no_personal_data(html)


def test_search_filters_by_skill_and_province(world):
    client = login(world.employer_user)
    html = _html(client.get(SEARCH, {"skills": ["RIS-X01"], "province": "MI"}))
    assert world.person.pseudonym in html
    assert "Ha le competenze cercate: Cucinare primi piatti." in html
    assert 'value="RIS-X01"' in html and "checked" in html  # the facet stays ticked
    assert world.person.pseudonym not in _html(client.get(SEARCH, {"province": "BG"}))
    assert world.person.pseudonym not in _html(client.get(SEARCH, {"skills": ["LOG-X02"]}))


def test_search_for_an_offer_explains_the_match(world):
    html = _html(login(world.employer_user).get(SEARCH, {"offer": world.offer.pk}))
    assert world.person.pseudonym in html
    assert "Ordinati per corrispondenza" in html
    assert (
        "Competenze dell'offerta che ha: "
        '<span class="chips-list"><span class="chip chip-simple chip-wrap">'
        '<span class="chip-label">Cucinare primi piatti (validata, essenziale)</span>'
    ) in html
    assert_no_personal_data(html)


def test_candidates_for_an_offer_show_the_percentage_they_are_ordered_by(world):
    """The list says «ordinati per corrispondenza»: the badges go down the page."""
    elsewhere = MunicipalityFactory(province=ProvinceFactory(code="BX", name="Altrove"))
    for stage, home in (("certificata", elsewhere), ("individuata", world.person.domicile)):
        other = PersonFactory(domicile=home)
        SkillEntryFactory(person=other, concept=world.skill, stage=stage)
        ConsentFactory(person=other, purpose="profilo_datori")
    search_rebuild()
    html = _html(login(world.employer_user).get(SEARCH, {"offer": world.offer.pk}))
    percents = [int(p) for p in re.findall(r"corrispondenza (\d+)%", html)]
    assert percents == [84, 80, 68]  # validated + same province, certified elsewhere, identified


def test_search_with_another_company_offer_is_refused(world):
    other = JobOfferFactory()
    html = _html(login(world.employer_user).get(SEARCH, {"offer": other.pk}))
    assert "Scegli un'opzione valida" in html
    assert world.person.pseudonym not in html


def test_search_audits_every_profile_shown(world):
    login(world.employer_user).get(SEARCH)
    assert AccessLog.objects.filter(subject=world.person.pseudonym, action="view").exists()


def test_candidate_profile_is_pseudonymised_and_audited(world):
    response = login(world.employer_user).get(_detail(world))
    assert response.status_code == 200
    html = _html(response)
    assert world.person.pseudonym in html
    assert "Ho lavorato anni in cucina." in html
    assert "Aggiungi alla selezione" in html and "Chiedi un contatto" in html
    assert_no_personal_data(html)
    assert AccessLog.objects.filter(
        subject=world.person.pseudonym, data_category="profilo_pseudonimo"
    ).exists()


def test_unshared_or_unknown_candidate_answers_404(world):
    client = login(world.employer_user)
    assert client.get(f"/azienda/candidati/{world.hidden.pseudonym}/").status_code == 404
    assert client.get("/azienda/candidati/P-XXXX-XXXX/").status_code == 404


def test_shortlist_add_and_remove(world):
    client = login(world.employer_user)
    data = {"sel-offer": world.offer.pk, "sel-note": "Ottimo per il turno serale"}
    response = client.post(f"{_detail(world)}selezione/", data)
    assert response.status_code == 302
    entry = ShortlistEntry.objects.get()
    assert (entry.offer, entry.person, entry.note) == (
        world.offer,
        world.person,
        "Ottimo per il turno serale",
    )
    html = _html(client.get(f"/azienda/offerte/{world.offer.pk}/"))
    assert world.person.pseudonym in html and "Ottimo per il turno serale" in html
    assert_no_personal_data(html)
    again = _html(client.post(f"{_detail(world)}selezione/", data))
    assert str(ALREADY_SHORTLISTED) in again
    assert ShortlistEntry.objects.count() == 1
    client.post(f"/azienda/selezione/{entry.pk}/rimuovi/")
    assert not ShortlistEntry.objects.exists()


def test_shortlist_requires_one_of_my_offers(world):
    other = JobOfferFactory()
    html = _html(
        login(world.employer_user).post(f"{_detail(world)}selezione/", {"sel-offer": other.pk})
    )
    assert "Scegli un'opzione valida" in html
    assert not ShortlistEntry.objects.exists()


def test_other_company_cannot_remove_my_shortlist_entry(world):
    login(world.employer_user).post(f"{_detail(world)}selezione/", {"sel-offer": world.offer.pk})
    entry = ShortlistEntry.objects.get()
    stranger = EmployerUserFactory(organisation=EmployerFactory().organisation)
    assert login(stranger).post(f"/azienda/selezione/{entry.pk}/rimuovi/").status_code == 404
    assert ShortlistEntry.objects.exists()


def test_contact_request_goes_to_the_counsellor_without_personal_data(world):
    client = login(world.employer_user)
    data = {"contatto-offer": world.offer.pk, "contatto-message": "Colloquio martedì mattina"}
    response = client.post(f"{_detail(world)}contatto/", data, follow=True)
    assert "Richiesta inviata all'operatore" in _html(response)
    request = ContactRequest.objects.get()
    assert (request.offer, request.person, request.counsellor) == (
        world.offer,
        world.person,
        world.person.counsellor,
    )
    assert request.employer == world.employer and request.message == "Colloquio martedì mattina"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["operatrice@example.org"]
    text = message.subject + message.body
    assert (
        f"L'azienda Trattoria Esempio chiede un contatto per {world.person.pseudonym} "
        f"per l'offerta «Aiuto cuoco di sala»"
    ) in text
    assert f"/operatore/richieste/{request.pk}/" in text and "/admin/" not in text
    for forbidden in ("Gennarino", "Esposito", "San Vittore", "Colloquio martedì"):
        assert forbidden not in text
    assert AccessLog.objects.filter(data_category="richiesta_contatto").exists()


def test_second_contact_request_for_the_same_offer_is_refused(world):
    client = login(world.employer_user)
    data = {"contatto-offer": world.offer.pk}
    client.post(f"{_detail(world)}contatto/", data)
    html = _html(client.post(f"{_detail(world)}contatto/", data))
    assert str(ALREADY_REQUESTED) in html
    assert ContactRequest.objects.count() == 1 and len(mail.outbox) == 1


def test_closed_offers_are_not_offered_for_selection(world):
    world.offer.status = JobOffer.Status.CLOSED
    world.offer.save()
    html = _html(login(world.employer_user).get(_detail(world)))
    assert "Per selezionare candidati o chiedere un contatto serve un'offerta aperta." in html


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def _request_contact(world) -> ContactRequest:
    client = login(world.employer_user)
    client.post(f"{_detail(world)}contatto/", {"contatto-offer": world.offer.pk})
    return ContactRequest.objects.get()


def test_contact_request_accepted_with_consent_shares_the_contact_with_that_employer(world):
    world.employer_user.email = "selezione@example.org"
    world.employer_user.save()
    _request_contact(world)
    counsellor = login(world.person.counsellor)
    page = _link(mail.outbox[0])
    assert "Accogli la richiesta" not in _html(counsellor.get(page))  # no consent yet
    refused = counsellor.post(page, {"action": "accept"}, follow=True)
    assert "registra prima, con la persona, il consenso" in _html(refused)
    assert ContactRequest.objects.get().status == ContactRequest.Status.SENT
    ConsentFactory(
        person=world.person,
        purpose=Consent.Purpose.DISCLOSE_IDENTITY,
        recipient=world.employer.organisation,
    )
    assert "Accogli la richiesta" in _html(counsellor.get(page))
    html = _html(counsellor.post(page, {"action": "accept"}, follow=True))

    assert "Richiesta accolta" in html
    assert ContactRequest.objects.get().status == ContactRequest.Status.ACCEPTED
    answer = mail.outbox[-1]
    assert answer.to == ["selezione@example.org"]
    assert "/admin/" not in answer.body and FIRST_NAME not in answer.body
    employer_page = login(world.employer_user).get(_link(answer))
    assert employer_page.status_code == 200
    assert FIRST_NAME in _html(employer_page)  # the contact, for this employer
    stranger = EmployerUserFactory(organisation=EmployerFactory().organisation)
    assert FIRST_NAME not in _html(login(stranger).get(_detail(world)))
    offer_page = _html(login(world.employer_user).get(f"/azienda/offerte/{world.offer.pk}/"))
    assert "Accolta: la persona è interessata" in offer_page


def test_contact_request_declined_with_a_reason_the_employer_reads(world):
    world.employer_user.email = "selezione@example.org"
    world.employer_user.save()
    _request_contact(world)
    counsellor = login(world.person.counsellor)
    page = _link(mail.outbox[0])
    html = _html(counsellor.post(page, {"action": "decline", "reason": " "}, follow=True))
    assert "Scrivi all'azienda perché la richiesta non è accolta." in html
    reason = "La persona ha già iniziato un tirocinio."
    counsellor.post(page, {"action": "decline", "reason": reason})

    request = ContactRequest.objects.get()
    assert (request.status, request.reason) == (ContactRequest.Status.DECLINED, reason)
    assert request.answered_by == world.person.counsellor
    again = _html(counsellor.post(page, {"action": "accept"}, follow=True))
    assert "Hai già risposto a questa richiesta di contatto." in again
    answer = mail.outbox[-1]
    assert reason in answer.body
    offer_page = login(world.employer_user).get(_link(answer))
    assert offer_page.status_code == 200
    assert "Non accolta" in _html(offer_page) and reason in _html(offer_page)


def test_contact_request_page_is_for_the_persons_counsellors_only(world):
    request = _request_contact(world)
    page = f"/operatore/richieste/{request.pk}/"
    assert login(CounsellorFactory()).get(page).status_code == 404  # another organisation
    assert login(world.employer_user).get(page).status_code == 403
    colleague = CounsellorFactory(organisation=world.person.organisation)
    assert login(colleague).get(page).status_code == 200


def test_the_offer_in_the_address_is_preselected_for_shortlist_and_contact(world):
    second = JobOfferFactory(employer=world.employer, title="Lavapiatti serale")
    html = login(world.employer_user).get(f"{_detail(world)}?offer={second.pk}").content.decode()

    for prefix in ("sel", "contatto"):
        select = re.search(rf'<select name="{prefix}-offer".*?</select>', html, re.S).group(0)
        assert re.search(rf'<option value="{second.pk}" selected>', select), prefix
        assert f'<option value="{world.offer.pk}" selected>' not in select
    other = JobOfferFactory(title="Offerta di un'altra azienda")  # not theirs: ignored
    html = login(world.employer_user).get(f"{_detail(world)}?offer={other.pk}").content.decode()
    select = re.search(r'<select name="sel-offer".*?</select>', html, re.S)[0]
    assert not re.search(r'<option value="\d+" selected>', select)


def test_an_employer_account_without_a_registered_company_sees_no_candidate(world):
    unregistered = EmployerUserFactory()  # an organisation, but no company registered
    host_without_body = HostBodyUserFactory()
    for user in (unregistered, host_without_body):
        client = login(user)
        if user is unregistered:  # the pages are the employer's
            response = client.get(SEARCH, follow=True)
            html = _html(response)
            assert response.redirect_chain[-1][0] == "/azienda/"
            assert "Registra la tua azienda per vedere i candidati." in html
            assert world.person.pseudonym not in html
            assert client.get(_detail(world)).status_code == 404
        api = client.get("/api/v1/candidates/search/")
        assert api.status_code == 403
        assert world.person.pseudonym not in api.content.decode()
    assert login(world.employer_user).get(SEARCH).status_code == 200


def test_offers_with_the_same_title_are_told_apart_in_the_select_and_the_list(world):
    import datetime

    twin = JobOfferFactory(
        employer=world.employer,
        title=world.offer.title,
        status=JobOffer.Status.DRAFT,
        start_date=datetime.date(2027, 3, 1),
    )
    html = _html(login(world.employer_user).get(_detail(world)))
    select = re.search(r'<select name="sel-offer".*?</select>', html, re.S)[0]
    labels = re.findall(r"<option value=\"\d+\">([^<]*)</option>", select)

    assert len(labels) == 2 and len(set(labels)) == 2
    assert f"{twin.title} · bozza · dal 1/3/2027 · n. {twin.pk}" in labels
    home = _html(login(world.employer_user).get("/azienda/"))
    assert "1/3/2027" in home and f"n. {twin.pk}" in home and "Bozza" in home

"""The review screen of an interview's suggested competences: grouped by sector, decided one
by one or a sector at a time with an undo, a count that reaches zero, bounded pages, and an
interview that closes only with nothing pending or the rest set aside."""

import re

import pytest
from django.urls import reverse

from common.models import AccessLog
from competenze.models import SkillEntry, SkillSuggestion
from competenze.services import interviews as services
from portal.views.interview_cards import CARDS_PER_PAGE
from tests.competenze.web_helpers import login
from tests.factories import ConceptFactory, CounsellorFactory, FrameworkFactory, SectorFactory
from tests.factories.interviews import InterviewAnswerFactory, InterviewFactory, make_suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return FrameworkFactory(is_default=True)


@pytest.fixture
def sectors(framework):
    return {
        "LOG": SectorFactory(framework=framework, code="LOG", label="Logistica"),
        "RIS": SectorFactory(framework=framework, code="RIS", label="Ristorazione"),
    }


@pytest.fixture
def interview(framework):
    return InterviewFactory()


def _card(interview, sector, label, span, score, question_id=None):
    concept = ConceptFactory(framework=sector.framework, sector=sector, pref_label=label)
    text = f"Dico che {span} da anni."
    answer = InterviewAnswerFactory(
        interview=interview, question_id=question_id or f"q-{concept.code}", text=text
    )
    services.answer_suggestions_store(
        answer=answer,
        model_version="prova",
        suggestions=[make_suggestion(concept.code, text, span, score=score)],
    )
    return SkillSuggestion.objects.get(answer=answer, concept=concept)


@pytest.fixture
def cards(interview, sectors):
    return {
        "muletto": _card(
            interview, sectors["LOG"], "Guidare il muletto", "guidavo il muletto", 0.95
        ),
        "picking": _card(
            interview, sectors["LOG"], "Preparare gli ordini", "facevo il picking", 0.6
        ),
        "primi": _card(interview, sectors["RIS"], "Cucinare i primi", "cucinavo i primi", 0.9),
    }


def page_url(interview):
    return reverse("competenze:interview-cards", args=[interview.pk])


def bulk(client, interview, decision, group=""):
    return client.post(
        reverse("competenze:interview-cards-bulk", args=[interview.pk]),
        {"decision": decision, "gruppo": group},
        follow=True,
    )


def left(html):
    return re.search(r'data-testid="cards-left">([^<]*)<', html).group(1)


def test_cards_are_grouped_by_sector_most_confident_first_with_the_persons_words(interview, cards):
    client = login(interview.counsellor)
    html = client.get(page_url(interview)).content.decode()
    assert left(html) == "Restano 3 competenze da decidere."
    assert html.index("Logistica") < html.index("Ristorazione")  # 0.95 leads its group
    assert html.index("Guidare il muletto") < html.index("Preparare gli ordini")
    assert "«guidavo il muletto»" in html
    assert "Accetta le evidenti (2)" in html  # 0.95 and 0.9
    assert AccessLog.objects.filter(
        subject=interview.person.pseudonym, purpose__contains="revisione"
    ).exists()


def test_the_same_competence_said_again_joins_its_card(interview, cards, sectors):
    muletto = cards["muletto"]
    text = "Anche al deposito stavo sul muletto."
    answer = InterviewAnswerFactory(interview=interview, question_id="q-altro", text=text)
    services.answer_suggestions_store(
        answer=answer,
        model_version="prova",
        suggestions=[make_suggestion(muletto.concept.code, text, "sul muletto", score=0.7)],
    )
    html = login(interview.counsellor).get(page_url(interview)).content.decode()
    assert html.count('data-testid="interview-card"') == 3
    assert "Detto anche in: «sul muletto»" in html


def test_deciding_one_by_one_brings_the_count_to_zero_and_nothing_comes_back(interview, cards):
    client = login(interview.counsellor)
    here = page_url(interview)
    for name, decision in (("muletto", "accetta"), ("picking", "rifiuta"), ("primi", "accetta")):
        response = client.post(
            reverse("competenze:suggestion-decide", args=[cards[name].pk]),
            {"decision": decision, "next": here},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == here
    html = client.get(here).content.decode()
    assert left(html) == "Nessuna competenza da decidere: hai deciso tutte le competenze suggerite."
    assert 'data-testid="interview-card"' not in html
    assert "3 competenze già decise" in html
    # the rejected competence said again, no stronger, joins its decided card: no new card
    picking = cards["picking"]
    text = "In magazzino facevo anche il picking."
    answer = InterviewAnswerFactory(interview=interview, question_id="q-nuova", text=text)
    services.answer_suggestions_store(
        answer=answer,
        model_version="prova",
        suggestions=[make_suggestion(picking.concept.code, text, "il picking", score=0.65)],
    )
    assert left(client.get(here).content.decode()).startswith("Nessuna competenza")


def test_a_sector_is_decided_at_once_and_the_decision_undone(interview, cards):
    client = login(interview.counsellor)
    response = bulk(client, interview, "accetta", "LOG")
    html = response.content.decode()
    assert "1 competenza evidente accettata e aggiunta al profilo." in html
    assert left(html) == "Restano 2 competenze da decidere."  # picking (0.6) and primi
    assert SkillEntry.objects.filter(person=interview.person).count() == 1
    html = bulk(client, interview, "rifiuta", "LOG").content.decode()
    assert "1 suggerimento rifiutato." in html
    assert left(html) == "Resta 1 competenza da decidere."
    assert "Ristorazione" in html and "Preparare gli ordini" not in html.split("già decis")[0]
    # undo the last bulk decision: picking is pending again
    undo = re.search(r'action="([^"]*/annulla/)"', html).group(1)
    html = client.post(undo, follow=True).content.decode()
    assert "Decisione annullata" in html
    assert left(html) == "Restano 2 competenze da decidere."
    cards["picking"].refresh_from_db()
    assert cards["picking"].status == SkillSuggestion.Status.PROPOSED
    # the acceptance before it can be undone too: the profile is as it was
    undo = re.search(r'action="([^"]*/annulla/)"', html).group(1)
    html = client.post(undo, follow=True).content.decode()
    assert left(html) == "Restano 3 competenze da decidere."
    assert not SkillEntry.objects.filter(person=interview.person).exists()


def test_bulk_over_the_whole_interview_and_a_clear_message_when_nothing_is_left(interview, cards):
    client = login(interview.counsellor)
    bulk(client, interview, "accetta")
    html = bulk(client, interview, "rifiuta").content.decode()
    assert left(html).startswith("Nessuna competenza da decidere")
    html = bulk(client, interview, "rifiuta").content.decode()
    assert "Non ci sono competenze suggerite da rifiutare." in html
    html = bulk(client, interview, "tutto").content.decode()
    assert "Scelta non valida" in html


def test_pages_are_bounded(interview, sectors):
    for n in range(CARDS_PER_PAGE + 3):
        _card(interview, sectors["LOG"], f"Competenza {n:02d}", f"facevo la cosa {n}", 0.5)
    client = login(interview.counsellor)
    first = client.get(page_url(interview)).content.decode()
    assert first.count('data-testid="interview-card"') == CARDS_PER_PAGE
    assert f"Restano {CARDS_PER_PAGE + 3} competenze da decidere." in first
    assert f"Rifiuta le rimanenti del settore ({CARDS_PER_PAGE + 3})" in first
    second = client.get(page_url(interview) + "?pagina=2").content.decode()
    assert second.count('data-testid="interview-card"') == 3
    # a page emptied by the decisions on it sends back to the first
    assert client.get(page_url(interview) + "?pagina=9")["Location"] == page_url(interview)


def test_the_interview_closes_only_with_nothing_pending_or_the_rest_set_aside(interview, cards):
    client = login(interview.counsellor)
    complete = reverse("competenze:interview-complete", args=[interview.pk])
    html = client.post(complete, {"next": page_url(interview)}, follow=True).content.decode()
    assert "Il colloquio non è concluso: restano 3 competenze suggerite da decidere." in html
    assert "Metti da parte le rimanenti" in html
    interview.refresh_from_db()
    assert interview.is_open
    html = client.post(complete, {"metti_da_parte": "1"}, follow=True).content.decode()
    interview.refresh_from_db()
    assert not interview.is_open
    assert "3 competenze suggerite restano da decidere" in html


def test_the_interview_closes_at_once_when_every_card_is_decided(interview, cards):
    client = login(interview.counsellor)
    bulk(client, interview, "rifiuta")
    client.post(reverse("competenze:interview-complete", args=[interview.pk]))
    interview.refresh_from_db()
    assert not interview.is_open


def test_another_counsellor_may_not_see_or_decide(interview, cards):
    stranger = login(CounsellorFactory())
    assert stranger.get(page_url(interview)).status_code in (403, 404)
    response = stranger.post(
        reverse("competenze:interview-cards-bulk", args=[interview.pk]),
        {"decision": "rifiuta", "gruppo": ""},
    )
    assert response.status_code in (403, 404)
    cards["muletto"].refresh_from_db()
    assert cards["muletto"].status == SkillSuggestion.Status.PROPOSED

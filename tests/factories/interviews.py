import copy

import factory

from competenze.models import (
    Interview,
    InterviewAnswer,
    InterviewTemplate,
    SkillSuggestion,
)
from competenze.services.interview_templates import interview_templates_load, template_files
from ml.types import Suggestion
from tests.factories.competenze import ConceptFactory, PersonFactory

__all__ = [
    "SMALL_DEFINITION",
    "InterviewAnswerFactory",
    "InterviewFactory",
    "InterviewTemplateFactory",
    "SkillSuggestionFactory",
    "load_shipped_templates",
    "make_suggestion",
]

YES_NO = [{"value": "si", "label": "Sì"}, {"value": "no", "label": "No"}]

# A small template with every kind of question and both kinds of follow-up rule.
SMALL_DEFINITION = {
    "code": "prova",
    "version": 1,
    "title": "Colloquio di prova",
    "sections": [
        {
            "id": "lavoro",
            "title": "Lavoro",
            "questions": [
                {
                    "id": "lavoro.descrizione",
                    "kind": "text",
                    "text": "Che lavori ha fatto?",
                    "help": "Con le parole della persona.",
                    "required": True,
                    "extract": True,
                    "experience_category": "lavoro",
                    "followups": [
                        {
                            "when": {"contains_any": ["cucina", "cuoc*", "mensa"]},
                            "ask": [
                                {
                                    "id": "lavoro.cucina.preparazioni",
                                    "kind": "text",
                                    "text": "Quali piatti preparava? Per quante persone?",
                                    "extract": True,
                                },
                                {
                                    "id": "lavoro.cucina.durata",
                                    "kind": "text",
                                    "text": "Per quanto tempo?",
                                },
                            ],
                        }
                    ],
                },
                {
                    "id": "lavoro.patente",
                    "kind": "choice",
                    "text": "Ha la patente?",
                    "required": True,
                    "options": YES_NO,
                    "followups": [
                        {
                            "when": {"choice_in": ["si"]},
                            "ask": [
                                {
                                    "id": "lavoro.patente.mezzi",
                                    "kind": "text",
                                    "text": "Che mezzi guida?",
                                    "extract": True,
                                }
                            ],
                        }
                    ],
                },
            ],
        },
        {
            "id": "altro",
            "title": "Altro",
            "questions": [
                {"id": "altro.inizio", "kind": "date", "text": "Da quando è disponibile?"},
                {
                    "id": "altro.italiano",
                    "kind": "scale",
                    "text": "Come valuta il suo italiano?",
                    "labels": ["Poco", "Base", "Medio", "Buono", "Ottimo"],
                },
                {
                    "id": "altro.orari",
                    "kind": "multichoice",
                    "text": "In quali orari?",
                    "options": [
                        {"value": "mattina", "label": "Mattina"},
                        {"value": "pomeriggio", "label": "Pomeriggio"},
                        {"value": "sera", "label": "Sera"},
                    ],
                },
                {"id": "altro.note", "kind": "text", "text": "Vuole aggiungere altro?"},
            ],
        },
    ],
}


def _definition(template) -> dict:
    definition = copy.deepcopy(SMALL_DEFINITION)
    definition.update(code=template.code, version=template.version, title=template.title)
    return definition


class InterviewTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewTemplate

    code = factory.Sequence(lambda n: f"prova-{n}")
    version = 1
    title = "Colloquio di prova"
    definition = factory.LazyAttribute(_definition)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    person = factory.SubFactory(PersonFactory)
    template = factory.SubFactory(InterviewTemplateFactory)
    counsellor = factory.SelfAttribute("person.counsellor")


class InterviewAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewAnswer

    interview = factory.SubFactory(InterviewFactory)
    question_id = "lavoro.descrizione"
    section = "lavoro"
    text = "Ho lavorato in cucina in una mensa, preparavo i primi per 200 persone."
    answered_by = factory.SelfAttribute("interview.counsellor")
    extraction_status = InterviewAnswer.ExtractionStatus.READY


class SkillSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillSuggestion

    answer = factory.SubFactory(InterviewAnswerFactory)
    concept = factory.SubFactory(ConceptFactory)
    score = 0.8
    span = "preparavo i primi"
    start = factory.LazyAttribute(lambda o: max(o.answer.text.find(o.span), 0))
    end = factory.LazyAttribute(lambda o: o.start + len(o.span))
    reason = "etichetta alternativa"


def make_suggestion(
    code: str, text: str, span: str, score: float = 0.8, **extra: object
) -> Suggestion:
    """A recogniser result for `span` inside `text`, as ml.types.Suggestion."""
    start = text.find(span)
    assert start >= 0, f"{span!r} not in {text!r}"
    return Suggestion(
        code=code,
        label=code,
        score=score,
        start=start,
        end=start + len(span),
        span=span,
        reason="prova",
        **extra,
    )


def load_shipped_templates() -> InterviewTemplate:
    """Load competenze/data/interviews and return the default template (colloquio-base)."""
    interview_templates_load(paths=template_files())
    return InterviewTemplate.objects.get(code="colloquio-base", is_active=True)

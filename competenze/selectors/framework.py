from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from common.exceptions import ApplicationError
from competenze.models import Concept, Framework

NO_DEFAULT_FRAMEWORK = _(
    "Nessun quadro delle competenze predefinito: esegui «manage.py load_framework»."
)


class FrameworkMissing(ApplicationError):
    """No skills framework is marked as the default one (load_framework has not run)."""

    def __init__(self) -> None:
        super().__init__(str(NO_DEFAULT_FRAMEWORK), code="no_framework")


def framework_default() -> Framework | None:
    """The framework every page, suggestion and match uses (None before load_framework)."""
    return Framework.objects.filter(is_default=True).first()


def framework_default_get() -> Framework:
    """framework_default, or FrameworkMissing."""
    framework = framework_default()
    if framework is None:
        raise FrameworkMissing
    return framework


def concept_search(
    *, q: str = "", kind: str = "", sector: str = "", framework: Framework | None = None
) -> QuerySet[Concept]:
    """Concepts of the default framework, filtered by label text (preferred or alternative
    label, or the exact code), kind and sector code. Kind «competenza» includes the
    transversal competences («Lavorare in sicurezza»): they are competences too."""
    framework = framework or framework_default()
    concepts = Concept.objects.filter(framework=framework).select_related("sector", "parent")
    if q:
        concepts = concepts.filter(
            Q(pref_label__icontains=q) | Q(code__iexact=q) | Q(alt_labels__icontains=q)
        )
    if kind == Concept.Kind.COMPETENCE:
        concepts = concepts.filter(kind__in=[Concept.Kind.COMPETENCE, Concept.Kind.TRANSVERSAL])
    elif kind:
        concepts = concepts.filter(kind=kind)
    if sector:
        concepts = concepts.filter(sector__code=sector.upper())
    return concepts.order_by("code")


def concept_get(*, code: str, framework: Framework | None = None) -> Concept:
    framework = framework or framework_default()
    return get_object_or_404(
        Concept.objects.select_related("sector", "parent").prefetch_related(
            "children__sector", "requires__target"
        ),
        framework=framework,
        code=code,
    )

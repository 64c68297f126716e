from django.http import Http404
from django.utils.translation import gettext_lazy

from common.models import User
from lavoro.models import Employer, HostBody, TrainingProvider

EMPLOYER_NOT_REGISTERED = gettext_lazy("La tua organizzazione non ha ancora registrato un'azienda.")
HOST_BODY_NOT_REGISTERED = gettext_lazy(
    "La tua organizzazione non è registrata come ente ospitante."
)
PROVIDER_NOT_FOUND = gettext_lazy("Ente di formazione non trovato.")


def employer_get_for_user(*, user: User) -> Employer:
    """The employer of the user's organisation; Http404 when there is none yet."""
    if user.organisation_id is None or not user.has_role(User.Role.EMPLOYER):
        raise Http404(EMPLOYER_NOT_REGISTERED)
    employer = (
        Employer.objects.select_related("organisation")
        .prefetch_related("sites__municipality__province")
        .filter(organisation_id=user.organisation_id)
        .first()
    )
    if employer is None:
        raise Http404(EMPLOYER_NOT_REGISTERED)
    return employer


def host_body_get_for_user(*, user: User) -> HostBody:
    if user.organisation_id is None or not user.has_role(User.Role.HOST_BODY):
        raise Http404(HOST_BODY_NOT_REGISTERED)
    host_body = (
        HostBody.objects.select_related("organisation")
        .filter(organisation_id=user.organisation_id)
        .first()
    )
    if host_body is None:
        raise Http404(HOST_BODY_NOT_REGISTERED)
    return host_body


def training_provider_get(*, provider_id: int) -> TrainingProvider:
    provider = (
        TrainingProvider.objects.select_related("organisation").filter(pk=provider_id).first()
    )
    if provider is None:
        raise Http404(PROVIDER_NOT_FOUND)
    return provider

"""Employers register their company and its sites."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from common.exceptions import AccessDenied, ApplicationError
from common.models import Municipality, Organisation, User
from common.validators import validate_partita_iva
from lavoro import permissions
from lavoro.models import Employer, Site
from lavoro.services._helpers import clean_and_save, field_error

REGISTER_DENIED = gettext_lazy(
    "Solo gli utenti con ruolo datore di lavoro possono registrare un'azienda."
)
EMPLOYER_ALREADY_REGISTERED = gettext_lazy("La tua organizzazione ha già registrato un'azienda.")
ORGANISATION_NOT_EMPLOYER = gettext_lazy(
    "La tua organizzazione non è registrata come datore di lavoro: contatta l'amministratore."
)
PARTITA_IVA_TAKEN = gettext_lazy("Esiste già un'azienda registrata con questa partita IVA.")
EMPLOYER_MANAGE_DENIED = gettext_lazy("Non puoi modificare i dati di questa azienda.")


def _partita_iva_clean(value: str) -> str:
    code = (value or "").strip().replace(" ", "")
    try:
        validate_partita_iva(code)
    except ValidationError as error:
        raise field_error("partita_iva", error.messages[0], code="partita_iva") from error
    if Employer.objects.filter(partita_iva=code).exists():
        raise ApplicationError(PARTITA_IVA_TAKEN, code="duplicate")
    return code


def _employer_organisation(
    *, user: User, name: str, municipality: Municipality | None
) -> Organisation:
    """The user's organisation, renamed to the company; created when the user has none."""
    organisation = user.organisation
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name, kind=Organisation.Kind.EMPLOYER, municipality=municipality
        )
        user.organisation = organisation
        user.save(update_fields=["organisation"])
        return organisation
    if organisation.kind != Organisation.Kind.EMPLOYER:
        raise ApplicationError(ORGANISATION_NOT_EMPLOYER, code="organisation_kind")
    if Employer.objects.filter(organisation=organisation).exists():
        raise ApplicationError(EMPLOYER_ALREADY_REGISTERED, code="already_registered")
    organisation.name = name
    organisation.municipality = municipality or organisation.municipality
    organisation.save(update_fields=["name", "municipality", "updated_at"])
    return organisation


@transaction.atomic
def employer_register(
    *,
    user: User,
    name: str,
    partita_iva: str,
    ateco_code: str = "",
    description: str = "",
    smuraglia_interest: bool = False,
    municipality: Municipality | None = None,
) -> Employer:
    """Register the company of an employer-role user and link it to their organisation.

    Raises ValidationError for a malformed partita IVA, ApplicationError when it is taken
    or the organisation already has a company.
    """
    if not permissions.can_register_employer(user):
        raise AccessDenied(REGISTER_DENIED)
    code = _partita_iva_clean(partita_iva)
    organisation = _employer_organisation(user=user, name=name, municipality=municipality)
    employer = Employer(
        organisation=organisation,
        partita_iva=code,
        ateco_code=ateco_code.strip(),
        description=description,
        smuraglia_interest=smuraglia_interest,
    )
    clean_and_save(employer)
    return employer


def site_create(
    *,
    employer: Employer,
    created_by: User,
    name: str,
    municipality: Municipality,
    address: str = "",
) -> Site:
    if not permissions.can_manage_employer(created_by, employer):
        raise AccessDenied(EMPLOYER_MANAGE_DENIED)
    site = Site(employer=employer, name=name, municipality=municipality, address=address)
    clean_and_save(site)
    return site

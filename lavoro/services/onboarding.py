"""A company's first steps on Ponte: registration together with its first site."""

from django.db import transaction

from common.models import Municipality, User
from lavoro.models import Employer
from lavoro.services.employers import employer_register, site_create


@transaction.atomic
def employer_register_with_site(
    *,
    user: User,
    name: str,
    partita_iva: str,
    municipality: Municipality,
    site_name: str = "",
    site_address: str = "",
    ateco_code: str = "",
    description: str = "",
    smuraglia_interest: bool = False,
) -> Employer:
    """Register the company and its first site in one go: both are saved or neither.

    Raises what employer_register and site_create raise (ValidationError, ApplicationError).
    """
    employer = employer_register(
        user=user,
        name=name,
        partita_iva=partita_iva,
        ateco_code=ateco_code,
        description=description,
        smuraglia_interest=smuraglia_interest,
        municipality=municipality,
    )
    site_create(
        employer=employer,
        created_by=user,
        name=site_name.strip() or name,
        municipality=municipality,
        address=site_address.strip(),
    )
    return employer

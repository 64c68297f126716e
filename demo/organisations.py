"""Counselling services, prisons, employers, training providers, host bodies and the users
who work for them."""

import datetime as dt
from collections.abc import Iterable, Sequence

from common.models import Organisation, User
from competenze.models import (
    Institute,
)
from demo.context import (
    Context,
    EmployerRef,
    HostRef,
    InstituteRef,
    bulk,
    demo_name,
    home_pick,
    partita_iva,
)
from demo.options import DEMO_EMAIL_DOMAIN, DEMO_MARK, DEMO_USERS, DemoUser
from demo.vocabulary import (
    COUNSELLING_SERVICES,
    COURT_BY_PROVINCE,
    HOST_NAMES,
    INSTITUTES,
    ITALIAN,
    SECTOR_WORDS,
)
from lavoro.models import (
    Convention,
    Employer,
    HostBody,
    Site,
    TrainingProvider,
)


def create_services(context: Context) -> list[Organisation]:
    territory = context.territory
    orgs = [
        Organisation(
            name=f"{name}{DEMO_MARK}",
            kind=Organisation.Kind.SERVICE,
            municipality_id=territory.by_name.get(city) or territory.pick(context.rng),
        )
        for name, city in COUNSELLING_SERVICES
    ]
    context.services = list(bulk(context, orgs, "Servizi di orientamento"))
    return context.services


def create_institutes(context: Context) -> list[InstituteRef]:
    refs = []
    for name, kind, city in INSTITUTES:
        municipality = context.territory.by_name.get(city)
        if municipality is None:
            continue
        institute, created = Institute.objects.get_or_create(
            name=name, defaults={"kind": kind, "municipality_id": municipality}
        )
        context.counts["Istituti penitenziari"] += created
        refs.append(InstituteRef(institute.pk, name, institute.kind, institute.municipality_id))
    context.institutes = refs
    return refs


def _organisations(
    context: Context, kind: str, names: Iterable[str], label: str, places: Iterable[int] = ()
) -> Sequence[Organisation]:
    """Organisations named `names`, in `places` (or wherever people live, by default)."""
    places = iter(places)
    orgs = [
        Organisation(
            name=name,
            kind=kind,
            municipality_id=next(places, None) or home_pick(context),
        )
        for name in names
    ]
    return bulk(context, orgs, label)


def create_employers(context: Context, count: int) -> list[EmployerRef]:
    rng = context.rng
    choices = [s for s in context.skills.by_sector if s != "GEN"] or ["GEN"]
    sectors = [rng.choice(choices) for _i in range(count)]
    taken: set[str] = set()
    names = [demo_name(rng, rng.choice(SECTOR_WORDS[s].firms), taken) for s in sectors]
    orgs = _organisations(context, Organisation.Kind.EMPLOYER, names, "Organizzazioni datori")
    taken_vat = set(Employer.objects.values_list("partita_iva", flat=True))
    employers = [
        Employer(
            organisation_id=org.pk,
            partita_iva=partita_iva(rng, taken_vat),
            ateco_code=rng.choice(SECTOR_WORDS[sector].ateco),
            description="Impresa di fantasia creata per la demo di Ponte.",
            smuraglia_interest=rng.random() < 0.4,
        )
        for sector, org in zip(sectors, orgs, strict=True)
    ]
    bulk(context, employers, "Datori di lavoro")
    sites = _create_sites(context, employers, orgs)
    return [
        EmployerRef(
            employer.pk,
            org.pk,
            org.name.removesuffix(DEMO_MARK),
            sector,
            sites[employer.pk],
            employer.smuraglia_interest,
        )
        for employer, org, sector in zip(employers, orgs, sectors, strict=True)
    ]


def _create_sites(
    context: Context, employers: Sequence[Employer], orgs: Sequence[Organisation]
) -> dict[int, tuple[tuple[int, int], ...]]:
    """One site where the employer is, a second one where people live for about a third."""
    rng, territory = context.rng, context.territory
    sites = []
    for employer, org in zip(employers, orgs, strict=True):
        home = org.municipality_id or home_pick(context)
        homes = [home] + [home_pick(context) for _i in range(rng.random() < 0.3)]
        sites += [
            Site(employer_id=employer.pk, name=f"Sede di {territory.names[m]}", municipality_id=m)
            for m in homes
        ]
    by_employer: dict[int, tuple[tuple[int, int], ...]] = {}
    for site in bulk(context, sites, "Sedi"):
        pair = (site.pk, site.municipality_id)
        by_employer[site.employer_id] = (*by_employer.get(site.employer_id, ()), pair)
    return by_employer


def create_providers(context: Context, count: int) -> list[int]:
    rng = context.rng
    taken: set[str] = set()
    prefixes = ("Centro di Formazione", "Scuola dei Mestieri", "Accademia del Lavoro")
    forms = ("S.r.l.", "Impresa Sociale", "Fondazione")
    names = [demo_name(rng, rng.choice(prefixes), taken, forms) for _i in range(count)]
    kind = Organisation.Kind.TRAINING_PROVIDER
    orgs = _organisations(context, kind, names, "Organizzazioni enti di formazione")
    providers = [
        TrainingProvider(organisation_id=org.pk, accreditation_code=f"DEMO-{number:05d}")
        for number, org in enumerate(orgs, start=1)
    ]
    return [provider.pk for provider in bulk(context, providers, "Enti di formazione")]


HOST_KINDS = (HostBody.Kind.MUNICIPALITY, HostBody.Kind.ASSOCIATION, HostBody.Kind.COOPERATIVE)


HOSTS_NEAR_PLACEMENT_HOMES = 0.7


def _host_place(context: Context) -> int:
    """Most host bodies where MAP/LPU people live (a placement is served near home)."""
    if context.placement_homes and context.rng.random() < HOSTS_NEAR_PLACEMENT_HOMES:
        return home_pick(context, context.placement_homes)
    return home_pick(context)


def create_host_bodies(context: Context, count: int) -> list[HostRef]:
    """Comuni, associations and social cooperatives in turn, each with one convention."""
    rng, territory = context.rng, context.territory
    kinds = [HOST_KINDS[index % 3] for index in range(count)]
    places = [_host_place(context) for _i in range(count)]
    taken: set[str] = set()
    names = []
    for kind, place in zip(kinds, places, strict=True):
        town = f"Comune di {territory.names[place]}{DEMO_MARK}"
        if kind == HostBody.Kind.MUNICIPALITY and town not in taken:
            taken.add(town)
            names.append(town)
        else:
            prefix, forms = HOST_NAMES[kind]
            names.append(demo_name(rng, prefix, taken, forms))
    org_kind = Organisation.Kind.HOST_BODY
    orgs = _organisations(context, org_kind, names, "Organizzazioni enti ospitanti", places)
    hosts = [HostBody(organisation_id=org.pk, kind=k) for org, k in zip(orgs, kinds, strict=True)]
    bulk(context, hosts, "Enti ospitanti")
    conventions = [
        _convention(context, host.pk, place) for host, place in zip(hosts, places, strict=True)
    ]
    bulk(context, conventions, "Convenzioni")
    return [
        HostRef(host.pk, org.pk, host.kind, place, convention.pk)
        for host, org, place, convention in zip(hosts, orgs, places, conventions, strict=True)
    ]


def _convention(context: Context, host: int, municipality: int) -> Convention:
    rng = context.rng
    province = context.territory.province[municipality]
    valid_from = context.today - dt.timedelta(days=rng.randint(30, 900))
    return Convention(
        host_body_id=host,
        court=COURT_BY_PROVINCE.get(province, "Tribunale di Milano"),
        reference=f"{rng.randint(1, 450)}/{valid_from.year}",
        valid_from=valid_from,
        valid_to=valid_from + dt.timedelta(days=365 * rng.choice((3, 5))),
        total_places=rng.randint(5, 40),
    )


def create_users(context: Context, people: int) -> None:
    """The named demo logins, plus extra counsellors for every service.

    Named logins are created or realigned (role, organisation, DEMO_PASSWORD): the usernames
    are reserved for the demo. `admin` and `beneficiario` have no organisation, so they
    survive --reset; the others go with their demo organisation. The employer and host
    logins come with users_attach, once those organisations exist (they are placed where
    the people live, so they come after them).
    """
    orgs: dict[str, int | None] = {
        "service": context.services[0].pk,
        "service2": context.services[1].pk,
        "": None,
    }
    for spec in DEMO_USERS:
        if spec.organisation in orgs:
            _demo_user(context, spec, orgs[spec.organisation])
    context.demo_counsellors = [
        (context.users["operatore"].pk, context.services[0].pk),
        (context.users["operatore2"].pk, context.services[1].pk),
    ]
    _create_counsellors(context, max(3, people // (150 * len(context.services))))


def users_attach(context: Context, employer_org: int, host_org: int) -> None:
    """The employer and host logins, with their demo organisation."""
    orgs = {"employer": employer_org, "host": host_org}
    for spec in DEMO_USERS:
        if spec.organisation in orgs:
            _demo_user(context, spec, orgs[spec.organisation])


def _demo_user(context: Context, spec: DemoUser, organisation: int | None) -> None:
    user, _created = User.objects.update_or_create(
        username=spec.username,
        defaults={
            "role": spec.role,
            "organisation_id": organisation,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
            "password": context.password,
            "is_active": True,
            "is_staff": spec.role == User.Role.ADMIN,
            "is_superuser": spec.role == User.Role.ADMIN,
        },
    )
    context.users[spec.username] = user
    context.counts["Utenti demo"] += 1


def _create_counsellors(context: Context, per_service: int) -> None:
    rng = context.rng
    users, services = [], []
    for org_index, org in enumerate(context.services, start=1):
        services += [org.pk] * per_service
        for number in range(1, per_service + 1):
            username = f"orientatore{org_index}.{number:04d}.demo"
            users.append(
                User(
                    username=username,
                    password=context.password,
                    role=User.Role.COUNSELLOR,
                    organisation_id=org.pk,
                    first_name=rng.choice(ITALIAN.female + ITALIAN.male),
                    last_name=rng.choice(ITALIAN.surnames),
                    email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                )
            )
    created = bulk(context, users, "Orientatori")
    pairs = [(user.pk, service) for user, service in zip(created, services, strict=True)]
    context.counsellors = context.demo_counsellors + pairs

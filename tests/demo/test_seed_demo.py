"""manage.py seed_demo on a small framework and a handful of Lombard municipalities."""

import datetime as dt
import random
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from common.models import Organisation, User
from common.validators import validate_partita_iva
from competenze.models import (
    Concept,
    ConceptRelation,
    Consent,
    Institute,
    JudicialMeasure,
    Person,
    PersonIdentity,
    SkillEntry,
)
from demo import context as demo_context
from demo.options import DEMO_PASSWORD, DEMO_USERS, IDVCC_USERS, demo_logins
from demo.vocabulary import COURT_BY_PROVINCE
from lavoro.models import (
    Convention,
    Course,
    Employer,
    JobOffer,
    OfferSkill,
    Placement,
    Proposal,
    Site,
)
from tests.factories import (
    ConceptFactory,
    ConceptRelationFactory,
    FrameworkFactory,
    MunicipalityFactory,
    ProvinceFactory,
    SectorFactory,
)

TOWNS = (
    ("015146", "Milano", "MI"),
    ("015159", "Opera", "MI"),
    ("108033", "Monza", "MB"),
    ("016024", "Bergamo", "BG"),
    ("017029", "Brescia", "BS"),
    ("015036", "Bollate", "MI"),
    ("016219", "Treviglio", "BG"),
)
PROFILES = (
    ("RIS", "Aiuto cuoco"),
    ("LOG", "Magazziniere"),
    ("EDI", "Muratore"),
)
TODAY = dt.date(2026, 3, 2)


def seed(**options):
    options = {"people": 50, "offers": 20, "seed": 1, **options}
    stdout = StringIO()
    call_command("seed_demo", stdout=stdout, stderr=StringIO(), **options)
    return stdout.getvalue()


@pytest.fixture
def municipalities(db):
    return [
        MunicipalityFactory(
            istat_code=code, name=name, province=ProvinceFactory(code=province, name=province)
        )
        for code, name, province in TOWNS
    ]


@pytest.fixture
def demo_framework(db):
    """Three profiles, each requiring four competences (two essential) with two skills each."""
    framework = FrameworkFactory(is_default=True)
    for code, label in PROFILES:
        sector = SectorFactory(framework=framework, code=code, label=code)
        profile = ConceptFactory(
            framework=framework,
            code=f"{code}-P01",
            kind=Concept.Kind.PROFILE,
            pref_label=label,
            sector=sector,
        )
        for number in range(1, 5):
            competence = ConceptFactory(
                framework=framework, code=f"{code}-C0{number}", sector=sector
            )
            kind = ConceptRelation.Kind.ESSENTIAL if number <= 2 else ConceptRelation.Kind.OPTIONAL
            ConceptRelationFactory(source=profile, target=competence, kind=kind)
            for child in (1, 2):
                ConceptFactory(
                    framework=framework,
                    code=f"{code}-C0{number}-A{child}",
                    kind=Concept.Kind.SKILL,
                    parent=competence,
                    sector=sector,
                )
    FrameworkFactory(is_default=False)  # concepts of another framework must not be used
    return framework


@pytest.fixture
def seeded(municipalities, demo_framework, monkeypatch):
    monkeypatch.setattr(demo_context.timezone, "localdate", lambda: TODAY)
    return seed()


def snapshot() -> dict:
    return {
        "offers": sorted(JobOffer.objects.values_list("title", "contract", "weekly_hours")),
        "names": sorted(PersonIdentity.objects.values_list("first_name", "last_name")),
        "measures": sorted(JudicialMeasure.objects.values_list("measure_type", "start_date")),
        "skills": sorted(SkillEntry.objects.values_list("concept__code", "stage")),
        "employers": sorted(Employer.objects.values_list("partita_iva", "ateco_code")),
    }


@pytest.mark.django_db
def test_seed_demo_creates_the_requested_counts(seeded):
    assert Person.objects.count() == 50
    assert JobOffer.objects.count() == 20
    # max(10, offers // 2), then two in every institute
    assert Course.objects.count() == 10 + 2 * Institute.objects.count()
    assert Placement.objects.count() == 10
    assert Organisation.objects.filter(kind=Organisation.Kind.SERVICE).count() == 6
    assert "Persone: 50" in seeded
    assert "Dati dimostrativi creati in" in seeded


@pytest.mark.django_db
def test_seed_demo_honours_courses_and_placements(municipalities, demo_framework):
    seed(people=5, offers=4, courses=3, placements=2)

    inside = 2 * Institute.objects.count()
    assert (Course.objects.count(), Placement.objects.count()) == (3 + inside, 2)


@pytest.mark.django_db
def test_every_person_has_identity_measure_consent_and_skills(seeded, demo_framework):
    people = Person.objects.annotate(skill_count=Count("skills", distinct=True))

    assert not people.filter(identity__isnull=True).exists()
    assert not people.filter(measures__isnull=True).exists()
    assert all(3 <= person.skill_count <= 12 for person in people)
    assert Consent.objects.filter(purpose=Consent.Purpose.PROCESSING).count() == 50
    assert not PersonIdentity.objects.filter(codice_fiscale__isnull=False).exists()
    assert not SkillEntry.objects.exclude(concept__framework=demo_framework).exists()
    assert not people.filter(counsellor__isnull=True).exists()
    assert not people.exclude(counsellor__organisation=F("organisation")).exists()
    assert not people.filter(languages__isnull=True).exists()
    assert not people.filter(experiences__isnull=True).exists()


@pytest.mark.django_db
def test_skills_learnt_on_the_job_point_to_the_persons_experience(seeded):
    from_experience = SkillEntry.objects.filter(source=SkillEntry.Source.EXPERIENCE)

    assert from_experience.exists()
    assert not from_experience.filter(experience__isnull=True).exists()
    assert not from_experience.exclude(experience__person=F("person")).exists()
    assert not SkillEntry.objects.exclude(recorded_by=F("person__counsellor")).exists()


@pytest.mark.django_db
def test_measures_are_consistent(seeded):
    for measure in JudicialMeasure.objects.all():
        assert measure.end_date is None or measure.end_date >= measure.start_date
        if measure.measure_type in ("map", "lpu", "affidamento", "domiciliare"):
            assert measure.institute_id is None
    assert JudicialMeasure.objects.filter(institute__isnull=False).exists()


@pytest.mark.django_db
def test_institutes_are_mapped_to_municipalities_present(seeded, municipalities):
    milano = next(town for town in municipalities if town.name == "Milano")

    assert Institute.objects.get(name="Casa Circondariale di Milano San Vittore").municipality == (
        milano
    )
    assert Institute.objects.filter(name="Casa di Reclusione di Milano Opera").exists()
    assert not Institute.objects.filter(name="Casa Circondariale di Sondrio").exists()


@pytest.mark.django_db
def test_offers_have_skills_from_their_profile(seeded, demo_framework):
    assert not JobOffer.objects.filter(offer_skills__isnull=True).exists()
    for link in OfferSkill.objects.select_related("offer"):
        relation = ConceptRelation.objects.get(source=link.offer.profile, target=link.concept_id)
        assert link.essential == (relation.kind == ConceptRelation.Kind.ESSENTIAL)
    assert set(JobOffer.objects.values_list("title", flat=True)) <= {
        title for _code, label in PROFILES for title in (label, f"{label} (part-time)")
    }


@pytest.mark.django_db
def test_every_institute_holds_two_published_courses_with_seats(seeded):
    institutes = Institute.objects.all()

    assert institutes
    for institute in institutes:
        inside = Course.objects.filter(
            institute=institute,
            municipality=institute.municipality,
            status=Course.Status.PUBLISHED,
            seats_taken__lt=F("seats"),
        )
        assert inside.count() >= 2, institute.name


@pytest.mark.django_db
def test_map_and_lpu_measures_set_no_limit_on_paid_work(seeded):
    community = JudicialMeasure.objects.filter(measure_type__in=("map", "lpu"))

    assert community.exists()
    assert not community.filter(max_weekly_hours__isnull=False).exists()


@pytest.mark.django_db
def test_offers_admit_any_measure_or_community_measures_and_half_name_a_shift(
    municipalities, demo_framework, monkeypatch
):
    monkeypatch.setattr(demo_context.timezone, "localdate", lambda: TODAY)
    seed(people=20, offers=120)
    offers = JobOffer.objects.all()
    open_to_all = offers.filter(compatible_measures=[]).count()
    with_shift = offers.filter(shift_start__isnull=False).count()

    assert 0.25 * 120 < open_to_all < 0.55 * 120  # weight 60 in 160
    assert 0.35 * 120 < with_shift < 0.65 * 120
    for offer in offers.exclude(compatible_measures=[]):
        if offer.compatible_measures != ["detenzione"]:
            assert {"map", "lpu", "fine_pena"} <= set(offer.compatible_measures)
    institute_towns = set(Institute.objects.values_list("municipality", flat=True))
    for offer in offers.filter(compatible_measures=["detenzione"]):
        assert offer.municipality_id in institute_towns


@pytest.mark.django_db
def test_available_from_is_within_two_months_of_today(seeded):
    days = [(day - TODAY).days for day in Person.objects.values_list("available_from", flat=True)]

    assert min(days) >= -60
    assert max(days) <= 60


@pytest.mark.django_db
def test_one_employer_for_five_offers(municipalities, demo_framework, monkeypatch):
    monkeypatch.setattr(demo_context.timezone, "localdate", lambda: TODAY)
    seed(people=30, offers=100)

    assert Employer.objects.count() == 20
    assert Site.objects.count() >= 20


def test_territory_near_keeps_to_the_neighbours_of_the_domicile():
    territory = demo_context.Territory(
        ids=[1, 2, 3, 4],
        cum_weights=[1, 2, 3, 4],
        names={1: "Milano", 2: "Sesto", 3: "Opera", 4: "Sondrio"},
        province={1: "MI", 2: "MI", 3: "MI", 4: "MI"},
        by_province={"MI": [1, 2, 3, 4]},
        by_name={},
        coordinates={1: (45.464, 9.190), 2: (45.535, 9.234), 3: (45.375, 9.214), 4: (46.17, 9.87)},
    )
    rng = random.Random(3)

    for _draw in range(20):
        assert set(territory.near(rng, 1, 3)) <= {1, 2, 3}  # Sondrio is 95 km away
    assert territory.neighbours(1) == [2, 3]  # Sesto (9 km) before Opera (10 km)
    assert territory.neighbours(4) == []


@pytest.mark.django_db
def test_every_employer_has_a_valid_partita_iva_and_ateco(seeded):
    employers = list(Employer.objects.all())

    assert employers
    for employer in employers:
        validate_partita_iva(employer.partita_iva)
        assert employer.ateco_code


@pytest.mark.django_db
def test_placements_follow_conventions_with_lombard_courts(seeded):
    courts = set(COURT_BY_PROVINCE.values())

    assert set(Convention.objects.values_list("court", flat=True)) <= courts
    for placement in Placement.objects.select_related("convention"):
        assert placement.convention.host_body_id == placement.host_body_id
        assert set(placement.eligible_measures) <= {"map", "lpu", "lsu"}


@pytest.mark.django_db
def test_demo_users_exist_with_roles_and_can_log_in(seeded):
    roles = {user.username: user.role for user in DEMO_USERS}
    roles.update({name: role for name, role, *_names in IDVCC_USERS})

    assert [name for name, _label in demo_logins()] == list(roles)
    assert {"valutatore", "certificatore"} <= set(roles)
    for username, role in roles.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.role == role
    assert User.objects.get(username="admin").is_superuser
    assert Person.objects.get(user__username="beneficiario").counsellor.username == "operatore"
    assert "beneficiario" in seeded and DEMO_PASSWORD in seeded


@pytest.mark.django_db
def test_demo_proposals_feed_the_dashboards(seeded):
    proposals = Proposal.objects.all()

    assert proposals.filter(person__counsellor__username__in=["operatore", "operatore2"]).count()
    assert proposals.filter(offer__employer__organisation__users__username="azienda").exists()
    assert proposals.filter(placement__host_body__organisation__users__username="ente").exists()
    for proposal in proposals.exclude(status=Proposal.Status.DRAFT):
        assert proposal.consent.purpose == Consent.Purpose.PROPOSAL
        assert proposal.events.last().to_status == proposal.status


@pytest.mark.django_db
def test_same_seed_gives_the_same_data(seeded):
    first = snapshot()

    seed(reset=True)

    assert snapshot() == first


@pytest.mark.django_db
def test_another_seed_gives_other_data(seeded):
    first = snapshot()

    seed(reset=True, seed=2)

    assert snapshot() != first


@pytest.mark.django_db
def test_seed_demo_refuses_a_second_run_without_reset(seeded):
    with pytest.raises(CommandError, match="--reset"):
        seed()

    assert Person.objects.count() == 50


@pytest.mark.django_db
def test_seed_demo_with_reset_replaces_the_demo_data(seeded):
    output = seed(reset=True, people=30, offers=12)

    assert Person.objects.count() == 30
    assert JobOffer.objects.count() == 12
    assert User.objects.filter(username="operatore").count() == 1
    assert "Eliminate" in output


@pytest.mark.django_db
def test_reset_keeps_data_that_is_not_demo(seeded, municipalities):
    real = Organisation.objects.create(name="Cooperativa vera", kind=Organisation.Kind.SERVICE)

    seed(reset=True)

    assert Organisation.objects.filter(pk=real.pk).exists()
    assert Institute.objects.filter(name="Casa Circondariale di Monza").count() == 1


@pytest.mark.django_db
def test_seed_demo_fails_without_municipalities(demo_framework):
    with pytest.raises(CommandError, match="load_municipalities"):
        seed()


@pytest.mark.django_db
def test_seed_demo_fails_without_default_framework(municipalities):
    FrameworkFactory(is_default=False)

    with pytest.raises(CommandError, match="load_framework"):
        seed()


@pytest.mark.django_db
def test_seed_demo_rejects_negative_counts(municipalities, demo_framework):
    with pytest.raises(CommandError, match="negativ"):
        seed(courses=-1)


@pytest.mark.django_db
def test_if_empty_leaves_existing_demo_data_alone(seeded):
    people = Person.objects.count()
    out = StringIO()
    call_command("seed_demo", people=5, offers=3, seed=1, if_empty=True, stdout=out)
    assert "già presenti" in out.getvalue()
    assert Person.objects.count() == people

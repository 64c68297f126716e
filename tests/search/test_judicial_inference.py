"""Nobody learns a measure they may not see from what is computed with it.

A property over random measures: for the programme manager (matches of a person, the gap
analysis, proposals), employers and host bodies (candidate search and an offer's candidates,
API and page), every answer stays the same byte for byte whatever the person's measure is,
while the counsellor's matches, in the same world, do change with it (so the world is one
where the measure matters and the property is not empty).
"""

import json
import random

import pytest
from django.urls import reverse

from competenze.models import JudicialMeasure
from competenze.models.people import MeasureType
from tests.conftest import client_for
from tests.factories import (
    CounsellorFactory,
    EmployerFactory,
    EmployerUserFactory,
    HostBodyUserFactory,
    ProgrammeManagerFactory,
    ProposalFactory,
)
from tests.search import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.search.urls")]

SEED = 20_260_408
VARIANTS = 14
MEASURE_TYPES = [*MeasureType.values, None]
TOWNS = ["Milano", "Monza", "Bergamo", "Brescia"]
CROWD = ["art21"] * 4 + ["map"] * 4 + [None] * 4
"""Other candidates: 4 admitted by the art. 21 offer, so one more moves a rounded count."""
FIXED = [
    {},
    {"measure_type": "art21"},
    {"measure_type": "map"},
    {"measure_type": "lpu"},
    {"measure_type": "detenzione", "institute": True},
]
"""Measures tried first, each changing the counsellor's results; random ones follow."""


class Scene:
    """A person whose matches depend on their measure, and a viewer of every kind."""

    def __init__(self, world):
        self.world = world
        person = world.person
        b.skill(person, world.cooking)
        b.skill(person, world.cashier, stage="validata")
        b.share(person)
        self.institute = b.institute(world.towns["Monza"])
        employer_user = EmployerUserFactory()
        employer = EmployerFactory(organisation=employer_user.organisation)
        self.offers = [
            b.offer(world, employer=employer, title="Aiuto cuoco", weekly_hours=20),
            b.offer(
                world,
                employer=employer,
                title="Cuoco per art. 21",
                town="Monza",
                weekly_hours=36,
                compatible_measures=["art21", "semiliberta"],
            ),
            b.offer(
                world,
                title="Cassiere",
                town="Bergamo",
                weekly_hours=30,
                skills=[(world.cashier, True)],
            ),
            b.offer(
                world,
                title="Cuoco serale",
                town="Brescia",
                weekly_hours=12,
                compatible_measures=["affidamento"],
            ),
        ]
        b.course(world, title="Cucina di base")
        b.course(world, title="Cucina in istituto", town="Monza", institute=self.institute)
        b.course(world, title="Cassa e vendita", town="Bergamo", teaches=[world.cashier])
        self.placements = [
            b.placement(world, title="Verde pubblico", eligible_measures=["map", "lpu"]),
            b.placement(world, title="Mensa solidale", town="Monza", eligible_measures=["lpu"]),
            b.placement(
                world,
                title="Biblioteca",
                town="Brescia",
                eligible_measures=["map"],
                start_date=b.TODAY + 400 * b.DAY,
            ),
        ]
        for kind in CROWD:  # enough candidates for aggregate counts to show
            other = b.PersonFactory(domicile=world.towns["Milano"])
            b.skill(other, world.cooking)
            b.share(other)
            if kind is not None:
                b.measure(other, kind)
        # a proposal to a MAP/LPU placement exists only for a person on MAP/LPU/LSU
        ProposalFactory(person=person, placement=self.placements[0], offer=None)
        ProposalFactory(person=person, offer=self.offers[0])
        b.index_everything()
        self.counsellor = CounsellorFactory(organisation=person.organisation)
        self.manager = ProgrammeManagerFactory(organisation=person.organisation)
        self.employer = employer_user
        self.host = HostBodyUserFactory()

    def set_measure(self, spec: dict) -> dict:
        """Replace the person's measures with `spec` (none when empty); returns it."""
        JudicialMeasure.objects.filter(person=self.world.person).delete()
        if spec:
            fields = {key: value for key, value in spec.items() if key != "allowed"}
            fields["institute"] = self.institute if fields.get("institute") else None
            allowed = [self.world.towns[name] for name in spec.get("allowed", ())]
            b.measure(self.world.person, allowed=allowed, **fields)
        return spec

    # --- what each viewer can ask -------------------------------------------------------------

    def _api(self, user, url: str, params: dict | None = None):
        response = client_for(user).get(url, params or {})
        return response.status_code, response.json()

    def manager_answers(self) -> list:
        pseudonym = self.world.person.pseudonym
        base = f"/api/v1/matches/people/{pseudonym}/"
        asks = [
            (base + "opportunities/", {}),
            *(
                (base + "opportunities/", {"kind": kind})
                for kind in ("offer", "course", "placement")
            ),
            (base + "gap/", {"offer_id": self.offers[0].pk}),
            (base + "gap/", {"offer_id": self.offers[3].pk}),
            (base + "gap/", {"profile": self.world.cook_profile.code}),
            ("/api/v1/proposals/", {}),
            (base + "near-misses/", {}),
            *((base + "near-misses/", {"kind": kind}) for kind in ("offer", "course", "placement")),
            (base + "what-if/", {"relax": "area", "radius_km": 80}),
        ]
        answers = [self._api(self.manager, url, params) for url, params in asks]
        page = reverse("competenze:opportunities", args=[pseudonym])
        answers.append(self._page(self.manager, page))
        answers.append(self._page(self.manager, reverse("competenze:what-if", args=[pseudonym])))
        return answers

    def _page(self, user, url: str, params: dict | None = None):
        from django.test import Client

        client = Client()
        client.force_login(user)
        response = client.get(url, params or {})
        return response.status_code, response.content.decode()

    def candidate_answers(self) -> list:
        search = "/api/v1/candidates/search/"
        answers = [
            self._api(self.employer, search, {}),
            self._api(self.employer, search, {"offer_id": self.offers[0].pk}),
            self._api(self.employer, search, {"offer_id": self.offers[1].pk, "q": "cuocere"}),
            self._api(self.employer, f"/api/v1/matches/offers/{self.offers[1].pk}/candidates/"),
            self._api(self.host, search, {"skills": self.world.cooking.code}),
            self._page(
                self.employer, reverse("lavoro:candidate-search"), {"offer": self.offers[1].pk}
            ),
        ]
        return answers

    def counsellor_answer(self):
        url = f"/api/v1/matches/people/{self.world.person.pseudonym}/opportunities/"
        return self._api(self.counsellor, url)


def random_measure(rng: random.Random) -> dict:
    kind = rng.choice(MEASURE_TYPES)
    if kind is None:
        return {}
    start = b.TODAY - rng.choice([400, 100, 5, -10]) * b.DAY
    return {
        "measure_type": kind,
        "start_date": start,
        "end_date": rng.choice([None, start + rng.randint(20, 900) * b.DAY]),
        "max_weekly_hours": rng.choice([None, 10, 15, 25, 40]),
        "allowed_radius_km": rng.choice([None, 5, 30, 80]),
        "avoid_sectors": rng.sample(["RIS", "COM"], rng.randint(0, 2)),
        "institute": rng.random() < 0.5,
        "allowed": rng.sample(TOWNS, rng.randint(0, 3)),
    }


def canonical(answers) -> str:
    return json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)


def strip_tokens(answers: list) -> list:
    """Pages without their CSRF tokens, which differ per request and are not results."""
    cleaned = []
    for status, body in answers:
        if isinstance(body, str):
            body = "\n".join(line for line in body.splitlines() if "csrf" not in line.lower())
        cleaned.append((status, body))
    return cleaned


def test_results_for_who_may_not_see_the_measure_do_not_change_with_it(world):
    scene = Scene(world)
    rng = random.Random(SEED)
    baseline = None
    counsellor_answers = set()
    for spec in [*FIXED, *(random_measure(rng) for _n in range(VARIANTS))]:
        measure = scene.set_measure(spec)
        answers = canonical(strip_tokens(scene.manager_answers() + scene.candidate_answers()))
        if baseline is None:
            baseline = answers
        assert answers == baseline, f"results changed with the measure {measure}"
        counsellor_answers.add(canonical(scene.counsellor_answer()))
    assert len(counsellor_answers) >= len(FIXED)  # the measure matters, to who may see it


def test_manager_gets_the_matches_of_a_person_without_measure(world):
    scene = Scene(world)
    scene.set_measure({"measure_type": "map"})  # MAP: placements fit
    url = f"/api/v1/matches/people/{world.person.pseudonym}/"
    mine = client_for(scene.manager).get(url + "opportunities/", {"kind": "placement"}).json()
    assert mine["count"] == 0  # MAP/LPU placements only for who may see the measure
    theirs = client_for(scene.counsellor).get(url + "opportunities/", {"kind": "placement"})
    assert theirs.json()["count"] > 0
    from common.models import AccessLog

    judicial = AccessLog.objects.filter(actor=scene.manager, data_category="giudiziari")
    assert not judicial.filter(action="view").exists()  # the measure is not even read


def test_manager_does_not_see_proposals_to_placements(world):
    scene = Scene(world)
    listed = client_for(scene.manager).get("/api/v1/proposals/").json()["results"]
    assert [item["placement_id"] for item in listed] == [None]
    counsellor = client_for(scene.counsellor).get("/api/v1/proposals/").json()["results"]
    assert len(counsellor) == 2
    placement_proposal = next(item for item in counsellor if item["placement_id"])
    detail = client_for(scene.manager).get(f"/api/v1/proposals/{placement_proposal['id']}/")
    assert detail.status_code == 404


def test_trainee_matches_follow_their_own_measure(world):
    """The person themself is spared what they could not take (their measure stays hidden)."""
    from tests.factories import TraineeUserFactory

    Scene(world)
    trainee = TraineeUserFactory()
    world.person.user = trainee
    world.person.save()
    url = f"/api/v1/matches/people/{world.person.pseudonym}/opportunities/"
    b.measure(world.person, "lpu", start_date=b.TODAY - 10 * b.DAY)
    with_lpu = client_for(trainee).get(url, {"kind": "placement"}).json()["count"]
    JudicialMeasure.objects.filter(person=world.person).delete()
    without = client_for(trainee).get(url, {"kind": "placement"}).json()["count"]
    assert with_lpu > 0 and without == 0

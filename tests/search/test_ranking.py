"""The outcome ranker: trained only with enough outcomes, stored as JSON, used to re-rank."""

import random

import pytest

from lavoro.models import Proposal
from search import ranking
from search.queries import person_opportunities_match
from search.ranking_data import outcomes_dataset, ranker_path, ranker_train
from tests.factories import ProposalFactory
from tests.factories.extra_lavoro import AdminUserFactory
from tests.search import builders as b


def synthetic(count: int, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """Outcomes that depend on the skill score only: the model must learn that."""
    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(count):
        skill, distance = rng.random(), rng.random()
        rows.append([skill, skill, rng.random(), distance, rng.random(), 1.0, 0.0, 0.0])
        labels.append(int(skill + rng.gauss(0, 0.15) > 0.5))
    return rows, labels


def test_no_model_below_the_minimum_number_of_outcomes():
    rows, labels = synthetic(ranking.MIN_OUTCOMES - 1)
    assert ranking.train(rows, labels) is None


def test_no_model_with_a_single_kind_of_outcome():
    rows, _labels = synthetic(ranking.MIN_OUTCOMES)
    assert ranking.train(rows, [1] * len(rows)) is None


def test_model_learns_that_skills_predict_good_outcomes(tmp_path):
    rows, labels = synthetic(400)
    model = ranking.train(rows, labels)
    assert model is not None
    assert model.outcomes == 400
    good, bad = model.score(
        [[0.9, 0.9, 0.5, 0.5, 0.5, 1, 0, 0], [0.1, 0.1, 0.5, 0.5, 0.5, 1, 0, 0]]
    )
    assert good > 0.7 > 0.3 > bad
    ranking.model_save(model, tmp_path / "ranker.json")
    assert ranking.model_load(tmp_path / "ranker.json") == model


def test_missing_model_means_the_formula():
    assert ranking.model_load(ranker_path()) is None


@pytest.mark.django_db
def test_training_reads_proposal_outcomes_and_keeps_the_formula_when_too_few(world):
    target = b.offer(world)
    ProposalFactory(person=world.person, offer=target, status=Proposal.Status.ACCEPTED)
    ProposalFactory(offer=target, status=Proposal.Status.REJECTED)
    ProposalFactory(offer=target, status=Proposal.Status.SENT)  # undecided: ignored
    features, labels = outcomes_dataset()
    assert sorted(labels) == [0, 1]
    assert len(features[0]) == len(ranking.FEATURES)
    result = ranker_train()
    assert (result.trained, result.outcomes) == (False, 2)
    assert not ranker_path().exists()


@pytest.mark.django_db
def test_a_trained_model_reranks_the_formula_results(world):
    b.skill(world.person, world.cooking)
    b.offer(world, title="Competenze giuste, lontano", town="Brescia")
    b.offer(world, title="Vicino, competenze sbagliate", skills=[(world.cashier, True)])
    b.index_everything()
    admin = AdminUserFactory()
    formula = person_opportunities_match(user=admin, pseudonym=world.person.pseudonym)
    assert formula.ranking == "formula"
    model = ranking.train(*synthetic(400))
    # a model that only cares about distance puts the near offer first
    ranking.model_save(
        ranking.RankerModel(
            model.features, model.mean, model.scale, (0, 0, 0, 5.0, 0, 0, 0, 0), 0.0, 400, 0.5
        ),
        ranker_path(),
    )
    reranked = person_opportunities_match(user=admin, pseudonym=world.person.pseudonym)
    assert reranked.ranking == "modello"
    assert [r.title for r in reranked.results] == [
        "Vicino, competenze sbagliate",
        "Competenze giuste, lontano",
    ]
    assert reranked.results[0].outcome_probability > reranked.results[1].outcome_probability

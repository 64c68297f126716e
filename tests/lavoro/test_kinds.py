"""One registry of opportunity kinds (lavoro.kinds): what every other app takes its codes,
slugs and labels from."""

import pytest
from django.utils import translation

from lavoro import kinds
from lavoro.kinds import COURSE, KINDS, OFFER, PLACEMENT, kind_from_code, kind_from_slug
from lavoro.models import Proposal
from portal.forms.competenze import ProposalForm
from portal.forms.lavoro import OpportunityFilterForm
from search import types as search_types


def test_codes_and_slugs_are_unique_and_found_again():
    assert len({kind.code for kind in KINDS}) == len({kind.slug for kind in KINDS}) == len(KINDS)
    for kind in KINDS:
        assert kind_from_code(kind.code) is kind_from_slug(kind.slug) is kind
    with pytest.raises(KeyError):
        kind_from_slug("offer")  # a code is not a slug


def test_each_code_names_the_proposal_field_and_each_owner_a_field_of_the_model():
    for kind in KINDS:
        assert Proposal._meta.get_field(kind.code).related_model is kind.model
        assert kind.model._meta.get_field(kind.owner).is_relation


def test_search_and_the_pages_take_their_kinds_from_the_registry():
    assert search_types.OPPORTUNITY_KINDS == kinds.CODES
    assert (
        OFFER.code,
        COURSE.code,
        PLACEMENT.code,
    ) == (search_types.OFFER, search_types.COURSE, search_types.PLACEMENT)
    choices = OpportunityFilterForm.KIND_CHOICES[1:]
    assert [(slug, str(label)) for slug, label in choices] == [
        ("offerta", "Offerte di lavoro"),
        ("corso", "Corsi di formazione"),
        ("posto", "Posti MAP/LPU"),
    ]
    assert ProposalForm({"kind": "corso", "target": 1}).is_valid()
    assert not ProposalForm({"kind": "course", "target": 1}).is_valid()


def test_a_kind_is_the_same_dictionary_key_whatever_the_language():
    getters = {kind: kind.code for kind in KINDS}
    with translation.override("en"):
        assert [getters[kind] for kind in KINDS] == ["offer", "course", "placement"]
    assert OFFER.is_offer and COURSE.is_course and PLACEMENT.is_placement
    assert not OFFER.is_course

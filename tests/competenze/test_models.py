import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from competenze.models import Framework, SkillEntry
from competenze.models.people import PSEUDONYM_ALPHABET, new_pseudonym
from tests.factories import (
    ConceptFactory,
    FrameworkFactory,
    JudicialMeasureFactory,
    PersonFactory,
    PersonIdentityFactory,
    SkillEntryFactory,
)

pytestmark = pytest.mark.django_db


def _violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_pseudonym_is_random_and_has_no_ambiguous_characters():
    values = {new_pseudonym() for _ in range(200)}
    assert len(values) == 200
    for value in values:
        assert value.startswith("P-")
        assert set(value[2:].replace("-", "")) <= set(PSEUDONYM_ALPHABET)


def test_only_one_default_framework():
    FrameworkFactory(is_default=True)
    _violates(lambda: FrameworkFactory(is_default=True))
    FrameworkFactory(is_default=False)
    assert Framework.objects.filter(is_default=True).count() == 1


def test_concept_code_unique_within_framework_only():
    concept = ConceptFactory(code="A-1")
    ConceptFactory(code="A-1")  # another framework
    _violates(lambda: ConceptFactory(code="A-1", framework=concept.framework))


def test_concept_eqf_level_must_be_1_to_8():
    _violates(lambda: ConceptFactory(eqf_level=9))


def test_measure_cannot_end_before_it_starts():
    _violates(
        lambda: JudicialMeasureFactory(
            start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 4, 1)
        )
    )


def test_measure_is_current_between_its_dates():
    measure = JudicialMeasureFactory(
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    assert measure.is_current(datetime.date(2026, 6, 1))
    assert not measure.is_current(datetime.date(2027, 1, 1))


def test_a_concept_appears_once_per_profile():
    entry = SkillEntryFactory()
    _violates(lambda: SkillEntryFactory(person=entry.person, concept=entry.concept))


def test_confidence_must_be_a_probability():
    _violates(lambda: SkillEntryFactory(confidence=1.5))


def test_codice_fiscale_is_validated_on_full_clean():
    identity = PersonIdentityFactory.build(
        person=PersonFactory(), codice_fiscale="RSSMRA85T10A562T"
    )
    with pytest.raises(ValidationError) as error:
        identity.full_clean()
    assert "codice_fiscale" in error.value.message_dict


def test_codice_fiscale_is_unique():
    identity = PersonIdentityFactory()
    _violates(lambda: PersonIdentityFactory(codice_fiscale=identity.codice_fiscale))


def test_skill_entry_defaults_to_identified_stage():
    assert SkillEntryFactory().stage == SkillEntry.Stage.IDENTIFIED

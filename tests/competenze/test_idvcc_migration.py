"""The data migration that demotes validated and certified entries no record supports: run
on rows written with the schema before it, then the schema goes back to the latest."""

import pytest

from tests.migration_helpers import around_migration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def before_and_after():
    with around_migration("competenze", "idvcc_stage_records") as pair:
        yield pair


def _world(apps):
    Organisation = apps.get_model("common", "Organisation")
    User = apps.get_model("common", "User")
    Framework = apps.get_model("competenze", "Framework")
    Concept = apps.get_model("competenze", "Concept")
    Person = apps.get_model("competenze", "Person")
    SkillEntry = apps.get_model("competenze", "SkillEntry")
    service = Organisation.objects.create(name="Servizio", kind="servizio")
    counsellor = User.objects.create(username="op", role="operatore", organisation=service)
    person = Person.objects.create(pseudonym="P-TEST-0002", organisation=service)
    framework = Framework.objects.create(code="f", version="1", name="F", source="shipped")

    def entry(code, stage):
        concept = Concept.objects.create(
            framework=framework, code=code, kind="competenza", pref_label=code
        )
        return SkillEntry.objects.create(
            person=person,
            concept=concept,
            stage=stage,
            source="operatore",
            recorded_by=counsellor,
            stage_changed_by=counsellor if stage != "individuata" else None,
        ).pk

    return {
        "identified": entry("A", "individuata"),
        "validated": entry("B", "validata"),
        "certified": entry("C", "certificata"),
    }


def test_one_click_stages_are_demoted_with_a_system_record(before_and_after):
    old_apps, apply = before_and_after
    ids = _world(old_apps)
    apps = apply()
    SkillEntry = apps.get_model("competenze", "SkillEntry")
    StageRecord = apps.get_model("competenze", "StageRecord")
    stages = dict(SkillEntry.objects.values_list("pk", "stage"))
    assert {stages[pk] for pk in ids.values()} == {"individuata"}
    assert SkillEntry.objects.get(pk=ids["certified"]).stage_changed_by_id is None
    records = {row.entry_id: row for row in StageRecord.objects.all()}
    assert set(records) == {ids["validated"], ids["certified"]}  # the identified one: untouched
    certified = records[ids["certified"]]
    assert (certified.kind, certified.stage_before, certified.stage_after) == (
        "declassamento",
        "certificata",
        "individuata",
    )
    assert certified.actor_id is None and "senza la valutazione" in certified.note
    AccessLog = apps.get_model("common", "AccessLog")
    audit = AccessLog.objects.filter(subject="P-TEST-0002", data_category="fasi_idvcc")
    assert audit.count() == 2 and not audit.exclude(actor=None).exists()

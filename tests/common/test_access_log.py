"""The audit trail keeps who did it: a username and role snapshot written with each row."""

import pytest

from common.models import AccessLog
from common.services import access_log_record
from tests.factories import CounsellorFactory
from tests.migration_helpers import around_migration


@pytest.mark.django_db
def test_deleting_a_user_keeps_who_they_were_in_their_audit_rows():
    counsellor = CounsellorFactory(username="m.rossi")
    row = access_log_record(
        actor=counsellor,
        action=AccessLog.Action.VIEW,
        subject="P-AAAA-BBBB",
        data_category="identita",
    )
    counsellor.delete()
    row.refresh_from_db()
    assert row.actor is None
    assert (row.actor_username, row.actor_role) == ("m.rossi", "operatore")
    assert "m.rossi" in str(row)


@pytest.mark.django_db
def test_anonymous_rows_have_an_empty_snapshot():
    from django.contrib.auth.models import AnonymousUser

    row = access_log_record(
        actor=AnonymousUser(),
        action=AccessLog.Action.DENIED,
        subject="P-AAAA-BBBB",
        data_category="persona",
    )
    assert (row.actor, row.actor_username) == (None, "")


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_snapshot_of_existing_rows():
    with around_migration("common", "accesslog_actor_snapshot") as (old_apps, apply):
        Organisation = old_apps.get_model("common", "Organisation")
        User = old_apps.get_model("common", "User")
        AccessLog = old_apps.get_model("common", "AccessLog")
        service = Organisation.objects.create(name="Servizio", kind="servizio")
        user = User.objects.create(username="l.bianchi", role="operatore", organisation=service)
        known = AccessLog.objects.create(
            actor=user,
            actor_role="operatore",
            action="view",
            subject="P-1",
            data_category="identita",
        ).pk
        gone = AccessLog.objects.create(
            actor=None, action="view", subject="P-2", data_category="identita"
        ).pk
        apps = apply()
        rows = apps.get_model("common", "AccessLog").objects.in_bulk([known, gone])
        assert rows[known].actor_username == "l.bianchi"
        assert rows[gone].actor_username == ""

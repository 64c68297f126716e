"""The audit trail keeps who did it: a username and role snapshot written with each row."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from common.middleware import AccessLogMiddleware
from common.models import AccessLog
from common.services import access_log_batch, access_log_record
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


def _record(actor, subject="P-AAAA-BBBB"):
    return access_log_record(
        actor=actor, action=AccessLog.Action.VIEW, subject=subject, data_category="identita"
    )


@pytest.mark.django_db
def test_a_batch_writes_its_rows_in_one_insert_when_it_ends():
    counsellor = CounsellorFactory()
    with CaptureQueriesContext(connection) as queries, access_log_batch():
        for number in range(5):
            _record(counsellor, f"P-0000-000{number}")
        assert not AccessLog.objects.exists()  # nothing written before the end
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "common_accesslog"')]
    assert len(inserts) == 1
    assert AccessLog.objects.count() == 5


@pytest.mark.django_db
def test_the_request_middleware_writes_the_rows_even_when_the_view_fails():
    counsellor = CounsellorFactory()

    def failing_view(request):
        _record(counsellor)
        raise RuntimeError("boom")

    middleware = AccessLogMiddleware(failing_view)
    with pytest.raises(RuntimeError):
        middleware(RequestFactory().get("/"))
    assert AccessLog.objects.filter(actor=counsellor).count() == 1


@pytest.mark.django_db
def test_rows_written_inside_a_transaction_that_rolls_back_go_with_it():
    """A service's own transaction keeps its audit rows: an edit that did not happen leaves
    no row saying it did."""
    counsellor = CounsellorFactory()
    with access_log_batch():
        _record(counsellor, "P-VIEW-0001")
        with pytest.raises(RuntimeError), transaction.atomic():
            _record(counsellor, "P-EDIT-0001")
            raise RuntimeError("rolled back")
    assert list(AccessLog.objects.values_list("subject", flat=True)) == ["P-VIEW-0001"]

"""Reads of evidence files: only who may see the person, and every read is audited."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from common.models import AccessLog, User
from common.services import access_log_record
from competenze import permissions
from competenze.models import Evidence, Person

EVIDENCE_NOT_FOUND = gettext_lazy("Evidenza non trovata.")


def person_evidences_list(*, person: Person) -> QuerySet[Evidence]:
    return (
        Evidence.objects.filter(person=person)
        .select_related("uploaded_by")
        .prefetch_related("skill_entries__concept")
        .order_by("-created_at", "-id")
    )


def evidence_file_get(*, user: User, evidence_id: int, purpose: str = "") -> Evidence:
    """The evidence whose file `user` is about to read; the read is audited.

    Http404 when it does not exist, has no file, or `user` may not see the person (a refusal
    is audited too), so the answer does not reveal who is in the records.
    """
    evidence = Evidence.objects.select_related("person").filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404(EVIDENCE_NOT_FOUND)
    if not permissions.can_view_person(user, evidence.person):
        access_log_record(
            actor=user,
            action=AccessLog.Action.DENIED,
            subject=evidence.person.pseudonym,
            data_category="evidenze",
            purpose=purpose,
        )
        raise Http404(EVIDENCE_NOT_FOUND)
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=evidence.person.pseudonym,
        data_category="evidenze",
        purpose=purpose,
    )
    return evidence

"""Reads behind the counsellor's pages: the caseload table and the person file."""

from django.db.models import Count, DateTimeField, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from common.models import AccessLog, User
from common.services import access_log_record
from competenze.models import Consent, ConsentQuerySet, Interview, Person, SkillEntry
from competenze.selectors.people import person_consents_list, person_list_visible


def caseload_list(*, user: User, search: str = "") -> QuerySet[Person]:
    """person_list_visible, annotated for the caseload table without a query per row:
    skills_count, open_interview_id, open_interview_started, last_activity."""
    skills = (
        SkillEntry.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(n=Count("id"))
        .values("n")
    )
    interviews = Interview.objects.filter(person=OuterRef("pk"))
    open_interviews = interviews.filter(status=Interview.Status.IN_PROGRESS).order_by(
        "-last_activity_at"
    )
    latest = interviews.order_by("-last_activity_at").values("last_activity_at")[:1]
    return person_list_visible(user=user, search=search.strip()).annotate(
        skills_count=Coalesce(Subquery(skills, output_field=IntegerField()), 0),
        open_interview_id=Subquery(open_interviews.values("id")[:1]),
        open_interview_started=Subquery(open_interviews.values("started_at")[:1]),
        last_activity=Greatest(
            "updated_at",
            Coalesce(Subquery(latest, output_field=DateTimeField()), "updated_at"),
        ),
    )


def person_consents_audited(
    *, user: User, person: Person, purpose: str = "scheda della persona"
) -> ConsentQuerySet:
    """The person's consents (newest first); the read is audited like identity reads."""
    access_log_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=person.pseudonym,
        data_category="consensi",
        purpose=purpose,
    )
    return person_consents_list(person=person).select_related("recorded_by", "revoked_by")


def consent_renewals_for_caseload(*, user: User) -> ConsentQuerySet:
    """Voided identity consents of the people `user` follows, still to redo or dismiss
    (oldest first): the caseload lists them until a counsellor finishes each one."""
    people = person_list_visible(user=user).values("pk")
    return (
        Consent.objects.filter(person__in=people)
        .renewals_pending()
        .select_related("person", "recipient")
        .order_by("given_at", "pk")
    )

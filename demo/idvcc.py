"""IDVCC in the demo data: an accredited body with an assessor (`valutatore`) and a
certifying-body user (`certificatore`), and validated and certified competences.

The people the demo logins see (the dashboard people of `operatore` and `operatore2`, the
`beneficiario` among them) go through the real services: the counsellor adds an evidence and
asks, the assessor validates, the certifying body certifies with an attestation; a few
requests are left waiting in the work lists. The bulk people keep the stages the generator
drew, and get the records that support them written in bulk (the services' rules hold:
an assessor other than who recorded the entry, an evidence of an accepted kind, a complete
attestation), so matching and the search index see the same mix of stages at any size.
Called from demo.seed with one line; deletion goes through `leaves`.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from common.models import Organisation, User
from competenze.models import (
    Evidence,
    IssuedCredential,
    Person,
    SkillEntry,
    StageRecord,
    StageRequest,
)
from competenze.services.evidence import evidence_create
from competenze.services.idvcc import (
    skill_entry_certify,
    skill_entry_validate,
    stage_request_create,
)
from demo.context import Context, aware
from demo.options import DEMO_EMAIL_DOMAIN, DEMO_MARK, IDVCC_USERS
from demo.tables import batched

Stage = SkillEntry.Stage
ACCREDITED_BODY = f"Centro Servizi Competenze Lombardia{DEMO_MARK}"
Method = StageRecord.Method
METHODS = tuple(method.value for method in Method)  # plain values for the rows
STATEMENT = "Dichiarazione del datore di lavoro: mansioni svolte con continuità e autonomia."
CERTIFICATE = "Attestato di competenza rilasciato al termine della prova pratica."
STANDARD = "QRSP Lombardia — {label}"


def leaves(people: models.QuerySet[Person]) -> list[models.QuerySet]:
    """What demo.seed must delete before the people's skill entries (raw deletes)."""
    entries = SkillEntry.objects.filter(person__in=people)
    return [
        IssuedCredential.objects.filter(entry__in=entries),
        StageRecord.evidences.through.objects.filter(stagerecord__entry__in=entries),
        StageRecord.objects.filter(entry__in=entries),
        StageRequest.objects.filter(entry__in=entries),
    ]


def _users(context: Context, body: Organisation) -> dict[str, User]:
    users = {}
    for username, role, first_name, last_name in IDVCC_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": body,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "password": context.password,
                "is_active": True,
            },
        )
        users[username] = user
        context.counts["Utenti demo"] += 1
    return users


def populate(context: Context) -> None:
    body = Organisation.objects.create(
        name=ACCREDITED_BODY,
        kind=Organisation.Kind.TRAINING_PROVIDER,
        municipality_id=context.territory.by_name.get("Milano")
        or context.territory.pick(context.rng),
    )
    context.counts["Enti titolati"] += 1
    users = _users(context, body)
    staff = Staff(body, users["valutatore"], users["certificatore"])
    walked = [plan.pk for plan in context.dashboard]
    _walk_dashboard(context, walked, staff)
    _support_bulk(context, walked, staff)


# --- the dashboard people, through the services ---------------------------------------------


@dataclass(frozen=True)
class Staff:
    body: Organisation
    assessor: User
    certifier: User


def _validate(entry: SkillEntry, counsellor: User, staff: Staff, method: str) -> None:
    evidence = evidence_create(
        person=entry.person,
        uploaded_by=counsellor,
        skill_entry=entry,
        kind=Evidence.Kind.EMPLOYER_STATEMENT,
        description=STATEMENT,
    )
    stage_request_create(
        entry=entry,
        stage=Stage.VALIDATED,
        organisation=staff.body,
        requested_by=counsellor,
        note="Allegata la dichiarazione del datore.",
    )
    skill_entry_validate(
        entry=entry,
        assessor=staff.assessor,
        method=method,
        evidences=[evidence],
        note="Evidenze coerenti con quanto raccontato nel colloquio.",
    )


def _certify(
    context: Context, entry: SkillEntry, counsellor: User, staff: Staff, number: int
) -> None:
    stage_request_create(
        entry=entry,
        stage=Stage.CERTIFIED,
        organisation=staff.body,
        requested_by=counsellor,
    )
    skill_entry_certify(
        entry=entry,
        certifier=staff.certifier,
        method=Method.PRACTICAL_TEST,
        attestation_number=f"LOM-{context.today.year}-{number:05d}",
        attestation_date=context.today - dt.timedelta(days=7 + number % 60),
        attestation_issuer=staff.body.name.removesuffix(DEMO_MARK),
        attestation_standard=STANDARD.format(label=entry.concept.pref_label),
    )


def _walk_dashboard(context: Context, people: list[int], staff: Staff) -> None:
    """For each person: one validated competence every other person, one certified every
    third, one request left waiting every fourth; the `beneficiario` gets all three."""
    entries = SkillEntry.objects.filter(person_id__in=people)
    entries.update(stage=Stage.IDENTIFIED, stage_changed_by=None, stage_changed_at=None)
    walked = Person.objects.filter(pk__in=people).select_related("counsellor", "user")
    number = 0
    for index, person in enumerate(walked.order_by("pk")):
        counsellor = person.counsellor
        if counsellor is None:
            continue
        own = list(entries.filter(person=person).select_related("person", "concept").order_by("pk"))
        everything = person.user is not None and person.user.username == "beneficiario"
        if len(own) >= 1 and (everything or index % 2 == 0):
            _validate(own[0], counsellor, staff, METHODS[index % len(METHODS)])
        if len(own) >= 2 and (everything or index % 3 == 0):
            _validate(own[1], counsellor, staff, Method.OBSERVATION)
            number += 1
            _certify(context, own[1], counsellor, staff, number)
        if len(own) >= 3 and (everything or index % 4 == 0):
            stage_request_create(
                entry=own[2],
                stage=Stage.VALIDATED,
                requested_by=counsellor,
                organisation=staff.body,
                note="Ha portato le foto dei lavori svolti.",
            )


# --- the bulk people, records written in bulk ------------------------------------------------


def _evidence_row(person: int, counsellor: int, certified: bool) -> dict[str, Any]:
    kind = Evidence.Kind.CERTIFICATE if certified else Evidence.Kind.EMPLOYER_STATEMENT
    description = CERTIFICATE if certified else STATEMENT
    return {
        "person_id": person,
        "uploaded_by_id": counsellor,
        "kind": kind,
        "description": description,
    }


def _record(
    entry: int, kind: str, after: str, actor: User, at: dt.datetime, method: str, evidence: int
) -> dict[str, Any]:
    before = Stage.IDENTIFIED if after == Stage.VALIDATED else Stage.VALIDATED
    return {
        "entry_id": entry,
        "kind": kind,
        "outcome": StageRecord.Outcome.POSITIVE.value,
        "stage_before": before,
        "stage_after": after,
        "actor_id": actor.pk,
        "actor_username": actor.username,
        "actor_name": actor.get_full_name(),
        "actor_role": actor.role,
        "organisation_id": actor.organisation_id,
        "method": method,
        "at": at,
        "_evidence": evidence,
    }


def _bulk_rows(
    context: Context, rows: list[tuple[int, int, int, str, Any, str]], staff: Staff
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Evidence rows and record rows (a record carries its evidence's index in `_evidence`)."""
    evidences, records = [], []
    for index, (entry, person, counsellor, stage, changed_at, label) in enumerate(rows):
        at = changed_at or aware(context.today)
        certified = stage == Stage.CERTIFIED
        evidences.append(_evidence_row(person, counsellor, certified))
        evidence = len(evidences) - 1
        validated_at = at - dt.timedelta(days=30) if certified else at
        method = METHODS[index % len(METHODS)]
        records.append(
            _record(
                entry,
                StageRecord.Kind.VALIDATION.value,
                Stage.VALIDATED,
                staff.assessor,
                validated_at,
                method,
                evidence,
            )
        )
        if certified:
            certification = _record(
                entry,
                StageRecord.Kind.CERTIFICATION.value,
                Stage.CERTIFIED,
                staff.certifier,
                at,
                Method.PRACTICAL_TEST.value,
                evidence,
            )
            certification.update(
                {
                    "attestation_number": f"LOM-B-{entry:08d}",
                    "attestation_date": at.date(),
                    "attestation_issuer": staff.body.name.removesuffix(DEMO_MARK),
                    "attestation_standard": STANDARD.format(label=label),
                }
            )
            records.append(certification)
    return evidences, records


def _bulk_queryset(context: Context, walked: list[int]) -> models.QuerySet[SkillEntry]:
    """The generator's validated and certified entries of the people not walked through."""
    demo_people = Person.objects.filter(organisation__in=[s.pk for s in context.services])
    return SkillEntry.objects.filter(
        person__in=demo_people, stage__in=[Stage.VALIDATED, Stage.CERTIFIED]
    ).exclude(person_id__in=walked)


def _bulk_entries(context: Context, walked: list[int]) -> Iterator[list[tuple]]:
    entries = (
        _bulk_queryset(context, walked)
        .order_by("pk")
        .values_list(
            "pk", "person_id", "recorded_by_id", "stage", "stage_changed_at", "concept__pref_label"
        )
    )
    yield from batched(list(entries))  # read first: the inserts below use the same connection


def _support_bulk(context: Context, walked: list[int], staff: Staff) -> None:
    through = StageRecord.evidences.through
    bulk = _bulk_queryset(context, walked)
    for stage, actor in ((Stage.VALIDATED, staff.assessor), (Stage.CERTIFIED, staff.certifier)):
        bulk.filter(stage=stage).update(stage_changed_by=actor)  # the generator put the counsellor
    for rows in _bulk_entries(context, walked):
        evidences, records = _bulk_rows(context, rows, staff)
        evidence_ids = context.insert(Evidence, evidences, "Evidenze", returning=True)
        context.insert(
            SkillEntry.evidences.through,
            [
                {"skillentry_id": row[0], "evidence_id": pk}
                for row, pk in zip(rows, evidence_ids, strict=True)
            ],
            "Evidenze delle competenze",
        )
        links = [evidence_ids[record.pop("_evidence")] for record in records]
        record_ids = context.insert(StageRecord, records, "Registri IDVCC", returning=True)
        context.insert(
            through,
            [
                {"stagerecord_id": record, "evidence_id": evidence}
                for record, evidence in zip(record_ids, links, strict=True)
            ],
            "Evidenze dei registri",
        )

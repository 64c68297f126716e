"""A small IDVCC world for the tests: a person and their counsellor, one identified entry
with an employer's statement and an interview answer as evidence, an assessing body with
its assessor and a certifying body with its certifier; helpers that walk the real workflow."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from common.models import User
from competenze.models import Evidence, Person, SkillEntry, StageRecord
from competenze.services import idvcc
from competenze.services.people import skill_entry_add
from tests.factories import (
    AssessorFactory,
    CertifierFactory,
    ConceptFactory,
    EvidenceFactory,
    PersonIdentityFactory,
    SectorFactory,
)


def attestation() -> dict[str, object]:
    return {
        "attestation_number": "LOM-2026-0042",
        "attestation_date": timezone.localdate() - datetime.timedelta(days=3),
        "attestation_issuer": "Centro di Formazione Esempio",
        "attestation_standard": "QRSP Lombardia, Operatore della ristorazione",
    }


@dataclass
class World:
    person: Person
    counsellor: User
    entry: SkillEntry
    assessor: User
    certifier: User
    statement: Evidence
    answer: Evidence

    def ask(self, stage: str) -> None:
        organisation = (
            self.assessor.organisation if stage == "validata" else self.certifier.organisation
        )
        idvcc.stage_request_create(
            entry=self.entry, stage=stage, organisation=organisation, requested_by=self.counsellor
        )

    def validate(self, **overrides: object) -> StageRecord:
        self.ask("validata")
        fields = {"method": "documentale", "evidences": [self.statement], **overrides}
        record = idvcc.skill_entry_validate(entry=self.entry, assessor=self.assessor, **fields)
        self.entry.refresh_from_db()
        return record

    def certify(self, **overrides: object) -> StageRecord:
        self.ask("certificata")
        fields = {"method": "prova_pratica", **attestation(), **overrides}
        record = idvcc.skill_entry_certify(entry=self.entry, certifier=self.certifier, **fields)
        self.entry.refresh_from_db()
        return record


def world(*, quote: str = "Facevo i primi piatti per sessanta persone.") -> World:
    person = PersonIdentityFactory(first_name="Gennaro", last_name="Esposito").person
    counsellor = person.counsellor
    sector = SectorFactory(label="Ristorazione")
    concept = ConceptFactory(
        framework=sector.framework, sector=sector, pref_label="Preparare i primi piatti"
    )
    entry = skill_entry_add(
        person=person,
        concept=concept,
        recorded_by=counsellor,
        source=SkillEntry.Source.INTERVIEW,
        level=2,
        evidence_text=quote,
    )
    statement = EvidenceFactory(person=person)
    answer = EvidenceFactory(person=person, kind=Evidence.Kind.INTERVIEW, description=quote)
    entry.evidences.add(statement, answer)
    return World(
        person, counsellor, entry, AssessorFactory(), CertifierFactory(), statement, answer
    )

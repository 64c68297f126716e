import datetime

import factory

from common.validators import codice_fiscale_check_char
from competenze.models import (
    Concept,
    ConceptRelation,
    Consent,
    Evidence,
    Experience,
    Framework,
    JudicialMeasure,
    Person,
    PersonIdentity,
    Sector,
    SkillEntry,
    StageRecord,
)
from tests.factories.common import (
    AssessorFactory,
    CertifierFactory,
    CounsellorFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

__all__ = [
    "ConceptFactory",
    "ConceptRelationFactory",
    "ConsentFactory",
    "EvidenceFactory",
    "ExperienceFactory",
    "FrameworkFactory",
    "JudicialMeasureFactory",
    "PersonFactory",
    "PersonIdentityFactory",
    "SectorFactory",
    "SkillEntryFactory",
    "valid_codice_fiscale",
]


def valid_codice_fiscale(n: int) -> str:
    letters = "RSSMRA"
    body = f"{letters}{80 + n % 20:02d}A{1 + n % 28:02d}F{205 + n % 700:03d}"
    return body + codice_fiscale_check_char(body)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"quadro-{n}")
    version = "1"
    name = factory.Sequence(lambda n: f"Quadro di prova {n}")
    source = Framework.Source.SHIPPED


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    label = factory.Sequence(lambda n: f"Settore {n}")


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"C{n:04d}")
    kind = Concept.Kind.COMPETENCE
    pref_label = factory.Sequence(lambda n: f"Competenza {n}")


class ConceptRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConceptRelation

    source = factory.SubFactory(ConceptFactory, kind=Concept.Kind.PROFILE)
    target = factory.SubFactory(
        ConceptFactory, framework=factory.SelfAttribute("..source.framework")
    )
    kind = ConceptRelation.Kind.ESSENTIAL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    counsellor = factory.SubFactory(
        CounsellorFactory, organisation=factory.SelfAttribute("..organisation")
    )
    domicile = factory.SubFactory(MunicipalityFactory)
    birth_year = 1985
    weekly_hours_available = 30


class PersonIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonIdentity

    person = factory.SubFactory(PersonFactory)
    first_name = "Mario"
    last_name = factory.Sequence(lambda n: f"Rossi{n}")
    codice_fiscale = factory.Sequence(valid_codice_fiscale)
    birth_date = datetime.date(1985, 1, 1)


class JudicialMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JudicialMeasure

    person = factory.SubFactory(PersonFactory)
    measure_type = JudicialMeasure._meta.get_field("measure_type").choices[0][0]
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2028, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = Consent.Purpose.SHARE_PROFILE
    recorded_by = factory.SelfAttribute("person.counsellor")


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience

    person = factory.SubFactory(PersonFactory)
    kind = Experience.Kind.INFORMAL
    category = Experience.Category.JOB
    title = "Aiuto cuoco"
    description = "Lavoravo in cucina, preparavo i primi."


class SkillEntryFactory(factory.django.DjangoModelFactory):
    """An entry; at stage «validata» or «certificata» it comes with the records that support
    the stage (an assessor's validation on an employer's statement, a certifying body's
    attestation), as the workflow would leave them: a stage without them is not shown."""

    class Meta:
        model = SkillEntry
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    concept = factory.SubFactory(ConceptFactory)
    source = SkillEntry.Source.COUNSELLOR
    recorded_by = factory.SelfAttribute("person.counsellor")

    @factory.post_generation
    def supporting_records(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create or self.stage == SkillEntry.Stage.IDENTIFIED:
            return
        evidence = EvidenceFactory(person=self.person, uploaded_by=self.recorded_by)
        self.evidences.add(evidence)
        certified = self.stage == SkillEntry.Stage.CERTIFIED
        _record(self, AssessorFactory(), "validazione", "individuata", "validata", [evidence])
        if certified:
            _record(
                self,
                CertifierFactory(),
                "certificazione",
                "validata",
                "certificata",
                [],
                attestation_number="T-1",
                attestation_date=datetime.date(2025, 6, 1),
                attestation_issuer="Ente di prova",
                attestation_standard="Standard di prova",
            )


def _record(entry, actor, kind, before, after, evidences, **attestation):
    record = StageRecord.objects.create(
        entry=entry,
        kind=kind,
        stage_before=before,
        stage_after=after,
        actor=actor,
        actor_username=actor.username,
        actor_role=actor.role,
        organisation=actor.organisation,
        method="documentale",
        **attestation,
    )
    record.evidences.set(evidences)


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A described evidence (no file) of an accepted kind, by the person's counsellor."""

    class Meta:
        model = Evidence

    person = factory.SubFactory(PersonFactory)
    kind = Evidence.Kind.EMPLOYER_STATEMENT
    description = "Dichiarazione del datore: due anni come aiuto cuoco."
    uploaded_by = factory.SelfAttribute("person.counsellor")

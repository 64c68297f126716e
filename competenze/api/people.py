"""People API: pseudonymous records; identity and judicial data on separate, audited routes."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest, MunicipalityField, PageQuerySerializer, paginated_response
from common.exceptions import ApplicationError, Message
from common.schema import page_of
from common.validators import DATES_REVERSED, TIMES_REVERSED, validate_birth_date
from competenze.models import Consent, Experience, SkillEntry
from competenze.models.people import MeasureType
from competenze.selectors import people as selectors
from competenze.selectors.caseload import person_consents_audited
from competenze.selectors.framework import concept_get
from competenze.services import people as services
from competenze.services.idvcc import STAGE_NOT_BY_HAND


class PersonOutputSerializer(serializers.Serializer):
    pseudonym = serializers.CharField()
    domicile = serializers.CharField(source="domicile.name", default=None, allow_null=True)
    domicile_istat = serializers.CharField(
        source="domicile.istat_code", default=None, allow_null=True
    )
    birth_year = serializers.IntegerField(allow_null=True)
    weekly_hours_available = serializers.IntegerField(allow_null=True)
    available_from = serializers.DateField(allow_null=True)
    counsellor = serializers.CharField(source="counsellor.username", default=None, allow_null=True)
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


MAX_MUNICIPALITIES = 200
TOO_MANY_MUNICIPALITIES = _("Indica al massimo %(n)d comuni consentiti.")


def dates_ordered(data: dict[str, Any], start: str, end: str, message: Message) -> None:
    """The same check as the forms': `end` not before `start` (both optional)."""
    if data.get(start) and data.get(end) and data[end] < data[start]:
        raise serializers.ValidationError({end: [message]})


class PersonListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)

    class InputSerializer(serializers.Serializer):
        first_name = serializers.CharField(max_length=100)
        last_name = serializers.CharField(max_length=100)
        codice_fiscale = serializers.CharField(
            max_length=20, required=False, default="", allow_blank=True
        )
        birth_date = serializers.DateField(
            required=False, allow_null=True, default=None, validators=[validate_birth_date]
        )
        domicile = MunicipalityField(required=False, allow_null=True, default=None)
        weekly_hours_available = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=0, max_value=60
        )
        phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
        email = serializers.EmailField(max_length=254, required=False, default="", allow_blank=True)

    @extend_schema(
        parameters=[FilterSerializer, PageQuerySerializer],
        responses={200: page_of("PersonPage", PersonOutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        people = selectors.person_list_visible(
            user=request.user, search=filters.validated_data["q"]
        )
        return paginated_response(
            serializer_class=PersonOutputSerializer, queryset=people, request=request, view=self
        )

    @extend_schema(request=InputSerializer, responses={201: PersonOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_create(created_by=request.user, **data.validated_data)
        return Response(PersonOutputSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailApi(APIView):
    @extend_schema(responses={200: PersonOutputSerializer})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_visible(user=request.user, pseudonym=pseudonym)
        return Response(PersonOutputSerializer(person).data)


class PersonIdentityApi(APIView):
    class OutputSerializer(serializers.Serializer):
        first_name = serializers.CharField()
        last_name = serializers.CharField()
        codice_fiscale = serializers.CharField(allow_null=True)
        birth_date = serializers.DateField(allow_null=True)
        phone = serializers.CharField()
        email = serializers.CharField()

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_visible(user=request.user, pseudonym=pseudonym)
        identity = selectors.person_identity_get(user=request.user, person=person, purpose="API")
        return Response(self.OutputSerializer(identity).data)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
        "example": "08:30",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day without time zone (hh:mm[:ss]); OpenAPI's `time` format would demand
    an offset, which a measure's daily times do not have."""


class MeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    measure_type = serializers.ChoiceField(choices=MeasureType.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    allowed_municipalities = MunicipalityField(many=True, required=False)
    allowed_radius_km = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=500
    )
    max_weekly_hours = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=60
    )
    daily_start = LocalTimeField(required=False, allow_null=True)
    daily_end = LocalTimeField(required=False, allow_null=True)
    avoid_sectors = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )

    def validate_allowed_municipalities(self, value: list) -> list:
        if len(value) > MAX_MUNICIPALITIES:
            raise serializers.ValidationError(TOO_MANY_MUNICIPALITIES % {"n": MAX_MUNICIPALITIES})
        return value

    def validate(self, data: dict) -> dict:
        dates_ordered(data, "start_date", "end_date", DATES_REVERSED)
        leave, back = data.get("daily_start"), data.get("daily_end")
        if leave and back and back <= leave:
            raise serializers.ValidationError({"daily_end": [TIMES_REVERSED]})
        return data


class PersonMeasureListApi(APIView):
    @extend_schema(responses={200: MeasureSerializer(many=True)})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_visible(user=request.user, pseudonym=pseudonym)
        measures = selectors.person_measures_list(user=request.user, person=person)
        return Response(MeasureSerializer(measures, many=True).data)

    @extend_schema(request=MeasureSerializer, responses={201: MeasureSerializer})
    def post(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_editable(user=request.user, pseudonym=pseudonym)
        data = MeasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        measure = services.judicial_measure_create(
            person=person, recorded_by=request.user, **data.validated_data
        )
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    recipient_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    given_at = serializers.DateTimeField(read_only=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    needs_renewal = serializers.BooleanField(read_only=True)

    def validate(self, data: dict) -> dict:
        """The model's rule on recipients, reported on this API's field name."""
        problem = Consent.recipient_problem(
            purpose=data["purpose"], recipient_id=data.get("recipient_id")
        )
        if problem is not None:
            raise serializers.ValidationError({"recipient_id": problem})
        return data


class PersonConsentListApi(APIView):
    @extend_schema(responses={200: ConsentSerializer(many=True)})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_visible(user=request.user, pseudonym=pseudonym)
        consents = person_consents_audited(user=request.user, person=person, purpose="API")
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(request=ConsentSerializer, responses={201: ConsentSerializer})
    def post(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_editable(user=request.user, pseudonym=pseudonym)
        data = ConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.consent_give(
            person=person, recorded_by=request.user, **data.validated_data
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentRevokeApi(APIView):
    @extend_schema(request=None, responses={200: ConsentSerializer})
    def post(self, request: AuthedRequest, pseudonym: str, consent_id: int) -> Response:
        person = selectors.person_get_editable(user=request.user, pseudonym=pseudonym)
        consent = get_object_or_404(Consent, person=person, pk=consent_id)
        consent = services.consent_revoke(consent=consent, revoked_by=request.user)
        return Response(ConsentSerializer(consent).data)


class ExperienceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Experience.Kind.choices)
    category = serializers.ChoiceField(choices=Experience.Category.choices)
    title = serializers.CharField(max_length=200)
    organisation_name = serializers.CharField(required=False, default="", max_length=200)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=10000
    )

    def validate(self, data: dict) -> dict:
        dates_ordered(data, "start_date", "end_date", DATES_REVERSED)
        return data


class PersonExperienceListApi(APIView):
    @extend_schema(responses={200: ExperienceSerializer(many=True)})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_visible(user=request.user, pseudonym=pseudonym)
        experiences = selectors.person_experiences_list(person=person)
        return Response(ExperienceSerializer(experiences, many=True).data)

    @extend_schema(request=ExperienceSerializer, responses={201: ExperienceSerializer})
    def post(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_editable(user=request.user, pseudonym=pseudonym)
        data = ExperienceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        experience = services.experience_create(
            person=person, recorded_by=request.user, **data.validated_data
        )
        return Response(ExperienceSerializer(experience).data, status=status.HTTP_201_CREATED)


class SkillEntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(source="concept.code")
    label = serializers.CharField(source="concept.pref_label")  # type: ignore[assignment]
    kind = serializers.CharField(source="concept.kind")
    sector = serializers.CharField(source="concept.sector.label", default="")
    level = serializers.IntegerField()
    stage = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    confidence = serializers.FloatField(allow_null=True)
    evidence_text = serializers.CharField()


class PersonSkillListApi(APIView):
    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=255)
        level = serializers.ChoiceField(choices=SkillEntry.Level.choices, default=1)
        evidence_text = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=10000
        )

    @extend_schema(responses={200: SkillEntryOutputSerializer(many=True)})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_visible(user=request.user, pseudonym=pseudonym)
        skills = selectors.person_skills_list(person=person)
        return Response(SkillEntryOutputSerializer(skills, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: SkillEntryOutputSerializer})
    def post(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = selectors.person_get_editable(user=request.user, pseudonym=pseudonym)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.skill_entry_add(
            person=person,
            concept=concept_get(code=data.validated_data["code"]),
            recorded_by=request.user,
            source=SkillEntry.Source.COUNSELLOR,
            level=data.validated_data["level"],
            evidence_text=data.validated_data["evidence_text"],
        )
        return Response(SkillEntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class PersonSkillDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        level = serializers.ChoiceField(choices=SkillEntry.Level.choices, required=False)
        stage = serializers.ChoiceField(
            choices=SkillEntry.Stage.choices,
            required=False,
            help_text="Non si cambia qui: la fase cambia solo con una validazione o una "
            "certificazione registrata (skills/<id>/validation/, skills/<id>/certification/).",
        )

    def _entry(self, request: AuthedRequest, pseudonym: str, entry_id: int) -> SkillEntry:
        person = selectors.person_get_editable(user=request.user, pseudonym=pseudonym)
        return get_object_or_404(
            SkillEntry.objects.select_related("concept", "person"), person=person, pk=entry_id
        )

    @extend_schema(request=InputSerializer, responses={200: SkillEntryOutputSerializer})
    def patch(self, request: AuthedRequest, pseudonym: str, entry_id: int) -> Response:
        entry = self._entry(request, pseudonym, entry_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("stage", entry.stage) != entry.stage:
            raise ApplicationError(str(STAGE_NOT_BY_HAND), code="stage_not_by_hand")
        if "level" in data.validated_data:
            services.skill_entry_set_level(
                entry=entry, level=data.validated_data["level"], changed_by=request.user
            )
        return Response(SkillEntryOutputSerializer(entry).data)

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, pseudonym: str, entry_id: int) -> Response:
        services.skill_entry_remove(
            entry=self._entry(request, pseudonym, entry_id), removed_by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        role = serializers.CharField()
        role_label = serializers.CharField()
        organisation = serializers.CharField(allow_null=True)
        person = serializers.CharField(allow_null=True)

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: AuthedRequest) -> Response:
        user = request.user
        person = getattr(user, "person", None)
        return Response(
            {
                "username": user.username,
                "role": user.role,
                "role_label": user.get_role_display(),
                "organisation": user.organisation.name if user.organisation else None,
                "person": person.pseudonym if person else None,
            }
        )

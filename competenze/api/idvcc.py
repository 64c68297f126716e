"""IDVCC API: requests, validation, certification, revocation, stage records; the person's
credentials (Open Badges VC-JWT, Europass JSON-LD) and the public verification.

Each view fetches through a selector that answers 404 to whoever has no part in the entry,
then calls one service: AccessDenied comes back as 403, a missing requirement as 400, both
with the service's Italian message ({"message", "code", "extra"}).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest
from common.models import Organisation, User
from competenze.models import Evidence, SkillEntry, StageRecord
from competenze.selectors import idvcc as selectors
from competenze.selectors.people import person_get_visible
from competenze.services import credentials as credential_services
from competenze.services import idvcc as services
from competenze.stages import stage_explanation

EVIDENCE_UNKNOWN = _("Un'evidenza indicata non appartiene a questa competenza.")
ORGANISATION_UNKNOWN = _("Ente inesistente.")


def _user(request: AuthedRequest) -> User:
    """The authenticated user (every view but the public verification requires one)."""
    return request.user


def _entry(request: AuthedRequest, entry_id: int) -> SkillEntry:
    return selectors.entry_get_for_stage(user=_user(request), entry_id=entry_id, purpose="API")


@extend_schema_serializer(component_name="StageRecord")
class StageRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entry_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=StageRecord.Kind.choices)
    outcome = serializers.ChoiceField(choices=StageRecord.Outcome.choices)
    stage_before = serializers.CharField()
    stage_after = serializers.CharField()
    stage_after_explanation = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor_username", help_text="Vuoto: il sistema.")
    actor_role = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name", default=None)
    method = serializers.CharField()
    evidence_ids = serializers.SerializerMethodField()
    note = serializers.CharField()
    attestation_number = serializers.CharField()
    attestation_date = serializers.DateField(allow_null=True)
    attestation_issuer = serializers.CharField()
    attestation_standard = serializers.CharField()
    at = serializers.DateTimeField()

    def get_stage_after_explanation(self, record: StageRecord) -> str:
        return stage_explanation(record.stage_after)

    def get_evidence_ids(self, record: StageRecord) -> list[int]:
        return [evidence.pk for evidence in record.evidences.all()]


@extend_schema_serializer(component_name="StageRequest")
class StageRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entry_id = serializers.IntegerField()
    competence = serializers.CharField(source="entry.concept.pref_label")
    pseudonym = serializers.CharField(source="entry.person.pseudonym")
    stage = serializers.CharField()
    organisation_id = serializers.IntegerField()
    status = serializers.CharField()
    note = serializers.CharField()
    requested_at = serializers.DateTimeField()


class StageRecordListApi(APIView):
    @extend_schema(
        responses={200: StageRecordSerializer(many=True)},
        summary="Registro delle fasi IDVCC di una competenza",
    )
    def get(self, request: AuthedRequest, entry_id: int) -> Response:
        entry = _entry(request, entry_id)
        records = selectors.stage_records_list(entry=entry)
        return Response(StageRecordSerializer(records, many=True).data)


class StageRequestCreateApi(APIView):
    @extend_schema_serializer(component_name="StageRequestInput")
    class InputSerializer(serializers.Serializer):
        stage = serializers.ChoiceField(
            choices=[SkillEntry.Stage.VALIDATED, SkillEntry.Stage.CERTIFIED]
        )
        organisation_id = serializers.IntegerField(min_value=1)
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)

        def validate_organisation_id(self, value: int) -> Organisation:
            organisation = Organisation.objects.filter(pk=value).first()
            if organisation is None:
                raise serializers.ValidationError(ORGANISATION_UNKNOWN)
            return organisation

    @extend_schema(
        request=InputSerializer,
        summary="Chiedi la validazione o la certificazione",
        responses={201: StageRequestSerializer},
    )
    def post(self, request: AuthedRequest, entry_id: int) -> Response:
        entry = _entry(request, entry_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.stage_request_create(
            entry=entry,
            stage=data.validated_data["stage"],
            requested_by=_user(request),
            organisation=data.validated_data["organisation_id"],
            note=data.validated_data["note"],
        )
        return Response(StageRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class StageRequestListApi(APIView):
    @extend_schema(
        responses={200: StageRequestSerializer(many=True)},
        summary="Elenco di lavoro di valutatori ed enti titolati (richieste in attesa)",
    )
    def get(self, request: AuthedRequest) -> Response:
        requests = selectors.stage_request_worklist(user=_user(request))
        return Response(StageRequestSerializer(requests, many=True).data)


class _AssessmentInput(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=StageRecord.Method.choices, required=False, allow_blank=True, default=""
    )
    evidence_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, max_length=100
    )
    outcome = serializers.ChoiceField(
        choices=StageRecord.Outcome.choices, default=StageRecord.Outcome.POSITIVE
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)

    def validate_evidence_ids(self, value: list[int]) -> list[Evidence]:
        entry: SkillEntry = self.context["entry"]
        found = list(entry.evidences.filter(pk__in=value))
        if len(found) != len(set(value)):
            raise serializers.ValidationError(EVIDENCE_UNKNOWN)
        return found


class SkillValidateApi(APIView):
    @extend_schema_serializer(component_name="ValidationInput")
    class InputSerializer(_AssessmentInput):
        pass

    @extend_schema(
        request=InputSerializer,
        summary="Valida una competenza (valutatore)",
        responses={201: StageRecordSerializer},
    )
    def post(self, request: AuthedRequest, entry_id: int) -> Response:
        entry = _entry(request, entry_id)
        data = self.InputSerializer(data=request.data, context={"entry": entry})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = services.skill_entry_validate(
            entry=entry,
            assessor=_user(request),
            method=values["method"],
            evidences=values["evidence_ids"],
            outcome=values["outcome"],
            note=values["note"],
        )
        return Response(StageRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class SkillCertifyApi(APIView):
    @extend_schema_serializer(component_name="CertificationInput")
    class InputSerializer(_AssessmentInput):
        attestation_number = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=60
        )
        attestation_date = serializers.DateField(required=False, allow_null=True, default=None)
        attestation_issuer = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=200
        )
        attestation_standard = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=300
        )

    @extend_schema(
        request=InputSerializer,
        summary="Certifica una competenza (ente titolato)",
        responses={201: StageRecordSerializer},
    )
    def post(self, request: AuthedRequest, entry_id: int) -> Response:
        entry = _entry(request, entry_id)
        data = self.InputSerializer(data=request.data, context={"entry": entry})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        record = services.skill_entry_certify(
            entry=entry,
            certifier=_user(request),
            evidences=values.pop("evidence_ids"),
            **values,
        )
        return Response(StageRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class SkillStageRevokeApi(APIView):
    @extend_schema_serializer(component_name="RevocationInput")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)

    @extend_schema(
        request=InputSerializer,
        summary="Revoca la validazione o la certificazione",
        responses={201: StageRecordSerializer},
    )
    def post(self, request: AuthedRequest, entry_id: int) -> Response:
        entry = _entry(request, entry_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.skill_entry_stage_revoke(
            entry=entry,
            revoked_by=_user(request),
            note=data.validated_data["note"],
        )
        return Response(StageRecordSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="IssuedCredential")
class CredentialSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    competence = serializers.CharField(source="entry.concept.pref_label", default="")
    stage = serializers.CharField(source="record.stage_after", default="")
    issued_at = serializers.DateTimeField()
    revoked = serializers.BooleanField(source="is_revoked")
    token = serializers.CharField(help_text="La credenziale OpenBadgeCredential firmata (VC-JWT).")


class PersonCredentialExportApi(APIView):
    @extend_schema(
        request=None,
        summary="Credenziali Open Badges 3.0 della persona (VC-JWT)",
        responses={200: CredentialSerializer(many=True)},
    )
    def post(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = person_get_visible(user=_user(request), pseudonym=pseudonym)
        issued = credential_services.person_credentials_issue(person=person, user=_user(request))
        return Response(CredentialSerializer(issued, many=True).data)


class PersonEuropassApi(APIView):
    @extend_schema(
        summary="Esportazione Europass (European Learning Model, JSON-LD)",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Documento JSON-LD (European Learning Model)"
            )
        },
    )
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = person_get_visible(user=_user(request), pseudonym=pseudonym)
        document = credential_services.person_learning_model_export(
            person=person, user=_user(request)
        )
        return Response(document)


class CredentialVerifyApi(APIView):
    """Public: anyone checks a credential; it answers about that token only."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="CredentialVerifyInput")
    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=64 * 1024, trim_whitespace=True)

    @extend_schema_serializer(component_name="CredentialVerification")
    class OutputSerializer(serializers.Serializer):
        verdict = serializers.ChoiceField(
            choices=[
                "valida",
                "revocata",
                "alterata",
                "chiave_sconosciuta",
                "illeggibile",
                "scaduta",
            ]
        )
        message = serializers.CharField()
        achievement = serializers.CharField()
        issuer = serializers.CharField()
        valid_from = serializers.DateTimeField(allow_null=True)
        revoked_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(
        request=InputSerializer,
        summary="Verifica una credenziale (pubblica)",
        responses={200: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = credential_services.credential_verify(token=data.validated_data["token"])
        return Response(self.OutputSerializer(result).data)

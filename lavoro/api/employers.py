from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest
from common.validators import ATECO_CODE, ATECO_INVALID
from lavoro.api.fields import MunicipalityField, PlaceSerializer
from lavoro.selectors import employer_get_for_user
from lavoro.services import employer_register, site_create


class SiteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    municipality = PlaceSerializer()


class EmployerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="organisation.name")
    partita_iva = serializers.CharField()
    ateco_code = serializers.CharField()
    description = serializers.CharField()
    smuraglia_interest = serializers.BooleanField()
    sites = SiteOutputSerializer(many=True, source="sites.all")


class EmployerRegisterApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        partita_iva = serializers.CharField(max_length=20)
        ateco_code = serializers.CharField(
            max_length=10, required=False, default="", allow_blank=True
        )
        description = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=5000
        )
        smuraglia_interest = serializers.BooleanField(required=False, default=False)
        municipality = MunicipalityField(required=False, allow_null=True, default=None)

        def validate_ateco_code(self, value: str) -> str:
            """The same check as the registration form's."""
            if value and not ATECO_CODE.fullmatch(value.strip()):
                raise serializers.ValidationError(ATECO_INVALID)
            return value

    @extend_schema(request=InputSerializer, responses={201: EmployerOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employer = employer_register(user=request.user, **data.validated_data)
        return Response(EmployerOutputSerializer(employer).data, status=status.HTTP_201_CREATED)


class EmployerMeApi(APIView):
    @extend_schema(responses={200: EmployerOutputSerializer})
    def get(self, request: AuthedRequest) -> Response:
        employer = employer_get_for_user(user=request.user)
        return Response(EmployerOutputSerializer(employer).data)


class SiteCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        address = serializers.CharField(
            max_length=200, required=False, default="", allow_blank=True
        )
        municipality = MunicipalityField()

    @extend_schema(request=InputSerializer, responses={201: SiteOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        employer = employer_get_for_user(user=request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site = site_create(employer=employer, created_by=request.user, **data.validated_data)
        return Response(SiteOutputSerializer(site).data, status=status.HTTP_201_CREATED)

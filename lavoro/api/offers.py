from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest, ClockTimeField, PageQuerySerializer, paginated_response
from common.schema import page_of
from competenze.models.people import MeasureType
from lavoro.api.fields import (
    ConceptCodeField,
    FiltersSerializer,
    MunicipalityField,
    PlaceSerializer,
)
from lavoro.models import Employer, JobOffer, Site
from lavoro.selectors import (
    OpportunityFilters,
    employer_get_for_user,
    offer_get_manageable,
    offer_get_visible,
    offer_list_for_employer,
    offer_list_open,
)
from lavoro.services import offer_close, offer_create, offer_publish, offer_update


class OfferSkillSerializer(serializers.Serializer):
    code = ConceptCodeField(source="concept")
    label = serializers.CharField(source="concept.pref_label", read_only=True)  # type: ignore[assignment]
    essential = serializers.BooleanField(default=True)


class OfferOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    employer = serializers.CharField(source="employer.organisation.name")
    municipality = PlaceSerializer()
    site_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    contract = serializers.CharField()
    positions = serializers.IntegerField()
    start_date = serializers.DateField(allow_null=True)
    weekly_hours = serializers.IntegerField(allow_null=True)
    shift_start = ClockTimeField(allow_null=True)
    shift_end = ClockTimeField(allow_null=True)
    profile = serializers.CharField(source="profile.code", default=None, allow_null=True)
    compatible_measures = serializers.ListField(child=serializers.CharField())
    smuraglia_eligible = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    skills = OfferSkillSerializer(many=True, source="offer_skills.all")


class OfferInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    municipality = MunicipalityField()
    site_id = serializers.IntegerField(required=False, allow_null=True)
    contract = serializers.ChoiceField(choices=JobOffer.Contract.choices)
    positions = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    start_date = serializers.DateField(required=False, allow_null=True)
    weekly_hours = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=48
    )
    shift_start = ClockTimeField(required=False, allow_null=True)
    shift_end = ClockTimeField(
        required=False,
        allow_null=True,
        help_text="Se precede shift_start, il turno finisce dopo la mezzanotte.",
    )
    profile = ConceptCodeField(profile_only=True, required=False, allow_null=True)
    compatible_measures = serializers.ListField(
        child=serializers.ChoiceField(choices=MeasureType.choices),
        required=False,
        max_length=len(MeasureType.choices),
    )
    smuraglia_eligible = serializers.BooleanField(required=False)
    skills = OfferSkillSerializer(many=True, required=False, max_length=100)  # type: ignore[call-arg]


def _offer_arguments(data: dict[str, Any], employer: Employer) -> dict[str, Any]:
    """Turn validated input into service arguments: site by id, skills as pairs."""
    arguments = dict(data)
    if "site_id" in arguments:
        site_id = arguments.pop("site_id")
        site = get_object_or_404(Site, pk=site_id, employer=employer) if site_id else None
        arguments["site"] = site
    if "skills" in arguments:
        arguments["skills"] = [
            (item["concept"], item.get("essential", True)) for item in arguments["skills"]
        ]
    return arguments


class OfferListApi(APIView):
    @extend_schema(
        parameters=[FiltersSerializer, PageQuerySerializer],
        responses={200: page_of("OfferPage", OfferOutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        filters = FiltersSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        offers = offer_list_open(filters=OpportunityFilters(**filters.validated_data))
        return paginated_response(
            serializer_class=OfferOutputSerializer, queryset=offers, request=request, view=self
        )

    @extend_schema(request=OfferInputSerializer, responses={201: OfferOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        employer = employer_get_for_user(user=request.user)
        data = OfferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = offer_create(
            employer=employer,
            created_by=request.user,
            **_offer_arguments(data.validated_data, employer),
        )
        return Response(OfferOutputSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferMineApi(APIView):
    @extend_schema(
        parameters=[PageQuerySerializer],
        responses={200: page_of("OfferPage", OfferOutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        offers = offer_list_for_employer(user=request.user)
        return paginated_response(
            serializer_class=OfferOutputSerializer, queryset=offers, request=request, view=self
        )


class OfferDetailApi(APIView):
    @extend_schema(responses={200: OfferOutputSerializer})
    def get(self, request: AuthedRequest, offer_id: int) -> Response:
        offer = offer_get_visible(user=request.user, offer_id=offer_id)
        return Response(OfferOutputSerializer(offer).data)

    @extend_schema(
        request=OfferInputSerializer(partial=True), responses={200: OfferOutputSerializer}
    )
    def patch(self, request: AuthedRequest, offer_id: int) -> Response:
        offer = offer_get_manageable(user=request.user, offer_id=offer_id)
        data = OfferInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        offer = offer_update(
            offer=offer,
            updated_by=request.user,
            **_offer_arguments(data.validated_data, offer.employer),
        )
        return Response(OfferOutputSerializer(offer).data)


class OfferPublishApi(APIView):
    @extend_schema(request=None, responses={200: OfferOutputSerializer})
    def post(self, request: AuthedRequest, offer_id: int) -> Response:
        offer = offer_get_manageable(user=request.user, offer_id=offer_id)
        offer = offer_publish(offer=offer, published_by=request.user)
        return Response(OfferOutputSerializer(offer).data)


class OfferCloseApi(APIView):
    @extend_schema(request=None, responses={200: OfferOutputSerializer})
    def post(self, request: AuthedRequest, offer_id: int) -> Response:
        offer = offer_get_manageable(user=request.user, offer_id=offer_id)
        offer = offer_close(offer=offer, closed_by=request.user)
        return Response(OfferOutputSerializer(offer).data)

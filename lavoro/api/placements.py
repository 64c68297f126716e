from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest, PageQuerySerializer, paginated_response
from common.schema import page_of
from common.validators import DATES_REVERSED
from competenze.api.people import dates_ordered
from lavoro.api.fields import (
    ConceptCodeField,
    ConceptCodesField,
    FiltersSerializer,
    MunicipalityField,
    PlaceSerializer,
)
from lavoro.models import Placement
from lavoro.models.opportunities import PLACEMENT_MEASURES
from lavoro.selectors import (
    PlacementFilters,
    convention_get_manageable,
    host_body_get_for_user,
    placement_get_manageable,
    placement_get_visible,
    placement_list_open,
)
from lavoro.services import (
    convention_create,
    placement_create,
    placement_publish,
    placement_update,
)

MEASURE_CHOICES = [(measure.value, measure.label) for measure in PLACEMENT_MEASURES]


class PlacementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    host_body = serializers.CharField(source="host_body.organisation.name")
    convention_id = serializers.IntegerField()
    municipality = PlaceSerializer()
    status = serializers.CharField()
    activity = serializers.CharField()
    places = serializers.IntegerField()
    places_available = serializers.IntegerField()
    min_weekly_hours = serializers.IntegerField()
    weekly_hours = serializers.IntegerField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    eligible_measures = serializers.ListField(child=serializers.CharField())
    profile = serializers.CharField(source="profile.code", default=None, allow_null=True)
    skills = ConceptCodesField(many=True)


class PlacementInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    municipality = MunicipalityField()
    activity = serializers.ChoiceField(choices=Placement.Activity.choices)
    places = serializers.IntegerField(min_value=1, max_value=1000)
    eligible_measures = serializers.ListField(
        child=serializers.ChoiceField(choices=MEASURE_CHOICES),
        allow_empty=False,
        max_length=len(MEASURE_CHOICES),
    )
    min_weekly_hours = serializers.IntegerField(required=False, min_value=1, max_value=48)
    weekly_hours = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=48
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    profile = ConceptCodeField(profile_only=True, required=False, allow_null=True)
    skills = serializers.ListField(child=ConceptCodeField(), required=False, max_length=100)


class PlacementListApi(APIView):
    class InputSerializer(PlacementInputSerializer):
        convention_id = serializers.IntegerField()

    class FilterSerializer(FiltersSerializer):
        activity = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=20
        )
        measure = serializers.CharField(required=False, default="", allow_blank=True, max_length=12)

    @extend_schema(
        parameters=[FilterSerializer, PageQuerySerializer],
        responses={200: page_of("PlacementPage", PlacementOutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        placements = placement_list_open(filters=PlacementFilters(**filters.validated_data))
        return paginated_response(
            serializer_class=PlacementOutputSerializer,
            queryset=placements,
            request=request,
            view=self,
        )

    @extend_schema(request=InputSerializer, responses={201: PlacementOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        host_body = host_body_get_for_user(user=request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = dict(data.validated_data)
        convention = convention_get_manageable(
            user=request.user, convention_id=arguments.pop("convention_id")
        )
        placement = placement_create(
            host_body=host_body, convention=convention, created_by=request.user, **arguments
        )
        return Response(PlacementOutputSerializer(placement).data, status=status.HTTP_201_CREATED)


class PlacementDetailApi(APIView):
    @extend_schema(responses={200: PlacementOutputSerializer})
    def get(self, request: AuthedRequest, placement_id: int) -> Response:
        placement = placement_get_visible(user=request.user, placement_id=placement_id)
        return Response(PlacementOutputSerializer(placement).data)

    @extend_schema(
        request=PlacementInputSerializer(partial=True),
        responses={200: PlacementOutputSerializer},
    )
    def patch(self, request: AuthedRequest, placement_id: int) -> Response:
        placement = placement_get_manageable(user=request.user, placement_id=placement_id)
        data = PlacementInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        placement = placement_update(
            placement=placement, updated_by=request.user, **data.validated_data
        )
        return Response(PlacementOutputSerializer(placement).data)


class PlacementPublishApi(APIView):
    @extend_schema(request=None, responses={200: PlacementOutputSerializer})
    def post(self, request: AuthedRequest, placement_id: int) -> Response:
        placement = placement_get_manageable(user=request.user, placement_id=placement_id)
        placement = placement_publish(placement=placement, published_by=request.user)
        return Response(PlacementOutputSerializer(placement).data)


class ConventionCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        court = serializers.CharField(max_length=200)
        reference = serializers.CharField(max_length=100)
        valid_from = serializers.DateField()
        valid_to = serializers.DateField(required=False, allow_null=True, default=None)
        total_places = serializers.IntegerField(min_value=1, max_value=1000)

        def validate(self, data: dict) -> dict:
            dates_ordered(data, "valid_from", "valid_to", DATES_REVERSED)
            return data

    class OutputSerializer(InputSerializer):
        id = serializers.IntegerField()

        def validate(self, data: dict) -> dict:
            return data

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        host_body = host_body_get_for_user(user=request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        convention = convention_create(
            host_body=host_body, created_by=request.user, **data.validated_data
        )
        return Response(self.OutputSerializer(convention).data, status=status.HTTP_201_CREATED)

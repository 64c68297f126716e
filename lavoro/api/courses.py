from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest, PageQuerySerializer, paginated_response
from common.schema import page_of
from common.validators import DATES_REVERSED
from competenze.api.people import dates_ordered
from competenze.models import Institute
from lavoro.api.fields import (
    ConceptCodeField,
    ConceptCodesField,
    FiltersSerializer,
    MunicipalityField,
    PlaceSerializer,
)
from lavoro.models import Course
from lavoro.selectors import (
    OpportunityFilters,
    course_get_manageable,
    course_get_visible,
    course_list_open,
    training_provider_get,
)
from lavoro.services import course_create, course_publish


class CourseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    provider = serializers.CharField(source="provider.organisation.name")
    municipality = PlaceSerializer()
    institute = serializers.CharField(source="institute.name", default=None, allow_null=True)
    status = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    weekly_hours = serializers.IntegerField(allow_null=True)
    total_hours = serializers.IntegerField()
    seats = serializers.IntegerField()
    seats_available = serializers.IntegerField()
    certificate = serializers.CharField()
    profile = serializers.CharField(source="profile.code", default=None, allow_null=True)
    skills = ConceptCodesField(many=True)


class CourseListApi(APIView):
    class InputSerializer(serializers.Serializer):
        provider_id = serializers.IntegerField()
        title = serializers.CharField(max_length=200)
        description = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=10000
        )
        municipality = MunicipalityField()
        institute = serializers.PrimaryKeyRelatedField(
            queryset=Institute.objects.all(), required=False, allow_null=True, default=None
        )
        start_date = serializers.DateField(required=False, allow_null=True, default=None)
        end_date = serializers.DateField(required=False, allow_null=True, default=None)
        weekly_hours = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=48
        )
        seats = serializers.IntegerField(min_value=1, max_value=1000)
        total_hours = serializers.IntegerField(min_value=1, max_value=5000)
        certificate = serializers.ChoiceField(choices=Course.Certificate.choices)
        profile = ConceptCodeField(profile_only=True, required=False, allow_null=True, default=None)
        skills = serializers.ListField(
            child=ConceptCodeField(), required=False, default=list, max_length=100
        )

        def validate(self, data: dict) -> dict:
            dates_ordered(data, "start_date", "end_date", DATES_REVERSED)
            return data

    @extend_schema(
        parameters=[FiltersSerializer, PageQuerySerializer],
        responses={200: page_of("CoursePage", CourseOutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        filters = FiltersSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        courses = course_list_open(filters=OpportunityFilters(**filters.validated_data))
        return paginated_response(
            serializer_class=CourseOutputSerializer, queryset=courses, request=request, view=self
        )

    @extend_schema(request=InputSerializer, responses={201: CourseOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = dict(data.validated_data)
        provider = training_provider_get(provider_id=arguments.pop("provider_id"))
        course = course_create(provider=provider, created_by=request.user, **arguments)
        return Response(CourseOutputSerializer(course).data, status=status.HTTP_201_CREATED)


class CourseDetailApi(APIView):
    @extend_schema(responses={200: CourseOutputSerializer})
    def get(self, request: AuthedRequest, course_id: int) -> Response:
        course = course_get_visible(user=request.user, course_id=course_id)
        return Response(CourseOutputSerializer(course).data)


class CoursePublishApi(APIView):
    @extend_schema(request=None, responses={200: CourseOutputSerializer})
    def post(self, request: AuthedRequest, course_id: int) -> Response:
        course = course_get_manageable(user=request.user, course_id=course_id)
        course = course_publish(course=course, published_by=request.user)
        return Response(CourseOutputSerializer(course).data)

"""Matching and candidate search API: one view per action, paginated, explained."""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest
from common.schema import page_of
from search import candidate_queries, matching, near_misses, queries
from search.api.pagination import PageSerializer, SearchPage
from search.types import AVAILABILITY_BANDS, OPPORTUNITY_KINDS


class SkillMatchSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF attribute too
    essential = serializers.BooleanField()
    credit = serializers.FloatField()
    via = serializers.CharField()
    stage = serializers.CharField()


class MissingSkillSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF attribute too
    essential = serializers.BooleanField()


class ExplanationSerializer(serializers.Serializer):
    skill_score = serializers.FloatField()
    skills_matched = SkillMatchSerializer(many=True)
    essential_missing = MissingSkillSerializer(many=True)
    optional_missing = MissingSkillSerializer(many=True)
    distance_km = serializers.FloatField(allow_null=True)
    same_province = serializers.BooleanField(allow_null=True)
    constraints_satisfied = serializers.ListField(child=serializers.CharField())
    affinity = serializers.FloatField()


@extend_schema_serializer(component_name="OpportunityMatch")
class OpportunityMatchSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    municipality = serializers.CharField()
    province = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    weekly_hours = serializers.IntegerField(allow_null=True)
    seats_available = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField()
    outcome_probability = serializers.FloatField(allow_null=True)
    suitable = serializers.BooleanField()
    explanation = ExplanationSerializer()


class PersonOpportunityMatchApi(APIView):
    """GET /matches/people/<pseudonym>/opportunities/?kind=&q=&page=&page_size="""

    @extend_schema_serializer(component_name="OpportunityMatchQuery")
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=OPPORTUNITY_KINDS, required=False)
        q = serializers.CharField(required=False, allow_blank=True, default="")

    OutputSerializer = OpportunityMatchSerializer

    @extend_schema(
        parameters=[InputSerializer, PageSerializer],
        responses={
            200: page_of("OpportunityMatchPage", OutputSerializer, ranking=serializers.CharField())
        },
    )
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        kind = params.validated_data.get("kind")
        page = SearchPage(request)
        found = queries.person_opportunities_match(
            user=request.user,
            pseudonym=pseudonym,
            kinds=(kind,) if kind else OPPORTUNITY_KINDS,
            text=params.validated_data["q"],
            offset=page.offset,
            limit=page.limit,
        )
        results = self.OutputSerializer(found.results, many=True).data
        return page.response(total=found.total, results=results, ranking=found.ranking)


class PersonNearMissApi(APIView):
    """GET /matches/people/<pseudonym>/near-misses/?kind=&page=&page_size= — the
    opportunities exactly one hard constraint keeps out; `constraint` and `reason` say which
    and by how much only to who may see the measure (others: "" and «non compatibile»)."""

    @extend_schema_serializer(component_name="NearMissQuery")
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=OPPORTUNITY_KINDS, required=False)

    @extend_schema_serializer(component_name="NearMiss")
    class OutputSerializer(serializers.Serializer):
        opportunity = OpportunityMatchSerializer(source="match")
        constraint = serializers.CharField(source="code")
        reason = serializers.CharField()

    @extend_schema(
        parameters=[InputSerializer, PageSerializer],
        responses={200: page_of("NearMissPage", OutputSerializer)},
    )
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        kind = params.validated_data.get("kind")
        page = SearchPage(request)
        found = near_misses.person_near_misses(
            user=request.user,
            pseudonym=pseudonym,
            kinds=(kind,) if kind else OPPORTUNITY_KINDS,
            offset=page.offset,
            limit=page.limit,
        )
        results = self.OutputSerializer(found.results, many=True).data
        return page.response(total=found.total, results=results)


class PersonWhatIfApi(APIView):
    """GET /matches/people/<pseudonym>/what-if/?relax=<constraint>&radius_km=
    &max_weekly_hours=&kind= — what relaxing one constraint would open; nothing changes on
    the person. Counsellors of the person and administrators only (403 otherwise)."""

    @extend_schema_serializer(component_name="WhatIfQuery")
    class InputSerializer(serializers.Serializer):
        relax = serializers.ChoiceField(choices=matching.RELAXABLE)
        radius_km = serializers.FloatField(
            required=False, min_value=1, max_value=near_misses.MAX_RADIUS_KM
        )
        max_weekly_hours = serializers.IntegerField(
            required=False, min_value=1, max_value=near_misses.MAX_WEEKLY_HOURS
        )
        kind = serializers.ChoiceField(choices=OPPORTUNITY_KINDS, required=False)

    @extend_schema(
        parameters=[InputSerializer, PageSerializer],
        responses={
            200: page_of("WhatIfPage", OpportunityMatchSerializer, relax=serializers.CharField())
        },
    )
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        kind = data.get("kind")
        page = SearchPage(request)
        found = near_misses.person_what_if(
            user=request.user,
            pseudonym=pseudonym,
            relaxation=near_misses.Relaxation(
                data["relax"], data.get("radius_km"), data.get("max_weekly_hours")
            ),
            kinds=(kind,) if kind else OPPORTUNITY_KINDS,
            offset=page.offset,
            limit=page.limit,
        )
        results = OpportunityMatchSerializer(found.results, many=True).data
        return page.response(total=found.total, results=results, relax=data["relax"])


class GapCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    municipality = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    seats_available = serializers.IntegerField(allow_null=True)
    closes = serializers.ListField(child=serializers.CharField())


class PersonGapApi(APIView):
    """GET /matches/people/<pseudonym>/gap/?offer_id=…|profile=<concept code>"""

    @extend_schema_serializer(component_name="GapQuery")
    class InputSerializer(serializers.Serializer):
        offer_id = serializers.IntegerField(required=False, min_value=1)
        profile = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema_serializer(component_name="GapAnalysis")
    class OutputSerializer(serializers.Serializer):
        target_kind = serializers.CharField()
        target_id = serializers.IntegerField(allow_null=True)
        target_code = serializers.CharField()
        target_title = serializers.CharField()
        covered = SkillMatchSerializer(many=True)
        partial = SkillMatchSerializer(many=True)  # type: ignore[assignment]
        missing = MissingSkillSerializer(many=True)
        courses = GapCourseSerializer(many=True)
        not_closed = serializers.ListField(child=serializers.CharField())

    @extend_schema(parameters=[InputSerializer], responses={200: OutputSerializer})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        gap = queries.person_gap_analysis(
            user=request.user,
            pseudonym=pseudonym,
            offer_id=params.validated_data.get("offer_id"),
            profile_code=params.validated_data["profile"],
        )
        return Response(self.OutputSerializer(gap).data)


class CandidateSkillSerializer(serializers.Serializer):
    """A (code, label, stage, level) tuple; the fields document it."""

    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF attribute too
    stage = serializers.CharField()
    level = serializers.IntegerField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        code, label, stage, level = instance
        return {"code": code, "label": label, "stage": stage, "level": level}


class CandidateLanguageSerializer(serializers.Serializer):
    """A (language, level) pair; the fields document it."""

    language = serializers.CharField()
    level = serializers.CharField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        language, level = instance
        return {"language": language, "level": level}


class CandidateOutputSerializer(serializers.Serializer):
    """Pseudonymised: exactly the candidate view's fields, plus score and explanation."""

    pseudonym = serializers.CharField()
    province = serializers.CharField()
    summary = serializers.CharField()
    skills = CandidateSkillSerializer(many=True)
    languages = CandidateLanguageSerializer(many=True)
    weekly_hours_available = serializers.IntegerField(allow_null=True)
    available_from = serializers.DateField(allow_null=True)
    score = serializers.FloatField()
    explanation = ExplanationSerializer(allow_null=True)


class FacetSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF attribute too
    count = serializers.IntegerField()


CANDIDATE_PAGE = page_of(
    "CandidatePage",
    CandidateOutputSerializer,
    facets=serializers.DictField(child=FacetSerializer(many=True)),
    compatible_with_role=serializers.IntegerField(allow_null=True),
)


def _candidates_response(page: SearchPage, found: candidate_queries.CandidatePage) -> Response:
    facets = {name: FacetSerializer(items, many=True).data for name, items in found.facets.items()}
    results = CandidateOutputSerializer(found.results, many=True).data
    return page.response(
        total=found.total, results=results, facets=facets, compatible_with_role=found.compatible
    )


class CandidateSearchApi(APIView):
    """GET /candidates/search/?q=&skills=A,B&province=&availability=&language=&min_hours=
    &offer_id= (employers, host bodies, administrators; results pseudonymised)"""

    @extend_schema_serializer(component_name="CandidateSearchQuery")
    class InputSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, default="")
        skills = serializers.CharField(required=False, allow_blank=True, default="")
        province = serializers.CharField(required=False, allow_blank=True, default="", max_length=2)
        availability = serializers.ChoiceField(
            choices=[name for name, _days in AVAILABILITY_BANDS], required=False
        )
        language = serializers.CharField(required=False, allow_blank=True, default="", max_length=3)
        min_hours = serializers.IntegerField(required=False, min_value=1, max_value=60)
        offer_id = serializers.IntegerField(required=False, min_value=1)

    @extend_schema(parameters=[InputSerializer, PageSerializer], responses={200: CANDIDATE_PAGE})
    def get(self, request: AuthedRequest) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = candidate_queries.CandidateFilters(
            text=data["q"],
            skills=tuple(code.strip() for code in data["skills"].split(",") if code.strip()),
            province=data["province"],
            availability=data.get("availability", ""),
            language=data["language"],
            min_hours=data.get("min_hours"),
            offer_id=data.get("offer_id"),
        )
        page = SearchPage(request)
        found = candidate_queries.candidates_search(
            user=request.user,
            filters=filters,
            offset=page.offset,
            limit=page.limit,
        )
        return _candidates_response(page, found)


class OfferCandidateMatchApi(APIView):
    """GET /matches/offers/<offer_id>/candidates/ (the employer who owns the offer)"""

    @extend_schema(parameters=[PageSerializer], responses={200: CANDIDATE_PAGE})
    def get(self, request: AuthedRequest, offer_id: int) -> Response:
        page = SearchPage(request)
        found = candidate_queries.offer_candidates_match(
            user=request.user,
            offer_id=offer_id,
            offset=page.offset,
            limit=page.limit,
        )
        return _candidates_response(page, found)

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest, PageQuerySerializer, paginated_response
from common.schema import page_of
from common.selectors import municipality_search
from competenze.models import Concept
from competenze.selectors.framework import concept_get, concept_search


class ConceptOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    pref_label = serializers.CharField()
    alt_labels = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    sector = serializers.CharField(source="sector.label", default="")
    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)  # type: ignore[assignment]
    eqf_level = serializers.IntegerField(allow_null=True)


class ConceptListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
        kind = serializers.ChoiceField(
            choices=Concept.Kind.choices, required=False, default="", allow_blank=True
        )
        sector = serializers.CharField(required=False, default="", allow_blank=True, max_length=20)

    @extend_schema(
        parameters=[FilterSerializer, PageQuerySerializer],
        responses={200: page_of("ConceptPage", ConceptOutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        concepts = concept_search(**filters.validated_data)
        return paginated_response(
            serializer_class=ConceptOutputSerializer, queryset=concepts, request=request, view=self
        )


class ConceptDetailApi(APIView):
    class OutputSerializer(ConceptOutputSerializer):
        children = ConceptOutputSerializer(many=True)
        requires = serializers.SerializerMethodField()

        def get_requires(self, concept) -> list[dict]:
            return [
                {"code": r.target.code, "label": r.target.pref_label, "kind": r.kind}
                for r in concept.requires.all()
            ]

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: AuthedRequest, code: str) -> Response:
        return Response(self.OutputSerializer(concept_get(code=code)).data)


class MunicipalityListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        istat_code = serializers.CharField()
        name = serializers.CharField()
        province = serializers.CharField(source="province.code")
        latitude = serializers.FloatField()
        longitude = serializers.FloatField()

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)
        provincia = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=2
        )

    @extend_schema(
        parameters=[FilterSerializer, PageQuerySerializer],
        responses={200: page_of("MunicipalityPage", OutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        municipalities = municipality_search(
            query=filters.validated_data["q"], province=filters.validated_data["provincia"]
        )
        return paginated_response(
            serializer_class=self.OutputSerializer,
            queryset=municipalities,
            request=request,
            view=self,
        )

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest, PageQuerySerializer, paginated_response
from common.schema import page_of
from competenze.selectors.people import person_get_visible
from lavoro.models import Proposal
from lavoro.selectors import (
    course_get_visible,
    offer_get_visible,
    placement_get_visible,
    proposal_get_visible,
    proposal_list_visible,
)
from lavoro.services import placement_hours_record, proposal_create, proposal_transition

TARGET_REQUIRED = "Indica una sola opportunità: offer_id, course_id o placement_id."


class ProposalEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ProposalOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.CharField(source="person.pseudonym")
    offer_id = serializers.IntegerField(allow_null=True)
    course_id = serializers.IntegerField(allow_null=True)
    placement_id = serializers.IntegerField(allow_null=True)
    target = serializers.CharField(source="target.title")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    message = serializers.CharField()
    hours_done = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    created_at = serializers.DateTimeField()
    events = ProposalEventSerializer(many=True, source="events.all")


class ProposalListApi(APIView):
    class InputSerializer(serializers.Serializer):
        pseudonym = serializers.CharField(max_length=20)
        offer_id = serializers.IntegerField(required=False, min_value=1)
        course_id = serializers.IntegerField(required=False, min_value=1)
        placement_id = serializers.IntegerField(required=False, min_value=1)
        message = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=5000
        )

        def validate(self, data: dict) -> dict:
            targets = [key for key in ("offer_id", "course_id", "placement_id") if key in data]
            if len(targets) != 1:
                raise serializers.ValidationError(TARGET_REQUIRED)
            return data

    @extend_schema(
        parameters=[PageQuerySerializer],
        responses={200: page_of("ProposalPage", ProposalOutputSerializer)},
    )
    def get(self, request: AuthedRequest) -> Response:
        proposals = proposal_list_visible(user=request.user)
        return paginated_response(
            serializer_class=ProposalOutputSerializer,
            queryset=proposals,
            request=request,
            view=self,
        )

    @extend_schema(request=InputSerializer, responses={201: ProposalOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = person_get_visible(user=request.user, pseudonym=data.validated_data["pseudonym"])
        proposal = proposal_create(
            person=person,
            proposed_by=request.user,
            message=data.validated_data["message"],
            **_target(request, data.validated_data),
        )
        return Response(ProposalOutputSerializer(proposal).data, status=status.HTTP_201_CREATED)


def _target(request: AuthedRequest, data: dict) -> dict:
    """The opportunity the proposal is for, as proposal_create's keyword argument."""
    if "offer_id" in data:
        return {"offer": offer_get_visible(user=request.user, offer_id=data["offer_id"])}
    if "course_id" in data:
        return {"course": course_get_visible(user=request.user, course_id=data["course_id"])}
    placement = placement_get_visible(user=request.user, placement_id=data["placement_id"])
    return {"placement": placement}


class ProposalDetailApi(APIView):
    @extend_schema(responses={200: ProposalOutputSerializer})
    def get(self, request: AuthedRequest, proposal_id: int) -> Response:
        proposal = proposal_get_visible(user=request.user, proposal_id=proposal_id)
        return Response(ProposalOutputSerializer(proposal).data)


class ProposalTransitionApi(APIView):
    class InputSerializer(serializers.Serializer):
        to_status = serializers.ChoiceField(choices=Proposal.Status.choices)
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)

    @extend_schema(request=InputSerializer, responses={200: ProposalOutputSerializer})
    def post(self, request: AuthedRequest, proposal_id: int) -> Response:
        proposal = proposal_get_visible(user=request.user, proposal_id=proposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = proposal_transition(proposal=proposal, actor=request.user, **data.validated_data)
        return Response(ProposalOutputSerializer(proposal).data)


class ProposalHoursApi(APIView):
    class InputSerializer(serializers.Serializer):
        hours = serializers.DecimalField(
            max_digits=5, decimal_places=2, min_value=Decimal("0.25"), max_value=Decimal(744)
        )

    @extend_schema(request=InputSerializer, responses={200: ProposalOutputSerializer})
    def post(self, request: AuthedRequest, proposal_id: int) -> Response:
        proposal = proposal_get_visible(user=request.user, proposal_id=proposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = placement_hours_record(
            proposal=proposal, actor=request.user, hours=data.validated_data["hours"]
        )
        return Response(ProposalOutputSerializer(proposal).data)

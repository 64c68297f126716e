"""Guided-interview API: the counsellor's screen asks, records, reviews and decides.

Visibility is the person's (others get 404); only counsellors of the person's organisation
and administrators write (programme managers read, 403 on writes).
"""

from django.db import transaction
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest
from competenze.models import SkillEntry
from competenze.selectors import interviews as selectors
from competenze.selectors.people import person_get_editable, person_get_visible
from competenze.services import interviews as services

API_PURPOSE = "API"


@extend_schema_field(OpenApiTypes.ANY)
class RawField(serializers.Field):
    """Hands the value to the service untouched, so its checks give the Italian messages
    (DRF's CharField would refuse NUL and surrogates in English)."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


class ProgressSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    skipped = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class InterviewOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.CharField(source="person.pseudonym")
    template = serializers.CharField(source="template.code")
    template_version = serializers.IntegerField(source="template.version")
    template_title = serializers.CharField(source="template.title")
    counsellor = serializers.CharField(source="counsellor.username")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    started_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    last_activity_at = serializers.DateTimeField()
    meetings = serializers.IntegerField()
    current_question_id = serializers.CharField()
    progress = serializers.SerializerMethodField()

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, interview) -> dict:
        return ProgressSerializer(services.interview_progress(interview=interview)).data


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    section = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]
    extract = serializers.BooleanField()
    experience_category = serializers.CharField()
    options = OptionSerializer(many=True)
    labels = serializers.ListField(child=serializers.CharField())
    parent_id = serializers.CharField(allow_null=True)


class SuggestionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(source="concept.code")
    label = serializers.CharField(source="concept.pref_label")  # type: ignore[assignment]
    kind = serializers.CharField(source="concept.kind")
    score = serializers.FloatField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    span = serializers.CharField()
    reason = serializers.CharField()
    negated = serializers.BooleanField()
    hedged = serializers.BooleanField()
    duration_months = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    skill_entry_id = serializers.IntegerField(allow_null=True)
    model_version = serializers.CharField()


class AnswerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question_id = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    value = serializers.JSONField()
    skipped = serializers.BooleanField()
    answered_by = serializers.CharField(source="answered_by.username")
    answered_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField(
        help_text="Da rimandare come «version» quando si modifica la risposta."
    )
    extraction_status = serializers.CharField()
    extraction_error = serializers.CharField()
    model_version = serializers.CharField()
    suggestions = SuggestionOutputSerializer(many=True, source="suggestions.all")


class PersonInterviewListApi(APIView):
    class InputSerializer(serializers.Serializer):
        template = serializers.SlugField(
            max_length=60, required=False, default=None, allow_null=True
        )

    @extend_schema(responses={200: InterviewOutputSerializer(many=True)})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        person = person_get_visible(user=request.user, pseudonym=pseudonym)
        interviews = selectors.interview_list_for_person(person=person)
        return Response(InterviewOutputSerializer(interviews, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: InterviewOutputSerializer, 200: InterviewOutputSerializer},
    )
    def post(self, request: AuthedRequest, pseudonym: str) -> Response:
        """Start an interview, or resume the open one (200 instead of 201)."""
        person = person_get_editable(user=request.user, pseudonym=pseudonym)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        interview, created = services.interview_start(
            person=person, template_code=data.validated_data["template"], started_by=request.user
        )
        return Response(
            InterviewOutputSerializer(interview).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class InterviewDetailApi(APIView):
    @extend_schema(responses={200: InterviewOutputSerializer})
    def get(self, request: AuthedRequest, interview_id: int) -> Response:
        interview = selectors.interview_get_visible(user=request.user, interview_id=interview_id)
        return Response(InterviewOutputSerializer(interview).data)


class NextQuestionSerializer(QuestionSerializer):
    section_title = serializers.CharField()
    was_skipped = serializers.BooleanField()


class InterviewNextQuestionApi(APIView):
    class QuestionViewSerializer(serializers.Serializer):
        question = QuestionSerializer()
        section_title = serializers.CharField()
        was_skipped = serializers.BooleanField()

    class OutputSerializer(serializers.Serializer):
        """`question` is null once every active question is answered or skipped."""

        done = serializers.BooleanField()
        status = serializers.CharField()
        question = NextQuestionSerializer(allow_null=True)
        progress = ProgressSerializer()

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: AuthedRequest, interview_id: int) -> Response:
        interview = selectors.interview_get_visible(user=request.user, interview_id=interview_id)
        view = services.interview_next_question(interview=interview)
        progress = services.interview_progress(interview=interview)
        if view is None:
            return Response(
                {
                    "done": True,
                    "status": interview.status,
                    "question": None,
                    "progress": ProgressSerializer(progress).data,
                }
            )
        question = self.QuestionViewSerializer(view).data
        return Response(
            {
                "done": False,
                "status": interview.status,
                "question": {
                    **question["question"],
                    "section_title": question["section_title"],
                    "was_skipped": question["was_skipped"],
                },
                "progress": ProgressSerializer(progress).data,
            }
        )


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class InterviewAnswerListApi(APIView):
    """Kept out of ATOMIC_REQUESTS (should it be turned on): the service commits, the
    recogniser fires on commit, so in eager mode its suggestions are in the response."""

    class InputSerializer(serializers.Serializer):
        question_id = serializers.CharField(max_length=100)
        text = RawField(required=False, allow_null=True, default=None)
        value = RawField(required=False, allow_null=True, default=None)
        version = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=0,
            help_text=(
                "La «version» della risposta che si modifica (0 o assente per la prima "
                "risposta): se nel frattempo è cambiata, 409."
            ),
        )

    @extend_schema(responses={200: AnswerOutputSerializer(many=True)})
    def get(self, request: AuthedRequest, interview_id: int) -> Response:
        interview = selectors.interview_get_visible(user=request.user, interview_id=interview_id)
        answers = selectors.interview_answers_list_audited(
            user=request.user, interview=interview, purpose=API_PURPOSE
        )
        return Response(AnswerOutputSerializer(answers, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: AnswerOutputSerializer})
    def post(self, request: AuthedRequest, interview_id: int) -> Response:
        interview = selectors.interview_get_editable(user=request.user, interview_id=interview_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        answer = services.interview_answer(
            interview=interview,
            answered_by=request.user,
            expected_version=fields.pop("version"),
            **fields,
        )
        answer = selectors.interview_answer_get(interview=interview, question_id=answer.question_id)
        return Response(AnswerOutputSerializer(answer).data, status=status.HTTP_201_CREATED)


class InterviewAnswerDetailApi(APIView):
    @extend_schema(responses={200: AnswerOutputSerializer})
    def get(self, request: AuthedRequest, interview_id: int, question_id: str) -> Response:
        interview = selectors.interview_get_visible(user=request.user, interview_id=interview_id)
        answer = selectors.interview_answer_get_audited(
            user=request.user, interview=interview, question_id=question_id, purpose=API_PURPOSE
        )
        return Response(AnswerOutputSerializer(answer).data)


class InterviewSkipApi(APIView):
    class InputSerializer(serializers.Serializer):
        question_id = serializers.CharField(max_length=100)

    @extend_schema(request=InputSerializer, responses={200: AnswerOutputSerializer})
    def post(self, request: AuthedRequest, interview_id: int) -> Response:
        interview = selectors.interview_get_editable(user=request.user, interview_id=interview_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.interview_skip(
            interview=interview,
            skipped_by=request.user,
            question_id=data.validated_data["question_id"],
        )
        return Response(AnswerOutputSerializer(answer).data)


class ReviewItemSerializer(serializers.Serializer):
    question = QuestionSerializer()
    answer = AnswerOutputSerializer()
    display = serializers.CharField()
    active = serializers.BooleanField()


class ReviewSectionSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    items = ReviewItemSerializer(many=True)


class BriefQuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()


class InterviewReviewApi(APIView):
    class OutputSerializer(serializers.Serializer):
        interview = InterviewOutputSerializer()
        sections = ReviewSectionSerializer(many=True)
        skipped = BriefQuestionSerializer(many=True)
        unanswered_required = BriefQuestionSerializer(many=True)
        pending_suggestions = serializers.IntegerField()
        pending_extractions = serializers.IntegerField()

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: AuthedRequest, interview_id: int) -> Response:
        interview = selectors.interview_get_visible(user=request.user, interview_id=interview_id)
        selectors.interview_answers_read_record(
            user=request.user, interview=interview, purpose=API_PURPOSE
        )
        review = services.interview_review(interview=interview)
        return Response(self.OutputSerializer(review).data)


class InterviewCompleteApi(APIView):
    class OutputSerializer(serializers.Serializer):
        interview = InterviewOutputSerializer()
        undecided_suggestions = serializers.IntegerField()
        unanswered_required = serializers.ListField(child=serializers.CharField())
        pending_extractions = serializers.IntegerField()

    @extend_schema(request=None, responses={200: OutputSerializer})
    def post(self, request: AuthedRequest, interview_id: int) -> Response:
        interview = selectors.interview_get_editable(user=request.user, interview_id=interview_id)
        result = services.interview_complete(interview=interview, completed_by=request.user)
        return Response(self.OutputSerializer(result).data)


class SkillEntryBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(source="concept.code")
    level = serializers.IntegerField()
    stage = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]


class DecisionOutputSerializer(SuggestionOutputSerializer):
    """The decided suggestion, with the profile entry it created or changed (if any)."""

    skill_entry = SkillEntryBriefSerializer(allow_null=True)


def _decision_response(suggestion) -> Response:
    return Response(DecisionOutputSerializer(suggestion).data)


class SuggestionAcceptApi(APIView):
    class InputSerializer(serializers.Serializer):
        level = serializers.ChoiceField(
            choices=SkillEntry.Level.choices, required=False, allow_null=True, default=None
        )

    @extend_schema(request=InputSerializer, responses={200: DecisionOutputSerializer})
    def post(self, request: AuthedRequest, suggestion_id: int) -> Response:
        """Accept; with a level other than the suggested one the decision is «modificata»."""
        suggestion = selectors.suggestion_get_editable(
            user=request.user, suggestion_id=suggestion_id
        )
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suggestion = services.suggestion_accept(
            suggestion=suggestion, decided_by=request.user, level=data.validated_data["level"]
        )
        return _decision_response(suggestion)


class SuggestionRejectApi(APIView):
    @extend_schema(request=None, responses={200: DecisionOutputSerializer})
    def post(self, request: AuthedRequest, suggestion_id: int) -> Response:
        suggestion = selectors.suggestion_get_editable(
            user=request.user, suggestion_id=suggestion_id
        )
        suggestion = services.suggestion_reject(suggestion=suggestion, decided_by=request.user)
        return _decision_response(suggestion)

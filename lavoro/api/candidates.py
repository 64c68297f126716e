from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest
from lavoro.selectors import candidate_profile_get


class CandidateDetailApi(APIView):
    """The pseudonymised profile; name and contacts only with the person's consent."""

    class OutputSerializer(serializers.Serializer):
        class SkillSerializer(serializers.Serializer):
            code = serializers.CharField()
            label = serializers.CharField()  # type: ignore[assignment]
            level = serializers.IntegerField()
            stage = serializers.CharField()

        class LanguageSerializer(serializers.Serializer):
            language = serializers.CharField()
            level = serializers.CharField()

        class IdentitySerializer(serializers.Serializer):
            first_name = serializers.CharField()
            last_name = serializers.CharField()
            phone = serializers.CharField()
            email = serializers.CharField()

        pseudonym = serializers.CharField()
        province = serializers.CharField(allow_null=True)
        skills = SkillSerializer(many=True)
        languages = LanguageSerializer(many=True)
        weekly_hours_available = serializers.IntegerField(allow_null=True)
        available_from = serializers.DateField(allow_null=True)
        summary = serializers.CharField()
        identity = IdentitySerializer(allow_null=True)

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: AuthedRequest, pseudonym: str) -> Response:
        try:
            profile = candidate_profile_get(user=request.user, pseudonym=pseudonym)
        except Http404:
            # Answered here, not by the exception handler: that one rolls back the request
            # transaction (ATOMIC_REQUESTS), and the audit row of the refused access with it.
            body = {"message": _("Risorsa non trovata."), "code": "not_found", "extra": {}}
            return Response(body, status=status.HTTP_404_NOT_FOUND)
        return Response(self.OutputSerializer(profile).data)

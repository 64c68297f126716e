"""API tokens over the API: create one with username and password, list and revoke yours."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthedRequest
from common.auth import tokens
from common.auth.drf import AuthThrottle
from common.exceptions import ApplicationError


class TokenOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class TokenCreatedSerializer(TokenOutputSerializer):
    token = serializers.CharField(help_text="Il token in chiaro: mostrato solo ora, conservalo.")


class TokenCreateApi(APIView):
    """Checks the password (login lockout and the strict "auth" rate apply)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthThrottle]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        name = serializers.CharField(max_length=100, required=False, default="")
        days = serializers.IntegerField(
            required=False,
            default=None,
            min_value=1,
            help_text="Durata in giorni (al massimo quella prevista dalla configurazione).",
        )

    @extend_schema(request=InputSerializer, responses={201: TokenCreatedSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise ApplicationError(
                _("Nome utente o password non corretti."), code="invalid_credentials"
            )
        row, token = tokens.api_token_create(
            user=user, name=data.validated_data["name"], days=data.validated_data["days"]
        )
        body = {**TokenOutputSerializer(row).data, "token": token}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenListApi(APIView):
    @extend_schema(responses={200: TokenOutputSerializer(many=True)})
    def get(self, request: AuthedRequest) -> Response:
        rows = tokens.api_token_list(user=request.user)
        return Response(TokenOutputSerializer(rows, many=True).data)


class TokenRevokeApi(APIView):
    @extend_schema(responses={204: OpenApiResponse(description="Token revocato.")})
    def delete(self, request: AuthedRequest, token_id: int) -> Response:
        tokens.api_token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

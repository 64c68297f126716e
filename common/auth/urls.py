from django.urls import path

from common.auth import api

urlpatterns = [
    path("auth/token/", api.TokenCreateApi.as_view(), name="token-create"),
    path("auth/tokens/", api.TokenListApi.as_view(), name="tokens"),
    path("auth/tokens/<int:token_id>/", api.TokenRevokeApi.as_view(), name="token-revoke"),
]

"""Public credential endpoints (namespace "credentials"). Their addresses are written in
every credential issued: keep them stable."""

from django.urls import path

from competenze.credentials import endpoints

urlpatterns = [
    path(".well-known/jwks.json", endpoints.jwks, name="jwks"),
    path("credenziali/stato/<int:number>/", endpoints.status_list, name="status-list"),
    path("credenziali/emittenti/<int:organisation_id>/", endpoints.issuer, name="issuer"),
]

"""Serializer fields the lavoro API shares: municipalities by ISTAT code, concepts by code."""

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from common.api import MunicipalityField as MunicipalityField  # the lavoro API's, too
from competenze.models import Concept
from competenze.selectors.framework import concept_get

CONCEPT_UNKNOWN = _("Codice sconosciuto nel quadro delle competenze: «%(code)s».")
CONCEPT_NOT_PROFILE = _("«%(code)s» non è un profilo professionale.")


@extend_schema_field(OpenApiTypes.STR)
class ConceptCodesField(serializers.SlugRelatedField):
    """Related concepts shown by their code (read only; `many=True` for a list)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", read_only=True, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class ConceptCodeField(serializers.Field):
    """A concept of the default framework, given by its code."""

    default_error_messages = {"invalid": _("Indica il codice di un concetto (testo).")}

    def __init__(self, *, profile_only: bool = False, **kwargs: Any) -> None:
        self.profile_only = profile_only
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Concept:
        if not isinstance(data, str) or not data.strip() or len(data) > 255:
            self.fail("invalid")
        for check in (ProhibitNullCharactersValidator(), ProhibitSurrogateCharactersValidator()):
            check(data)  # the database would refuse them (PostgreSQL: NUL in text)
        code = data.strip()
        try:
            concept = concept_get(code=code)
        except Http404 as error:
            raise serializers.ValidationError(CONCEPT_UNKNOWN % {"code": code}) from error
        if self.profile_only and concept.kind != Concept.Kind.PROFILE:
            raise serializers.ValidationError(CONCEPT_NOT_PROFILE % {"code": code})
        return concept

    def to_representation(self, value: Any) -> str:
        return value.code if isinstance(value, Concept) else str(value)


class PlaceSerializer(serializers.Serializer):
    istat_code = serializers.CharField()
    name = serializers.CharField()
    province = serializers.CharField(source="province.code")


class FiltersSerializer(serializers.Serializer):
    """Query-string filters of the public opportunity lists."""

    municipality = serializers.CharField(required=False, default="", allow_blank=True, max_length=6)
    province = serializers.CharField(required=False, default="", allow_blank=True, max_length=2)
    profile = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)
    sector = serializers.CharField(required=False, default="", allow_blank=True, max_length=20)
    q = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=200, source="text"
    )

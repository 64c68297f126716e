from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.auth.tokens import TOKEN_PREFIX, api_token_prepare
from common.models import (
    AccessLog,
    ApiToken,
    Municipality,
    Organisation,
    OutboxMessage,
    Province,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*(BaseUserAdmin.fieldsets or ()), ("Ponte", {"fields": ["role", "organisation"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets, ("Ponte", {"fields": ["role", "organisation"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["istat_code", "name", "province", "latitude", "longitude"]
    list_filter = ["province"]
    search_fields = ["name", "istat_code"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be edited, not even by administrators."""

    list_display = ["at", "actor_username", "actor_role", "action", "subject", "data_category"]
    list_filter = ["action", "data_category", "actor_role"]
    search_fields = ["subject", "actor_username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False


class ApiTokenAddForm(forms.ModelForm):
    days = forms.IntegerField(
        label=_("durata in giorni"),
        min_value=1,
        required=False,
        help_text=_("Vuoto: la durata massima prevista dalla configurazione."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed by their first characters only: the database holds their hash, and
    the token itself is shown once, on the page that follows its creation."""

    list_display = ["prefix_shown", "user", "name", "created_at", "expires_at", "last_used_at"]
    list_filter = ["expires_at"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix_shown", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["prefix_shown", "created_at", "expires_at", "last_used_at"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("token"))
    def prefix_shown(self, obj: ApiToken) -> str:
        return f"{TOKEN_PREFIX}{obj.prefix}_…" if obj.prefix else ""

    def get_form(
        self, request: HttpRequest, obj: ApiToken | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        return ["user", "name", "days"] if obj is None else self.fields

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # a token is created or revoked (deleted), never edited

    def save_model(self, request: Any, obj: ApiToken, form: Any, change: bool) -> None:
        request._ponte_new_token = api_token_prepare(row=obj, days=form.cleaned_data["days"])
        obj.save()

    def response_add(
        self, request: Any, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token_row": obj,
            "token": request._ponte_new_token,
            "title": _("Token creato"),
        }
        return TemplateResponse(request, "admin/common/apitoken/created.html", context)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Work waiting after a commit (common.outbox): read-only, with one action to try again
    the rows the sweeper gave up on."""

    list_display = ["id", "topic", "created_at", "attempts", "due_at", "done_at", "last_error"]
    list_filter = ["topic", ("done_at", admin.EmptyFieldListFilter)]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    @admin.action(description=_("Riprova adesso (azzera i tentativi)"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = queryset.filter(done_at__isnull=True).update(
            attempts=0, due_at=timezone.now(), last_error=""
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d lavoro sarà rimandato al prossimo controllo periodico.",
                "%(count)d lavori saranno rimandati al prossimo controllo periodico.",
                count,
            )
            % {"count": count},
        )

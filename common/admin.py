from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.models import AccessLog, Municipality, Organisation, OutboxMessage, Province, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Ponte", {"fields": ["role", "organisation"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets,
                     ("Ponte", {"fields": ["role", "organisation"]})]


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

    list_display = ["at", "actor", "actor_role", "action", "subject", "data_category"]
    list_filter = ["action", "data_category", "actor_role"]
    search_fields = ["subject"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Work waiting after a commit (common.outbox): read-only, with one action to try again
    the rows the sweeper gave up on."""

    list_display = ["id", "topic", "created_at", "attempts", "due_at", "done_at", "last_error"]
    list_filter = ["topic", ("done_at", admin.EmptyFieldListFilter)]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Riprova adesso (azzera i tentativi)"), permissions=["view"])
    def retry(self, request, queryset) -> None:
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

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from common.models import AccessLog, Municipality, Organisation, Province, User


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

    list_display = ["at", "actor_username", "actor_role", "action", "subject", "data_category"]
    list_filter = ["action", "data_category", "actor_role"]
    search_fields = ["subject", "actor_username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

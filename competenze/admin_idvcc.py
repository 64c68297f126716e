"""Admin pages of the IDVCC records: read-only (records are append-only; requests and
credentials change only through the services), every opening audited."""

from django.contrib import admin

from competenze.admin_audit import AuditedAdmin
from competenze.models import IssuedCredential, StageRecord, StageRequest


class ReadOnlyAuditedAdmin(AuditedAdmin):
    def audit_subject(self, obj) -> str:
        return obj.entry.person.pseudonym if obj.entry_id else ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StageRecord)
class StageRecordAdmin(ReadOnlyAuditedAdmin):
    data_category = "fasi_idvcc"
    list_display = [
        "at",
        "entry",
        "kind",
        "outcome",
        "stage_after",
        "actor_username",
        "organisation",
    ]
    list_filter = ["kind", "outcome", "stage_after", "method"]
    search_fields = ["entry__person__pseudonym", "actor_username", "attestation_number"]


@admin.register(StageRequest)
class StageRequestAdmin(ReadOnlyAuditedAdmin):
    data_category = "fasi_idvcc"
    list_display = ["requested_at", "entry", "stage", "organisation", "status"]
    list_filter = ["stage", "status"]


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(ReadOnlyAuditedAdmin):
    data_category = "credenziali"
    list_display = ["issued_at", "id", "entry", "status_list", "status_index", "revoked_at"]
    list_filter = ["revoked_at"]
    exclude = ["token"]

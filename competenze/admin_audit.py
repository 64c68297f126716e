"""Admin pages of personal data log who opened what (AccessLog), as the selectors do."""

from django.contrib import admin

from common.models import AccessLog
from common.services import access_log_build, access_log_record


class AuditedListMixin:
    """Admin lists of personal data: every person on the page shown is logged, once.

    Subclasses set `data_category` and say whose record an object is (`audit_subject`).
    """

    data_category = ""
    LIST_PURPOSE = "admin: elenco"

    def audit_subject(self, obj) -> str:
        raise NotImplementedError

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            subjects = dict.fromkeys(self.audit_subject(obj) for obj in changelist.result_list)
            AccessLog.objects.bulk_create(
                access_log_build(
                    actor=request.user,
                    action=AccessLog.Action.VIEW,
                    subject=subject,
                    data_category=self.data_category,
                    purpose=self.LIST_PURPOSE,
                )
                for subject in subjects
            )
        return response


class AuditedAdmin(AuditedListMixin, admin.ModelAdmin):
    """Admin pages for personal or judicial data: opening a record, and every record a
    list shows, is logged."""

    def audit_subject(self, obj) -> str:
        return obj.person.pseudonym

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            access_log_record(
                actor=request.user,
                action=AccessLog.Action.VIEW,
                subject=self.audit_subject(obj),
                data_category=self.data_category,
                purpose="admin",
            )
        return obj

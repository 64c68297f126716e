"""Admin pages of guided interviews (imported by competenze/admin.py).

Answers are a person's own words: opening one is logged like identity and judicial data.
"""

from django.contrib import admin

from common.models import AccessLog
from common.services import access_log_record
from competenze.admin_audit import AuditedListMixin
from competenze.models import Interview, InterviewAnswer, InterviewTemplate, SkillSuggestion


class _AuditedInterviewAdmin(AuditedListMixin, admin.ModelAdmin):
    data_category = "colloquio"

    def _pseudonym(self, obj) -> str:
        raise NotImplementedError

    def audit_subject(self, obj) -> str:
        return self._pseudonym(obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            access_log_record(
                actor=request.user,
                action=AccessLog.Action.VIEW,
                subject=self._pseudonym(obj),
                data_category="colloquio",
                purpose="admin",
            )
        return obj


@admin.register(InterviewTemplate)
class InterviewTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "title", "is_active", "created_at"]
    list_filter = ["code", "is_active"]
    readonly_fields = ["code", "version", "definition"]


@admin.register(Interview)
class InterviewAdmin(_AuditedInterviewAdmin):
    list_display = ["person", "template", "counsellor", "status", "started_at", "completed_at"]
    list_filter = ["status", "template"]
    search_fields = ["person__pseudonym"]
    raw_id_fields = ["person", "template", "counsellor"]
    list_select_related = ["person", "template", "counsellor"]

    def _pseudonym(self, obj: Interview) -> str:
        return obj.person.pseudonym


@admin.register(InterviewAnswer)
class InterviewAnswerAdmin(_AuditedInterviewAdmin):
    list_display = ["interview", "question_id", "skipped", "extraction_status", "answered_at"]
    list_filter = ["extraction_status", "skipped", "section"]
    search_fields = ["interview__person__pseudonym", "question_id"]
    raw_id_fields = ["interview", "answered_by", "evidence"]
    list_select_related = ["interview__person"]

    def _pseudonym(self, obj: InterviewAnswer) -> str:
        return obj.interview.person.pseudonym


@admin.register(SkillSuggestion)
class SkillSuggestionAdmin(_AuditedInterviewAdmin):
    list_display = ["answer", "concept", "score", "status", "level", "model_version"]
    list_filter = ["status", "model_version", "negated", "hedged"]
    search_fields = ["concept__code", "answer__interview__person__pseudonym"]
    raw_id_fields = ["answer", "concept", "decided_by", "skill_entry"]
    list_select_related = ["answer__interview__person", "concept"]

    def _pseudonym(self, obj: SkillSuggestion) -> str:
        return obj.answer.interview.person.pseudonym

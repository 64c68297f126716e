from django.contrib import admin

from common.events import PERSON_CHANGED, PERSON_DELETED, send_now, send_on_commit
from competenze import admin_idvcc, admin_interviews  # noqa: F401  (register their pages)
from competenze.admin_audit import AuditedAdmin
from competenze.models import (
    Concept,
    ConceptExternalCode,
    ConceptRelation,
    Consent,
    Evidence,
    Experience,
    Framework,
    Institute,
    JudicialMeasure,
    Person,
    PersonIdentity,
    PersonLanguage,
    Sector,
    SkillEntry,
)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "source", "is_default"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "framework"]
    list_filter = ["framework"]


class ExternalCodeInline(admin.TabularInline):
    model = ConceptExternalCode
    extra = 0


class RelationInline(admin.TabularInline):
    model = ConceptRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["code", "pref_label", "kind", "sector", "framework"]
    list_filter = ["framework", "kind", "sector"]
    search_fields = ["code", "pref_label"]
    autocomplete_fields = ["parent"]
    inlines = [ExternalCodeInline, RelationInline]


@admin.register(Institute)
class InstituteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    autocomplete_fields = ["municipality"]


class LanguageInline(admin.TabularInline):
    model = PersonLanguage
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "organisation", "counsellor", "domicile", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["pseudonym"]
    raw_id_fields = ["counsellor", "user"]
    autocomplete_fields = ["domicile"]
    inlines = [LanguageInline]

    def delete_model(self, request, obj):
        person_id = obj.pk
        super().delete_model(request, obj)
        send_now(PERSON_DELETED, person_id=person_id)  # gone from the search index at once

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for person_id in ids:
            send_now(PERSON_DELETED, person_id=person_id)


@admin.register(PersonIdentity)
class PersonIdentityAdmin(AuditedAdmin):
    data_category = "identita"
    list_display = ["person"]
    search_fields = ["person__pseudonym"]
    raw_id_fields = ["person"]


@admin.register(JudicialMeasure)
class JudicialMeasureAdmin(AuditedAdmin):
    data_category = "giudiziari"
    list_display = ["person", "measure_type", "start_date", "end_date"]
    list_filter = ["measure_type"]
    raw_id_fields = ["person"]
    filter_horizontal = ["allowed_municipalities"]

    # The candidate index keeps each person's current constraints (search.admits): a measure
    # written or removed here reindexes its person, after the allowed municipalities too.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        send_on_commit(PERSON_CHANGED, person_id=form.instance.person_id)

    def delete_model(self, request, obj):
        person_id = obj.person_id
        super().delete_model(request, obj)
        send_on_commit(PERSON_CHANGED, person_id=person_id)

    def delete_queryset(self, request, queryset):
        people = set(queryset.values_list("person_id", flat=True))
        super().delete_queryset(request, queryset)
        for person_id in sorted(people):
            send_on_commit(PERSON_CHANGED, person_id=person_id)


@admin.register(Consent)
class ConsentAdmin(AuditedAdmin):
    data_category = "consensi"
    list_display = ["person", "purpose", "recipient", "given_at", "revoked_at", "needs_renewal"]
    list_filter = ["purpose", "needs_renewal"]
    raw_id_fields = ["person", "recorded_by", "revoked_by"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "kind", "category", "start_date"]
    list_filter = ["kind", "category"]
    raw_id_fields = ["person"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "created_at"]
    raw_id_fields = ["person", "experience", "uploaded_by"]


@admin.register(SkillEntry)
class SkillEntryAdmin(admin.ModelAdmin):
    """The stage is read-only here: it changes only through an IDVCC record."""

    list_display = ["person", "concept", "level", "stage", "source"]
    list_filter = ["stage", "source"]
    raw_id_fields = ["person", "concept", "experience", "recorded_by"]
    readonly_fields = ["stage", "stage_changed_by", "stage_changed_at"]

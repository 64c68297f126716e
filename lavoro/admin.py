from django.contrib import admin

from common.events import OPPORTUNITY_DELETED, send_now
from lavoro.kinds import COURSE, OFFER, PLACEMENT, OpportunityKind
from lavoro.models import (
    Convention,
    Course,
    CourseSkill,
    Employer,
    HostBody,
    JobOffer,
    OfferSkill,
    Placement,
    Proposal,
    ProposalEvent,
    Site,
    TrainingProvider,
)


class IndexedOpportunityAdmin(admin.ModelAdmin):
    """Deleting an offer, course or placement says so at once (OPPORTUNITY_DELETED: it
    leaves the search index before the request ends)."""

    opportunity_kind: OpportunityKind

    def delete_model(self, request, obj):
        opportunity_id = obj.pk
        super().delete_model(request, obj)
        send_now(
            OPPORTUNITY_DELETED, kind=self.opportunity_kind.code, opportunity_id=opportunity_id
        )

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for opportunity_id in ids:
            send_now(
                OPPORTUNITY_DELETED, kind=self.opportunity_kind.code, opportunity_id=opportunity_id
            )


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "partita_iva", "ateco_code", "smuraglia_interest"]
    search_fields = ["organisation__name", "partita_iva"]
    inlines = [SiteInline]


class OfferSkillInline(admin.TabularInline):
    model = OfferSkill
    extra = 0
    raw_id_fields = ["concept"]


@admin.register(JobOffer)
class JobOfferAdmin(IndexedOpportunityAdmin):
    opportunity_kind = OFFER
    list_display = ["title", "employer", "municipality", "status", "published_at"]
    list_filter = ["status", "contract"]
    search_fields = ["title"]
    raw_id_fields = ["employer", "site", "municipality", "profile"]
    inlines = [OfferSkillInline]


@admin.register(TrainingProvider)
class TrainingProviderAdmin(admin.ModelAdmin):
    list_display = ["organisation", "accreditation_code"]


class CourseSkillInline(admin.TabularInline):
    model = CourseSkill
    extra = 0
    raw_id_fields = ["concept"]


@admin.register(Course)
class CourseAdmin(IndexedOpportunityAdmin):
    opportunity_kind = COURSE
    list_display = [
        "title",
        "provider",
        "municipality",
        "start_date",
        "seats",
        "seats_taken",
        "status",
    ]
    list_filter = ["status", "certificate"]
    search_fields = ["title"]
    raw_id_fields = ["provider", "municipality", "institute", "profile"]
    inlines = [CourseSkillInline]


@admin.register(HostBody)
class HostBodyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind"]


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["host_body", "court", "reference", "valid_from", "valid_to"]


@admin.register(Placement)
class PlacementAdmin(IndexedOpportunityAdmin):
    opportunity_kind = PLACEMENT
    list_display = [
        "title",
        "host_body",
        "activity",
        "municipality",
        "places",
        "places_taken",
        "status",
    ]
    list_filter = ["activity", "status"]
    raw_id_fields = ["host_body", "convention", "municipality", "profile"]
    filter_horizontal = ["skills"]


class ProposalEventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["person", "offer", "course", "placement", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["person", "offer", "course", "placement", "consent", "proposed_by"]
    inlines = [ProposalEventInline]


import lavoro.admin_candidates  # noqa: E402,F401  (shortlists and contact requests)

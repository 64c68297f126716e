"""Admin pages for shortlists and contact requests: counsellors follow requests here for now."""

from django.contrib import admin

from lavoro.models import ContactRequest, ShortlistEntry


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ["person", "employer", "offer", "counsellor", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["person__pseudonym", "employer__organisation__name", "offer__title"]
    raw_id_fields = ["counsellor"]
    readonly_fields = ["employer", "offer", "person", "requested_by", "message", "created_at"]
    fields = [
        "person",
        "employer",
        "offer",
        "requested_by",
        "message",
        "counsellor",
        "status",
        "created_at",
    ]


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(admin.ModelAdmin):
    list_display = ["person", "offer", "created_at"]
    search_fields = ["person__pseudonym", "offer__title"]
    raw_id_fields = ["offer", "person", "added_by"]

"""Placements, learning outcomes, their decisions and half-days: read-only in the admin.

Each changes only through `placements.services`, which keep the rules (a half-day inside the
window and after the outcomes were approved, approval by the line manager with a decision
row) and the history; the admin would keep neither."""

from django.contrib import admin

from i2i.admin_site import ProgrammeRecordAdmin, ProgrammeRecordInline
from placements.models import (
    ClearanceRecord,
    Concern,
    ConcernStep,
    HalfDay,
    HostFeedback,
    LearningOutcome,
    OutcomesDecision,
    ParticipantFeedback,
    Placement,
    PlacementOffer,
)


class LearningOutcomeInline(ProgrammeRecordInline):
    model = LearningOutcome
    fields = ["text"]


class OutcomesDecisionInline(ProgrammeRecordInline):
    """The audit trail is read-only, even in the admin."""

    model = OutcomesDecision
    fields = ["action", "by", "at", "comment", "outcomes_snapshot"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class HalfDayInline(ProgrammeRecordInline):
    model = HalfDay
    fields = ["date", "session", "person_met", "level", "status", "confirmed_at"]


@admin.register(Placement)
class PlacementAdmin(ProgrammeRecordAdmin):
    list_display = ["participant", "organisation", "status", "outcomes_status", "updated_at"]
    list_filter = ["status", "outcomes_status", "participant__cohort", "organisation__sector"]
    search_fields = [
        "participant__user__full_name",
        "participant__user__email",
        "organisation__name",
        "contact_name",
    ]
    list_select_related = ["participant__user", "participant__cohort", "organisation"]
    inlines = [LearningOutcomeInline, HalfDayInline, OutcomesDecisionInline]


@admin.register(HalfDay)
class HalfDayAdmin(ProgrammeRecordAdmin):
    list_display = ["date", "session", "placement", "person_met", "level", "status"]
    list_filter = ["status", "level", "session", "placement__participant__cohort"]
    search_fields = ["person_met", "placement__organisation__name", "participant__user__full_name"]
    date_hierarchy = "date"
    list_select_related = ["placement__organisation", "placement__participant__user"]


@admin.register(OutcomesDecision)
class OutcomesDecisionAdmin(ProgrammeRecordAdmin):
    """Who decided what, when: for the programme manager to read, not to change."""

    list_display = ["at", "placement", "action", "by"]
    list_filter = ["action"]
    search_fields = ["placement__participant__user__full_name", "by__full_name"]
    list_select_related = ["placement__participant__user", "placement__organisation", "by"]
    # In the order the page has always shown them (History's fields come first in the model).
    fields = ["placement", "action", "by", "comment", "outcomes_snapshot"]


@admin.register(LearningOutcome)
class LearningOutcomeAdmin(ProgrammeRecordAdmin):
    list_display = ["text", "placement"]
    list_filter = ["placement__outcomes_status", "placement__participant__cohort"]
    search_fields = ["text", "placement__participant__user__full_name"]
    list_select_related = ["placement__participant__user", "placement__organisation"]


@admin.register(PlacementOffer)
class PlacementOfferAdmin(ProgrammeRecordAdmin):
    list_display = ["title", "organisation", "visitors_per_month", "is_published"]
    list_filter = ["is_published", "organisation__sector"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(ClearanceRecord)
class ClearanceRecordAdmin(ProgrammeRecordAdmin):
    list_display = ["placement", "kind", "confirmed_by_name", "confirmed_on"]
    list_filter = ["kind"]
    search_fields = ["placement__participant__user__full_name", "placement__organisation__name"]
    list_select_related = ["placement__participant__user", "placement__organisation"]


@admin.register(HostFeedback)
class HostFeedbackAdmin(ProgrammeRecordAdmin):
    list_display = ["placement", "rating", "given_at"]
    list_filter = ["rating", "placement__organisation__sector"]
    search_fields = ["placement__organisation__name"]
    list_select_related = ["placement__participant__user", "placement__organisation"]


@admin.register(ParticipantFeedback)
class ParticipantFeedbackAdmin(ProgrammeRecordAdmin):
    list_display = ["placement", "given_at"]
    list_filter = ["placement__organisation__sector"]
    search_fields = ["placement__organisation__name", "placement__participant__user__full_name"]
    list_select_related = ["placement__participant__user", "placement__organisation"]


@admin.register(Concern)
class ConcernAdmin(ProgrammeRecordAdmin):
    """Handled on the concern's page, which keeps its history (`ConcernStep`)."""

    list_display = ["placement", "kind", "status", "raised_at"]
    list_filter = ["kind", "status"]
    search_fields = ["placement__organisation__name", "placement__participant__user__full_name"]
    list_select_related = ["placement__participant__user", "placement__organisation"]


@admin.register(ConcernStep)
class ConcernStepAdmin(ProgrammeRecordAdmin):
    list_display = ["at", "concern", "action", "by"]
    list_filter = ["action"]
    search_fields = ["concern__placement__organisation__name", "by__full_name"]
    list_select_related = [
        "concern__placement__participant__user",
        "concern__placement__organisation",
        "by",
    ]
    fields = ["concern", "action", "by", "comment"]

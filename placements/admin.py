from django.contrib import admin

from placements.models import HalfDay, LearningOutcome, OutcomesDecision, Placement


class LearningOutcomeInline(admin.TabularInline):
    model = LearningOutcome
    extra = 0


class OutcomesDecisionInline(admin.TabularInline):
    """The audit trail is read-only, even in the admin."""

    model = OutcomesDecision
    extra = 0
    can_delete = False
    readonly_fields = ["action", "by", "at", "comment", "outcomes_snapshot"]

    def has_add_permission(self, request, obj=None):
        return False


class HalfDayInline(admin.TabularInline):
    model = HalfDay
    extra = 0
    fields = ["date", "session", "person_met", "level", "status", "confirmed_at"]
    readonly_fields = ["confirmed_at"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["participant", "organisation", "status", "outcomes_status", "updated_at"]
    list_filter = ["status", "outcomes_status", "participant__cohort", "organisation__sector"]
    search_fields = [
        "participant__user__full_name",
        "participant__user__email",
        "organisation__name",
        "contact_name",
    ]
    autocomplete_fields = ["participant", "organisation"]
    list_select_related = ["participant__user", "participant__cohort", "organisation"]
    readonly_fields = ["outcomes_first_approved_at", "created_at", "updated_at"]
    inlines = [LearningOutcomeInline, HalfDayInline, OutcomesDecisionInline]


@admin.register(HalfDay)
class HalfDayAdmin(admin.ModelAdmin):
    list_display = ["date", "session", "placement", "person_met", "level", "status"]
    list_filter = ["status", "level", "session", "placement__participant__cohort"]
    search_fields = ["person_met", "placement__organisation__name", "participant__user__full_name"]
    date_hierarchy = "date"
    list_select_related = ["placement__organisation", "placement__participant__user"]
    raw_id_fields = ["placement"]
    readonly_fields = ["completed_at", "confirmation_sent_at", "confirmed_at", "confirmed_by_name"]

    def save_model(self, request, obj, form, change):
        obj.participant_id = obj.placement.participant_id
        super().save_model(request, obj, form, change)


@admin.register(OutcomesDecision)
class OutcomesDecisionAdmin(admin.ModelAdmin):
    """Who decided what, when: for the programme manager to read, not to change."""

    list_display = ["at", "placement", "action", "by"]
    list_filter = ["action"]
    search_fields = ["placement__participant__user__full_name", "by__full_name", "comment"]
    list_select_related = ["placement__participant__user", "placement__organisation", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LearningOutcome)
class LearningOutcomeAdmin(admin.ModelAdmin):
    list_display = ["text", "placement"]
    list_filter = ["placement__outcomes_status", "placement__participant__cohort"]
    search_fields = ["text", "placement__participant__user__full_name"]
    list_select_related = ["placement__participant__user", "placement__organisation"]
    raw_id_fields = ["placement"]

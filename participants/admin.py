from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from i2i.admin_site import DeletionSummaryMixin
from participants.models import (
    Cohort,
    CohortPlaces,
    EducationLead,
    EOIEvent,
    ExpressionOfInterest,
    Organisation,
    Participant,
    SharedContact,
    SponsorMeeting,
    User,
    WorkshopConsent,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_programme_manager", "is_active", "last_login"]
    list_filter = ["is_programme_manager", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Roles", {"fields": ["is_programme_manager", "is_active"]}),
        (
            "Technical access",
            {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        """A programme manager looks after people, but cannot hand out technical powers."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields


class EducationLeadInline(admin.TabularInline):
    model = EducationLead
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "is_partner", "town", "is_active", "is_confirmed"]
    list_filter = ["sector", "is_partner", "is_active", "is_confirmed"]
    search_fields = ["name", "town"]
    inlines = [EducationLeadInline]
    autocomplete_fields = ["sponsor"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(EducationLead)
class EducationLeadAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Cohort)
class CohortAdmin(DeletionSummaryMixin, admin.ModelAdmin):
    list_display = ["name", "status", "programme_start", "programme_end", "workshop_date"]
    list_filter = ["status"]
    search_fields = ["name"]
    date_hierarchy = "programme_start"
    # What the delete confirmation names: the cohort's participants, places and EOIs.
    deletion_name_relations = {
        "participants.Participant": ("user", "cohort"),
        "participants.CohortPlaces": ("organisation", "cohort"),
        "participants.ExpressionOfInterest": ("applicant", "cohort"),
    }


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "cohort",
        "organisation",
        "line_manager",
        "sponsor",
        "briefing_attended",
        "workshop_attended",
    ]
    # Attendance is recorded for a whole cohort at once, like a register.
    list_editable = ["briefing_attended", "workshop_attended"]
    list_filter = ["cohort", "organisation", "profession", "briefing_attended", "workshop_attended"]
    search_fields = ["user__email", "user__full_name", "job_title", "profession"]
    autocomplete_fields = ["user", "organisation", "line_manager", "sponsor"]
    list_select_related = ["user", "cohort", "organisation", "line_manager", "sponsor"]


class CohortPlacesInline(admin.TabularInline):
    model = CohortPlaces
    extra = 0
    autocomplete_fields = ["organisation"]


CohortAdmin.inlines = [CohortPlacesInline]


@admin.register(CohortPlaces)
class CohortPlacesAdmin(admin.ModelAdmin):
    list_display = ["cohort", "organisation", "places"]
    list_filter = ["cohort"]
    search_fields = ["organisation__name"]


class EOIEventInline(admin.TabularInline):
    model = EOIEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "status", "support", "shortlisted", "decision"]
    list_filter = ["cohort", "organisation", "status", "support", "decision"]
    search_fields = ["applicant__full_name", "applicant__email", "nominee_email", "job_title"]
    list_select_related = ["applicant", "cohort", "organisation"]
    raw_id_fields = ["applicant", "nominated_by", "support_by", "decided_by", "participant"]
    inlines = [EOIEventInline]


@admin.register(EOIEvent)
class EOIEventAdmin(admin.ModelAdmin):
    list_display = ["at", "eoi", "action", "by"]
    list_filter = ["action"]
    search_fields = ["eoi__applicant__full_name", "comment"]
    list_select_related = ["eoi__applicant", "eoi__cohort", "by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class ParticipantChoicesMixin:
    """A participant is named "person (cohort)": the choices of participant fetch both with
    it, rather than one query per choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participant" and "queryset" not in kwargs:
            kwargs["queryset"] = Participant.objects.select_related("user", "cohort")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SponsorMeeting)
class SponsorMeetingAdmin(ParticipantChoicesMixin, admin.ModelAdmin):
    list_display = ["participant", "met_on", "recorded_by"]
    list_filter = ["participant__cohort"]
    search_fields = ["participant__user__full_name", "notes"]
    list_select_related = ["participant__user", "participant__cohort", "recorded_by"]


@admin.register(SharedContact)
class SharedContactAdmin(ParticipantChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "participant", "shared_by"]
    list_filter = ["organisation__sector"]
    search_fields = ["name", "organisation__name", "participant__user__full_name"]
    list_select_related = ["organisation", "participant__user", "participant__cohort", "shared_by"]


@admin.register(WorkshopConsent)
class WorkshopConsentAdmin(ParticipantChoicesMixin, admin.ModelAdmin):
    list_display = ["participant", "include", "include_learning", "include_initiative"]
    list_filter = ["include", "participant__cohort"]
    search_fields = ["participant__user__full_name"]
    list_select_related = ["participant__user", "participant__cohort"]

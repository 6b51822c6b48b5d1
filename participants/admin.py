from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from participants.models import Cohort, EducationLead, Organisation, Participant, User


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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(EducationLead)
class EducationLeadAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "programme_start", "programme_end", "workshop_date"]
    list_filter = ["status"]
    search_fields = ["name"]
    date_hierarchy = "programme_start"


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

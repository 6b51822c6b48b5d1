"""Reflective accounts in the admin: their status only, read-only.

The text (answers, outcome ratings, the version shared, the line manager's comments) is the
participant's and their line manager's alone: the admin neither shows it nor searches,
filters or orders by it (`i2i.admin_site.PRIVATE_FIELDS`). Accounts change only through
`reflections.services`, and are never deleted here."""

from django.contrib import admin

from i2i.admin_site import ProgrammeRecordAdmin
from reflections.models import AccountEvent, MidProgrammeReview, ReflectiveAccount


@admin.register(ReflectiveAccount)
class ReflectiveAccountAdmin(ProgrammeRecordAdmin):
    """Status only: the text is private to the participant and their line manager, so the
    admin shows neither the answers nor the outcome comments."""

    list_display = ["placement", "framework", "status", "shared_at", "discussed_on"]
    list_filter = ["status", "framework", "participant__cohort"]
    search_fields = ["participant__user__full_name", "placement__organisation__name"]
    list_select_related = ["placement__participant__user", "placement__organisation"]
    fields = ["placement", "framework", "status", "shared_at", "discussed_on", "updated_at"]
    readonly_fields = fields


@admin.register(AccountEvent)
class AccountEventAdmin(ProgrammeRecordAdmin):
    """Who shared, discussed or asked for more, and when; never the comment."""

    list_display = ["at", "account", "action", "by"]
    list_filter = ["action"]
    search_fields = ["account__participant__user__full_name", "by__full_name"]
    list_select_related = [
        "account__placement__organisation",
        "account__placement__participant__user",
        "by",
    ]
    fields = ["account", "action", "by", "at", "discussed_on"]
    readonly_fields = fields


@admin.register(MidProgrammeReview)
class MidProgrammeReviewAdmin(ProgrammeRecordAdmin):
    """Whether and when it was held, and who recorded it; never what was said, which is the
    participant's and their line manager's (`reflections.reviews`)."""

    list_display = ["participant", "held_on", "recorded_by"]
    list_filter = ["participant__cohort"]
    search_fields = ["participant__user__full_name"]
    list_select_related = ["participant__user", "participant__cohort", "recorded_by"]
    fields = ["participant", "held_on", "recorded_by", "recorded_at"]
    readonly_fields = fields

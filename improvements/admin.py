"""Improvement initiatives, their measures, data, PDSA cycles and agreement decisions:
read-only in the admin. Each changes only through `improvements.services`, which keep the
line manager's agreement and its history; the admin would keep neither."""

from django.contrib import admin

from i2i.admin_site import ProgrammeRecordAdmin, ProgrammeRecordInline, ProgrammeRecordMixin
from improvements.models import (
    AgreementDecision,
    Attachment,
    DataPoint,
    DriverNode,
    ImplementationMilestone,
    ImprovementInitiative,
    Measure,
    PDSACycle,
    ServiceUserFeedback,
    TeamMember,
)


class PDSAInline(ProgrammeRecordMixin, admin.StackedInline):
    model = PDSACycle
    extra = 0
    fields = [
        "number",
        "change",
        "prediction",
        "starts_on",
        "do_notes",
        "study_notes",
        "act",
        "next_steps",
        "ends_on",
    ]


class MeasureInline(ProgrammeRecordInline):
    model = Measure
    fields = ["name", "unit", "direction", "baseline", "target"]


class AgreementInline(ProgrammeRecordInline):
    model = AgreementDecision
    fields = ["action", "by", "at", "comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(ImprovementInitiative)
class ImprovementInitiativeAdmin(ProgrammeRecordAdmin):
    list_display = ["title", "participant", "kind", "status", "agreement", "progress_score"]
    list_filter = ["status", "agreement", "kind", "participant__cohort"]
    search_fields = ["title", "participant__user__full_name", "aim"]
    list_select_related = ["participant__user", "participant__cohort"]
    inlines = [MeasureInline, PDSAInline, AgreementInline]


@admin.register(Measure)
class MeasureAdmin(ProgrammeRecordAdmin):
    list_display = ["name", "initiative", "unit", "direction", "baseline", "target"]
    list_filter = ["direction", "initiative__participant__cohort"]
    search_fields = ["name", "initiative__title"]
    list_select_related = ["initiative"]


@admin.register(DataPoint)
class DataPointAdmin(ProgrammeRecordAdmin):
    list_display = ["measure", "date", "value", "note"]
    list_filter = ["measure__initiative__participant__cohort"]
    search_fields = ["measure__name", "note"]
    list_select_related = ["measure"]


@admin.register(PDSACycle)
class PDSACycleAdmin(ProgrammeRecordAdmin):
    list_display = ["initiative", "number", "starts_on", "act"]
    list_filter = ["act"]
    search_fields = ["initiative__title", "change"]
    list_select_related = ["initiative"]


@admin.register(AgreementDecision)
class AgreementDecisionAdmin(ProgrammeRecordAdmin):
    list_display = ["at", "initiative", "action", "by"]
    list_filter = ["action"]
    search_fields = ["initiative__title", "by__full_name"]
    list_select_related = ["initiative", "by"]
    # In the order the page has always shown them (History's fields come first in the model).
    fields = ["initiative", "action", "by", "comment"]


@admin.register(ServiceUserFeedback)
class ServiceUserFeedbackAdmin(ProgrammeRecordAdmin):
    list_display = ["question", "initiative", "how_many", "collected_on"]
    list_filter = ["initiative__participant__cohort"]
    search_fields = ["question", "initiative__title"]
    list_select_related = ["initiative"]


@admin.register(TeamMember)
class TeamMemberAdmin(ProgrammeRecordAdmin):
    list_display = ["name", "role", "organisation", "initiative"]
    list_filter = ["initiative__participant__cohort"]
    search_fields = ["name", "initiative__title"]
    list_select_related = ["initiative", "organisation"]


@admin.register(DriverNode)
class DriverNodeAdmin(ProgrammeRecordAdmin):
    list_display = ["text", "level", "initiative"]
    list_filter = ["level"]
    search_fields = ["text", "initiative__title"]
    list_select_related = ["initiative"]


@admin.register(ImplementationMilestone)
class ImplementationMilestoneAdmin(ProgrammeRecordAdmin):
    list_display = ["title", "due_on", "status", "initiative"]
    list_filter = ["status"]
    search_fields = ["title", "initiative__title"]
    list_select_related = ["initiative"]


@admin.register(Attachment)
class AttachmentAdmin(ProgrammeRecordAdmin):
    """The file itself is downloaded from the initiative's page, which checks who may read it."""

    list_display = ["name", "content_type", "size", "initiative", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["name", "initiative__title"]
    list_select_related = ["initiative"]
    fields = ["name", "description", "content_type", "size", "uploaded_at"]

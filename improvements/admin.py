from django.contrib import admin

from improvements.models import (
    AgreementDecision,
    DataPoint,
    ImprovementInitiative,
    Measure,
    PDSACycle,
)


class PDSAInline(admin.StackedInline):
    model = PDSACycle
    extra = 0


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["name", "unit", "direction", "baseline", "target"]


class AgreementInline(admin.TabularInline):
    model = AgreementDecision
    extra = 0
    can_delete = False
    readonly_fields = ["action", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImprovementInitiative)
class ImprovementInitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "participant", "kind", "status", "agreement", "progress_score"]
    list_filter = ["status", "agreement", "kind", "participant__cohort"]
    search_fields = ["title", "participant__user__full_name", "aim"]
    list_select_related = ["participant__user", "participant__cohort"]
    autocomplete_fields = ["participant"]
    filter_horizontal = ["organisations"]
    raw_id_fields = ["placements"]
    readonly_fields = ["agreed_first_at", "created_at", "updated_at"]
    inlines = [MeasureInline, PDSAInline, AgreementInline]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "initiative", "unit", "direction", "baseline", "target"]
    list_filter = ["direction", "initiative__participant__cohort"]
    search_fields = ["name", "initiative__title"]
    list_select_related = ["initiative"]


@admin.register(DataPoint)
class DataPointAdmin(admin.ModelAdmin):
    list_display = ["measure", "date", "value", "note"]
    list_filter = ["measure__initiative__participant__cohort"]
    search_fields = ["measure__name", "note"]
    list_select_related = ["measure"]
    raw_id_fields = ["measure"]


@admin.register(PDSACycle)
class PDSACycleAdmin(admin.ModelAdmin):
    list_display = ["initiative", "number", "starts_on", "act"]
    list_filter = ["act"]
    search_fields = ["initiative__title", "change"]
    list_select_related = ["initiative"]


@admin.register(AgreementDecision)
class AgreementDecisionAdmin(admin.ModelAdmin):
    list_display = ["at", "initiative", "action", "by"]
    list_filter = ["action"]
    search_fields = ["initiative__title", "by__full_name", "comment"]
    list_select_related = ["initiative", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

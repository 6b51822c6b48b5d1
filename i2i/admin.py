from django.contrib import admin

from i2i.models import AuditEvent, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "status", "progress", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "owner__email"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted through the application."""

    list_display = ["at", "actor_label", "action", "target", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from i2i.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "status", "progress", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "owner__email"]
    readonly_fields = [f.name for f in Job._meta.fields]

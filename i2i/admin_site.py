from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied


class I2IAdminSite(admin.AdminSite):
    """The admin is the programme manager's tool for power tasks, not only technical staff's."""

    site_header = "I2I Cohorts administration"
    site_title = "I2I Cohorts admin"
    index_title = "Programme records"

    def login(self, request, extra_context=None):
        """Sign in through allauth, so that two-factor authentication also guards the admin;
        a signed-in user without the programme manager role is refused (403)."""
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied("The admin is for the programme manager.")
        return redirect_to_login(request.GET.get("next", self.index_url()))

    def index_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)

    def has_permission(self, request):
        from i2i.access import can_use_admin

        return can_use_admin(request.user)


class I2IAdminConfig(AdminConfig):
    default_site = "i2i.admin_site.I2IAdminSite"


class DeletionSummaryMixin:
    """The delete confirmation names every object that would go with the one deleted (or that
    stops it being deleted). Django's summary reads the related rows each name needs one
    object at a time; `deletion_name_relations` (model label → `select_related` paths that
    its `__str__` reads) has them fetched with the objects instead.

    `get_deleted_objects` is Django's (`django.contrib.admin.utils`) with that collector."""

    deletion_name_relations: dict[str, tuple[str, ...]] = {}

    def get_deleted_objects(self, objs, request):
        from django.contrib.admin.utils import NestedObjects, quote
        from django.db import router
        from django.urls import NoReverseMatch, reverse
        from django.utils.html import format_html
        from django.utils.text import capfirst

        relations = self.deletion_name_relations

        class Collector(NestedObjects):
            def related_objects(self, related_model, related_fields, objs):
                qs = super().related_objects(related_model, related_fields, objs)
                return qs.select_related(*relations.get(related_model._meta.label, ()))

        try:
            obj = objs[0]
        except IndexError:
            return [], {}, set(), []
        collector = Collector(using=router.db_for_write(obj._meta.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()
        admin_site = self.admin_site

        def format_callback(obj):
            opts = obj._meta
            no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
            if not admin_site.is_registered(obj.__class__):
                return no_edit_link
            if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            try:
                admin_url = reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    None,
                    (quote(obj.pk),),
                )
            except NoReverseMatch:
                return no_edit_link
            return format_html(
                '{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), admin_url, obj
            )

        to_delete = collector.nested(format_callback)
        protected = [format_callback(obj) for obj in collector.protected]
        model_count = {
            model._meta.verbose_name_plural: len(objs)
            for model, objs in collector.model_objs.items()
        }
        return to_delete, model_count, perms_needed, protected

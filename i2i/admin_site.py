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

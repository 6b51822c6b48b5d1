"""The application's URLs plus a trivial view, for the load test only (`load_settings`)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def trivial(request):
    """No database, no template: what gunicorn and Django's middleware cost on their own, the
    floor each page's throughput is compared with."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("load/trivial/", trivial, name="load_trivial"),
    path("", include("i2i.urls")),
]

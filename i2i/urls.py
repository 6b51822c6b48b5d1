from django.contrib import admin
from django.urls import include, path

from i2i import job_views, views

handler400 = "i2i.views.bad_request"

# The kernel's own pages, then each app's; `programme.urls` holds the pages across apps
# (home, a participant's progress, the dashboard, the pack, the evaluation, personal data).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("audit/", job_views.audit_log, name="audit_log"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status/", job_views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", job_views.job_download, name="job_download"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("programme.urls")),
    path("", include("participants.urls")),
    path("", include("participants.recruitment_urls")),
    path("", include("placements.urls")),
    path("", include("reflections.urls")),
    path("", include("improvements.urls")),
    path("", include("evaluation.urls")),
]

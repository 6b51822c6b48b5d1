from django.contrib import admin
from django.urls import include, path

from i2i import dashboard_views, job_views, views, workshop_views

handler400 = "i2i.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "cohorts/<int:pk>/dashboard/",
        dashboard_views.cohort_dashboard_view,
        name="cohort_dashboard",
    ),
    path(
        "cohorts/<int:pk>/dashboard.csv",
        dashboard_views.cohort_dashboard_csv,
        name="cohort_dashboard_csv",
    ),
    path("cohorts/<int:pk>/workshop-pack/", workshop_views.workshop_pack, name="workshop_pack"),
    path(
        "cohorts/<int:pk>/workshop-pack/new/",
        workshop_views.workshop_pack_start,
        name="workshop_pack_start",
    ),
    path(
        "participants/<int:participant_pk>/workshop/",
        workshop_views.workshop_consent,
        name="workshop_consent",
    ),
    path("audit/", job_views.audit_log, name="audit_log"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status/", job_views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", job_views.job_download, name="job_download"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("participants.urls")),
    path("", include("participants.recruitment_urls")),
    path("", include("placements.urls")),
    path("", include("reflections.urls")),
    path("", include("improvements.urls")),
    path("", include("evaluation.urls")),
    path("", include("i2i.notification_urls")),
]

from django.urls import path

from programme import (
    announcement_views,
    dashboard_views,
    notification_views,
    privacy_views,
    views,
    workshop_views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("organisations/proposed/", views.organisations_proposed, name="organisations_proposed"),
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
    path("cohorts/<int:pk>/evaluation/", views.cohort_evaluation, name="cohort_evaluation"),
    path(
        "cohorts/<int:pk>/evaluation/pdf/",
        views.cohort_evaluation_pdf,
        name="cohort_evaluation_pdf",
    ),
    path("evaluation/", views.across_cohorts, name="across_cohorts"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/sent/", notification_views.notifications_sent, name="notifications_sent"),
    path("announcements/", announcement_views.announcement_list, name="announcement_list"),
    path("announcements/new/", announcement_views.announcement_new, name="announcement_new"),
    path("announcements/sent/", announcement_views.announcements_sent, name="announcements_sent"),
    path(
        "announcements/<int:pk>/",
        announcement_views.announcement_detail,
        name="announcement_detail",
    ),
    path(
        "announcements/<int:pk>/read/",
        announcement_views.announcement_read,
        name="announcement_read",
    ),
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("my-data/", privacy_views.my_data, name="my_data"),
    path("my-data.json", privacy_views.my_data_json, name="my_data_json"),
    path("my-data/pdf/", privacy_views.my_data_pdf, name="my_data_pdf"),
    path("people/<int:user_pk>/erase/", privacy_views.person_erase_view, name="person_erase"),
]

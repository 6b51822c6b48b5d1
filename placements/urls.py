from django.urls import path

from placements import concern_views, feedback_views, host_views, offer_views, views

urlpatterns = [
    path(
        "participants/<int:participant_pk>/placements/new/",
        views.placement_create,
        name="placement_create",
    ),
    path(
        "participants/<int:participant_pk>/calendar.ics",
        views.calendar_download,
        name="participant_calendar",
    ),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/withdraw/", views.placement_withdraw, name="placement_withdraw"),
    path("placements/<int:pk>/outcomes/", views.outcomes_edit, name="outcomes_edit"),
    path("placements/<int:pk>/outcomes/decide/", views.outcomes_decide, name="outcomes_decide"),
    path(
        "placements/<int:placement_pk>/half-days/new/",
        views.half_day_create,
        name="half_day_create",
    ),
    path("half-days/<int:pk>/edit/", views.half_day_edit, name="half_day_edit"),
    path(
        "half-days/<int:pk>/complete/",
        views.half_day_action,
        {"action": "complete"},
        name="half_day_complete",
    ),
    path(
        "half-days/<int:pk>/cancel/",
        views.half_day_action,
        {"action": "cancel"},
        name="half_day_cancel",
    ),
    path("confirm/<str:token>/", views.half_day_confirm, name="half_day_confirm"),
    path("approvals/", views.approvals, name="approvals"),
    # The host person's pages, and the programme manager naming host people (issue #20).
    path("host/", host_views.host_home, name="host_home"),
    path("host/organisations/<int:pk>/", host_views.host_visits, name="host_visits"),
    path(
        "host/half-days/<int:pk>/confirm/",
        host_views.host_half_day_confirm,
        name="host_half_day_confirm",
    ),
    path(
        "host/half-days/<int:pk>/decline/",
        host_views.host_half_day_decline,
        name="host_half_day_decline",
    ),
    path(
        "host/half-days/<int:pk>/propose/",
        host_views.host_half_day_propose,
        name="host_half_day_propose",
    ),
    path(
        "organisations/<int:pk>/host-people/",
        host_views.organisation_host_people,
        name="organisation_host_people",
    ),
    path(
        "organisations/<int:pk>/host-people/remove/",
        host_views.organisation_host_person_remove,
        name="organisation_host_person_remove",
    ),
    # Offers and capacity, the host's checks (issue #20: placements/offer_views.py).
    path("offers/", offer_views.offer_list, name="offer_list"),
    path("offers/new/", offer_views.offer_create, name="offer_create"),
    path("offers/<int:pk>/edit/", offer_views.offer_edit, name="offer_edit"),
    path("organisations/<int:pk>/checks/", offer_views.host_checks_edit, name="host_checks_edit"),
    path("placements/<int:pk>/checks/", offer_views.clearance_record, name="clearance_record"),
    path("placements/by-host/", offer_views.placements_by_host, name="placements_by_host"),
    path(
        "placements/by-host.csv", offer_views.placements_by_host_csv, name="placements_by_host_csv"
    ),
    path(
        "placement-concerns/<int:placement_pk>/new/",
        concern_views.concern_raise,
        name="concern_raise",
    ),
    path("concerns/", concern_views.concern_list, name="concern_list"),
    path("concerns/<int:pk>/", concern_views.concern_detail, name="concern_detail"),
    # Feedback both ways (issue #20: placements/feedback_views.py).
    path(
        "placements/<int:pk>/feedback-for-host/",
        feedback_views.host_feedback,
        name="host_feedback",
    ),
    path(
        "placements/<int:pk>/feedback-for-visitor/",
        feedback_views.participant_feedback,
        name="participant_feedback",
    ),
    path(
        "organisations/<int:pk>/host-feedback/",
        feedback_views.organisation_host_feedback,
        name="organisation_host_feedback",
    ),
]

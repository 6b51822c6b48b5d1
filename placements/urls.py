from django.urls import path

from placements import views

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
]

from django.urls import path

from reflections import views

urlpatterns = [
    path(
        "placements/<int:placement_pk>/reflective-account/",
        views.account_start,
        name="account_start",
    ),
    path("reflections/<int:pk>/", views.account_detail, name="account_detail"),
    path("reflections/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("reflections/<int:pk>/autosave/", views.account_autosave, name="account_autosave"),
    path("reflections/<int:pk>/discussion/", views.account_discuss, name="account_discuss"),
    path("reflections/<int:pk>/pdf/", views.account_pdf, name="account_pdf"),
    path(
        "participants/<int:participant_pk>/mid-programme-review/",
        views.mid_programme_review,
        name="mid_programme_review",
    ),
]

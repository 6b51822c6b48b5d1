from django.urls import path

from participants import peer_views, register_views, views

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/import/", register_views.registers_import, name="registers_import"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_edit, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/peers/", peer_views.cohort_peers, name="cohort_peers"),
    path("peers/", peer_views.my_peers, name="my_peers"),
]

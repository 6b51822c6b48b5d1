from django.urls import path

from participants import equality_views
from participants import recruitment_views as views

urlpatterns = [
    path("expressions-of-interest/", views.eoi_list, name="eoi_list"),
    path("expressions-of-interest/review/", views.eoi_review, name="eoi_review"),
    path("expressions-of-interest/review.csv", views.eoi_csv, name="eoi_csv"),
    path("expressions-of-interest/nominate/", views.eoi_nominate, name="eoi_nominate"),
    path("expressions-of-interest/start/<int:cohort_pk>/", views.eoi_start, name="eoi_start"),
    path("expressions-of-interest/<int:pk>/", views.eoi_detail, name="eoi_detail"),
    path("expressions-of-interest/<int:pk>/edit/", views.eoi_edit, name="eoi_edit"),
    path("expressions-of-interest/<int:pk>/support/", views.eoi_support, name="eoi_support"),
    path(
        "expressions-of-interest/<int:pk>/equality-monitoring/",
        equality_views.eoi_equality,
        name="eoi_equality",
    ),
    path("expressions-of-interest/<int:pk>/decision/", views.eoi_select, name="eoi_select"),
    path("cohorts/<int:pk>/places/", views.cohort_places, name="cohort_places"),
    path("cohorts/<int:pk>/register/", views.cohort_attendance, name="cohort_attendance"),
    path(
        "participants/<int:participant_pk>/sponsor-meeting/",
        views.sponsor_meeting,
        name="sponsor_meeting",
    ),
    path(
        "participants/<int:participant_pk>/share-contact/",
        views.contact_share,
        name="contact_share",
    ),
]

from django.urls import path

from evaluation import views

urlpatterns = [
    path(
        "participants/<int:participant_pk>/self-assessment/<str:moment>/",
        views.self_assessment,
        name="self_assessment",
    ),
    path(
        "participants/<int:participant_pk>/follow-up/<str:moment>/",
        views.follow_up,
        name="follow_up",
    ),
    path("cohorts/<int:pk>/self-assessment/", views.assessment_items, name="assessment_items"),
]

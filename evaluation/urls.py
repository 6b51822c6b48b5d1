from django.urls import path

from evaluation import views

urlpatterns = [
    path(
        "participants/<int:participant_pk>/self-assessment/<str:moment>/",
        views.self_assessment,
        name="self_assessment",
    ),
    path("cohorts/<int:pk>/self-assessment/", views.assessment_items, name="assessment_items"),
    path("cohorts/<int:pk>/evaluation/", views.cohort_evaluation, name="cohort_evaluation"),
    path(
        "cohorts/<int:pk>/evaluation/pdf/",
        views.cohort_evaluation_pdf,
        name="cohort_evaluation_pdf",
    ),
    path("evaluation/", views.across_cohorts, name="across_cohorts"),
]

from django.urls import path

from improvements import attachment_views, driver_views, plan_views, review_views, views

P = "participants/<int:participant_pk>/improvement/"

urlpatterns = [
    path(P, views.initiative_detail, name="initiative_detail"),
    path(P + "plan/", views.initiative_edit, name="initiative_create"),
    path(P + "plan/edit/", views.initiative_edit, name="initiative_edit"),
    path(P + "submit/", views.initiative_submit, name="initiative_submit"),
    path(P + "decide/", views.initiative_decide, name="initiative_decide"),
    path(P + "progress/", views.initiative_progress, name="initiative_progress"),
    path(P + "outcome/", views.initiative_outcome, name="initiative_outcome"),
    path(P + "cycles/new/", views.pdsa_edit, name="pdsa_create"),
    path(P + "cycles/<int:pk>/", views.pdsa_edit, name="pdsa_edit"),
    path(P + "measures/new/", views.measure_edit, name="measure_create"),
    path(P + "measures/<int:pk>/", views.measure_edit, name="measure_edit"),
    path(P + "measures/<int:pk>/data/", views.measure_data, name="measure_data"),
    path(P + "data/<int:pk>/delete/", views.data_point_delete, name="data_point_delete"),
    path(P + "drivers/", driver_views.drivers_edit, name="drivers_edit"),
    path(P + "attachments/new/", attachment_views.attachment_add, name="attachment_create"),
    path(
        P + "attachments/<int:pk>/",
        attachment_views.attachment_download,
        name="attachment_download",
    ),
    path(
        P + "attachments/<int:pk>/remove/",
        attachment_views.attachment_remove,
        name="attachment_remove",
    ),
    path(P + "review/ask/", review_views.review_ask, name="initiative_review_ask"),
    path(P + "review/decide/", review_views.review_decide, name="initiative_review_decide"),
    path(P + "feedback/new/", plan_views.feedback_create, name="feedback_create"),
    path(P + "feedback/<int:pk>/remove/", plan_views.feedback_remove, name="feedback_remove"),
    path(P + "team/new/", plan_views.team_member_create, name="team_member_create"),
    path(P + "team/<int:pk>/remove/", plan_views.team_member_remove, name="team_member_remove"),
    path(P + "milestones/new/", plan_views.milestone_edit, name="milestone_create"),
    path(P + "milestones/<int:pk>/", plan_views.milestone_edit, name="milestone_edit"),
    path(P + "milestones/<int:pk>/remove/", plan_views.milestone_remove, name="milestone_remove"),
    path(P + "estimates/", plan_views.estimates_edit, name="initiative_estimates"),
]

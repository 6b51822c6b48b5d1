from django.urls import path

from improvements import views

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
]

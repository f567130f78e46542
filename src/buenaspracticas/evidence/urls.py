"""Pages of the evidence app, included by buenaspracticas.urls under the language prefix."""

from django.urls import path

from buenaspracticas.evidence import views

app_name = "evidence"
urlpatterns = [
    path("estados/<slug:slug>/entrevistas/", views.interview_list, name="interview_list"),
    path("estados/<slug:slug>/entrevistas/nueva/", views.interview_new, name="interview_new"),
    path("estados/<slug:slug>/hallazgos/", views.finding_list, name="finding_list"),
    path("estados/<slug:slug>/hallazgos/nuevo/", views.finding_new, name="finding_new"),
    path("estados/<slug:slug>/hallazgos/<int:finding_id>/editar/", views.finding_edit, name="finding_edit"),
]

"""Pages of the coordination space, included by buenaspracticas.urls under the language prefix."""

from django.urls import path

from buenaspracticas.coordination import views

app_name = "coordination"
urlpatterns = [
    path("recomendaciones/", views.recommendation_table, name="recommendation_table"),
    path("recomendaciones/<int:number>/", views.recommendation_detail, name="recommendation_detail"),
    path(
        "recomendaciones/<int:number>/<slug:state>/",
        views.recommendation_thread,
        name="recommendation_thread",
    ),
    path("sesiones/", views.session_list, name="session_list"),
    path("sesiones/nueva/", views.session_new, name="session_new"),
    path("sesiones/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sesiones/<int:session_id>/editar/", views.session_edit, name="session_edit"),
    path("sesiones/<int:session_id>/acuerdos/", views.agreement_new, name="agreement_new"),
    path("acuerdos/<int:agreement_id>/", views.agreement_update, name="agreement_update"),
    path("coordinacion/", views.overview, name="overview"),
    path("coordinacion/avisos/", views.preferences, name="preferences"),
]

"""Pages of this feature, included by buenaspracticas.urls under the language prefix."""

from django.urls import path

from buenaspracticas.recommend import views

app_name = "recommend"
urlpatterns = [
    path("cobertura/", views.coverage, name="coverage"),
    path("cobertura/practicas/<slug:practice_id>/", views.classify, name="classify"),
    path("cobertura/practicas/<slug:practice_id>/grupos/", views.classify_group, name="classify_group"),
    path("cobertura/practicas/<slug:practice_id>/objetivos/", views.classify_gcm, name="classify_gcm"),
    path(
        "cobertura/practicas/<slug:practice_id>/replicaciones/", views.replication_new, name="replication_new"
    ),
]

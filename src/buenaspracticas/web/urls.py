from django.urls import path

from buenaspracticas.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("practicas/", views.practice_list, name="practice_list"),
    path("practicas/<slug:practice_id>/", views.practice_detail, name="practice_detail"),
    path("estados/", views.state_list, name="state_list"),
    path("estados/<slug:slug>/", views.state_detail, name="state_detail"),
    path("regiones/", views.region_list, name="region_list"),
    path("regiones/<slug:slug>/", views.region_detail, name="region_detail"),
    path("metodo/", views.method, name="method"),
]

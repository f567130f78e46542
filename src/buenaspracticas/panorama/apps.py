from django.apps import AppConfig


class PanoramaConfig(AppConfig):
    name = "buenaspracticas.panorama"
    label = "panorama"
    default_auto_field = "django.db.models.BigAutoField"

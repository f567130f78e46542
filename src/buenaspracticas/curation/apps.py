from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "buenaspracticas.curation"
    label = "curation"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class RecommendConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "buenaspracticas.recommend"
    verbose_name = "Replicación y cobertura"

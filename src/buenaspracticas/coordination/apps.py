from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "buenaspracticas.coordination"
    label = "coordination"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Practices move through curation's workflow, which this feature does not edit: each recorded
        # workflow step tells the people concerned (after the transaction commits).
        from django.db.models.signals import post_save

        from buenaspracticas.coordination import notifications
        from buenaspracticas.curation.models import Transition

        post_save.connect(
            notifications.on_transition_saved, sender=Transition, dispatch_uid="coordination-transition-mail"
        )

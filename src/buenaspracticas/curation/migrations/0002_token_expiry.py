"""API tokens get an expiry and a label. Tokens created before this migration expire 90 days after they
were created (the default lifetime), so none keeps working forever."""

import datetime

from django.db import migrations, models

DEFAULT_DAYS = 90


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("curation", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + datetime.timedelta(days=DEFAULT_DAYS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "token de la API",
                "verbose_name_plural": "tokens de la API",
            },
        ),
        migrations.AddField(
            model_name="apitoken",
            name="label",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]

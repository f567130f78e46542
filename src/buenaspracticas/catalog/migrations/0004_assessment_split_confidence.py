from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_institution_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="split_confidence",
            field=models.FloatField(blank=True, null=True),
        ),
    ]

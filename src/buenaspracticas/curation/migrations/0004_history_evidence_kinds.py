from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0003_history_kinds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historyentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("practice", "práctica"),
                    ("revision", "revisión pendiente"),
                    ("assessment", "valoración"),
                    ("workflow", "flujo"),
                    ("panorama", "panorama"),
                    ("rec_status", "seguimiento de una recomendación"),
                    ("rec_text", "texto de una recomendación"),
                    ("session", "sesión de coordinación"),
                    ("agreement", "acuerdo"),
                    ("population_group", "grupo de población"),
                    ("gcm", "objetivo del Pacto Mundial"),
                    ("replication", "replicación"),
                    ("interview", "entrevista"),
                    ("finding", "hallazgo"),
                ],
                max_length=20,
            ),
        ),
    ]

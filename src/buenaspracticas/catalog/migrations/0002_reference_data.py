from django.db import migrations


def forwards(apps, schema_editor):
    from buenaspracticas.catalog.seed import sync_reference

    sync_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

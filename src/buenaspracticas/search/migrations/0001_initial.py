import django.db.models.deletion
from django.db import migrations, models

SQLITE_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    public_id UNINDEXED, title, institution, population, description, evidence,
    tokenize = 'unicode61 remove_diacritics 2'
)"""

POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'es_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION es_unaccent (COPY = spanish);
            ALTER TEXT SEARCH CONFIGURATION es_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
        END IF;
    END $$""",
    """CREATE TABLE IF NOT EXISTS search_pgdoc (
        public_id varchar(120) PRIMARY KEY,
        title text NOT NULL DEFAULT '',
        document tsvector NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS search_pgdoc_document ON search_pgdoc USING gin (document)",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(SQLITE_FTS)
        elif vendor == "postgresql":
            for statement in POSTGRES_SETUP:
                cursor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS search_fts")
        elif vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS search_pgdoc")


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="IndexedPractice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.CharField(max_length=120, unique=True)),
                (
                    "signature",
                    models.CharField(
                        help_text="version, updated_at and evidence stamp when indexed", max_length=200
                    ),
                ),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name="PassageVector",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, unique=True)),
                ("vector", models.BinaryField()),
            ],
        ),
        migrations.CreateModel(
            name="PracticePassage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("vector_key", models.CharField(max_length=64)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="passages",
                        to="search.indexedpractice",
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_index, drop_index),
    ]

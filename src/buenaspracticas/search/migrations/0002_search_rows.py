"""The search index at scale: narrow rows for filters and facets, engine tables keyed by the practice's id,
a dirty queue filled by triggers on the catalogue (so any write, even a raw UPDATE, marks the practice), and
the passage queue for embeddings."""

from django.db import migrations, models

SQLITE = [
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, institution, population, description, evidence,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
]
SQLITE_TRIGGERS = {
    "catalog_practice": ("id", "id"),
    "catalog_assessment": ("practice_id", "practice_id"),
    "catalog_practicedimension": ("practice_id", "practice_id"),
}
POSTGRES = [
    "DROP TABLE IF EXISTS search_pgdoc",
    """CREATE TABLE search_pgdoc (
        practice_id integer PRIMARY KEY,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX search_pgdoc_document ON search_pgdoc USING gin (document)",
    *[
        f"""CREATE OR REPLACE FUNCTION search_mark_dirty_{kind}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO search_searchdirty (practice_id) VALUES (OLD.{col}) ON CONFLICT DO NOTHING;
        ELSE
            INSERT INTO search_searchdirty (practice_id) VALUES (NEW.{col}) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$"""
        for kind, col in (("practice", "id"), ("child", "practice_id"))
    ],
    """CREATE OR REPLACE FUNCTION search_mark_institution_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_searchdirty (practice_id)
            SELECT id FROM catalog_practice WHERE institution_id = NEW.id ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
]


def _sqlite_triggers() -> list[str]:
    out = []
    for table, (new_col, old_col) in SQLITE_TRIGGERS.items():
        for op, row, col in (
            ("INSERT", "NEW", new_col),
            ("UPDATE", "NEW", new_col),
            ("DELETE", "OLD", old_col),
        ):
            name = f"search_dirty_{table}_{op.lower()}"
            out.append(f"DROP TRIGGER IF EXISTS {name}")
            out.append(
                f"CREATE TRIGGER {name} AFTER {op} ON {table} BEGIN "
                f"INSERT OR IGNORE INTO search_searchdirty (practice_id) VALUES ({row}.{col}); END"
            )
    out.append("DROP TRIGGER IF EXISTS search_dirty_institution_update")
    out.append(
        "CREATE TRIGGER search_dirty_institution_update AFTER UPDATE OF name ON catalog_institution BEGIN "
        "INSERT OR IGNORE INTO search_searchdirty (practice_id) "
        "SELECT id FROM catalog_practice WHERE institution_id = NEW.id; END"
    )
    return out


def _postgres_triggers() -> list[str]:
    out = []
    for table in SQLITE_TRIGGERS:
        out.append(f"DROP TRIGGER IF EXISTS search_dirty ON {table}")
        kind = "practice" if table == "catalog_practice" else "child"
        out.append(
            f"CREATE TRIGGER search_dirty AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION search_mark_dirty_{kind}()"
        )
    out.append("DROP TRIGGER IF EXISTS search_dirty ON catalog_institution")
    out.append(
        "CREATE TRIGGER search_dirty AFTER UPDATE OF name ON catalog_institution "
        "FOR EACH ROW EXECUTE FUNCTION search_mark_institution_dirty()"
    )
    return out


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE + _sqlite_triggers(), "postgresql": POSTGRES + _postgres_triggers()}
    with schema_editor.connection.cursor() as cursor:
        for statement in statements.get(vendor, []):
            cursor.execute(statement)
        # Every published practice starts stale: the first search (or `reindex`) indexes them.
        cursor.execute("INSERT INTO search_searchdirty (practice_id) SELECT id FROM catalog_practice")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            for statement in _sqlite_triggers():
                if statement.startswith("DROP"):
                    cursor.execute(statement)
        elif vendor == "postgresql":
            for statement in _postgres_triggers():
                if statement.startswith("DROP"):
                    cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("catalog", "0002_reference_data"),
    ]

    operations = [
        migrations.DeleteModel(name="PracticePassage"),
        migrations.DeleteModel(name="IndexedPractice"),
        migrations.CreateModel(
            name="SearchRow",
            fields=[
                ("practice_id", models.IntegerField(primary_key=True, serialize=False)),
                ("public_id", models.CharField(max_length=120, unique=True)),
                ("state_code", models.CharField(max_length=6)),
                ("state_name", models.CharField(max_length=80)),
                ("number", models.IntegerField()),
                ("region", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=12)),
                ("institution", models.CharField(blank=True, max_length=400)),
                ("criteria_mask", models.IntegerField(default=0, help_text="bit i set: CRITERIA[i] is met")),
                ("criteria_met", models.SmallIntegerField(default=0)),
                ("qualifies", models.BooleanField(default=False)),
                (
                    "dimension_mask",
                    models.IntegerField(default=0, help_text="bit i set: DIMENSIONS[i] is stated"),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["state_name", "number"], name="search_row_order"),
                    models.Index(fields=["state_code"], name="search_row_state"),
                    models.Index(fields=["region"], name="search_row_region"),
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchDirty",
            fields=[("practice_id", models.IntegerField(primary_key=True, serialize=False))],
        ),
        migrations.CreateModel(
            name="SearchPassage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("practice_id", models.IntegerField(db_index=True)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                ("key", models.CharField(db_index=True, max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="PendingPassage",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("model", models.CharField(help_text="the embedder the key was made for", max_length=40)),
                ("text", models.TextField()),
                ("queued_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="SearchMeta",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("value", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]

"""Trigram indexes on PostgreSQL for the registry's search by any part of a name: a
`LIKE '%word%'` otherwise reads the whole registry (318,000 professionals nationally).
SQLite, the embedded database, searches a region's registry without them."""

from django.db import migrations

INDEXES = (
    ("professional_search_name_trgm", "professionals_professional", "search_name"),
    ("commune_normalized_name_trgm", "geography_commune", "normalized_name"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("professionals", "0004_list_order_index"),
        ("geography", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]

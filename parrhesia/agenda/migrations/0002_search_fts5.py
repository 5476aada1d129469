"""The FTS5 table behind search on SQLite (PostgreSQL searches the tables themselves)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS agenda_search USING fts5("
        "organisation_id UNINDEXED, kind UNINDEXED, object_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS agenda_search")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

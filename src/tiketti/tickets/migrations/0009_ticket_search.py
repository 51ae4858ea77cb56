"""The desk's full-text search over tickets: a document of normalised terms per ticket,
an FTS5 table kept in step by triggers on SQLite, a generated tsvector column with a GIN
index on PostgreSQL (see tickets/search.py)."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE tickets_search_fts USING fts5(
        terms, content='tickets_ticketsearchdocument', content_rowid='ticket_id',
        tokenize='unicode61', prefix='3'
    )
    """,
    """
    CREATE TRIGGER tickets_search_fts_insert AFTER INSERT ON tickets_ticketsearchdocument
    BEGIN
        INSERT INTO tickets_search_fts(rowid, terms) VALUES (new.ticket_id, new.terms);
    END
    """,
    """
    CREATE TRIGGER tickets_search_fts_delete AFTER DELETE ON tickets_ticketsearchdocument
    BEGIN
        INSERT INTO tickets_search_fts(tickets_search_fts, rowid, terms)
        VALUES ('delete', old.ticket_id, old.terms);
    END
    """,
    """
    CREATE TRIGGER tickets_search_fts_update AFTER UPDATE ON tickets_ticketsearchdocument
    BEGIN
        INSERT INTO tickets_search_fts(tickets_search_fts, rowid, terms)
        VALUES ('delete', old.ticket_id, old.terms);
        INSERT INTO tickets_search_fts(rowid, terms) VALUES (new.ticket_id, new.terms);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS tickets_search_fts_update",
    "DROP TRIGGER IF EXISTS tickets_search_fts_delete",
    "DROP TRIGGER IF EXISTS tickets_search_fts_insert",
    "DROP TABLE IF EXISTS tickets_search_fts",
]
POSTGRESQL_FORWARD = [
    """
    ALTER TABLE tickets_ticketsearchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED
    """,
    """
    CREATE INDEX tickets_ticketsearchdocument_vector
    ON tickets_ticketsearchdocument USING gin (search_vector)
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS tickets_ticketsearchdocument_vector",
    "ALTER TABLE tickets_ticketsearchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("tickets", "0008_priority_rank_and_default_matrix")]

    operations = [
        migrations.CreateModel(
            name="TicketSearchDocument",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="tickets.ticket",
                    ),
                ),
                ("terms", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]

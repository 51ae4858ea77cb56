"""The full-text index over SearchDocument: an FTS5 table kept in step by triggers on
SQLite, a generated tsvector column with a GIN index on PostgreSQL. Both index the same
pre-normalised terms (see tiketti/fulltext.py)."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
        title, keywords, body, scope,
        content='knowledge_searchdocument', content_rowid='id',
        tokenize='unicode61', prefix='3 4'
    )
    """,
    """
    CREATE TRIGGER knowledge_searchdocument_fts_insert AFTER INSERT ON knowledge_searchdocument
    BEGIN
        INSERT INTO knowledge_search_fts(rowid, title, keywords, body, scope)
        VALUES (new.id, new.title, new.keywords, new.body, new.scope);
    END
    """,
    """
    CREATE TRIGGER knowledge_searchdocument_fts_delete AFTER DELETE ON knowledge_searchdocument
    BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title, keywords, body, scope)
        VALUES ('delete', old.id, old.title, old.keywords, old.body, old.scope);
    END
    """,
    """
    CREATE TRIGGER knowledge_searchdocument_fts_update AFTER UPDATE ON knowledge_searchdocument
    BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, title, keywords, body, scope)
        VALUES ('delete', old.id, old.title, old.keywords, old.body, old.scope);
        INSERT INTO knowledge_search_fts(rowid, title, keywords, body, scope)
        VALUES (new.id, new.title, new.keywords, new.body, new.scope);
    END
    """,
    "INSERT INTO knowledge_search_fts(knowledge_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS knowledge_search_fts",
]
POSTGRESQL_FORWARD = [
    """
    ALTER TABLE knowledge_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', keywords), 'B')
        || setweight(to_tsvector('simple', body), 'D')
    ) STORED
    """,
    """
    CREATE INDEX knowledge_searchdocument_vector
    ON knowledge_searchdocument USING gin (search_vector)
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_searchdocument_vector",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_articles_search_and_assistant")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]

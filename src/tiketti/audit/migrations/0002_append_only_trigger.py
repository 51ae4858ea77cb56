"""On PostgreSQL the database itself refuses to change or delete an audit entry.

The one change allowed is setting `actor_id` to NULL, which deleting that person does
(the entry keeps the actor's e-mail address). TRUNCATE, an operator's deliberate purge,
still works. SQLite relies on the model, which refuses save() of a stored entry and
delete().
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (%)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_entry_no_update
    BEFORE UPDATE ON audit_auditentry FOR EACH ROW
    WHEN (NEW.actor_id IS NOT NULL
          OR (to_jsonb(NEW) - 'actor_id') IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id'))
    EXECUTE FUNCTION audit_entry_refuse_change();
CREATE TRIGGER audit_entry_no_delete
    BEFORE DELETE ON audit_auditentry FOR EACH ROW
    EXECUTE FUNCTION audit_entry_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_refuse_change();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]

"""Database triggers that keep an issued minutes as it was issued.

The services refuse to edit an issued minutes; these triggers make the database refuse too, so
that no code path (a shell, an admin action, a bug) can change one: no UPDATE of an issued
minutes row, no INSERT/UPDATE of its sections and decided items, and no change of the content
(what, owner, deadline) of its action items — their status still moves as they are worked on.
Corrections are new minutes that refer to the issued one.

PostgreSQL also refuses DELETE of those rows (its flush uses TRUNCATE, which row triggers do not
see). SQLite does not: `manage.py flush` and the test runner empty its tables with DELETE, so a
delete trigger there would make the database impossible to reset; deleting issued minutes is
still refused by the ORM (PROTECT from the meeting and the action items) and no service deletes.

A later migration that rebuilds one of these tables on SQLite (Django's ALTER TABLE emulation)
drops its triggers: re-create them there (tests/meetings/test_minutes.py checks they exist).
"""
from django.db import migrations

MESSAGE = "issued minutes are never edited; write a correction instead"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER meetings_minutes_issued_no_update BEFORE UPDATE ON meetings_minutes
    FOR EACH ROW WHEN OLD.status = 'issued'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
for table in ("meetings_minutessection", "meetings_decision"):
    SQLITE_FORWARD += [
        f"""
        CREATE TRIGGER {table}_issued_no_insert BEFORE INSERT ON {table}
        FOR EACH ROW WHEN (SELECT status FROM meetings_minutes WHERE id = NEW.minutes_id) = 'issued'
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
        f"""
        CREATE TRIGGER {table}_issued_no_update BEFORE UPDATE ON {table}
        FOR EACH ROW WHEN (SELECT status FROM meetings_minutes WHERE id = OLD.minutes_id) = 'issued'
                       OR (SELECT status FROM meetings_minutes WHERE id = NEW.minutes_id) = 'issued'
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
    ]
SQLITE_FORWARD += [
    f"""
    CREATE TRIGGER meetings_actionitem_issued_no_insert BEFORE INSERT ON meetings_actionitem
    FOR EACH ROW WHEN NEW.minutes_id IS NOT NULL
                  AND (SELECT status FROM meetings_minutes WHERE id = NEW.minutes_id) = 'issued'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER meetings_actionitem_issued_no_edit BEFORE UPDATE ON meetings_actionitem
    FOR EACH ROW WHEN OLD.minutes_id IS NOT NULL
                  AND (SELECT status FROM meetings_minutes WHERE id = OLD.minutes_id) = 'issued'
                  AND (OLD.title IS NOT NEW.title OR OLD.target IS NOT NEW.target
                       OR OLD.owner_organization_id IS NOT NEW.owner_organization_id
                       OR OLD.owner_department_id IS NOT NEW.owner_department_id
                       OR OLD.due_date IS NOT NEW.due_date OR OLD.minutes_id IS NOT NEW.minutes_id
                       OR OLD."order" IS NOT NEW."order")
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_TRIGGERS = ["meetings_minutes_issued_no_update", "meetings_actionitem_issued_no_insert",
                   "meetings_actionitem_issued_no_edit"] + [
    f"{table}_issued_no_{op}" for table in ("meetings_minutessection", "meetings_decision")
    for op in ("insert", "update")
]

# SQLSTATE 23000 (integrity constraint violation): Django raises IntegrityError, as on SQLite.
POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION meetings_refuse_issued_minutes() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER meetings_minutes_issued_frozen BEFORE UPDATE OR DELETE ON meetings_minutes
    FOR EACH ROW WHEN (OLD.status = 'issued') EXECUTE FUNCTION meetings_refuse_issued_minutes();
    """,
    f"""
    CREATE OR REPLACE FUNCTION meetings_refuse_issued_minutes_part() RETURNS trigger AS $$
    BEGIN
        IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM meetings_minutes WHERE id = OLD.minutes_id
                                          AND status = 'issued'))
           OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM meetings_minutes WHERE id = NEW.minutes_id
                                             AND status = 'issued')) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER meetings_minutessection_issued_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON meetings_minutessection FOR EACH ROW EXECUTE FUNCTION meetings_refuse_issued_minutes_part();
    """,
    """
    CREATE TRIGGER meetings_decision_issued_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON meetings_decision FOR EACH ROW EXECUTE FUNCTION meetings_refuse_issued_minutes_part();
    """,
    f"""
    CREATE OR REPLACE FUNCTION meetings_refuse_issued_action_item() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.minutes_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM meetings_minutes WHERE id = NEW.minutes_id AND status = 'issued') THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
            END IF;
            RETURN NEW;
        END IF;
        IF OLD.minutes_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM meetings_minutes WHERE id = OLD.minutes_id AND status = 'issued') THEN
            IF TG_OP = 'DELETE' OR (OLD.title, OLD.target, OLD.owner_organization_id, OLD.owner_department_id,
                                    OLD.due_date, OLD.minutes_id, OLD."order")
                IS DISTINCT FROM (NEW.title, NEW.target, NEW.owner_organization_id, NEW.owner_department_id,
                                  NEW.due_date, NEW.minutes_id, NEW."order") THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER meetings_actionitem_issued_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON meetings_actionitem FOR EACH ROW EXECUTE FUNCTION meetings_refuse_issued_action_item();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS meetings_minutes_issued_frozen ON meetings_minutes;",
    "DROP TRIGGER IF EXISTS meetings_minutessection_issued_frozen ON meetings_minutessection;",
    "DROP TRIGGER IF EXISTS meetings_decision_issued_frozen ON meetings_decision;",
    "DROP TRIGGER IF EXISTS meetings_actionitem_issued_frozen ON meetings_actionitem;",
    "DROP FUNCTION IF EXISTS meetings_refuse_issued_minutes();",
    "DROP FUNCTION IF EXISTS meetings_refuse_issued_minutes_part();",
    "DROP FUNCTION IF EXISTS meetings_refuse_issued_action_item();",
]


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor)
    if statements is None:
        raise RuntimeError(f"no trigger definitions for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_TRIGGERS]
    else:
        statements = POSTGRES_BACKWARD
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]

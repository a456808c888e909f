"""Trigram GIN indexes for the complaint search (PostgreSQL only; SQLite keeps scanning).

The indexes are on UPPER(column), the expression Django's `icontains` compares, so that they serve
`icontains` for terms of three characters or more (CJK included under a C.UTF-8 or UTF-8 locale).
"""
from django.db import migrations

INDEXES = {  # index name: (table, column)
    "complaint_title_trgm": ("cases_complaint", "title"),
    "complaint_serial_trgm": ("cases_complaint", "serial"),
    "complaint_facts_trgm": ("cases_complaint", "facts"),
    "complaint_demands_trgm": ("cases_complaint", "demands"),
    "complaint_answer_trgm": ("cases_complaint", "answer"),
    "enterprise_name_trgm": ("cases_enterprise", "name"),
    "case_number_trgm": ("cases_complaintcasenumber", "number"),
    "complaint_message_body_trgm": ("cases_complaintmessage", "body"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_complaint_current_due"),
    ]

    operations = [migrations.RunPython(create, drop)]

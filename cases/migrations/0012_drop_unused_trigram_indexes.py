"""Drop the trigram indexes the complaint search no longer reads (it reads the gram indexes of 0011).

Each one cost every insert and update of a complaint, case number or message a trigram set; the
enterprise-name index stays (the enterprise filter and lookup use it).
"""

from django.db import migrations

UNUSED = {  # index name: (table, column), as 0005 created them
    "complaint_title_trgm": ("cases_complaint", "title"),
    "complaint_serial_trgm": ("cases_complaint", "serial"),
    "complaint_facts_trgm": ("cases_complaint", "facts"),
    "complaint_demands_trgm": ("cases_complaint", "demands"),
    "complaint_answer_trgm": ("cases_complaint", "answer"),
    "case_number_trgm": ("cases_complaintcasenumber", "number"),
    "complaint_message_body_trgm": ("cases_complaintmessage", "body"),
}


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in UNUSED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in UNUSED.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_search_gram_indexes")]

    operations = [migrations.RunPython(drop, recreate)]

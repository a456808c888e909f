"""Character and bigram GIN indexes for the complaint search of one- and two-character terms
(PostgreSQL only; SQLite keeps scanning).

`liaison_grams(text)` is every character of the text and every pair of adjacent characters;
`liaison_term_grams(term)` is what a text containing `term` must hold: the term itself for one
character, its adjacent pairs otherwise. Both are applied to UPPER(...), like Django's
`icontains`, which still checks every row the index finds (`cases/search.py`; `bench/SEARCH.md`
has the measurements behind the choice).
"""

from django.db import migrations

# The same columns as the trigram indexes of 0005.
INDEXES = {  # index name: (table, column)
    "complaint_title_grams": ("cases_complaint", "title"),
    "complaint_serial_grams": ("cases_complaint", "serial"),
    "complaint_facts_grams": ("cases_complaint", "facts"),
    "complaint_demands_grams": ("cases_complaint", "demands"),
    "complaint_answer_grams": ("cases_complaint", "answer"),
    "enterprise_name_grams": ("cases_enterprise", "name"),
    "case_number_grams": ("cases_complaintcasenumber", "number"),
    "complaint_message_body_grams": ("cases_complaintmessage", "body"),
}

FUNCTIONS = """
CREATE OR REPLACE FUNCTION liaison_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (
        SELECT substr(value, i, 1) AS gram FROM generate_series(1, length(value)) AS i
        UNION ALL
        SELECT substr(value, i, 2) FROM generate_series(1, length(value) - 1) AS i
    ) AS grams
$$;
CREATE OR REPLACE FUNCTION liaison_term_grams(term text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
        WHEN length(term) <= 1 THEN ARRAY[term]
        ELSE ARRAY(SELECT DISTINCT substr(term, i, 2) FROM generate_series(1, length(term) - 1) AS i)
    END
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (liaison_grams(UPPER("{column}"::text)))'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS liaison_grams(text); DROP FUNCTION IF EXISTS liaison_term_grams(text)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_enterprise_is_public"),
    ]

    operations = [migrations.RunPython(create, drop)]

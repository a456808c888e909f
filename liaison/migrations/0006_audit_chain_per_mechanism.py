"""One audit chain per mechanism, keyed, append-only in PostgreSQL.

The events written so far keep their plain SHA-256 chain as the closed "legacy" chain, sealed
with the audit key; the chains written from now on start from its head.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GENESIS_HASH = "0" * 64

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION liaison_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER liaison_auditevent_append_only
    BEFORE UPDATE OR DELETE ON liaison_auditevent
    FOR EACH ROW EXECUTE FUNCTION liaison_audit_append_only();
"""
DROP_APPEND_ONLY_SQL = """
DROP TRIGGER IF EXISTS liaison_auditevent_append_only ON liaison_auditevent;
DROP FUNCTION IF EXISTS liaison_audit_append_only();
"""


def close_legacy_chain(apps, schema_editor):
    """Keep the single chain written so far as the closed, sealed "legacy" chain."""
    from liaison.audit import audit_key
    from liaison.models.audit import AuditChain as CurrentChain

    Head = apps.get_model("liaison", "AuditChainHead")
    Event = apps.get_model("liaison", "AuditEvent")
    Chain = apps.get_model("liaison", "AuditChain")
    head = Head.objects.filter(pk=1).first()
    last = Event.objects.filter(pk=head.last_event_id).first() if head else None
    legacy = CurrentChain(
        key="legacy", anchor_hash=GENESIS_HASH, closed=True,
        last_event_id=head.last_event_id if head else 0,
        last_hash=head.last_hash if head else GENESIS_HASH,
        length=head.length if head else 0,
        last_at=last.created_at if last else None,
    )
    legacy.seal = legacy.compute_seal(audit_key())
    Chain.objects.create(**{f.attname: getattr(legacy, f.attname) for f in CurrentChain._meta.concrete_fields})


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY_SQL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('liaison', '0005_deadline_met_by_kind'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChain',
            fields=[
                ('key', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('anchor_hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                ('last_event_id', models.BigIntegerField(default=0)),
                ('last_hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                ('length', models.BigIntegerField(default=0)),
                ('last_at', models.DateTimeField(blank=True, null=True)),
                ('closed', models.BooleanField(default=False)),
                ('seal', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': '审计链',
                'verbose_name_plural': '审计链',
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='chain',
            field=models.CharField(default='legacy', max_length=40),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='chain',
            field=models.CharField(default='system', max_length=40),
        ),
        migrations.RunPython(close_legacy_chain, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='AuditChainHead',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor_organization',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='liaison.organization', verbose_name='操作人单位'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['chain', 'id'], name='audit_chain_order'),
        ),
        migrations.RunPython(append_only, drop_append_only),
    ]

"""Each party's place in its mechanism becomes data, filled from today's organization kinds."""
from django.db import migrations, models

COLLECTING_KINDS = ("federation", "chamber")


def fill_sides(apps, schema_editor):
    MechanismParty = apps.get_model("liaison", "MechanismParty")
    parties = list(MechanismParty.objects.select_related("organization"))
    collecting = {p.mechanism_id for p in parties if p.organization.kind in COLLECTING_KINDS}
    for party in parties:
        kind = party.organization.kind
        if party.mechanism_id not in collecting:
            party.side = "both"
        elif kind in COLLECTING_KINDS:
            party.side = "collector"
        else:
            party.side = "member" if kind == "mediation" else "handler"
        party.save(update_fields=["side"])


class Migration(migrations.Migration):
    dependencies = [("liaison", "0007_email_claims_and_incremental_reminder_sweep")]

    operations = [
        migrations.AddField(
            model_name="mechanismparty",
            name="side",
            field=models.CharField(
                choices=[("collector", "收集移送方"), ("handler", "办理方"), ("both", "双向收集和办理"), ("member", "成员单位")],
                default="member", help_text="收集移送方填报并移送事项，办理方登记、办理并反馈；双向的单位两者皆可。",
                max_length=12, verbose_name="在机制中的位置"),
        ),
        migrations.RunPython(fill_sides, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="mechanismparty",
            constraint=models.CheckConstraint(
                condition=models.Q(side__in=["collector", "handler", "both", "member"]),
                name="mechanism_party_side_valid"),
        ),
    ]

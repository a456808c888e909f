"""Fill the working-day index for 2020 to two years after the year the migration runs."""
import datetime as dt

from django.db import migrations


def fill(apps, schema_editor):
    from liaison.workday_index import rebuild_with

    rebuild_with(apps.get_model("liaison", "WorkingDayIndex"), apps.get_model("liaison", "CalendarOverride"),
                 2020, dt.date.today().year + 2)


class Migration(migrations.Migration):

    dependencies = [("liaison", "0003_working_day_index")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

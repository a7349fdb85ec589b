from django.db import migrations


def seed_calendar(apps, schema_editor):
    from cases.calendar_seed import seed

    seed(apps.get_model("cases", "CalendarYear"), apps.get_model("cases", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_calendar")]

    operations = [migrations.RunPython(seed_calendar, migrations.RunPython.noop)]

"""On PostgreSQL, freeze published snapshots and keep the period lock log append-only in the
database itself, as cases_caseevent is: the models refuse both, and the triggers also stop raw
SQL and any future code path that bypasses the ORM. TRUNCATE (test teardown) is not a row event.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION reporting_annualreport_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'reporting_annualreport: a published snapshot never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reporting_annualreport_frozen
    BEFORE UPDATE OR DELETE ON reporting_annualreport
    FOR EACH ROW EXECUTE FUNCTION reporting_annualreport_frozen();

CREATE FUNCTION reporting_periodevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'reporting_periodevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reporting_periodevent_append_only
    BEFORE UPDATE OR DELETE ON reporting_periodevent
    FOR EACH ROW EXECUTE FUNCTION reporting_periodevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS reporting_annualreport_frozen ON reporting_annualreport;
DROP FUNCTION IF EXISTS reporting_annualreport_frozen();
DROP TRIGGER IF EXISTS reporting_periodevent_append_only ON reporting_periodevent;
DROP FUNCTION IF EXISTS reporting_periodevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_annual_reports")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]

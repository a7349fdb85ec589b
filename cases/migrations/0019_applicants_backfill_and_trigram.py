"""Every existing case gets its applicant (one per agency and identity document, holding the
latest request's details), and PostgreSQL gets pg_trgm with a trigram index on the request
text, which the repeat-request lookup (Art. 36(6)) uses.

The index is on UPPER(description), the expression Django's icontains compares, so the search
box can use the same index; IF NOT EXISTS, because another migration may build it too. SQLite
has neither: the lookup falls back to comparing the applicant's few cases in Python.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models import OuterRef, Subquery

from cases.identity import normalise_id_number

TRIGRAM_INDEX = "case_description_trgm"
BATCH = 2000


def _trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON cases_case "
            "USING gin (UPPER(description) gin_trgm_ops)"
        )


def _drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def _backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Applicant = apps.get_model("cases", "Applicant")
    details = (
        "applicant_type",
        "applicant_name",
        "contact_phone",
        "contact_email",
        "contact_address",
        "postal_code",
    )
    rows = Case.objects.order_by(
        "agency_id", "id_type", "id_number", "-received_on", "-id"
    ).values("agency_id", "id_type", "id_number", *details)
    seen, batch = set(), []
    for row in rows.iterator(chunk_size=BATCH):
        key = (row["agency_id"], row["id_type"], normalise_id_number(row["id_number"]))
        if key in seen:
            continue  # the latest request's details were taken
        seen.add(key)
        batch.append(
            Applicant(
                agency_id=key[0],
                id_type=key[1],
                id_number=key[2],
                name=row["applicant_name"],
                **{name: row[name] for name in details if name != "applicant_name"},
            )
        )
        if len(batch) >= BATCH:
            Applicant.objects.bulk_create(batch)
            batch = []
    Applicant.objects.bulk_create(batch)
    # One statement for the numbers stored as normalised, which is nearly all of them.
    Case.objects.filter(applicant__isnull=True).update(
        applicant_id=Subquery(
            Applicant.objects.filter(
                agency_id=OuterRef("agency_id"),
                id_type=OuterRef("id_type"),
                id_number=OuterRef("id_number"),
            ).values("id")[:1]
        )
    )
    # The rest (a passport number typed with spaces) one by one.
    for case in Case.objects.filter(applicant__isnull=True).only(
        "agency_id", "id_type", "id_number"
    ):
        applicant = Applicant.objects.get(
            agency_id=case.agency_id,
            id_type=case.id_type,
            id_number=normalise_id_number(case.id_number),
        )
        Case.objects.filter(pk=case.pk).update(applicant=applicant)


def _unlink(apps, schema_editor):
    apps.get_model("cases", "Case").objects.update(applicant=None)
    apps.get_model("cases", "Applicant").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_applicants_receipt_fees")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_trigram_index, _drop_trigram_index),
        migrations.RunPython(_backfill, _unlink),
    ]

"""Indexes for a million cases: every list ordering within an agency, the platform admin's list,
the reminder run, and the search box.

Built with CREATE INDEX CONCURRENTLY on PostgreSQL (so the case table stays writable while they
build), hence a migration outside a transaction; plain CREATE INDEX elsewhere. The new covering
indexes replace the two they extend (the annual table's), which are dropped only after.
The trigram indexes (pg_trgm, PostgreSQL only) are not part of the model's state: SQLite has no
GIN, and searches there scan.
"""

from django.db import migrations, models

from cases.migrations._operations import (
    AddIndexConcurrentlyOnPostgres,
    RemoveIndexConcurrentlyOnPostgres,
    run_on_postgresql,
)

TRIGRAM_INDEXES = {
    # UPPER(...), the expression Django's icontains compares, so the index serves it as it is.
    "case_name_trgm": "UPPER(applicant_name) gin_trgm_ops",
    "case_description_trgm": "UPPER(description) gin_trgm_ops",
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0015_delivery_events")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(
                fields=["agency", "received_on", "id", "answered_on", "applicant_type", "outcome"],
                name="case_agency_received_id_cov",
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(
                fields=["agency", "answered_on", "id", "received_on", "applicant_type", "outcome"],
                name="case_agency_answered_id_cov",
            ),
        ),
        RemoveIndexConcurrentlyOnPostgres(model_name="case", name="case_agency_received_cov"),
        RemoveIndexConcurrentlyOnPostgres(model_name="case", name="case_agency_answered"),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(fields=["agency", "due_on", "id"], name="case_agency_due_id"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(fields=["agency", "reference"], name="case_agency_reference"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(
                fields=["agency", "created_at", "id"], name="case_agency_created_id"
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(
                fields=["agency", "updated_at", "id"], name="case_agency_updated_id"
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(fields=["received_on", "id"], name="case_received_id"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(fields=["state", "due_on"], name="case_state_due"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(fields=["id_number"], name="case_id_number"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(fields=["contact_phone_digits"], name="case_phone_digits"),
        ),
        # Left in place when unapplied: other objects may use the extension by then.
        run_on_postgresql(["CREATE EXTENSION IF NOT EXISTS pg_trgm"], []),
        run_on_postgresql(
            [
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON cases_case USING gin ({expr})"
                for name, expr in TRIGRAM_INDEXES.items()
            ],
            [f"DROP INDEX CONCURRENTLY IF EXISTS {name}" for name in TRIGRAM_INDEXES],
        ),
    ]

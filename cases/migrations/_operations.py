"""Migration operations that build indexes without locking out writes on PostgreSQL.

``CREATE INDEX CONCURRENTLY`` lets registrations and actions go on while an index over a large
table is built (minutes at a million cases); it cannot run inside a transaction, so the
migrations using these operations are ``atomic = False``. On other databases (SQLite, the
development default) they are the plain operations. Django skips this module when it loads the
migrations (its name starts with an underscore).
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations


def _on_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )


class RemoveIndexConcurrentlyOnPostgres(RemoveIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.RemoveIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.RemoveIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )


def run_on_postgresql(forwards_sql: list[str], backwards_sql: list[str]) -> migrations.RunPython:
    """Statements only PostgreSQL has (GIN trigram indexes); nothing elsewhere."""

    def run(statements):
        def apply(apps, schema_editor):
            if _on_postgresql(schema_editor):
                for statement in statements:
                    schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forwards_sql), run(backwards_sql), elidable=False)

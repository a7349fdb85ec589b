"""Search by one or two characters (a surname, a two-character name) through an index.

Trigrams (migration 0013) serve search terms of three characters or more; shorter terms have no
trigram, and matching them meant reading every case. On PostgreSQL, ``case_search_grams``
gives the single characters and pairs of neighbouring characters of a text (upper-cased), and a
GIN index on those of ``applicant_name`` answers "contains these one or two characters" exactly
(selectors.case_term_q). Nothing on other databases, where short terms are matched by a scan.
"""

from django.db import migrations

from cases.migrations._operations import run_on_postgresql

FUNCTION = """
CREATE OR REPLACE FUNCTION case_search_grams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    upper_value text := upper(value);
    length int := char_length(upper_value);
    grams text[] := '{}';
BEGIN
    FOR i IN 1..length LOOP
        grams := grams || substr(upper_value, i, 1);
        IF i < length THEN
            grams := grams || substr(upper_value, i, 2);
        END IF;
    END LOOP;
    RETURN grams;
END
$$
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0016_list_and_search_indexes")]

    operations = [
        run_on_postgresql(
            [
                FUNCTION,
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS case_name_grams ON cases_case "
                "USING gin (case_search_grams(applicant_name))",
            ],
            [
                "DROP INDEX CONCURRENTLY IF EXISTS case_name_grams",
                "DROP FUNCTION IF EXISTS case_search_grams(text)",
            ],
        ),
    ]

"""Benchmark of registration with the repeat-request lookup on PostgreSQL (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/registration.py [--cases N] [--applicants A] [--runs R] [--keep]

Creates its own database (``bench_registration``, next to the one DATABASE_URL names, which is
never touched), migrates it, inserts A applicants and N cases of one agency in two
``INSERT ... SELECT ... FROM generate_series`` (each case linked to an applicant, the request
texts drawn from a few hundred topics so that the trigram index has realistic lists, about 90 %
answered), builds the indexes, then times R registrations, each of an existing applicant, each
as the API does it: ``cases.services.case_register`` (identity check, Art. 31 date, applicant
link, Art. 35 count, reference, deadlines, audit) followed by
``cases.applicant_selectors.similar_cases`` (pg_trgm). Prints p50, p95 and the maximum, and the
queries of one registration.

Target (issue 15): under 50 ms at the 95th percentile with 1,000,000 cases and 200,000
applicants.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

BENCH_DB = "bench_registration"
TOPICS = (
    "城镇职工基本养老保险基金收支情况",
    "某街道拆迁补偿安置方案的批复文件",
    "某项目的立项批复、资金拨付及验收材料",
    "最低工资标准调整的依据和测算过程",
    "某企业环境影响评价报告及审批意见",
    "某路段交通信号灯设置的论证材料",
    "某小区规划许可证及总平面图",
    "某学校食堂食品安全检查记录",
    "某河道整治工程的招投标文件",
    "工伤认定决定书及调查材料",
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--applicants", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=300, help="registrations timed")
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    parser.add_argument("--reuse", action="store_true", help="use a kept database again")
    parser.add_argument("--explain", action="store_true", help="print the lookup's plan")
    return parser.parse_args(argv)


def _filler(field, connection) -> str:
    if field.has_default():
        default = field.get_default()
        if isinstance(default, bool):
            return "true" if default else "false"
        if isinstance(default, dict):
            return "'{}'::jsonb"
        if isinstance(default, int):
            return str(default)
        return f"'{default}'"
    kind = field.get_internal_type()
    if kind in {"CharField", "TextField", "EmailField", "FSMField"}:
        return "''"
    if kind == "BooleanField":
        return "false"
    if kind.endswith("IntegerField") or kind == "DecimalField":
        return "0"
    if kind == "DateTimeField":
        return "now()"
    if kind == "JSONField":
        return "'{}'::jsonb"
    raise SystemExit(f"bench: cannot fill NOT NULL column {field.column} ({kind})")


def _insert(model, explicit: dict[str, str], source: str, params: list) -> None:
    from django.db import connection

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.column in explicit:
            sql = explicit[field.column]
        elif field.null:
            continue
        else:
            sql = _filler(field, connection)
        columns.append(connection.ops.quote_name(field.column))
        values.append(sql)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {source}",
            params,
        )


def generate(*, agency_id: int, cases: int, applicants: int) -> dict[str, float]:
    from django.db import connection

    from cases.models import Applicant, Case

    seconds = {}
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass
              AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [Case._meta.db_table],
        )
        deferred = cursor.fetchall()
        for name, _ in deferred:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SELECT setseed(0.15)")
    started = time.perf_counter()
    _insert(
        Applicant,
        {
            "agency_id": "%s",
            "applicant_type": "'natural_person'",
            "name": "'申请人' || g",
            "id_type": "'passport'",
            "id_number": "'P' || lpad(g::text, 9, '0')",
            "created_at": "now()",
            "updated_at": "now()",
        },
        "generate_series(1, %s) AS g",
        [agency_id, applicants],
    )
    first_applicant = Applicant.objects.order_by("pk").values_list("pk", flat=True).first()
    topics = "ARRAY[" + ", ".join(f"'{t}'" for t in TOPICS) + "]"
    days = 7 * 365
    # Each case: an applicant (a few heavy users among many occasional ones), a topic, a year
    # and a serial number in the text, received over seven years in order of id.
    _insert(
        Case,
        {
            "agency_id": "%s",
            "applicant_id": f"{first_applicant} + floor(power(random(), 2) * {applicants})::int",
            "reference": "'BENCH-' || lpad(g::text, 8, '0')",
            "applicant_type": "'natural_person'",
            "applicant_name": "'申请人'",
            "id_type": "'passport'",
            "id_number": "'P000000000'",
            "channel": "'online'",
            "received_on": f"date '2019-06-01' + ((g - 1) * {days}::bigint / %s)::int",
            "description": (
                f"'申请公开' || (2018 + mod(g, 7)) || '年' || ({topics})[1 + mod(g / 7, 10)]"
                " || '（第' || mod(g, 397) || '号）'"
            ),
            "state": "CASE WHEN mod(g, 10) = 0 THEN 'reviewed' ELSE 'answered' END",
            "outcome": "CASE WHEN mod(g, 10) = 0 THEN '' ELSE 'disclosed' END",
            "answered_on": (
                f"CASE WHEN mod(g, 10) = 0 THEN NULL ELSE date '2019-06-01' + "
                f"((g - 1) * {days}::bigint / %s)::int + 15 END"
            ),
            "due_on": f"date '2019-06-01' + ((g - 1) * {days}::bigint / %s)::int + 28",
            "created_at": "now()",
            "updated_at": "now()",
        },
        "generate_series(1, %s) AS g",
        [agency_id, cases, cases, cases, cases],
    )
    seconds["insert"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _, definition in deferred:
            cursor.execute(definition)
        seconds[f"{len(deferred)} indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(f"VACUUM (ANALYZE) {Case._meta.db_table}")
        cursor.execute(f"VACUUM (ANALYZE) {Applicant._meta.db_table}")
        seconds["VACUUM ANALYZE"] = time.perf_counter() - started
    return seconds


def register_one(actor, agency, applicant, topic: str):
    """One registration as the API makes it; returns the case, the similar cases and the
    milliseconds of the lookup alone."""
    from cases import applicant_selectors, services

    case = services.case_register(
        actor=actor,
        agency=agency,
        applicant_type="natural_person",
        applicant_name=applicant.name,
        id_type=applicant.id_type,
        id_number=applicant.id_number,
        channel="online",
        submitted_on=dt.date(2026, 3, 2),
        confirmed_on=dt.date(2026, 3, 3),
        description=f"申请公开2024年{topic}",
    )
    started = time.perf_counter()
    similar = applicant_selectors.similar_cases(case=case)
    return case, similar, (time.perf_counter() - started) * 1000


def main(argv=None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench/registration.py needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = BENCH_DB
    if not args.reuse:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.reuse
    )
    try:
        return run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


def run(args) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Agency, Applicant, Case, Role, User

    agency, _ = Agency.objects.get_or_create(
        code="BENCH", defaults={"name": "基准测试机关", "email": "bench@bench.invalid"}
    )
    actor, _ = User.objects.get_or_create(
        username="bench-registrar", defaults={"agency": agency, "role": Role.REGISTRAR}
    )
    if not Case.objects.exists():
        started = time.perf_counter()
        parts = generate(agency_id=agency.pk, cases=args.cases, applicants=args.applicants)
        total = time.perf_counter() - started
        detail = ", ".join(f"{name} {s:.1f} s" for name, s in parts.items())
        print(f"generation      {total:.1f} s ({detail})")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('cases_case')), "
            "pg_size_pretty(pg_indexes_size('cases_case'))"
        )
        sizes = cursor.fetchone()
    print(f"cases           {Case.objects.count():,} ({sizes[0]} table, {sizes[1]} indexes)")
    print(f"applicants      {Applicant.objects.count():,}")

    rng = random.Random(15)
    ids = list(Applicant.objects.values_list("pk", flat=True))
    # Heavy users are drawn as often as they file: the cases' own applicants.
    picks = [
        Case.objects.filter(pk=rng.randint(1, args.cases)).values_list("applicant_id", flat=True)
        for _ in range(args.runs)
    ]
    picks = [p[0] if p else rng.choice(ids) for p in picks]
    applicants = Applicant.objects.in_bulk(picks)
    timings, lookups, similar_found, queries = [], [], 0, None
    for i, pk in enumerate(picks):
        topic = TOPICS[rng.randrange(len(TOPICS))]
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            _case, similar, lookup_ms = register_one(actor, agency, applicants[pk], topic)
            timings.append((time.perf_counter() - started) * 1000)
        lookups.append(lookup_ms)
        similar_found += bool(similar)
        if i == 0:
            queries = len(ctx.captured_queries)
    print(f"registrations   {len(timings)} (with similar cases found: {similar_found})")
    print(f"queries         {queries} per registration, the lookup included")
    for label, values in (("whole (ms)", timings), ("lookup (ms)", lookups)):
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(
            f"{label:<15} p50 {statistics.median(values):.1f}  p95 {p95:.1f}  max {values[-1]:.1f}"
        )
    if args.explain:
        case = Case.objects.order_by("-pk").first()
        print(explain_lookup(case))
    return 0


def explain_lookup(case) -> str:
    """The plan of the similarity query for the last case registered."""
    from django.db import connection

    from cases import applicant_selectors

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        applicant_selectors.similar_cases(case=case)
    sql, params = captured[-1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of ``reporting.selectors.annual_table`` on PostgreSQL (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/annual_table.py [--cases N] [--agencies A] [--years FIRST-LAST]
        [--runs R] [--keep] [--reuse] [--explain] [--db NAME]

Creates its own database (``bench_annual_table`` unless ``--db``, next to the one DATABASE_URL
names, which is never touched), migrates it, fills it with N generated cases in one ``INSERT ...
SELECT ... FROM generate_series`` and times the annual table of the largest agency for a middle
and the last year, and the roll-up of all agencies for the same years. Each call is timed twice:
the product (``reporting.selectors.annual_table``, both its queries and the Python that builds
the table and its checks) and a hand-written SQL floor (the same figures in one statement of
three index-only range scans, nothing else), and their ratio printed. The database is dropped at
the end unless ``--keep``; ``--reuse`` runs on a kept database again (pending migrations are
applied, generation is skipped when it already holds cases).

Targets: one agency-year under 0.2 s; the roll-up of a year over 1,000,000 cases under 2 s; the
product within 1.2 times the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# In-process only: no request is served, so a throwaway key is enough with debug off.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

BENCH_DB = "bench_annual_table"

# Shares of the generated cases. Applicant types: mostly natural persons, as in every published
# annual report.
APPLICANT_TYPE_WEIGHTS = {
    "natural_person": 86.0,
    "commercial_enterprise": 6.0,
    "research_institution": 0.5,
    "social_welfare_organization": 0.5,
    "legal_service_institution": 3.0,
    "other_organization": 4.0,
}
# Outcomes (every key of cases.vocabulary.OUTCOME_CHOICES must appear; checked at run time).
OUTCOME_WEIGHTS = {
    "disclosed": 34.0,
    "disclosed_already_public": 8.0,
    "partially_disclosed": 7.0,
    "withheld_state_secret": 0.3,
    "withheld_prohibited_by_law": 0.4,
    "withheld_security_stability": 0.3,
    "withheld_third_party_rights": 1.0,
    "withheld_internal_affairs": 1.5,
    "withheld_process_information": 1.5,
    "withheld_law_enforcement_file": 1.0,
    "withheld_administrative_query": 1.0,
    "unavailable_not_held": 14.0,
    "unavailable_not_responsible": 6.0,
    "unavailable_needs_creation": 2.0,
    "unavailable_unclear_after_correction": 2.0,
    "not_processed_complaint": 1.5,
    "not_processed_duplicate": 2.0,
    "not_processed_publication": 1.0,
    "not_processed_excessive": 0.5,
    "not_processed_confirmation": 1.0,
    "other_no_correction": 3.0,
    "other_fee_unpaid": 0.2,
    "withdrawn": 5.0,
    "other": 5.8,
}
# States of the cases still open on the last day of the period.
OPEN_STATE_WEIGHTS = {
    "registered": 25.0,
    "reviewed": 45.0,
    "awaiting_correction": 12.0,
    "consulting": 10.0,
    "awaiting_fee": 8.0,
}
# Surnames by share of the population (about 30% of people carry the first five); the rest of
# the people get one of the rarer surnames.
SURNAME_WEIGHTS = {
    "王": 7.1, "李": 7.0, "张": 6.7, "刘": 5.4, "陈": 4.5, "杨": 3.1, "黄": 2.2, "赵": 2.0,
    "吴": 1.9, "周": 1.9, "徐": 1.5, "孙": 1.5, "马": 1.3, "朱": 1.3, "胡": 1.3, "郭": 1.2,
    "何": 1.2, "林": 1.1, "罗": 1.0, "高": 1.0, "郑": 0.9, "梁": 0.9, "谢": 0.8, "宋": 0.8,
    "唐": 0.8, "许": 0.7, "韩": 0.7, "冯": 0.7, "邓": 0.7, "曹": 0.7, "欧阳": 0.1, "司马": 0.05,
}  # fmt: skip
GIVEN_NAME_CHARACTERS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玲文辉鹏斌宇浩凯俊峰"
)
REQUEST_TOPICS = [
    "城镇职工基本养老保险基金收支情况",
    "某街道拆迁补偿安置方案",
    "道路改造工程的立项批复和资金拨付",
    "义务教育学校招生划片方案",
    "企业环境影响评价报告及批复",
    "最低生活保障对象名单及发放标准",
    "行政处罚决定书",
    "土地征收补偿标准及安置方案",
    "工伤认定的依据和程序",
    "政府采购项目的中标结果",
]
SLOW_SHARE = 0.04  # answered 41-120 days after receipt (extension, consultation, correction)
STUCK_SHARE = 0.003  # never answered: still open years later
ARCHIVED_SHARE = 0.85  # of the cases answered more than 30 days before the end of the period


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="default 1,000,000")
    parser.add_argument("--agencies", type=int, default=10, help="default 10")
    parser.add_argument("--years", default="2019-2025", help="FIRST-LAST, default 2019-2025")
    parser.add_argument("--runs", type=int, default=5, help="runs per measured call, default 5")
    parser.add_argument(
        "--db", default=BENCH_DB, help=f"the benchmark's database, default {BENCH_DB}"
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a kept database (no new cases if it has any)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of the queries"
    )
    args = parser.parse_args(argv)
    try:
        first, last = (int(part) for part in args.years.split("-"))
    except ValueError:
        parser.error("--years must look like 2019-2025")
    if not 2008 <= first <= last <= 2100:
        parser.error("--years: 2008 <= FIRST <= LAST")
    if args.cases < 1 or args.agencies < 1 or args.runs < 2:
        parser.error("--cases and --agencies must be at least 1, --runs at least 2")
    args.first_year, args.last_year = first, last
    return args


def _cumulative_case(expr: str, weights: dict[str, float]) -> tuple[str, list]:
    """A CASE picking a key by the uniform random ``expr`` according to ``weights``."""
    total = sum(weights.values())
    parts, params, running = [], [], 0.0
    keys = list(weights)
    for key in keys[:-1]:
        running += weights[key] / total
        parts.append(f"WHEN {expr} < %s THEN %s")
        params += [running, key]
    parts.append("ELSE %s")
    params.append(keys[-1])
    return f"(CASE {' '.join(parts)} END)", params


def _lookup_case(expr: str, mapping: dict[str, str]) -> tuple[str, list]:
    """A CASE mapping the value of ``expr`` through ``mapping`` ('' for others)."""
    parts, params = [], []
    for key, value in mapping.items():
        parts.append("WHEN %s THEN %s")
        params += [key, value]
    return f"(CASE {expr} {' '.join(parts)} ELSE '' END)", params


def _filler(field, connection) -> tuple[str, list]:
    """The value of a NOT NULL column the generator does not set explicitly."""
    if field.has_default():
        return "%s", [field.get_db_prep_save(field.get_default(), connection)]
    kind = field.get_internal_type()
    if kind in {"CharField", "TextField", "EmailField", "SlugField", "URLField", "FSMField"}:
        return "''", []
    if kind == "BooleanField":
        return "false", []
    if kind.endswith("IntegerField") or kind == "DecimalField":
        return "0", []
    if kind == "DateTimeField":
        return "now()", []
    if kind == "DateField":
        return "o.received_on", []
    if kind == "JSONField":
        return "'{}'::jsonb", []
    raise SystemExit(f"bench: do not know how to fill NOT NULL column {field.column} ({kind})")


def generate(
    *,
    cases: int,
    agency_ids: list[int],
    first_year: int,
    last_year: int,
    agency_codes: list[str] | None = None,
) -> dict[str, float]:
    """N cases in one INSERT ... SELECT; received_on grows with the id, as cases are entered.

    References are numbered per agency and year as the product numbers them (CODE-YEAR-00001),
    applicants have common Chinese names (so a surname search finds what it would find in a
    real office), and each request names one of a few topics.
    """
    from django.db import connection

    from cases import vocabulary
    from cases.models import Case

    outcome_keys = {key for key, _ in vocabulary.OUTCOME_CHOICES}
    type_keys = {key for key, _ in vocabulary.APPLICANT_TYPE_CHOICES}
    if set(OUTCOME_WEIGHTS) != outcome_keys or set(APPLICANT_TYPE_WEIGHTS) != type_keys:
        raise SystemExit("bench: the weights no longer match cases.vocabulary; update them")

    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    days = (end - start).days + 1
    codes = agency_codes or [f"A{agency_id}" for agency_id in agency_ids]
    type_sql, type_params = _cumulative_case("b.r_type", APPLICANT_TYPE_WEIGHTS)
    surname_sql, surname_params = _cumulative_case("o.r_surname", SURNAME_WEIGHTS)
    given = list(GIVEN_NAME_CHARACTERS)
    outcome_sql, outcome_params = _cumulative_case("d.r_outcome", OUTCOME_WEIGHTS)
    open_sql, open_params = _cumulative_case("d.r_state", OPEN_STATE_WEIGHTS)
    basis_sql, basis_params = _lookup_case("o.outcome", vocabulary.LEGAL_BASIS)
    organisations = sorted(vocabulary.ORGANISATION_TYPES)

    # Per row: the draws (b), the derived facts (d), then the stored columns (o).
    base = f"""
        SELECT g,
               %s::date + ((g - 1) * {days}::bigint / %s)::int AS received_on,
               random() AS r_agency, random() AS r_type, random() AS r_outcome,
               random() AS r_delay, random() AS r_slow, random() AS r_stuck,
               random() AS r_state, random() AS r_archive, random() AS r_surname,
               random() AS r_given, random() AS r_given2, random() AS r_topic
        FROM generate_series(1, %s) AS g
    """
    base_params = [start, cases, cases]
    derived = f"""
        SELECT b.*,
               1 + floor(power(b.r_agency, 1.5) * %s)::int AS agency_index,
               {type_sql} AS applicant_type,
               CASE WHEN b.r_stuck < {STUCK_SHARE} THEN NULL
                    WHEN b.r_slow < {SLOW_SHARE}
                        THEN b.received_on + 41 + floor(b.r_delay * 80)::int
                    ELSE b.received_on + 1 + floor(power(b.r_delay, 1.3) * 40)::int
               END AS would_answer_on
        FROM base b
    """
    derived_params = [len(agency_ids), *type_params]
    stored = f"""
        SELECT d.*,
               (%s::bigint[])[d.agency_index] AS agency_id,
               (%s::text[])[d.agency_index] AS agency_code,
               row_number() OVER (
                   PARTITION BY d.agency_index, extract(year FROM d.received_on) ORDER BY d.g
               ) AS seq,
               CASE WHEN d.would_answer_on <= %s THEN d.would_answer_on END AS answered_on,
               CASE WHEN d.would_answer_on <= %s THEN {outcome_sql} ELSE '' END AS outcome,
               CASE WHEN d.would_answer_on IS NULL OR d.would_answer_on > %s THEN {open_sql}
                    WHEN d.would_answer_on <= %s::date - 30 AND d.r_archive < {ARCHIVED_SHARE}
                        THEN 'archived'
                    ELSE 'answered'
               END AS state
        FROM derived d
    """
    stored_params = [agency_ids, codes, end, end, *outcome_params, end, *open_params, end]

    explicit: dict[str, tuple[str, list]] = {
        "agency_id": ("o.agency_id", []),
        "reference": (
            "o.agency_code || '-' || extract(year FROM o.received_on) || '-' "
            # lpad cuts a longer string: past 99,999 cases a year the number just grows.
            "|| lpad(o.seq::text, greatest(5, length(o.seq::text)), '0')",
            [],
        ),
        "applicant_type": ("o.applicant_type", []),
        "applicant_name": (
            f"CASE WHEN o.applicant_type = 'natural_person' THEN {surname_sql} "
            "|| (%s::text[])[1 + floor(o.r_given * %s)::int] "
            "|| CASE WHEN o.r_given2 < 0.7 "
            "THEN (%s::text[])[1 + floor(o.r_given2 / 0.7 * %s)::int] ELSE '' END "
            "ELSE '某某' || (%s::text[])[1 + floor(o.r_topic * %s)::int] || '有限公司' || o.g END",
            [
                *surname_params,
                given,
                len(given),
                given,
                len(given),
                ["科技", "建设", "贸易", "律师事务所", "咨询", "置业"],
                6,
            ],
        ),
        "id_type": (
            "CASE WHEN o.applicant_type = ANY(%s) THEN 'uscc' ELSE 'resident_id' END",
            [organisations],
        ),
        "id_number": ("lpad(o.g::text, 18, '0')", []),
        "contact_phone": ("'1380000' || lpad(mod(o.g, 10000)::text, 4, '0')", []),
        "contact_phone_digits": ("'1380000' || lpad(mod(o.g, 10000)::text, 4, '0')", []),
        "contact_address": ("'某省某市某区某街道' || mod(o.g, 500) || '号'", []),
        "postal_code": ("'350001'", []),
        "channel": (
            "CASE WHEN o.r_state < 0.7 THEN 'online' WHEN o.r_state < 0.9 THEN 'letter' "
            "ELSE 'in_person' END",
            [],
        ),
        "received_on": ("o.received_on", []),
        "description": (
            "'申请公开' || extract(year FROM o.received_on) || '年度' "
            "|| (%s::text[])[1 + floor(o.r_topic * %s)::int] "
            "|| '等相关政府信息（第' || o.g || '号）'",
            [REQUEST_TOPICS, len(REQUEST_TOPICS)],
        ),
        "delivery_form": ("'electronic'", []),
        "state": ("o.state", []),
        "outcome": ("o.outcome", []),
        "answered_on": ("o.answered_on", []),
        "reply": (
            "CASE WHEN o.answered_on IS NULL THEN '' "
            "ELSE '经审查，现将有关情况告知如下：' || o.outcome END",
            [],
        ),
        "legal_basis": (basis_sql, basis_params),
        "delivery": ("CASE WHEN o.answered_on IS NULL THEN '' ELSE 'electronic' END", []),
        "reviewed_on": (
            "CASE WHEN o.state NOT IN ('registered', 'awaiting_correction') "
            "THEN least(o.received_on + 2, coalesce(o.answered_on, o.received_on + 2)) END",
            [],
        ),
        "withdrawn_on": ("CASE WHEN o.outcome = 'withdrawn' THEN o.answered_on END", []),
        "lapsed_on": (
            "CASE WHEN o.outcome IN ('other_no_correction', 'other_fee_unpaid') "
            "THEN o.answered_on END",
            [],
        ),
        "archived_on": ("CASE WHEN o.state = 'archived' THEN o.answered_on + 30 END", []),
        "due_on": ("o.received_on + 28", []),
        "created_at": ("o.received_on + time '09:30'", []),
        "updated_at": (
            "coalesce(o.answered_on + 30 * (o.state = 'archived')::int, o.received_on) "
            "+ time '16:00'",
            [],
        ),
    }
    columns, values, params = [], [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.column in explicit:
            sql, field_params = explicit[field.column]
        elif field.null:
            continue
        else:
            sql, field_params = _filler(field, connection)
        columns.append(connection.ops.quote_name(field.column))
        values.append(sql)
        params += field_params
    unknown = set(explicit) - {f.column for f in Case._meta.concrete_fields}
    if unknown:
        raise SystemExit(f"bench: Case has no column {sorted(unknown)}")

    # Parameters in textual order: the CTEs first, then the select list.
    insert = f"""
        WITH base AS MATERIALIZED ({base}),
             derived AS MATERIALIZED ({derived}),
             o AS MATERIALIZED ({stored})
        INSERT INTO {Case._meta.db_table} ({", ".join(columns)})
        SELECT {", ".join(values)} FROM o
    """
    table = Case._meta.db_table
    seconds = {}
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        # Indexes that back no constraint are built after the insert, from their own definitions
        # (so whatever the migrations made), which is several times faster than maintaining them
        # row by row.
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass
              AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [table],
        )
        deferred = cursor.fetchall()
        for name, _ in deferred:
            cursor.execute(f"DROP INDEX {name}")
        started = time.perf_counter()
        cursor.execute("SELECT setseed(0.2019)")
        cursor.execute(insert, [*base_params, *derived_params, *stored_params, *params])
        seconds["insert"] = time.perf_counter() - started
        started = time.perf_counter()
        for _, definition in deferred:
            cursor.execute(definition)
        seconds[f"{len(deferred)} indexes"] = time.perf_counter() - started
        # VACUUM sets the visibility map (index-only scans), as autovacuum would on a live table.
        started = time.perf_counter()
        cursor.execute(f"VACUUM (ANALYZE) {table}")
        seconds["VACUUM ANALYZE"] = time.perf_counter() - started
    return seconds


def _captured(ctx) -> list[tuple[str, float]]:
    return [(q["sql"], float(q["time"])) for q in ctx.captured_queries]


def measure(label: str, call, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, counts, last = [], [], None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            table = call()
            times.append(time.perf_counter() - started)
        counts.append(len(ctx.captured_queries))
        last = (table, _captured(ctx))
    table, queries = last
    return {
        "label": label,
        "cold": times[0],
        "median": statistics.median(times[1:]),
        "best": min(times[1:]),
        "queries": counts,
        "query_times": [t for _, t in queries],
        "sql": [sql for sql, _ in queries],
        "checks_ok": all(check["ok"] for check in table["checks"]),
        "failed": [check["detail"] for check in table["checks"] if not check["ok"]],
        "total": _total_row(table),
    }


def _total_row(table: dict) -> str:
    from reporting import layout

    values = {row["key"]: row["values"].get("total", 0) for row in table["rows"] if row["values"]}
    return (
        f"new {values.get(layout.NEW, 0)}, carried in {values.get(layout.CARRIED_IN, 0)}, "
        f"handled {values.get(layout.HANDLED, 0)}, carried out {values.get(layout.CARRIED_OUT, 0)}"
    )


def floor_sql(*, agency_id: int | None, year: int) -> tuple[str, list]:
    """The table's figures by hand: three index-only range scans, one statement, no ORM."""
    from cases.models import Case

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = Case._meta.db_table
    scope, scope_params = ("agency_id = %s AND", [agency_id]) if agency_id else ("", [])
    parts = [
        (
            "count(*), 0, count(*) FILTER (WHERE answered_on <= %s), "
            "count(*) FILTER (WHERE answered_on IS NULL OR answered_on > %s)",
            [end, end],
            "received_on BETWEEN %s AND %s",
            [start, end],
        ),
        (
            "0, count(*), count(*) FILTER (WHERE answered_on <= %s), "
            "count(*) FILTER (WHERE answered_on > %s)",
            [end, end],
            "answered_on >= %s AND received_on < %s",
            [start, start],
        ),
        ("0, count(*), 0, count(*)", [], "answered_on IS NULL AND received_on < %s", [start]),
    ]
    selects, params = [], []
    for counts, count_params, where, where_params in parts:
        selects.append(
            f"SELECT agency_id, applicant_type, outcome, {counts} FROM {table} "
            f"WHERE {scope} {where} GROUP BY 1, 2, 3"
        )
        params += [*count_params, *scope_params, *where_params]
    sql = (
        "SELECT agency_id, applicant_type, outcome, sum(n), sum(ci), sum(h), sum(co) "
        f"FROM ({' UNION ALL '.join(selects)}) "
        "AS t(agency_id, applicant_type, outcome, n, ci, h, co) GROUP BY 1, 2, 3"
    )
    return sql, params


def measure_floor(label: str, agency_id: int | None, year: int, runs: int) -> dict:
    from django.db import connection

    sql, params = floor_sql(agency_id=agency_id, year=year)
    times, totals = [], None
    for _ in range(runs):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            times.append(time.perf_counter() - started)
        totals = [sum(row[i] for row in rows) for i in range(3, 7)]
    return {
        "label": label,
        "median": statistics.median(times[1:]),
        "best": min(times[1:]),
        "total": (
            f"new {totals[0]}, carried in {totals[1]}, handled {totals[2]}, carried out {totals[3]}"
        ),
    }


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print(
            f"bench/annual_table.py needs PostgreSQL, not {connection.vendor}: set DATABASE_URL, "
            "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres",
            file=sys.stderr,
        )
        return 2
    old_name = connection.settings_dict["NAME"]
    if old_name == args.db:
        print(
            f"DATABASE_URL must not name {args.db}, the benchmark's own database", file=sys.stderr
        )
        return 2
    connection.settings_dict.setdefault("TEST", {})["NAME"] = args.db

    started = time.perf_counter()
    if not args.reuse:
        # A database kept by an earlier run goes first (Django would say so on stderr).
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(args.db)}")
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.reuse
    )
    setup_seconds = time.perf_counter() - started
    try:
        return run(args, setup_seconds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
        if args.keep:
            print(f"kept database {args.db}")


def run(args: argparse.Namespace, setup_seconds: float) -> int:
    from django.db import connection
    from django.db.models import Count, Max, Min

    from cases.models import Agency, Case
    from reporting import layout, selectors

    generation_seconds, parts = None, {}
    if not (args.reuse and Case.objects.exists()):
        Agency.objects.filter(code__startswith="BENCH").delete()  # left by an interrupted run
        agencies = Agency.objects.bulk_create(
            Agency(code=f"BENCH{i:03d}", name=f"基准测试机关{i:03d}", email=f"a{i}@bench.invalid")
            for i in range(1, args.agencies + 1)
        )
        started = time.perf_counter()
        parts = generate(
            cases=args.cases,
            agency_ids=[a.pk for a in agencies],
            agency_codes=[a.code for a in agencies],
            first_year=args.first_year,
            last_year=args.last_year,
        )
        generation_seconds = time.perf_counter() - started

    summary = Case.objects.aggregate(
        n=Count("pk"), first=Min("received_on"), last=Max("received_on")
    )
    first_year, last_year = summary["first"].year, summary["last"].year
    open_cases = Case.objects.filter(answered_on__isnull=True).count()
    by_agency = Case.objects.values("agency").annotate(n=Count("pk")).order_by("-n", "agency")
    largest = Agency.objects.get(pk=by_agency[0]["agency"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
            [Case._meta.db_table] * 2,
        )
        table_size, index_size = cursor.fetchone()

    print(
        f"database        {connection.settings_dict['NAME']} (PostgreSQL "
        f"{connection.pg_version // 10000}.{connection.pg_version % 10000})"
    )
    print(f"cases           {summary['n']:,} ({open_cases:,} still open)")
    print(f"agencies        {by_agency.count()} (largest: {largest.code}, {by_agency[0]['n']:,})")
    print(f"years           {first_year}-{last_year}")
    print(f"table / indexes {table_size} / {index_size}")
    print(f"setup (migrate) {setup_seconds:.1f} s")
    if generation_seconds is None:
        print("generation      skipped (--reuse)")
    else:
        detail = ", ".join(f"{part} {s:.1f} s" for part, s in parts.items())
        print(f"generation      {generation_seconds:.1f} s ({detail})")

    # Load the spec before timing, so that the first run measures the database.
    for template in layout.TEMPLATES:
        layout.template_rows(template)
    layout.columns()
    middle = first_year + (last_year - first_year) // 2
    calls = [
        (f"{largest.code} {middle}", largest, middle),
        (f"{largest.code} {last_year}", largest, last_year),
        (f"all agencies {middle}", None, middle),
        (f"all agencies {last_year}", None, last_year),
    ]
    results = [
        measure(label, lambda a=agency, y=year: selectors.annual_table(agency=a, year=y), args.runs)
        for label, agency, year in calls
    ]
    floors = [
        measure_floor(label, agency.pk if agency else None, year, args.runs)
        for label, agency, year in calls
    ]

    print()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"annual_table, {args.runs} runs each (first run, then median and best of the rest);")
    print(f"load average {load} on {os.cpu_count()} CPUs")
    print(f"{'call':<22}{'first s':>9}{'median s':>10}{'best s':>8}  queries (s each, last run)")
    for r in results:
        each = " + ".join(f"{t:.3f}" for t in r["query_times"])
        count = r["queries"][0] if len(set(r["queries"])) == 1 else r["queries"]
        print(
            f"{r['label']:<22}{r['cold']:>9.3f}{r['median']:>10.3f}{r['best']:>8.3f}  "
            f"{count} ({each})"
        )
    print()
    print("product (annual_table) against the hand-written SQL floor, medians:")
    print(f"{'call':<22}{'product s':>10}{'floor s':>9}{'ratio':>7}")
    ratios = []
    for r, f in zip(results, floors, strict=True):
        ratios.append(r["median"] / f["median"])
        print(f"{r['label']:<22}{r['median']:>10.3f}{f['median']:>9.3f}{ratios[-1]:>6.2f}x")
    print()
    for r, f in zip(results, floors, strict=True):
        status = "ok" if r["checks_ok"] else "FAILED: " + "; ".join(r["failed"])
        same = "" if r["total"] == f["total"] else f" DIFFERS from the floor's {f['total']}"
        print(f"{r['label']:<22}{r['total']}; checks {status}{same}")

    agency_target = max(r["median"] for r in results[:2]) < 0.2
    rollup_target = max(r["median"] for r in results[2:]) < 2.0
    ratio_target = max(ratios) <= 1.2
    print()
    print(f"target agency-year < 0.2 s: {'met' if agency_target else 'MISSED'}")
    print(
        f"target roll-up < 2 s:       {'met' if rollup_target else 'MISSED'}"
        + ("" if summary["n"] >= 1_000_000 else " (fewer than 1,000,000 cases)")
    )
    print(f"target product <= 1.2x floor: {'met' if ratio_target else 'MISSED'}")

    if args.explain:
        for sql in results[0]["sql"]:
            if Case._meta.db_table in sql:
                print()
                print(f"EXPLAIN (ANALYZE, BUFFERS), {results[0]['label']}:")
                print(sql)
                print(explain(sql))
    failed = not all(r["checks_ok"] for r in results) or any(
        r["total"] != f["total"] for r, f in zip(results, floors, strict=True)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

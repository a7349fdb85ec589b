"""Benchmark of the clerks' desk on PostgreSQL (not a test): p50/p95 per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/desk.py [--cases N] [--agencies A] [--years FIRST-LAST]
        [--runs R] [--keep] [--reuse]

Creates its own database (``bench_desk``, next to the one DATABASE_URL names, which is never
touched), fills it with bench/annual_table.py's generator (N cases in one INSERT ... SELECT),
gives every agency a registrar, five handlers, an approver and an agency admin, assigns the
cases to the handlers, and then requests every desk page through Django's test client, in this
process: middleware, view, queries and templates, no network. "Today" is the last day of the
generated period, so that the queue holds the cases still open at that day. Each page is
requested once to warm up, then R times; the script prints p50, p95 and the queries per page.
The database is dropped at the end unless ``--keep``; ``--reuse`` runs on a kept one again.

Target: every page under 0.3 s at 1,000,000 cases.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
# Pages are asked for in-process, over plain HTTP, by Django's test client ("testserver").
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import annual_table as builder  # noqa: E402
import django  # noqa: E402

BENCH_DB = "bench_desk"
TARGET_SECONDS = 0.3
HANDLERS_PER_AGENCY = 5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="default 1,000,000")
    parser.add_argument("--agencies", type=int, default=10, help="default 10")
    parser.add_argument("--years", default="2019-2025", help="FIRST-LAST, default 2019-2025")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page, default 20")
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    args = parser.parse_args(argv)
    first, last = (int(part) for part in args.years.split("-"))
    if not 2008 <= first <= last <= 2100 or args.cases < 1 or args.runs < 2:
        parser.error("--years FIRST-LAST from 2008, --cases >= 1, --runs >= 2")
    args.first_year, args.last_year = first, last
    return args


def staff(agencies) -> None:
    """Each agency's clerks, and its open cases assigned to its handlers (one UPDATE each)."""
    from django.db import connection

    from cases.models import Case, Role, User

    for agency in agencies:
        users = [
            User(username=f"{agency.code.lower()}-registrar", agency=agency, role=Role.REGISTRAR),
            *(
                User(username=f"{agency.code.lower()}-handler{n}", agency=agency, role=Role.HANDLER)
                for n in range(1, HANDLERS_PER_AGENCY + 1)
            ),
            User(username=f"{agency.code.lower()}-approver", agency=agency, role=Role.APPROVER),
            User(username=f"{agency.code.lower()}-admin", agency=agency, role=Role.AGENCY_ADMIN),
        ]
        User.objects.bulk_create(users)
        handlers = [u.pk for u in users if u.role == Role.HANDLER]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Case._meta.db_table} SET created_by_id = %s, "
                "assigned_handler_id = CASE WHEN state = 'registered' THEN NULL "
                "ELSE (%s::bigint[])[1 + id %% %s] END WHERE agency_id = %s",
                [users[0].pk, handlers, len(handlers), agency.pk],
            )
    User.objects.create(username="bench-platform", is_superuser=True, is_staff=True)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {Case._meta.db_table}")


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm up: templates, the calendar's first read
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
    return {
        "p50": statistics.median(times),
        "p95": statistics.quantiles(times, n=20)[-1],
        "queries": len(ctx.captured_queries),
    }


def pages(largest, case) -> list[tuple[str, str, str]]:
    """(label, who, url) of every desk page measured."""
    code, year = largest.code, case.received_on.year
    natural = "applicant_type=natural_person"
    return [
        ("login page", "anonymous", "/"),
        ("queue: mine", "handler", "/desk/"),
        ("queue: agency", "handler", "/desk/?tab=agency"),
        ("queue: due soon", "handler", "/desk/?tab=due_soon"),
        ("queue: overdue", "handler", "/desk/?tab=overdue"),
        ("queue: waiting", "handler", "/desk/?tab=waiting"),
        ("queue: concluded", "handler", "/desk/?tab=concluded"),
        ("queue: all, page 1", "handler", "/desk/?tab=all"),
        ("queue: all, page 20", "handler", "/desk/?tab=all&page=20"),
        ("queue: filtered", "handler", f"/desk/?tab=all&state=answered&{natural}"),
        ("search: reference", "handler", f"/desk/?q={case.reference}"),
        ("search: applicant", "handler", f"/desk/?q={case.applicant_name}"),
        # Every generated request says "验收"; "第<id>号" is in one only.
        ("search: request text", "handler", f"/desk/?q=第{case.pk}号"),
        ("search: common phrase", "handler", "/desk/?q=验收"),
        ("case page", "handler", f"/desk/cases/{case.pk}/"),
        ("action form (answer)", "handler", f"/desk/cases/{case.pk}/actions/answer/"),
        ("register form", "registrar", "/desk/register/"),
        ("calendar", "handler", "/desk/calendar/"),
        ("annual report", "admin", f"/desk/reports/?agency={code}&year={year}"),
        ("annual report roll-up", "platform", f"/desk/reports/?agency=all&year={year}"),
    ]


def run(args: argparse.Namespace) -> int:
    from django.db.models import Count, Max
    from django.test import Client

    from cases import clock
    from cases.choices import OPEN_STATES
    from cases.models import Agency, Case, User

    if not (args.reuse and Case.objects.exists()):
        agencies = Agency.objects.bulk_create(
            Agency(code=f"BENCH{i:03d}", name=f"基准测试机关{i:03d}", email=f"a{i}@bench.invalid")
            for i in range(1, args.agencies + 1)
        )
        started = time.perf_counter()
        builder.generate(
            cases=args.cases,
            agency_ids=[a.pk for a in agencies],
            first_year=args.first_year,
            last_year=args.last_year,
        )
        staff(agencies)
        print(f"generation      {time.perf_counter() - started:.1f} s")

    last_day = Case.objects.aggregate(last=Max("received_on"))["last"]
    clock.today = lambda: last_day  # the queue as it stood on the period's last day
    by_agency = Case.objects.values("agency").annotate(n=Count("pk")).order_by("-n", "agency")
    largest = Agency.objects.get(pk=by_agency[0]["agency"])
    handler = User.objects.filter(agency=largest, role="handler").order_by("pk").first()
    case = (
        Case.objects.filter(agency=largest, assigned_handler=handler, state__in=OPEN_STATES)
        .order_by("-received_on")
        .first()
    )
    users = {
        "handler": handler,
        "registrar": User.objects.get(username=f"{largest.code.lower()}-registrar"),
        "admin": User.objects.get(username=f"{largest.code.lower()}-admin"),
        "platform": User.objects.get(username="bench-platform"),
    }
    clients = {"anonymous": Client()}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)

    total = Case.objects.count()
    open_cases = Case.objects.filter(state__in=OPEN_STATES).count()
    print(f"cases           {total:,} ({open_cases:,} open on {last_day:%Y-%m-%d})")
    print(f"largest agency  {largest.code}: {by_agency[0]['n']:,} cases")
    print(
        f"load average    {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    print()
    print(f"{'page':<26}{'p50 s':>8}{'p95 s':>8}{'queries':>9}")
    slow = []
    for label, who, url in pages(largest, case):
        result = measure(clients[who], url, args.runs)
        print(f"{label:<26}{result['p50']:>8.3f}{result['p95']:>8.3f}{result['queries']:>9}")
        if result["p95"] > TARGET_SECONDS:
            slow.append(label)
    print()
    print(
        f"target p95 < {TARGET_SECONDS} s: " + ("met" if not slow else "MISSED: " + ", ".join(slow))
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench/desk.py needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    old_name = connection.settings_dict["NAME"]
    if old_name == BENCH_DB:
        print(f"DATABASE_URL must not name {BENCH_DB}", file=sys.stderr)
        return 2
    connection.settings_dict.setdefault("TEST", {})["NAME"] = BENCH_DB
    if not args.reuse:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(BENCH_DB)}")
    started = time.perf_counter()
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.reuse
    )
    print(f"setup (migrate) {time.perf_counter() - started:.1f} s")
    try:
        return run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
        if args.keep:
            print(f"kept database {BENCH_DB}")


if __name__ == "__main__":
    sys.exit(main())

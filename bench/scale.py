"""Benchmark of the product at scale, through its HTTP API on gunicorn (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/scale.py [--cases N] [--db NAME] [--keep] [--reuse]
        [--runs R] [--workers W] [--registrations M] [--today YYYY-MM-DD]

Builds its own database (``bench_scale`` unless ``--db``; the one DATABASE_URL names is never
touched) with N generated cases (default 1,000,000 over 10 agencies and 2019-2025, the
generator of ``bench/annual_table.py``: realistic names, references, topics, open cases at the
end of the period), users and tokens; or, with ``--reuse``, runs on a database an earlier
``--keep`` left. Then, against gunicorn started on loopback with production settings:

- each list and search request of issue 16 (a platform admin's and a clerk's), ``--runs`` times
  after one warm-up: p50 and p95 over HTTP, and its queries counted in-process;
- registration at concurrency 8: requests per second, p50/p95, and its statements;
- the reminder run (``send_deadline_reminders``): a dry run, a real run to a local SMTP server
  (aiosmtpd, in-process) and a rerun that finds everything sent, each timed with its queries;
- the recompute of open due dates after a calendar change (a holiday added, then removed).

and prints every target as met or MISSED. Targets are issue 16's, stated for 1,000,000 cases;
at a smaller size the line says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import logging
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SECRET_KEY = secrets.token_urlsafe(50)
# The web server and this process run the production settings with debug off.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "DJANGO_DEBUG": "false",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "false",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
}
os.environ.update(SERVER_ENV)

import annual_table  # noqa: E402
import django  # noqa: E402

BENCH_DB = "bench_scale"
AGENCY = "BENCH001"
LIST_P95 = 0.150  # seconds, every list and search request
REGISTRATION_RATE, REGISTRATION_P95, REGISTRATION_STATEMENTS = 150.0, 0.100, 8
DRY_RUN_LIMIT, REAL_RUN_LIMIT, RECOMPUTE_LIMIT = 10.0, 60.0, 120.0  # at 1,000,000 open cases
AT_SCALE = 1_000_000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="default 1,000,000")
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--years", default="2019-2025", help="FIRST-LAST, default 2019-2025")
    parser.add_argument("--db", default=BENCH_DB, help=f"the benchmark's database ({BENCH_DB})")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="run on a kept database")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per request")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers, default 3")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--registrations", type=int, default=600, help="POSTs at concurrency 8")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        help="the reminder run's day (default: 15 December of the last year)",
    )
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to skip: list,register,remind,recompute"
    )
    args = parser.parse_args(argv)
    args.first_year, args.last_year = (int(part) for part in args.years.split("-"))
    args.skip = {part for part in args.skip.split(",") if part}
    return args


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# Setting up the database


def create_database(args) -> str:
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if old_name == args.db:
        raise SystemExit(f"DATABASE_URL must not name {args.db}, the benchmark's own database")
    connection.settings_dict.setdefault("TEST", {})["NAME"] = args.db
    if not args.reuse:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(args.db)}")
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.reuse
    )
    return old_name


def populate(args) -> dict:
    """Agencies, cases, users; returns what the generation took."""
    from django.db import connection

    from cases.models import Agency, Case, Role, User

    timings = {}
    if not Case.objects.exists():
        Agency.objects.filter(code__startswith="BENCH").delete()
        agencies = Agency.objects.bulk_create(
            Agency(code=f"BENCH{i:03d}", name=f"基准测试机关{i:03d}", email=f"a{i}@bench.invalid")
            for i in range(1, args.agencies + 1)
        )
        started = time.perf_counter()
        timings = annual_table.generate(
            cases=args.cases,
            agency_ids=[a.pk for a in agencies],
            agency_codes=[a.code for a in agencies],
            first_year=args.first_year,
            last_year=args.last_year,
        )
        timings["total"] = time.perf_counter() - started
    for agency in Agency.objects.all():
        for role in (Role.REGISTRAR, Role.HANDLER, Role.APPROVER):
            username = f"{agency.code.lower()}-{role}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"agency": agency, "role": role, "email": f"{username}@bench.invalid"},
            )
            if created:
                user.set_unusable_password()
                user.save()
    User.objects.get_or_create(
        username="bench-admin",
        defaults={"agency": None, "role": "", "is_superuser": True, "is_staff": True},
    )
    # Every open case has its agency's handler, so the reminders go to the office, the handler
    # and (when overdue) the approver, as in an office.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE cases_case c SET assigned_handler_id = u.id
            FROM cases_user u
            WHERE u.agency_id = c.agency_id AND u.role = 'handler'
              AND c.answered_on IS NULL AND c.assigned_handler_id IS NULL
            """
        )
        cursor.execute("VACUUM (ANALYZE) cases_case")
    return timings


def tokens() -> dict[str, str]:
    from cases.authentication import issue_token
    from cases.models import User

    names = {
        "admin": "bench-admin",
        "clerk": f"{AGENCY.lower()}-handler",
        "registrar": f"{AGENCY.lower()}-registrar",
    }
    return {who: issue_token(User.objects.get(username=name))[1] for who, name in names.items()}


# The web server


@contextmanager
def gunicorn(args, database_url: str):
    import socket

    port = args.port
    if not port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


class Client:
    """One keep-alive HTTP connection with a token, as an API client holds it."""

    def __init__(self, port: int, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, float]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        return response.status, json.loads(payload or b"{}"), elapsed


def queries_in_process(token: str, method: str, path: str, body=None) -> int:
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_AUTHORIZATION=f"Token {token}")
    for _ in range(2):  # the second, as a warm worker serves it
        with CaptureQueriesContext(connection) as ctx:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, body, content_type="application/json")
        assert response.status_code in (200, 201), (path, response.status_code, response.content)
    # Statements; the transaction's BEGIN and COMMIT are not counted.
    return sum(
        not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT"))
        for q in ctx.captured_queries
    )


# The measured parts


def list_requests() -> list[tuple[str, str]]:
    from cases.models import Case

    reference = (
        Case.objects.filter(agency__code=AGENCY, received_on__year=2024)
        .order_by("reference")
        .values_list("reference", flat=True)[11]
    )
    someone = (
        Case.objects.filter(
            agency__code=AGENCY, applicant_type="natural_person", created_by__isnull=True
        )
        .order_by("-id")
        .values_list("applicant_name", "id_number")[100]
    )
    # The issue's deep pages, or the last page at a smaller size.
    pages = Case.objects.filter(agency__code=AGENCY).count() // 50
    return [
        ("admin", f"/api/cases/?agency={AGENCY}"),
        ("admin", f"/api/cases/?agency={AGENCY}&page={min(500, pages)}"),
        ("admin", "/api/cases/"),
        ("admin", f"/api/cases/?search={reference}"),
        ("admin", "/api/cases/?search=张"),
        ("admin", f"/api/cases/?agency={AGENCY}&ordering=-received_on"),
        ("admin", f"/api/cases/?agency={AGENCY}&state=registered"),
        ("admin", "/api/cases/?state=archived"),
        ("clerk", "/api/cases/"),
        ("clerk", f"/api/cases/?page={min(1000, pages)}"),
        ("clerk", "/api/cases/?state=archived"),
        ("clerk", "/api/cases/?ordering=due_on"),
        ("clerk", "/api/cases/?ordering=-answered_on"),
        ("clerk", "/api/cases/?overdue=true"),
        ("clerk", f"/api/cases/?search={someone[0]}"),
        ("clerk", "/api/cases/?search=拆迁补偿安置"),
        ("clerk", f"/api/cases/?search={someone[1]}"),
        ("clerk", "/api/cases/?search=欧阳"),
    ]


def measure_lists(port: int, keys: dict[str, str], runs: int) -> list[dict]:
    from urllib.parse import quote

    results = []
    clients = {who: Client(port, token) for who, token in keys.items()}
    for who, path in list_requests():
        quoted = quote(path, safe="/?=&-")
        status, body, _ = clients[who].request("GET", quoted)  # warm-up
        assert status == 200, (path, status, body)
        times = [clients[who].request("GET", quoted)[2] for _ in range(runs)]
        results.append(
            {
                "label": f"{who:<5} {path}",
                "p50": percentile(times, 50),
                "p95": percentile(times, 95),
                "queries": queries_in_process(keys[who], "GET", quoted),
                "count": f"{body['count']:,}{'' if body['count_is_exact'] else '+'}",
            }
        )
    return results


def registration_body(i: int) -> dict:
    # A name like the generated ones, so the newest cases do not distort the name searches.
    surnames = list(annual_table.SURNAME_WEIGHTS)
    given = annual_table.GIVEN_NAME_CHARACTERS
    name = surnames[(i * 7919) % len(surnames)] + given[(i * 104729) % len(given)]
    return {
        "applicant_type": "natural_person",
        "applicant_name": name,
        "id_type": "other",
        "id_number": f"B{i:08d}",
        "channel": "online",
        "received_on": dt.date.today().isoformat(),
        "description": "申请公开本年度某项目的立项批复等相关政府信息",
    }


def measure_registration(port: int, token: str, total: int, concurrency: int = 8) -> dict:
    statements = queries_in_process(token, "POST", "/api/cases/", registration_body(0))
    latencies, errors = [], []
    counter = iter(range(1, total + 1))
    lock = threading.Lock()

    def worker():
        client = Client(port, token)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            status, body, elapsed = client.request("POST", "/api/cases/", registration_body(i))
            if status != 201:
                errors.append((status, body))
            latencies.append(elapsed)

    Client(port, token).request("POST", "/api/cases/", registration_body(total + 1))  # warm-up
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "rate": total / wall,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "errors": errors[:3],
        "statements": statements,
        "total": total,
    }


def references_gap_free() -> bool:
    from cases.models import Case

    year = dt.date.today().year
    numbers = sorted(
        int(ref.rsplit("-", 1)[1])
        for ref in Case.objects.filter(reference__startswith=f"{AGENCY}-{year}-").values_list(
            "reference", flat=True
        )
    )
    return numbers == list(range(1, len(numbers) + 1))


def timed(call) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
    return seconds, len(ctx.captured_queries), result


def measure_reminders(today: dt.date) -> list[dict]:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from tests.smtp import SmtpServer

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command log

    def command(*extra) -> str:
        out = io.StringIO()
        with redirect_stdout(io.StringIO()):
            call_command(
                "send_deadline_reminders", "--today", today.isoformat(), *extra, stdout=out
            )
        return out.getvalue().strip().splitlines()[-1]

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_remindersent")
    results = []
    with SmtpServer() as server:
        server.handler.messages = _CountingList()
        email = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": server.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
        }
        with override_settings(**email):
            for label, extra in (("dry run", ("--dry-run",)), ("real run", ()), ("rerun", ())):
                seconds, queries, line = timed(lambda extra=extra: command(*extra))
                results.append(
                    {"label": label, "seconds": seconds, "queries": queries, "line": line}
                )
        results[1]["mails"] = len(server.handler.messages)
    return results


class _CountingList(list):
    """Keeps the count of received messages, not the messages (a digest can be megabytes)."""

    def append(self, item):
        super().append(None)


def measure_recompute(today: dt.date) -> list[dict]:
    from cases import services
    from cases.models import CalendarChange, CalendarDay, User

    admin = User.objects.get(username="bench-admin")
    day = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)  # the next Monday
    results = []

    def process() -> int:
        change = CalendarChange.objects.order_by("-pk").first()
        return services.calendar_change_process(change_id=change.pk)

    seconds, queries, changed = timed(
        lambda: (
            services.calendar_day_save(
                actor=admin,
                day=CalendarDay(date=day, kind="holiday", name="基准测试假日", source="基准测试"),
            ),
            process(),
        )[1]
    )
    results.append({"label": f"holiday {day} added", "s": seconds, "q": queries, "n": changed})
    seconds, queries, changed = timed(
        lambda: (
            services.calendar_day_delete(actor=admin, days=CalendarDay.objects.filter(date=day)),
            process(),
        )[1]
    )
    results.append({"label": f"holiday {day} removed", "s": seconds, "q": queries, "n": changed})
    return results


# Report


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv=None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench/scale.py needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    base_url = os.environ["DATABASE_URL"]
    old_name = create_database(args)
    try:
        return run(args, base_url.rsplit("/", 1)[0] + f"/{args.db}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
        if args.keep:
            print(f"kept database {args.db}")


def run(args, database_url: str) -> int:
    from django.db.models import Count, Q

    from cases.models import Case

    started = time.perf_counter()
    generation = populate(args)
    setup_seconds = time.perf_counter() - started
    summary = Case.objects.aggregate(
        n=Count("pk"), open=Count("pk", filter=Q(answered_on__isnull=True))
    )
    today = args.today or dt.date(args.last_year, 12, 15)
    size_note = "" if summary["n"] >= AT_SCALE else f" (at {summary['n']:,} cases, not 1,000,000)"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"database   {args.db}: {summary['n']:,} cases, {summary['open']:,} open")
    if generation:
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in generation.items())
        print(f"generation {parts}")
    print(f"setup      {setup_seconds:.1f} s; load average {load} on {os.cpu_count()} CPUs")
    keys = tokens()
    targets: list[tuple[str, bool]] = []

    with gunicorn(args, database_url) as port:
        if "list" not in args.skip:
            print()
            print(f"list and search over HTTP, gunicorn {args.workers} workers, {args.runs} runs")
            print(f"{'request':<60}{'p50 ms':>8}{'p95 ms':>8}{'queries':>8}  count")
            for r in measure_lists(port, keys, args.runs):
                print(
                    f"{r['label']:<60}{r['p50'] * 1000:>8.1f}{r['p95'] * 1000:>8.1f}"
                    f"{r['queries']:>8}  {r['count']}"
                )
                targets.append((f"p95 <= 150 ms: {r['label']}{size_note}", r["p95"] <= LIST_P95))
        if "register" not in args.skip:
            r = measure_registration(port, keys["registrar"], args.registrations)
            print()
            print(
                f"registration at concurrency 8, {r['total']} requests: {r['rate']:.0f} req/s, "
                f"p50 {r['p50'] * 1000:.0f} ms, p95 {r['p95'] * 1000:.0f} ms, "
                f"{r['statements']} statements each"
                + (f"; ERRORS {r['errors']}" if r["errors"] else "")
            )
            gap_free = references_gap_free()
            print(f"references of {AGENCY} this year unique and gap-free: {gap_free}")
            targets += [
                (f"registration >= 150 req/s{size_note}", r["rate"] >= REGISTRATION_RATE),
                (f"registration p95 <= 100 ms{size_note}", r["p95"] <= REGISTRATION_P95),
                ("registration <= 8 statements", r["statements"] <= REGISTRATION_STATEMENTS),
                ("registration without errors, references gap-free", not r["errors"] and gap_free),
            ]

    open_note = f" (at {summary['open']:,} open cases; the target is for 1,000,000)"
    if "remind" not in args.skip:
        print()
        print(f"reminder run, --today {today}")
        runs = measure_reminders(today)
        for r in runs:
            mails = f", {r['mails']} mails received" if "mails" in r else ""
            print(
                f"{r['label']:<10}{r['seconds']:>8.2f} s {r['queries']:>6} queries  "
                f"{r['line']}{mails}"
            )
        dry, real, _rerun = runs
        targets += [
            (f"reminder dry run <= 10 s{open_note}", dry["seconds"] <= DRY_RUN_LIMIT),
            (f"reminder real run <= 60 s{open_note}", real["seconds"] <= REAL_RUN_LIMIT),
        ]
    if "recompute" not in args.skip:
        print()
        print("recompute of open due dates after a calendar change")
        for r in measure_recompute(today):
            print(f"{r['label']:<30}{r['s']:>8.2f} s {r['q']:>6} queries  {r['n']:,} cases changed")
            targets.append((f"recompute <= 2 min{open_note}", r["s"] <= RECOMPUTE_LIMIT))

    print()
    for label, ok in targets:
        print(f"target {label}: {verdict(ok)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the ledger import and export on PostgreSQL (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/ledger.py [--import-rows N] [--export-cases M] [--skip-import]
        [--skip-export] [--keep]

Creates its own database (``bench_ledger``, or LEDGER_BENCH_DB; the one DATABASE_URL names is
never touched) and migrates it, then:

- import: writes an XLSX ledger of N rows (default 100,000) the way an office's reads (most
  requests answered within two weeks, some corrected, consulted, withdrawn or still open), and
  times the dry run and the import of it through ``ledger.services`` (the path of the API and
  of ``import_cases``), with the peak memory of each;
- export: inserts M cases directly (default 1,000,000; ``bench/annual_table.py``'s generator)
  and times the XLSX and CSV exports of them all (``ledger.exports``, what
  ``GET /api/cases/export.xlsx`` streams), bytes consumed and dropped as a client would, with
  the peak memory (resident set size sampled every 20 ms).

Targets (issue 17): import 100,000 rows, dry run and commit, under 3 minutes each; export
1,000,000 cases under 2 minutes with peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

BENCH_DB = os.environ.get("LEDGER_BENCH_DB", "bench_ledger")
_PAGE = os.sysconf("SC_PAGE_SIZE")


class PeakMemory:
    """The process's resident set size, sampled while a block runs: its peak, in MB."""

    def __enter__(self):
        self.start = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _rss() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE / 1e6


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--export-cases", type=int, default=1_000_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-dry-run", action="store_true", help="time the import only")
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    return parser.parse_args(argv)


# The ledger written for the import.


def _resident_id(rng: random.Random) -> str:
    from cases.identity import resident_id_check_char

    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
    first17 = f"350{rng.randrange(100, 999)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + resident_id_check_char(first17)


def _working_day(cal, day: dt.date, after: int) -> dt.date:
    return cal.add_working_days(day, after)


def write_ledger(path: Path, rows: int) -> dict[str, int]:
    """An XLSX ledger of ``rows`` requests received 2022-2024, in the template's columns."""
    from openpyxl import Workbook

    from cases.calendar import work_calendar

    cal = work_calendar()
    rng = random.Random(17)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["某市某局2022-2024年政府信息公开申请办理台账"])
    sheet.append(
        [
            "台账编号",
            "申请人类型",
            "申请人",
            "证件号码",
            "申请方式",
            "收到申请日期",
            "申请内容",
            "联系电话",
            "补正告知日期",
            "收到补正日期",
            "征求意见日期",
            "征求意见对象",
            "收到意见日期",
            "办结日期",
            "办理结果",
            "理由",
            "归档日期",
        ]
    )
    outcomes = ["予以公开"] * 6 + ["（二）部分公开", "无法提供：本机关不掌握相关政府信息"]
    kinds = {"direct": 0, "correction": 0, "consult": 0, "withdrawn": 0, "open": 0}
    first_day = dt.date(2022, 1, 4)
    for n in range(rows):
        received = _working_day(cal, first_day, n * 700 // rows)
        draw = rng.random()
        correction = corrected = consulted = opinion = archived = None
        outcome, reason = rng.choice(outcomes), ""
        if outcome.endswith("部分公开"):
            reason = "涉及个人隐私的部分不予公开"
        if draw < 0.08:
            kind = "correction"
            correction = _working_day(cal, received, 2)
            corrected = _working_day(cal, correction, 5)
            answered = _working_day(cal, corrected, 8)
        elif draw < 0.13:
            kind = "consult"
            consulted = _working_day(cal, received, 3)
            opinion = _working_day(cal, consulted, 10)
            answered = _working_day(cal, opinion, 3)
        elif draw < 0.16:
            kind, outcome, reason = "withdrawn", "申请人撤回", ""
            answered = _working_day(cal, received, 4)
        elif draw < 0.18:
            kind, outcome, reason, answered = "open", "", "", None
        else:
            kind = "direct"
            answered = _working_day(cal, received, rng.randrange(3, 15))
        if answered and kind != "open" and rng.random() < 0.5:
            archived = answered + dt.timedelta(days=30)
        kinds[kind] += 1
        sheet.append(
            [
                f"LEDGER-{n + 1:06d}",
                "自然人",
                f"申请人{n + 1}",
                _resident_id(rng),
                rng.choice(["网上申请", "信函", "当面"]),
                received,
                f"申请公开{received.year}年度某项目的立项批复和资金拨付情况（第{n + 1}号）",
                f"1390000{n % 10000:04d}",
                correction,
                corrected,
                consulted,
                "某有限公司" if consulted else None,
                opinion,
                answered,
                outcome or None,
                reason or None,
                archived,
            ]
        )
    sheet.append(["合计", None, f"共{rows}件"])
    book.save(path)
    return kinds


class _Reporter:
    """Prints the rate every 10,000 rows, so that a long run shows where it is."""

    def __init__(self, started: float, total: int):
        self.started, self.total, self.next = started, total, 10_000

    def __call__(self, *, rows_done: int, error_count: int) -> None:
        if rows_done >= self.next:
            seconds = time.perf_counter() - self.started
            print(
                f"  {rows_done:,} of {self.total:,} rows after {seconds:.0f} s "
                f"({rows_done / seconds:.1f} rows/s), {error_count} errors",
                flush=True,
            )
            self.next += 10_000


def bench_import(rows: int, *, dry_run_too: bool) -> list[dict]:
    from cases.models import Agency, CaseEvent, Role, User
    from ledger import services

    agency = Agency.objects.create(code="BENCHL", name="基准测试机关", email="a@bench.invalid")
    admin = User.objects.create(username="bench_admin", agency=agency, role=Role.AGENCY_ADMIN)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.xlsx"
        started = time.perf_counter()
        kinds = write_ledger(path, rows)
        print(f"ledger          {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB XLSX, {kinds}")
        print(f"written in      {time.perf_counter() - started:.1f} s")
        for dry_run in ([True] if dry_run_too else []) + [False]:
            with PeakMemory() as memory, path.open("rb") as file:
                events = CaseEvent.objects.count()
                started = time.perf_counter()
                batch = services.import_batch_create(
                    actor=admin, agency=agency, file=file, file_name=path.name, dry_run=dry_run
                )
                batch = services.import_batch_process(
                    batch_id=batch.pk, on_progress=_Reporter(started, rows)
                )
                seconds = time.perf_counter() - started
            report = batch.report
            results.append(
                {
                    "label": "dry run" if dry_run else "import",
                    "seconds": seconds,
                    "rows": report["rows_read"],
                    "created": report["rows_created"],
                    "errors": len(report["errors"]),
                    "events": CaseEvent.objects.count() - events,
                    "peak_mb": memory.peak,
                    "start_mb": memory.start,
                }
            )
            if report["errors"]:
                print("first errors:", report["errors"][:3])
    return results


def bench_export(cases: int) -> list[dict]:
    from annual_table import generate

    from cases.models import Agency, Case, User
    from ledger import exports

    agency = Agency.objects.create(code="BENCHX", name="基准测试导出机关", email="x@bench.invalid")
    started = time.perf_counter()
    generate(cases=cases, agency_ids=[agency.pk], first_year=2019, last_year=2025)
    print(f"generated       {cases:,} cases in {time.perf_counter() - started:.1f} s")
    user = User.objects.create(username="bench_exporter", agency=agency, is_superuser=True)
    results = []
    for label, stream in (
        ("XLSX", lambda qs: exports.stream_xlsx(qs, unmasked=False, rows_expected=cases)),
        ("CSV", lambda qs: exports.stream_csv(qs, unmasked=False)),
    ):
        from cases import selectors

        queryset = selectors.case_list(user=user).order_by("-received_on", "-id")
        with PeakMemory() as memory:
            started = time.perf_counter()
            size, first_byte = 0, None
            for piece in stream(queryset):
                if first_byte is None and piece:
                    first_byte = time.perf_counter() - started
                size += len(piece)
            seconds = time.perf_counter() - started
        results.append(
            {
                "label": label,
                "seconds": seconds,
                "first_byte": first_byte,
                "mb": size / 1e6,
                "peak_mb": memory.peak,
                "start_mb": memory.start,
                "rows": Case.objects.count(),
            }
        )
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench/ledger.py needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    old_name = connection.settings_dict["NAME"]
    if old_name == BENCH_DB:
        print(f"DATABASE_URL must not name {BENCH_DB}", file=sys.stderr)
        return 2
    connection.settings_dict.setdefault("TEST", {})["NAME"] = BENCH_DB
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(BENCH_DB)}")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    media = tempfile.TemporaryDirectory()
    from django.conf import settings

    settings.MEDIA_ROOT = media.name
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"database        {BENCH_DB} (PostgreSQL {connection.pg_version // 10000})")
        print(f"load average    {load} on {os.cpu_count()} CPUs at the start")
        if not args.skip_import:
            for r in bench_import(args.import_rows, dry_run_too=not args.skip_dry_run):
                rate = r["rows"] / r["seconds"]
                print(
                    f"{r['label']:<15} {r['rows']:,} rows in {r['seconds']:.0f} s "
                    f"({rate:.0f} rows/s, {1000 / rate:.1f} ms a row); {r['created']:,} cases, "
                    f"{r['events']:,} events, {r['errors']} errors; peak memory "
                    f"{r['peak_mb']:.0f} MB (from {r['start_mb']:.0f} MB)"
                )
        if not args.skip_export:
            for r in bench_export(args.export_cases):
                print(
                    f"export {r['label']:<8} {r['rows']:,} cases in {r['seconds']:.0f} s "
                    f"(first bytes after {r['first_byte']:.2f} s), {r['mb']:.0f} MB; peak memory "
                    f"{r['peak_mb']:.0f} MB (from {r['start_mb']:.0f} MB)"
                )
        print(f"load average    {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
        media.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

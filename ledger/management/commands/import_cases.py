"""manage.py import_cases FILE --agency CODE [--commit] [--all-or-nothing] [--user USERNAME]

The same import as POST /api/imports/, run here: a dry run unless --commit, printing the same
report (and a progress bar on a terminal). It exits with status 1 when a row has an error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases import permissions
from cases.errors import ApplicationError
from cases.models import Agency, Role, User
from ledger import services
from ledger.report import report_text

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "导入台账（XLSX或CSV）：默认仅检查，--commit 时导入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账文件（.xlsx 或 .csv）")
        parser.add_argument("--agency", required=True, help="机关代码")
        parser.add_argument("--commit", action="store_true", help="导入（默认仅检查）")
        parser.add_argument("--all-or-nothing", action="store_true", help="有任何错误则全部不导入")
        parser.add_argument(
            "--user",
            help="以该用户（本机关的机关管理员或平台管理员）的名义导入；"
            "不填时为本机关唯一的机关管理员",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        agency = Agency.objects.filter(code=options["agency"].strip().upper()).first()
        if agency is None:
            raise CommandError(f"机关代码“{options['agency']}”不存在")
        actor = _actor(agency, options.get("user"))
        self.stdout.write(
            f"以用户 {actor.username} 的名义{'导入' if options['commit'] else '检查'}"
        )
        try:
            with path.open("rb") as file:
                batch = services.import_batch_create(
                    actor=actor,
                    agency=agency,
                    file=file,
                    file_name=path.name,
                    dry_run=not options["commit"],
                    all_or_nothing=options["all_or_nothing"],
                )
        except ApplicationError as err:
            raise CommandError(err.message) from None
        bar = _Bar(self.stderr, batch.rows_total) if self.stderr.isatty() else None
        batch = services.import_batch_process(batch_id=batch.pk, on_progress=bar)
        if bar is not None:
            bar.done()
        assert batch is not None  # created just now, claimed by nobody else
        self.stdout.write(report_text(batch.report))
        if batch.error_count:
            sys.exit(1)


def _actor(agency: Agency, username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not permissions.may_manage_agency(user, agency.pk):
            raise CommandError(f"“{username}”不是{agency.name}的机关管理员或平台管理员")
        return user
    admins = list(User.objects.filter(agency=agency, role=Role.AGENCY_ADMIN, is_active=True))
    if len(admins) != 1:
        names = "、".join(sorted(u.username for u in admins)) or "无"
        raise CommandError(f"请用 --user 指定导入人（本机关的机关管理员：{names}）")
    return admins[0]


class _Bar:
    """A one-line progress bar on the terminal: rows done of the file's rows."""

    def __init__(self, out, total: int):
        self.out, self.total = out, max(total, 1)

    def __call__(self, *, rows_done: int, error_count: int) -> None:
        share = min(rows_done / self.total, 1)
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.out.write(f"\r[{bar}] {rows_done}/{self.total} 行，错误 {error_count}", ending="")
        self.out.flush()

    def done(self) -> None:
        self.out.write("")

"""Log the agency's historical requests of 2018–2020 (see ``demo.seeds``), the appeals and the
report content of its 2019 and 2020 reports (``demo.seed_reports``), and print the 2019 and
2020 annual tables' totals.

Creates the agency (only the demo agency FJRST, from the demo data's definition) and a
registrar, a handler and an agency admin if it has none. Idempotent: an agency that already has
cases received in 2018–2020 gets nothing new (nor appeals or report content, once it has any).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.errors import ApplicationError
from cases.models import Agency, Role, User
from demo.agency import AGENCY, AGENCY_USERS
from demo.seed_reports import log_seed_reports
from demo.seeds import log_seed_cases
from reporting.tables import CARRIED_IN, CARRIED_OUT, HANDLED, NEW, TOTAL, annual_table, row_values

TABLE_YEARS = (2019, 2020)
TEMPLATE = "2019"


def clerk(agency: Agency, role: str, username: str) -> User:
    """The agency's first active user with the role; else a new one (no usable password)."""
    user = User.objects.filter(agency=agency, role=role, is_active=True).order_by("pk").first()
    if user is not None:
        return user
    if User.objects.filter(username=username).exists():
        username = f"{agency.code.lower()}-{username}"
    _role, last_name, first_name = AGENCY_USERS.get(username, (role, "", ""))
    user = User(
        username=username,
        agency=agency,
        role=role,
        last_name=last_name,
        first_name=first_name,
        is_staff=True,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


class Command(BaseCommand):
    help = "登记机关2018—2020年的历史政府信息公开申请，并打印2019、2020年度统计表总计。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency", default=AGENCY["code"], help=f"机关代码（默认 {AGENCY['code']}）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["agency"].strip().upper()
        with transaction.atomic():
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                if code != AGENCY["code"]:
                    raise CommandError(f"机关 {code} 不存在，请先添加该机关")
                agency = Agency(**AGENCY)
                agency.full_clean()
                agency.save()
                self.stdout.write(f"已创建机关：{agency}")
            registrar = clerk(agency, Role.REGISTRAR, "registrar")
            handler = clerk(agency, Role.HANDLER, "handler")
            admin = clerk(agency, Role.AGENCY_ADMIN, "agencyadmin")
            try:
                logged = log_seed_cases(agency=agency, registrar=registrar, handler=handler)
                appeals = log_seed_reports(agency=agency, handler=handler, admin=admin)
            except ApplicationError as err:  # e.g. a published year's table is locked
                raise CommandError(f"未能登记历史申请：{err.message}") from err

        if logged:
            self.stdout.write(self.style.SUCCESS(f"已为{agency.name}登记历史申请 {logged} 件。"))
        if appeals:
            self.stdout.write(
                f"已登记行政复议、行政诉讼 {appeals} 件，"
                "并填报2019、2020年度报告的主动公开情况和文字部分。"
            )
        else:
            self.stdout.write(f"{agency.name}已有2018—2020年收到的申请，未重复登记。")
        for year in TABLE_YEARS:
            self._print_totals(agency, year)

    def _print_totals(self, agency: Agency, year: int) -> None:
        table = annual_table(agency=agency, year=year, template=TEMPLATE)
        new, carried_in = row_values(table, NEW)[TOTAL], row_values(table, CARRIED_IN)[TOTAL]
        handled, carried_out = row_values(table, HANDLED)[TOTAL], row_values(table, CARRIED_OUT)
        self.stdout.write(
            f"{year}年度：本年新收 {new} 件，上年结转 {carried_in} 件，"
            f"办结 {handled} 件，结转下年度 {carried_out[TOTAL]} 件。"
        )
        failed = [check["detail"] for check in table["checks"] if not check["ok"]]
        if failed:
            self.stdout.write(self.style.WARNING("  核对未通过：" + "；".join(failed)))
        else:
            self.stdout.write("  核对全部通过。")

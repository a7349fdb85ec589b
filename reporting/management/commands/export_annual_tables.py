from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases import clock
from cases.errors import ApplicationError
from cases.models import Agency
from reporting import yearend
from reporting.layout import TEMPLATES


class Command(BaseCommand):
    help = (
        "Build the annual request-handling table of YEAR for every agency (or one) as a draft "
        "snapshot and write XLSX, DOCX, CSV and JSON files to DIR/<agency code>/ — what the "
        "1 January task does. Published years are exported as published. --mail also e-mails "
        "each disclosure office, once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="report year, e.g. 2025")
        parser.add_argument("--agency", help="agency code (default: every agency)")
        parser.add_argument("--template", choices=TEMPLATES, help="2019 or 2021 (default: by year)")
        parser.add_argument("--out", type=Path, required=True, help="output directory")
        parser.add_argument(
            "--mail", action="store_true", help="also e-mail the files to each office"
        )

    def handle(self, *args, year, agency=None, template=None, out, mail=False, **options):
        agencies = None
        if agency:
            found = Agency.objects.filter(code=agency.strip().upper()).first()
            if found is None:
                raise CommandError(f"机关代码“{agency}”不存在")
            agencies = [found]
        try:
            results = yearend.export_year(
                year=year,
                today=clock.today(),
                agencies=agencies,
                template=template,
                out_dir=out,
                mail=mail,
            )
        except ApplicationError as err:
            raise CommandError(f"{err.message} {err.fields or ''}".strip()) from None
        failed_checks = 0
        for result in results:
            report = result.report
            self.stdout.write(
                f"{result.agency.code} {result.agency.name} {year}年"
                f"（{report.get_status_display()}，格式{report.template}）："
            )
            for key, path in result.files.items():
                self.stdout.write(f"  {key}: {path}")
            for line in yearend.check_lines(result.checks):
                self.stdout.write(f"  核对{line}")
            failed_checks += not report.checks_ok
            if mail:
                state = "已发送" if result.mailed else (result.mail_error or "今日已发送，跳过")
                self.stdout.write(f"  邮件：{state}")
        self.stdout.write(f"共导出{len(results)}个机关；核对未通过{failed_checks}个。")
        mail_failures = [r for r in results if r.mail_error]
        if mail_failures:
            raise CommandError(f"{len(mail_failures)}封邮件发送失败，未标记为已发送，可重新运行。")

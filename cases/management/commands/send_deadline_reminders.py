import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cases import clock, reminders


class Command(BaseCommand):
    help = (
        "Send today's deadline reminder digests (the same logic as the 08:30 beat task). "
        "Each reminder goes to each recipient once; --dry-run only prints what would be sent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="YYYY-MM-DD (default: today in Asia/Shanghai)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print the digests, send and record nothing"
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        day = today or clock.today()
        report = reminders.send_reminders(today=day, dry_run=dry_run)
        if not report.working_day:
            self.stdout.write(f"{day:%Y-%m-%d}不是工作日，不发送提醒。")
            return
        for recipient, items in report.digests.items():
            if dry_run:
                self.stdout.write(reminders.render_digest_text(recipient, items, day))
                self.stdout.write("-" * 60)
        verb = "将发送" if dry_run else "已发送"
        self.stdout.write(
            f"{day:%Y-%m-%d}：{verb}{len(report.digests)}封提醒邮件，共{report.reminders}项；"
            f"此前已发送而跳过{report.skipped}项。"
        )
        if report.failures:
            for recipient, error in report.failures.items():
                self.stderr.write(f"发送失败：{recipient}：{error}")
            raise CommandError(
                f"{len(report.failures)}封邮件发送失败，未标记为已发送，可重新运行。"
            )

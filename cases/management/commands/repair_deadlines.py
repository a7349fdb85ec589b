from django.core.management.base import BaseCommand

from cases import services


class Command(BaseCommand):
    help = (
        "Carry out pending calendar recomputes, then find every open case whose stored due dates "
        "disagree with the working-day calendar and fix it (audited). Prints how many."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="only count the cases that would be fixed"
        )

    def handle(self, *args, dry_run=False, **options):
        if not dry_run:
            pending = list(services.calendar_changes_pending().values_list("pk", flat=True))
            for change_id in pending:
                services.calendar_change_process(change_id=change_id)
            self.stdout.write(f"待处理的节假日安排变更：{len(pending)}项，已重新计算。")
        fixed = services.repair_open_deadlines(dry_run=dry_run)
        verb = "需要修正" if dry_run else "已修正"
        self.stdout.write(f"期限与节假日安排不一致的未办结申请：{fixed}件{verb}。")

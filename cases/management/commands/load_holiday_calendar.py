from django.core.management.base import BaseCommand

from cases import calendar_seed, services
from cases.models import CalendarDay, CalendarYear


class Command(BaseCommand):
    help = (
        "Load the State Council holiday notices the chinesecalendar package knows and the "
        "database lacks (years already loaded are never overwritten), then recompute the "
        "deadlines of open cases they affect."
    )

    def handle(self, *args, **options):
        loaded = calendar_seed.seed(CalendarYear, CalendarDay)
        if not loaded:
            self.stdout.write("节假日安排已是最新，无需更新。")
            return
        years = "、".join(str(y) for y in loaded)
        self.stdout.write(f"已录入{years}年的节假日安排。")
        changed = services.recompute_open_deadlines(
            years=loaded, reason=f"录入{years}年国务院节假日安排"
        )
        self.stdout.write(f"重新计算期限：{changed}件申请的期限有变化。")

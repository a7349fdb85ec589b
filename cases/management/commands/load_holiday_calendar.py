from django.core.management.base import BaseCommand

from cases import calendar_seed, services


class Command(BaseCommand):
    help = (
        "Load the State Council holiday notices the chinesecalendar package knows and the "
        "database lacks (years already loaded are never overwritten), then recompute the "
        "deadlines of open cases they affect."
    )

    def handle(self, *args, **options):
        loaded, changed = services.calendar_load_from_package(seed=calendar_seed.seed)
        if not loaded:
            self.stdout.write("节假日安排已是最新，无需更新。")
            return
        years = "、".join(str(y) for y in loaded)
        self.stdout.write(f"已录入{years}年的节假日安排。")
        self.stdout.write(f"重新计算期限：{changed}件申请的期限有变化。")

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "申请办理"

    def ready(self) -> None:
        from . import calendar, hooks
        from .authentication import connect_signals
        from .models import User
        from .tasks import enqueue_calendar_change

        connect_signals(User)
        calendar.connect_signals()
        hooks.register_calendar_listener(enqueue_calendar_change)

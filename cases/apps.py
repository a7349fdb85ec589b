from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "申请办理"

    def ready(self) -> None:
        from .authentication import connect_signals
        from .models import User

        connect_signals(User)

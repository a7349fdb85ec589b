from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The clerks' desk: the daily work's screens (queue, registration, case page, calendar,
    annual report), reading through the selectors and writing through the services of cases
    and reporting. Extension points for other apps: desk.extensions."""

    name = "desk"
    verbose_name = "办理工作台"

    def ready(self) -> None:
        from django.apps import apps

        from . import extensions

        if apps.is_installed("documents"):
            from .documents_panel import documents_panel, waiting_for_approval

            extensions.register_approval_queue(waiting_for_approval)
            extensions.register_case_panel(documents_panel)

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo agency and the seed cases: loaded through the services of ``cases``, never
    imported by it."""

    name = "demo"
    verbose_name = "演示数据"

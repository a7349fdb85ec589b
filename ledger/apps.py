from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """The office's ledger (台账): spreadsheets in (replayed through the services of ``cases``)
    and out (the export). ``cases`` never imports it."""

    name = "ledger"
    verbose_name = "台账导入导出"

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from django.db.models import Prefetch

        from cases import hooks

        from .locks import refuse_change_to_published_year
        from .models import Appeal
        from .serializers import case_appeals

        hooks.register_check(refuse_change_to_published_year)
        # The case shows its appeals (with the new case a corrected result's new reply got).
        hooks.register_representation(
            "appeals",
            case_appeals,
            prefetch=(Prefetch("appeals", queryset=Appeal.objects.select_related("new_case")),),
            help="该申请的行政复议和行政诉讼",
        )

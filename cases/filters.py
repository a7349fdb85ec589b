import django_filters
from django.db.models import Q

from . import clock, vocabulary
from .calendar import work_calendar
from .models import OPEN_STATES, Case, CaseState


class CaseFilter(django_filters.FilterSet):
    """List filters. Ranges take ``received_on_after`` / ``received_on_before`` (inclusive)."""

    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices)
    applicant_type = django_filters.MultipleChoiceFilter(choices=vocabulary.APPLICANT_TYPE_CHOICES)
    outcome = django_filters.MultipleChoiceFilter(choices=vocabulary.OUTCOME_CHOICES)
    assigned_handler = django_filters.NumberFilter(field_name="assigned_handler_id")
    agency = django_filters.CharFilter(field_name="agency__code")
    received_on = django_filters.DateFromToRangeFilter()
    answered_on = django_filters.DateFromToRangeFilter()
    year = django_filters.NumberFilter(field_name="received_on", lookup_expr="year")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text="未办结且已过答复期限"
    )
    due_before = django_filters.DateFilter(
        method="filter_due_before", help_text="答复期限不晚于该日（含）的未办结申请"
    )
    due_within = django_filters.NumberFilter(
        method="filter_due_within", help_text="答复期限在今后N个工作日内（含已逾期）的未办结申请"
    )

    class Meta:
        model = Case
        fields = [
            "state",
            "applicant_type",
            "outcome",
            "assigned_handler",
            "agency",
            "received_on",
            "answered_on",
            "year",
            "overdue",
            "due_before",
            "due_within",
        ]

    @staticmethod
    def _open_with_due_date(queryset):
        return queryset.filter(state__in=OPEN_STATES, due_on__isnull=False)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(state__in=OPEN_STATES, due_on__lt=clock.today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_due_before(self, queryset, name, value):
        return self._open_with_due_date(queryset).filter(due_on__lte=value)

    def filter_due_within(self, queryset, name, value):
        if value < 0:
            return queryset.none()
        limit = work_calendar().add_working_days(clock.today(), int(value))
        return self._open_with_due_date(queryset).filter(due_on__lte=limit)

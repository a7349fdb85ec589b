import django_filters

from . import vocabulary
from .models import Case, CaseState


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
        ]

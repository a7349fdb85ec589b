import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django_filters.fields import DateRangeField, RangeField
from rest_framework import filters, serializers

from . import clock, limits, vocabulary
from .calendar import work_calendar
from .models import OPEN_STATES, Agency, Case, CaseState
from .selectors import case_search


class BoundedDateField(forms.DateField):
    """A date no case can be outside of, so nothing absurd reaches the database."""

    default_validators = [
        MinValueValidator(limits.EARLIEST_DATE, f"日期不能早于{limits.EARLIEST_DATE:%Y-%m-%d}"),
        MaxValueValidator(
            limits.LATEST_QUERY_DATE, f"日期不能晚于{limits.LATEST_QUERY_DATE:%Y-%m-%d}"
        ),
    ]


class BoundedDateRangeField(DateRangeField):
    def __init__(self, *args, **kwargs):
        RangeField.__init__(self, (BoundedDateField(), BoundedDateField()), *args, **kwargs)


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class BoundedDateFromToRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = BoundedDateRangeField


class IntegerFilter(django_filters.NumberFilter):
    """Whole numbers only (NumberFilter takes decimals such as 7e16); bounds via min/max_value."""

    field_class = forms.IntegerField


class YearField(forms.IntegerField):
    """A year from the Regulations' first to next year; the upper bound moves with the date."""

    def validate(self, value):
        super().validate(value)
        latest = limits.latest_year()
        if value is not None and not limits.FIRST_YEAR <= value <= latest:
            raise ValidationError(f"年度应在{limits.FIRST_YEAR}年至{latest}年之间", code="year")


class YearFilter(IntegerFilter):
    field_class = YearField


class BoundedSearchFilter(filters.SearchFilter):
    def get_search_terms(self, request):
        too_long = len(request.query_params.get(self.search_param, "")) > limits.SEARCH_MAX_LENGTH
        terms = [] if too_long else super().get_search_terms(request)
        if too_long or len(terms) > limits.SEARCH_MAX_TERMS:
            most = f"{limits.SEARCH_MAX_LENGTH}个字符、{limits.SEARCH_MAX_TERMS}个词"
            raise serializers.ValidationError({self.search_param: f"搜索内容最多{most}"})
        return terms


class CaseSearchFilter(BoundedSearchFilter):
    """One search box, the admin's too (selectors.case_search): term by term the reference's
    beginning or a part of the applicant's name; or the whole text as an identity number, a
    phone number or a phrase of the request."""

    search_description = (
        "申请编号（开头部分）、申请人姓名或名称、证件号码、联系电话或申请内容中的一段文字"
    )

    def filter_queryset(self, request, queryset, view):
        terms = self.get_search_terms(request)  # also enforces the bounds
        if not terms:
            return queryset
        text = request.query_params.get(self.search_param, "")
        return case_search(queryset=queryset, terms=terms, text=text)


class CaseOrderingFilter(filters.OrderingFilter):
    """The offered orderings, each ending with the id in the same direction, so that pages do
    not overlap on equal dates and an index on (agency, field, id) serves the whole ORDER BY."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if ordering and not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return ordering


class ListFiltersOnlyMixin:
    """List filters, search and ordering apply to the list route only.

    DRF's get_object() filters the queryset too, so a detail route (retrieve, an action) would
    otherwise answer 404 or fail on a query parameter meant for lists.
    """

    def filter_queryset(self, queryset):
        if getattr(self, "detail", False):
            return queryset
        return super().filter_queryset(queryset)


class CaseFilter(django_filters.FilterSet):
    """List filters. Ranges take ``received_on_after`` / ``received_on_before`` (inclusive)."""

    # distinct=False: a case's own columns join to nothing that multiplies rows, and DISTINCT
    # over every column of a million-row list costs more than the page itself.
    state = django_filters.MultipleChoiceFilter(
        choices=CaseState.choices, label="办理状态", distinct=False
    )
    applicant_type = django_filters.MultipleChoiceFilter(
        choices=vocabulary.APPLICANT_TYPE_CHOICES, label="申请人类型", distinct=False
    )
    outcome = django_filters.MultipleChoiceFilter(
        choices=vocabulary.OUTCOME_CHOICES, label="办理结果", distinct=False
    )
    assigned_handler = IntegerFilter(
        field_name="assigned_handler_id",
        min_value=1,
        max_value=limits.BIGINT_MAX,
        label="承办人（用户ID）",
    )
    agency = django_filters.CharFilter(method="filter_agency", label="机关代码")
    received_on = BoundedDateFromToRangeFilter(label="收到申请日期（起止）")
    answered_on = BoundedDateFromToRangeFilter(label="办结日期（起止）")
    year = YearFilter(field_name="received_on", lookup_expr="year", label="收到申请年度")
    answered_late = django_filters.BooleanFilter(
        field_name="answered_late", label="逾期办结", help_text="办结日期晚于当时的答复期限"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="已逾期", help_text="未办结且已过答复期限"
    )
    due_before = BoundedDateFilter(
        method="filter_due_before",
        label="答复期限不晚于",
        help_text="答复期限不晚于该日（含）的未办结申请",
    )
    due_within = IntegerFilter(
        method="filter_due_within",
        label="今后N个工作日内到期",
        min_value=0,
        max_value=limits.DUE_WITHIN_MAX_DAYS,
        help_text="答复期限在今后N个工作日内（含已逾期）的未办结申请",
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
            "answered_late",
            "due_before",
            "due_within",
        ]

    def filter_agency(self, queryset, name, value):
        # The code is resolved once, so the list filters on the case's own agency_id (the
        # leading column of its indexes) instead of joining the agency table.
        agency_id = Agency.objects.filter(code=value.strip().upper()).values_list("pk", flat=True)
        agency_id = next(iter(agency_id), None)
        return queryset.none() if agency_id is None else queryset.filter(agency_id=agency_id)

    @staticmethod
    def _open_with_due_date(queryset):
        return queryset.filter(state__in=OPEN_STATES, due_on__isnull=False)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(state__in=OPEN_STATES, due_on__lt=clock.today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_due_before(self, queryset, name, value):
        return self._open_with_due_date(queryset).filter(due_on__lte=value)

    def filter_due_within(self, queryset, name, value: int):
        limit = work_calendar().add_working_days(clock.today(), value)
        return self._open_with_due_date(queryset).filter(due_on__lte=limit)

"""The report content API: what an office writes and enters for a year's report.

``GET/POST /api/reports/report-contents/`` (list; create or change the (agency, year) content),
``GET/PATCH /api/reports/report-contents/{id}/``. Writing is for agency admins."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from cases import limits
from cases.errors import InvalidInput
from cases.filters import ListFiltersOnlyMixin, YearFilter

from .. import selectors, services
from ..models import ReportContent
from ..serializers import (
    ReportContentCreateSerializer,
    ReportContentSerializer,
    ReportContentUpdateSerializer,
)


class ReportContentFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__code", max_length=limits.AGENCY_CODE_MAX)
    year = YearFilter()

    class Meta:
        model = ReportContent
        fields = ["agency", "year"]


def _unknown(data, serializer_class) -> None:
    unknown = sorted(set(data) - set(serializer_class().fields))
    if unknown:
        raise InvalidInput("这些字段不能填报", fields={name: "该字段不能填报" for name in unknown})


@extend_schema_view(
    list=extend_schema(summary="年度报告填报内容列表"),
    retrieve=extend_schema(summary="年度报告填报内容"),
)
class ReportContentViewSet(
    ListFiltersOnlyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Sections 一, 五, 六, the opening's blanks and section 二's figures, per agency and year."""

    serializer_class = ReportContentSerializer
    filterset_class = ReportContentFilter
    ordering_fields = ["year", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ReportContent.objects.none()
        return selectors.report_content_list(user=self.request.user)

    @extend_schema(
        request=ReportContentCreateSerializer,
        responses={200: ReportContentSerializer, 201: ReportContentSerializer},
        summary="填报年度报告内容（该机关该年度已有的则修改其中给出的部分）",
    )
    def create(self, request):
        _unknown(request.data, ReportContentCreateSerializer)
        params = ReportContentCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        agency = selectors.table_scope(user=request.user, code=data.pop("agency", None))
        if agency is None:
            raise InvalidInput("请指定机关", fields={"agency": "请指定机关代码"})
        existed = ReportContent.objects.filter(agency=agency, year=data["year"]).exists()
        content = services.report_content_save(actor=request.user, agency=agency, **data)
        return Response(
            self.get_serializer(content).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=ReportContentUpdateSerializer,
        responses={200: ReportContentSerializer},
        summary="修改年度报告填报内容",
    )
    def partial_update(self, request, pk=None):
        content = self.get_object()
        _unknown(request.data, ReportContentUpdateSerializer)
        params = ReportContentUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        content = services.report_content_save(
            actor=request.user, agency=content.agency, year=content.year, **params.validated_data
        )
        return Response(self.get_serializer(content).data)

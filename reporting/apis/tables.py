"""The reporting API: the annual table (JSON and files), the report's three tables, snapshots,
publication, reopening."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import clock
from cases.errors import InvalidInput
from cases.filters import ListFiltersOnlyMixin, YearFilter

from .. import selectors, services
from ..models import AnnualReport, PeriodEvent
from ..renderers import TABLE_FORMATS, TABLE_RENDERERS
from ..report import all_checks, annual_report_sections
from ..serializers import (
    AnnualReportCreateSerializer,
    AnnualReportSerializer,
    AnnualTableSerializer,
    PeriodEventSerializer,
    PublishSerializer,
    ReopenSerializer,
    ReportTablesSerializer,
    TableQuerySerializer,
)

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=list(TABLE_FORMATS),
    description="json（默认）、csv（UTF-8 BOM）、xlsx、html（可打印页面）、docx",
)
_FILE_DESCRIPTION = "JSON；format=csv/xlsx/html/docx 时返回文件"
# The table as JSON, or as a file of the format's media type (not the JSON shape).
FILE_RESPONSES = {
    (200, JSONRenderer.media_type): OpenApiResponse(
        AnnualTableSerializer, description=_FILE_DESCRIPTION
    ),
    **{
        (200, renderer.media_type): OpenApiResponse(
            OpenApiTypes.BINARY, description=_FILE_DESCRIPTION
        )
        for renderer in TABLE_RENDERERS
        if renderer is not JSONRenderer
    },
}


class TableFilesMixin:
    """Serves ``?format=`` files; an unknown format is a 400, and errors are always JSON."""

    def perform_content_negotiation(self, request, force=False):
        if request.method == "OPTIONS":
            # The route's description is metadata, not a table: the file renderers cannot
            # render it, whatever format was asked for.
            return (JSONRenderer(), JSONRenderer.media_type)
        requested = request.query_params.get("format")
        offered = [renderer.format for renderer in self.get_renderers()]
        if requested and requested not in offered and not force:
            raise InvalidInput(
                "格式无效", fields={"format": f"format 应为 {'、'.join(offered)} 之一"}
            )
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class AnnualTableView(TableFilesMixin, APIView):
    """The request-handling table of the annual report (section 三), computed from the cases."""

    renderer_classes = TABLE_RENDERERS

    @extend_schema(
        parameters=[TableQuerySerializer, FORMAT_PARAMETER],
        responses=FILE_RESPONSES,
        summary="年度报告：收到和处理政府信息公开申请情况",
    )
    def get(self, request):
        params = TableQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        agency = selectors.table_scope(user=request.user, code=query.get("agency"))
        year = services.validate_year(query.get("year") or clock.today().year - 1)
        template = services.validate_template(query.get("template"), year)
        return Response(selectors.annual_table(agency=agency, year=year, template=template))


class ReportTablesView(APIView):
    """Sections 二, 三 and 四 of the report, computed now; ``agency=all`` sums every agency
    (platform admins)."""

    @extend_schema(
        parameters=[TableQuerySerializer],
        responses={200: ReportTablesSerializer},
        summary="年度报告三张统计表（第二、三、四部分）；agency=all 为全部机关汇总",
    )
    def get(self, request):
        params = TableQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        agency = selectors.table_scope(user=request.user, code=query.get("agency"))
        year = services.validate_year(query.get("year") or clock.today().year - 1)
        template = services.validate_template(query.get("template"), year)
        table = selectors.annual_table(agency=agency, year=year, template=template)
        sections = annual_report_sections(agency=agency, year=year, template=template)
        return Response(
            {
                "agency": table["agency"],
                "agency_name": table["agency_name"],
                "year": year,
                "template": template,
                "active_disclosure": sections["active_disclosure"],
                "requests": table,
                "review_litigation": sections["review_litigation"],
                "checks": all_checks(table, sections),
            }
        )


class AnnualReportFilter(django_filters.FilterSet):
    year = YearFilter()

    class Meta:
        model = AnnualReport
        fields = ["year", "template", "status", "scope"]


@extend_schema_view(
    list=extend_schema(summary="年度统计表快照列表"),
    retrieve=extend_schema(summary="年度统计表快照详情"),
)
class AnnualReportViewSet(
    ListFiltersOnlyMixin,
    TableFilesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Snapshots of the annual table: drafts, and published ones that never change."""

    serializer_class = AnnualReportSerializer
    filterset_class = AnnualReportFilter
    ordering_fields = ["year", "generated_at", "published_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return AnnualReport.objects.none()
        return selectors.annual_report_list(user=self.request.user)

    @extend_schema(
        request=AnnualReportCreateSerializer,
        responses={201: AnnualReportSerializer},
        summary="生成年度统计表草稿",
    )
    def create(self, request):
        params = AnnualReportCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        agency = selectors.table_scope(user=request.user, code=data.get("agency"))
        if agency is None:
            raise InvalidInput("请指定机关", fields={"agency": "草稿按机关生成，请指定机关代码"})
        report = services.annual_report_generate(
            agency=agency,
            year=data["year"],
            template=data.get("template"),
            actor=request.user,
            scope=data.get("scope"),
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PublishSerializer,
        responses={200: AnnualReportSerializer},
        summary="发布年度统计表（锁定该年度）",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        params = PublishSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        report = services.annual_report_publish(
            report=self.get_object(), actor=request.user, **params.validated_data
        )
        return Response(self.get_serializer(report).data)

    @extend_schema(
        parameters=[FORMAT_PARAMETER], responses=FILE_RESPONSES, summary="导出统计表快照"
    )
    @action(detail=True, methods=["get"], renderer_classes=TABLE_RENDERERS)
    def export(self, request, pk=None):
        """The snapshot's table as it was generated (or published), in any export format."""
        return Response(self.get_object().table)


class PeriodViewSet(TableFilesMixin, viewsets.GenericViewSet):
    """The period lock: which years are published (locked), and reopening one."""

    serializer_class = PeriodEventSerializer
    pagination_class = None
    filter_backends = []  # the list takes ?agency= only (no search or ordering)
    queryset = PeriodEvent.objects.none()  # reads go through the selector

    @extend_schema(
        parameters=[OpenApiParameter("agency", OpenApiTypes.STR, description="机关代码")],
        responses={200: PeriodEventSerializer(many=True)},
        summary="年度发布与重新开放记录",
    )
    def list(self, request):
        code = request.query_params.get("agency")
        agency = selectors.table_scope(user=request.user, code=code) if code else None
        events = selectors.period_events(user=request.user, agency=agency)
        return Response(PeriodEventSerializer(events, many=True).data)

    @extend_schema(
        request=ReopenSerializer,
        responses={201: PeriodEventSerializer},
        summary="重新开放已发布的年度（机关管理员）",
    )
    @action(detail=False, methods=["post"])
    def reopen(self, request):
        params = ReopenSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        agency = selectors.table_scope(user=request.user, code=data.get("agency"))
        if agency is None:
            raise InvalidInput("请指定机关", fields={"agency": "请指定机关代码"})
        event = services.period_reopen(
            agency=agency, year=data["year"], actor=request.user, reason=data["reason"]
        )
        return Response(PeriodEventSerializer(event).data, status=status.HTTP_201_CREATED)

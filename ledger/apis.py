"""The ledger API: import a ledger (dry run first), follow a large import, download its report
and the template; export the case list as a ledger. Thin views over the services, selectors and
exports of this app."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import clock, permissions
from cases import selectors as case_selectors
from cases.apis import CaseViewSet
from cases.errors import InvalidInput, NotPermitted
from cases.filters import CaseFilter
from cases.models import Case, User
from cases.pagination import CappedCountPagination as Pagination

from . import exports, intake, selectors, services, template, xlsx
from .models import ImportBatch, ImportState
from .reading import LedgerFile
from .report import report_xlsx
from .serializers import ImportBatchSerializer, ImportCreateSerializer

CSV_MEDIA_TYPE = "text/csv"


class FileOrJSONError(DefaultContentNegotiation):
    """File endpoints answer with their file whatever the Accept header says, and with the usual
    JSON when they refuse."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class LedgerUploadParser(MultiPartParser):
    """Multipart with one ledger file, up to LEDGER_IMPORT_MAX_BYTES (the API's other
    endpoints take no files and a far smaller body)."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            length = 0
        intake.check_size(length)
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError:
            raise
        except ValueError as err:  # Django's refusals of too many fields or files
            raise exceptions.ParseError("请求内容无效") from err


def _attachment(file_name: str) -> str:
    ascii_name = file_name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"


def _require_admin(user: User, agency_id: int) -> None:
    if not permissions.may_manage_agency(user, agency_id):
        raise NotPermitted("只有机关管理员（或平台管理员）可以查看台账导入")


class ImportViewSet(viewsets.GenericViewSet):
    serializer_class = ImportBatchSerializer
    pagination_class = Pagination
    parser_classes = [LedgerUploadParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ImportBatch.objects.none()
        return selectors.import_batch_list(user=self.request.user)

    @extend_schema(summary="台账导入记录")
    def list(self, request):
        user = request.user
        if not (user.is_platform_admin or permissions.is_agency_admin(user)):
            raise NotPermitted("只有机关管理员（或平台管理员）可以查看台账导入")
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="导入台账（默认仅检查）",
        request={"multipart/form-data": ImportCreateSerializer},
        responses={201: ImportBatchSerializer, 202: ImportBatchSerializer},
        description="上传台账文件。dry_run=true（默认）只检查并报告，不导入；较小的文件当即处理"
        "（201，含报告），较大的文件在后台处理（202，以 GET /api/imports/{id}/ 查看进度）。",
    )
    def create(self, request):
        params = ImportCreateSerializer(data=request.data)
        if not params.is_valid():
            # Who may import for which agency is said before what is wrong with the input.
            intake.importer_agency(request.user, request.data.get("agency"))
            raise exceptions.ValidationError(params.errors)
        upload = params.validated_data["file"]
        batch, queued = intake.start_import(
            actor=request.user,
            agency_code=request.data.get("agency"),
            file=upload,
            file_name=upload.name,
            size=upload.size,
            dry_run=params.validated_data["dry_run"],
            all_or_nothing=params.validated_data["all_or_nothing"],
        )
        if not queued:
            return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)
        location = reverse("ledger-import-detail", kwargs={"pk": batch.pk})
        return Response(
            self.get_serializer(batch).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )

    @extend_schema(summary="台账导入进度和报告")
    def retrieve(self, request, pk=None):
        batch = selectors.import_batch_get(user=request.user, batch_id=pk)
        _require_admin(request.user, batch.agency_id)
        return Response(self.get_serializer(batch).data)


FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="XLSX文件")


class ImportReportFileView(APIView):
    content_negotiation_class = FileOrJSONError

    @extend_schema(
        summary="台账导入报告文件（原文件加“导入检查结果”列）",
        responses={(200, xlsx.MEDIA_TYPE): FILE_RESPONSE},
    )
    def get(self, request, pk: int):
        batch = selectors.import_batch_get(user=request.user, batch_id=pk)
        _require_admin(request.user, batch.agency_id)
        if batch.state != ImportState.DONE:
            raise exceptions.NotFound("报告尚未生成：导入尚未完成")
        stored = batch.file.open("rb")

        def chunks():
            try:
                yield from report_xlsx(LedgerFile(stored, batch.file_name), batch.report)
            finally:
                stored.close()

        response = StreamingHttpResponse(chunks(), content_type=xlsx.MEDIA_TYPE)
        response["Content-Disposition"] = _attachment(f"导入报告-{batch.pk}.xlsx")
        return response


class TemplateView(APIView):
    content_negotiation_class = FileOrJSONError

    @extend_schema(summary="台账导入模板", responses={(200, xlsx.MEDIA_TYPE): FILE_RESPONSE})
    def get(self, request):
        if not permissions.is_clerk(request.user):
            raise NotPermitted("只有机关工作人员可以下载导入模板")
        response = HttpResponse(template.template_bytes(), content_type=xlsx.MEDIA_TYPE)
        response["Content-Disposition"] = _attachment(template.FILE_NAME)
        return response


UNMASK = OpenApiParameter(
    "unmask",
    OpenApiTypes.BOOL,
    description="true：证件号码、联系电话、电子邮箱、通讯地址完整导出（仅机关管理员，记录在案）",
)


class CaseExportView(ListAPIView):
    """The case list's filters, search and ordering; the whole result as one file."""

    export_format = "xlsx"
    content_negotiation_class = FileOrJSONError
    renderer_classes = [JSONRenderer]
    pagination_class = None
    filter_backends = CaseViewSet.filter_backends
    filterset_class = CaseFilter
    search_fields = CaseViewSet.search_fields
    ordering_fields = CaseViewSet.ordering_fields
    ordering = CaseViewSet.ordering

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        return case_selectors.case_list(user=self.request.user)

    def list(self, request):
        unmasked = _unmask_requested(request)
        if unmasked and not _may_unmask(request.user):
            raise NotPermitted("只有机关管理员可以导出完整的证件号码等个人信息")
        cases = self.filter_queryset(self.get_queryset())
        count = cases.count()
        if self.export_format == "xlsx" and count >= xlsx.MAX_ROWS:
            raise InvalidInput(
                f"共{count}件，超过Excel工作表的行数上限，请缩小筛选范围或导出CSV",
                fields={"format": "xlsx"},
            )
        services.ledger_export_record(
            user=request.user,
            export_format=self.export_format,
            query=request.query_params,
            unmasked=unmasked,
            rows=count,
        )
        if self.export_format == "xlsx":
            body = exports.stream_xlsx(cases, unmasked=unmasked, rows_expected=count)
            media_type = xlsx.MEDIA_TYPE
        else:
            body = exports.stream_csv(cases, unmasked=unmasked)
            media_type = f"{CSV_MEDIA_TYPE}; charset=utf-8"
        response = StreamingHttpResponse(body, content_type=media_type)
        name = f"台账-{clock.today():%Y%m%d}.{self.export_format}"
        response["Content-Disposition"] = _attachment(name)
        return response


def _unmask_requested(request) -> bool:
    value = request.query_params.get("unmask", "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise InvalidInput("参数无效", fields={"unmask": "unmask 应为 true 或 false"})


def _may_unmask(user: User) -> bool:
    return user.is_platform_admin or permissions.is_agency_admin(user)


def _export_view(export_format: str, media_type: str):
    summary = "导出台账（XLSX）" if export_format == "xlsx" else "导出台账（CSV，UTF-8 BOM）"
    view = type(
        f"CaseExport{export_format.upper()}View",
        (CaseExportView,),
        {"export_format": export_format},
    )
    return extend_schema(
        summary=summary,
        parameters=[UNMASK],
        responses={(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=summary)},
    )(view)


CaseExportXLSXView = _export_view("xlsx", xlsx.MEDIA_TYPE)
CaseExportCSVView = _export_view("csv", CSV_MEDIA_TYPE)

"""The applicant API: the list and search, one applicant with their history, the merge of two
records of one person, and a CSV export with masked identity numbers."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import applicant_selectors, clock, services
from .applicant_serializers import (
    ApplicantListSerializer,
    ApplicantMergeSerializer,
    ApplicantSerializer,
)
from .errors import NotFound
from .models import Applicant
from .pagination import CappedCountPagination as Pagination

SEARCH = OpenApiParameter(
    "search",
    str,
    description="申请人姓名或名称的一部分，或完整的证件号码（不区分大小写，可含空格、连字符）",
)
EXPORT_COLUMNS = (
    ("机关", lambda a: a.agency.code),
    ("申请人", lambda a: a.name),
    ("申请人类型", lambda a: a.get_applicant_type_display()),
    ("证件类型", lambda a: a.get_id_type_display()),
    # Exports, like lists and mails, show the identity number masked.
    ("证件号码", lambda a: a.masked_id_number),
    ("申请数", lambda a: a.case_count),
    ("最近收到申请日期", lambda a: a.last_received_on or ""),
)


class ApplicantViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Applicants, per agency; identity numbers masked except on one applicant's page."""

    serializer_class = ApplicantListSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Applicant.objects.none()
        search = self.request.query_params.get("search", "")[:200]
        return applicant_selectors.applicant_list(user=self.request.user, search=search)

    pagination_class = Pagination

    @extend_schema(summary="申请人列表（可搜索）", parameters=[SEARCH])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _applicant(self, pk) -> Applicant:
        applicant = None
        if str(pk).isdigit() and 1 <= int(pk) <= 2**63 - 1:
            applicant = applicant_selectors.applicant_get(user=self.request.user, pk=int(pk))
        if applicant is None:
            raise NotFound("申请人不存在或不属于您所在的机关")
        return applicant

    @extend_schema(
        summary="申请人详情：其申请、按月统计、近30日申请数和操作记录",
        responses={200: ApplicantSerializer},
    )
    def retrieve(self, request, pk=None):
        applicant = self._applicant(pk)
        applicant.case_history = list(applicant_selectors.applicant_cases(applicant=applicant))
        applicant.case_count = len(applicant.case_history)
        applicant.last_received_on = max(
            (case.received_on for case in applicant.case_history), default=None
        )
        applicant.monthly_counts = applicant_selectors.applicant_monthly_counts(applicant=applicant)
        applicant.volume = applicant_selectors.applicant_volume(
            applicant=applicant, today=clock.today()
        )
        applicant.event_list = list(applicant_selectors.applicant_events(applicant=applicant))
        context = self.get_serializer_context()
        return Response(ApplicantSerializer(applicant, context=context).data)

    @extend_schema(
        summary="合并申请人（机关管理员）：另一条记录的申请并入本记录",
        request=ApplicantMergeSerializer,
        responses={200: ApplicantListSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        applicant = self._applicant(pk)
        params = ApplicantMergeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        target = services.applicant_merge(
            target=applicant,
            duplicate_id=params.validated_data["duplicate"],
            reason=params.validated_data["reason"],
            actor=request.user,
        )
        target = applicant_selectors.applicant_list(user=request.user).get(pk=target.pk)
        return Response(ApplicantListSerializer(target, context={"request": request}).data)

    @extend_schema(
        summary="导出申请人（CSV，证件号码已遮蔽）",
        parameters=[SEARCH],
        responses={
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR, description="UTF-8（带BOM）的CSV文件"
            )
        },
    )
    # Not ".../export/": that path takes ?format= for the report files (reporting).
    @action(detail=False, methods=["get"], url_path="export-csv", pagination_class=None)
    def export_csv(self, request):
        out = io.StringIO()
        out.write("\ufeff")  # so that Excel reads the Chinese as UTF-8
        writer = csv.writer(out)
        writer.writerow([title for title, _value in EXPORT_COLUMNS])
        for applicant in self.get_queryset().iterator(chunk_size=2000):
            writer.writerow([value(applicant) for _title, value in EXPORT_COLUMNS])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="applicants.csv"'
        return response

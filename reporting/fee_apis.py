"""Section 六 of the annual report, the fees: ``GET /api/reports/fee-figures/``.

The figures come from the cases (cases.applicant_selectors.fee_figures): per agency and year,
the fee notices issued, the amount they charged, and the amounts paid and waived (减免).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import applicant_selectors, clock, limits
from cases.applicant_serializers import FeeFiguresSerializer
from cases.serializers import YearField

from . import selectors, services


class FeeFiguresQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=limits.AGENCY_CODE_MAX,
        required=False,
        help_text="机关代码；all 为全部机关（仅平台管理员）；默认本机关",
    )
    year = YearField(required=False, help_text="年度，默认上一年度")


class FeeFiguresView(APIView):
    @extend_schema(
        parameters=[FeeFiguresQuerySerializer],
        responses={200: FeeFiguresSerializer(many=True)},
        summary="年度报告第六部分：收取信息处理费情况（收费通知件数、收费金额、减免金额）",
    )
    def get(self, request):
        params = FeeFiguresQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        agency = selectors.table_scope(user=request.user, code=query.get("agency"))
        year = services.validate_year(query.get("year") or clock.today().year - 1)
        rows = applicant_selectors.fee_figures(
            user=request.user, year=year, agency_id=agency.pk if agency else None
        )
        if agency is not None and not rows:
            rows = [applicant_selectors.no_fees(agency=agency, year=year)]
        return Response(FeeFiguresSerializer(rows, many=True).data)

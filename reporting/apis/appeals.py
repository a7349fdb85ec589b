"""The appeals API: administrative reconsiderations and lawsuits over disclosure replies.

``GET/POST /api/appeals/``, ``GET/PATCH /api/appeals/{id}/``, and the decision document at
``GET/POST /api/appeals/{id}/decision-document/``. Thin: the services decide."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser as DrfMultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from cases import limits
from cases.errors import InvalidInput, NotFound
from cases.filters import IntegerFilter, ListFiltersOnlyMixin
from cases.models import Case, User

from .. import selectors, services
from ..models import Appeal, AppealKind, AppealResult
from ..serializers import (
    AppealCreateSerializer,
    AppealSerializer,
    AppealUpdateSerializer,
    DecisionUploadSerializer,
)
from ..services.appeals import DECISION_MAX_BYTES, DECISION_TYPES


class AppealFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__code", max_length=limits.AGENCY_CODE_MAX)
    case = IntegerFilter(field_name="case_id", min_value=1, max_value=limits.BIGINT_MAX)
    kind = django_filters.ChoiceFilter(choices=AppealKind.choices)
    result = django_filters.ChoiceFilter(choices=AppealResult.choices)
    decided = django_filters.BooleanFilter(
        field_name="decided_on", lookup_expr="isnull", exclude=True, label="是否已审结"
    )

    class Meta:
        model = Appeal
        fields = ["agency", "case", "kind", "result", "decided"]


class DecisionParser(DrfMultiPartParser):
    """Multipart with one file, up to the decision document's limit (not the JSON body's)."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            length = 0
        if length > DECISION_MAX_BYTES + 64 * 1024:
            raise InvalidInput("文件过大", fields={"file": "文件不能超过20MB"})
        return super().parse(stream, media_type, parser_context)


class _FileRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


# media type -> a format name (the first suffix that has it).
DOCUMENT_FORMATS = {
    content_type: suffix.lstrip(".")
    for suffix, (content_type, _magic) in reversed(DECISION_TYPES.items())
}
DOCUMENT_MEDIA_TYPES = sorted(DOCUMENT_FORMATS)
DOCUMENT_RENDERERS = [
    type(f"Decision{name.upper()}Renderer", (_FileRenderer,), {"media_type": media, "format": name})
    for media, name in sorted(DOCUMENT_FORMATS.items())
]


def _case(user: User, agency_id: int, case_id: int | None, field: str) -> Case | None:
    if case_id is None:
        return None
    case = Case.objects.filter(pk=case_id, agency_id=agency_id).first()
    if case is None or not user.may_see(case.agency_id):
        raise InvalidInput("申请不存在", fields={field: "本机关没有该申请"})
    return case


def _review(agency_id: int, review_id: int | None) -> Appeal | None:
    if review_id is None:
        return None
    review = Appeal.objects.filter(pk=review_id, agency_id=agency_id).first()
    if review is None:
        raise InvalidInput("行政复议不存在", fields={"review": "本机关没有该行政复议记录"})
    return review


def _resolve(user: User, agency_id: int, data: dict) -> dict:
    """Ids in the input become the objects the service takes."""
    for name in ("case", "new_case"):
        if name in data:
            data[name] = _case(user, agency_id, data[name], name)
    if "review" in data:
        data["review"] = _review(agency_id, data["review"])
    if "result" in data and data["result"] is None:
        data["result"] = ""
    return data


@extend_schema_view(
    list=extend_schema(summary="行政复议和行政诉讼列表"),
    retrieve=extend_schema(summary="行政复议或行政诉讼详情"),
)
class AppealViewSet(
    ListFiltersOnlyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Administrative reconsiderations and lawsuits over the office's disclosure work."""

    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    ordering_fields = ["filed_on", "decided_on", "id"]
    ordering = ["-filed_on", "-id"]
    search_fields = ["number", "body"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Appeal]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Appeal.objects.none()
        return selectors.appeal_list(user=self.request.user)

    @extend_schema(
        request=AppealCreateSerializer,
        responses={201: AppealSerializer},
        summary="登记行政复议或行政诉讼",
    )
    def create(self, request):
        params = AppealCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        agency = selectors.table_scope(user=request.user, code=data.pop("agency", None))
        if agency is None:
            raise InvalidInput("请指定机关", fields={"agency": "请指定机关代码"})
        appeal = services.appeal_create(
            actor=request.user, agency=agency, **_resolve(request.user, agency.pk, data)
        )
        return Response(self.get_serializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AppealUpdateSerializer,
        responses={200: AppealSerializer},
        summary="修改行政复议或行政诉讼（如登记结果和决定日期）",
    )
    def partial_update(self, request, pk=None):
        appeal = self.get_object()
        unknown = sorted(set(request.data) - set(AppealUpdateSerializer().fields))
        if unknown:
            raise InvalidInput(
                "这些字段不能修改", fields={name: "该字段不能修改" for name in unknown}
            )
        params = AppealUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        version = data.pop("version", None)
        appeal = services.appeal_update(
            appeal=appeal,
            actor=request.user,
            version=version,
            **_resolve(request.user, appeal.agency_id, data),
        )
        return Response(self.get_serializer(appeal).data)

    @extend_schema(
        methods=["GET"],
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.BINARY, description="决定书或裁判文书")
            for media in DOCUMENT_MEDIA_TYPES
        },
        summary="下载决定书或裁判文书",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DecisionUploadSerializer},
        responses={200: AppealSerializer},
        summary="上传决定书或裁判文书（替换已上传的）",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="decision-document",
        parser_classes=[DecisionParser],
    )
    def decision_document(self, request, pk=None):
        appeal = self.get_object()
        if request.method == "POST":
            params = DecisionUploadSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            appeal = services.appeal_attach_decision(
                appeal=appeal, actor=request.user, **params.validated_data
            )
            return Response(AppealSerializer(appeal).data)
        if not appeal.decision_document:
            raise NotFound("尚未上传决定书或裁判文书")
        suffix = "." + appeal.decision_document.name.rsplit(".", 1)[-1].lower()
        with appeal.decision_document.open("rb") as fh:
            content = fh.read()
        response = Response(content, content_type=DECISION_TYPES[suffix][0])
        response["Content-Disposition"] = f'attachment; filename="decision-{appeal.pk}{suffix}"'
        return response

    def get_renderers(self):
        if getattr(self, "action", None) == "decision_document" and self.request.method == "GET":
            return [renderer() for renderer in DOCUMENT_RENDERERS]
        return super().get_renderers()

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

"""The case API: thin views over the selectors and services."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import applicant_selectors, clock, selectors, services
from .applicant_serializers import AgencySettingsSerializer, CaseCreatedSerializer
from .calendar import work_calendar
from .deadlines import is_overdue, working_days_left
from .errors import InvalidInput, NotPermitted
from .explanation import explain
from .filters import CaseFilter, CaseOrderingFilter, CaseSearchFilter, ListFiltersOnlyMixin
from .models import Agency, Case
from .pagination import CappedCountPagination
from .serializers import (
    ACTION_INPUTS,
    AgencySerializer,
    CaseCreateSerializer,
    CaseEventSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    DeadlineSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="机关列表"),
    retrieve=extend_schema(summary="机关详情"),
    create=extend_schema(summary="添加机关（平台管理员）"),
)
class AgencyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AgencySerializer
    lookup_field = "code"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Agency.objects.none()
        return selectors.agency_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.agency_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        summary="修改机关设置（机关管理员）：申请数量提示阈值",
        request=AgencySettingsSerializer,
        responses={200: AgencySerializer},
    )
    def partial_update(self, request, code=None):
        agency = self.get_object()
        params = AgencySettingsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        agency = services.agency_set_volume_threshold(
            agency=agency, actor=request.user, **params.validated_data
        )
        return Response(AgencySerializer(agency).data)


def _resolve_agency(user, code: str | None) -> Agency:
    if not code:
        if user.agency_id is None:
            raise InvalidInput(
                "请指定机关", fields={"agency": "平台管理员登记申请时必须指定机关代码"}
            )
        return user.agency
    code = code.strip().upper()
    if not user.is_platform_admin:
        # A clerk may name only their own agency. Any other code, known or not, gets the same
        # refusal, so codes cannot be probed for which agencies exist.
        if user.agency is None or code != user.agency.code:
            raise NotPermitted("只能为本机关登记申请", fields={"agency": "只能为本机关登记申请"})
        return user.agency
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise InvalidInput("机关不存在", fields={"agency": f"机关代码“{code}”不存在"})
    return agency


def _case_action(name: str):
    """A POST /api/cases/{id}/<name>/ view that validates the input and calls the service."""
    input_serializer = ACTION_INPUTS[name]
    service = services.ACTION_SERVICES[name]
    url = name.replace("_", "-")

    def view(self, request, pk=None):
        case = self.get_object()
        params = input_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        kwargs = dict(params.validated_data)
        kwargs["expected_version"] = kwargs.pop("version", None)
        if "handler" in kwargs:
            kwargs["handler"] = services.handler_by_id(case.agency_id, kwargs["handler"], "handler")
        case = service(case=case, actor=request.user, **kwargs)
        # Held until its document is approved and issued (cases.hooks deferrals): accepted.
        held = getattr(case, "deferral", None) is not None
        return Response(
            self.get_serializer(case).data,
            status=status.HTTP_202_ACCEPTED if held else status.HTTP_200_OK,
        )

    # DRF maps the HTTP method to the function's name, so name it before decorating.
    view.__name__ = view.__qualname__ = name
    view = action(detail=True, methods=["post"], url_path=url, url_name=url)(view)
    return extend_schema(
        request=input_serializer,
        responses={200: CaseSerializer, 202: CaseSerializer},
        summary=services.action_label(name),
        description=(service.__doc__ or "").strip(),
    )(view)


@extend_schema_view(
    list=extend_schema(summary="申请列表（可筛选、搜索、排序）"),
    retrieve=extend_schema(summary="申请详情"),
)
class CaseViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Disclosure requests. State changes only through the action endpoints."""

    serializer_class = CaseSerializer
    pagination_class = CappedCountPagination
    filter_backends = [DjangoFilterBackend, CaseSearchFilter, CaseOrderingFilter]
    filterset_class = CaseFilter
    # Term by term (selectors.case_search, which also tries identity number, phone and a phrase
    # of the request): the reference's beginning, a part of the name.
    search_fields = ["^reference", "applicant_name"]
    # Each served within an agency by an index on (agency, field, id) (migration 0013).
    ordering_fields = [
        "received_on",
        "answered_on",
        "due_on",
        "reference",
        "created_at",
        "updated_at",
        "id",
    ]
    ordering = ["-received_on", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        return selectors.case_list(user=self.request.user)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseCreatedSerializer},
        summary="登记申请",
        description="收到申请之日按《条例》第三十一条由申请方式对应的日期推定；"
        "similar_cases 列出同一申请人已答复的相似申请（第三十六条第（六）项），仅供参考。",
    )
    def create(self, request):
        params = CaseCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        agency = _resolve_agency(request.user, data.pop("agency", None))
        if "assigned_handler" in data:
            data["assigned_handler"] = services.handler_by_id(agency.pk, data["assigned_handler"])
        case = services.case_register(actor=request.user, agency=agency, **data)
        # Art. 36(6): the applicant's earlier answered requests of similar text, as hints.
        case.similar_cases = applicant_selectors.similar_cases(case=case)
        body = CaseCreatedSerializer(case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CaseUpdateSerializer,
        responses={200: CaseSerializer},
        summary="修改申请信息（状态和步骤日期只能通过办理操作变更）",
    )
    def partial_update(self, request, pk=None):
        case = self.get_object()
        unknown = sorted(set(request.data) - set(CaseUpdateSerializer().fields))
        if unknown:
            raise InvalidInput(
                "这些字段不能通过修改接口变更，请使用相应的办理操作",
                fields={name: "该字段不能直接修改" for name in unknown},
            )
        params = CaseUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        changes = dict(params.validated_data)
        if "assigned_handler" in changes:
            changes["assigned_handler"] = services.handler_by_id(
                case.agency_id, changes["assigned_handler"]
            )
        note = changes.pop("note", "")
        expected_version = changes.pop("version", None)
        case = services.case_update(
            case=case,
            actor=request.user,
            changes=changes,
            expected_version=expected_version,
            note=note,
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(responses={200: CaseEventSerializer(many=True)}, summary="操作记录")
    # The whole audit trail, unpaginated and unfiltered (also in the schema).
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        case = self.get_object()
        events = selectors.case_events(case=case)
        return Response(CaseEventSerializer(events, many=True).data)

    @extend_schema(responses={200: DeadlineSerializer}, summary="期限计算说明")
    @action(detail=True, methods=["get"])
    def deadline(self, request, pk=None):
        """How the stored due dates were reached, recomputed on today's calendar."""
        case = self.get_object()
        cal = work_calendar()
        deadlines = services.case_deadlines(case, cal)
        today = clock.today()
        body = {
            "case": case.pk,
            "reference": case.reference,
            "state": case.state,
            "today": today,
            "stored_due_on": case.due_on,
            "working_days_left": (
                working_days_left(deadlines.due_on, today=today, cal=cal)
                if deadlines.due_on and case.is_open
                else None
            ),
            "is_overdue": is_overdue(case, today=today),
            **deadlines.as_dict(),
            "explanation": explain(deadlines),
        }
        return Response(DeadlineSerializer(body).data)

    review = _case_action("review")
    ask_reasons = _case_action("ask_reasons")
    set_reasonable_period = _case_action("set_reasonable_period")
    request_correction = _case_action("request_correction")
    receive_correction = _case_action("receive_correction")
    lapse = _case_action("lapse")
    consult = _case_action("consult")
    receive_opinion = _case_action("receive_opinion")
    issue_fee_notice = _case_action("issue_fee_notice")
    receive_payment = _case_action("receive_payment")
    extend = _case_action("extend")
    answer = _case_action("answer")
    withdraw = _case_action("withdraw")
    archive = _case_action("archive")

"""The documents API: thin views over the selectors and services.

Files (issued DOCX and PDF, previews, delivery proofs, templates) are served only here, after
the same access check as the document itself; errors are always JSON.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.errors import InvalidInput, NotFound
from cases.models import Agency

from . import selectors, services
from .api_files import (
    FILE_RENDERERS,
    DocxRenderer,
    JsonErrorsMixin,
    ProofRenderer,
    UploadParser,
    binary_response,
    file_response,
)
from .models import Delivery, Document
from .rendering import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from .serializers import (
    DeliveryCreateSerializer,
    DeliverySerializer,
    DeliveryUpdateSerializer,
    DocumentSerializer,
    DocumentSettingsSerializer,
    DocumentUpdateSerializer,
    FileUploadSerializer,
    PreviewQuerySerializer,
    ReissueSerializer,
    ReturnSerializer,
    StepSerializer,
    SubmitSerializer,
)
from .vocabulary import PROOF_MAX_BYTES, TEMPLATE_MAX_BYTES, DocumentKind


def _document_action(name: str, service, input_serializer, summary: str, attr: str = ""):
    """A POST /api/documents/{id}/<name>/ view that validates the input and calls the service."""

    def view(self, request, pk=None):
        document = self.get_object()
        params = input_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        document = service(document=document, actor=request.user, **params.validated_data)
        return Response(DocumentSerializer(document, context={"request": request}).data)

    # DRF checks that the function's name is the attribute's name.
    view.__name__ = view.__qualname__ = attr or name
    view = action(detail=True, methods=["post"], url_path=name, url_name=name)(view)
    return extend_schema(
        request=input_serializer, responses={200: DocumentSerializer}, summary=summary
    )(view)


class DocumentViewSet(JsonErrorsMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Statutory documents: edit the draft, the approval chain, issue, files, deliveries."""

    serializer_class = DocumentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Document.objects.none()
        return selectors.document_list(user=self.request.user)

    def get_object(self):
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary="文书详情")
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk=pk)

    @extend_schema(
        request=DocumentUpdateSerializer,
        responses={200: DocumentSerializer},
        summary="修改文书正文（草稿或被退回的文书）",
    )
    def partial_update(self, request, pk=None):
        document = self.get_object()
        unknown = sorted(set(request.data) - set(DocumentUpdateSerializer().fields))
        if unknown:
            raise InvalidInput(
                "只能修改文书正文（body）", fields={name: "该字段不能修改" for name in unknown}
            )
        params = DocumentUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        document = services.document_update(
            document=document, actor=request.user, **params.validated_data
        )
        return Response(self.get_serializer(document).data)

    submit = _document_action("submit", services.document_submit, SubmitSerializer, "提交审批")
    approve = _document_action("approve", services.document_approve, SubmitSerializer, "审批同意")
    return_document = _document_action(
        "return",
        services.document_return,
        ReturnSerializer,
        "退回修改（附退回意见）",
        attr="return_document",
    )
    issue = _document_action("issue", services.document_issue, StepSerializer, "签发（编号）")

    @extend_schema(
        request=ReissueSerializer,
        responses={201: DocumentSerializer},
        summary="更正重发：生成更正文书草稿，签发后原文书作废",
    )
    @action(detail=True, methods=["post"])
    def reissue(self, request, pk=None):
        document = self.get_object()
        params = ReissueSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        replacement = services.document_reissue(
            document=document, actor=request.user, **params.validated_data
        )
        return Response(self.get_serializer(replacement).data, status=status.HTTP_201_CREATED)

    def _issued_file(self, field: str, media_type: str, extension: str) -> HttpResponse:
        document = self.get_object()
        stored = getattr(document, field)
        if not stored:
            what = "文书尚未签发" if not document.docx else "PDF尚未生成，请稍后再试"
            raise NotFound(what, code="file_not_ready")
        with stored.open("rb") as fh:
            content = fh.read()
        name = f"{services.file_stem(document)}.{extension}"
        return file_response(content, media_type, name)

    @extend_schema(
        responses=binary_response(DOCX_MEDIA_TYPE, "签发的Word文件"), summary="下载Word文件"
    )
    @action(detail=True, methods=["get"], renderer_classes=FILE_RENDERERS)
    def docx(self, request, pk=None):
        return self._issued_file("docx", DOCX_MEDIA_TYPE, "docx")

    @extend_schema(
        responses=binary_response(PDF_MEDIA_TYPE, "签发的PDF文件"), summary="下载PDF文件"
    )
    @action(detail=True, methods=["get"], renderer_classes=FILE_RENDERERS)
    def pdf(self, request, pk=None):
        return self._issued_file("pdf", PDF_MEDIA_TYPE, "pdf")

    @extend_schema(
        parameters=[PreviewQuerySerializer],
        responses={
            **binary_response(DOCX_MEDIA_TYPE, "草稿预览（Word）"),
            **binary_response(PDF_MEDIA_TYPE, "草稿预览（PDF）"),
            (503, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="PDF预览暂时无法生成（LibreOffice不可用）"
            ),
        },
        summary="预览草稿（标注“草稿”，不占用文号）",
    )
    @action(detail=True, methods=["get"], renderer_classes=FILE_RENDERERS)
    def preview(self, request, pk=None):
        document = self.get_object()
        params = PreviewQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        fmt = params.validated_data["format"]
        content = services.preview(document, fmt=fmt)
        media_type = PDF_MEDIA_TYPE if fmt == "pdf" else DOCX_MEDIA_TYPE
        return file_response(content, media_type, f"{services.file_stem(document)}.{fmt}")

    @extend_schema(
        request=DeliveryCreateSerializer,
        responses={201: DeliverySerializer},
        summary="登记送达",
    )
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def deliveries(self, request, pk=None):
        document = self.get_object()
        params = DeliveryCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        delivery = services.delivery_create(
            document=document, actor=request.user, **params.validated_data
        )
        body = DeliverySerializer(delivery, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class DeliveryViewSet(JsonErrorsMixin, viewsets.GenericViewSet):
    """Delivery records: the delivery date or return, and proofs."""

    serializer_class = DeliverySerializer
    queryset = Delivery.objects.none()  # reads go through the selector

    def get_object(self):
        return selectors.delivery_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary="送达记录详情")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=DeliveryUpdateSerializer,
        responses={200: DeliverySerializer},
        summary="登记送达日期或退件",
    )
    def partial_update(self, request, pk=None):
        delivery = self.get_object()
        unknown = sorted(set(request.data) - set(DeliveryUpdateSerializer().fields))
        if unknown:
            raise InvalidInput(
                "只能登记送达日期、退件日期和备注",
                fields={name: "该字段不能修改" for name in unknown},
            )
        params = DeliveryUpdateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        delivery = services.delivery_update(
            delivery=delivery, actor=request.user, changes=dict(params.validated_data)
        )
        return Response(self.get_serializer(delivery).data)

    @extend_schema(
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: DeliverySerializer},
        summary="上传送达凭证（PDF或图片，不超过10MB）",
    )
    @action(detail=True, methods=["post"], parser_classes=[UploadParser])
    def proof(self, request, pk=None):
        delivery = self.get_object()
        params = FileUploadSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        if upload.size > PROOF_MAX_BYTES:
            raise InvalidInput(
                "送达凭证过大", fields={"file": f"送达凭证不能超过{PROOF_MAX_BYTES // 1048576}MB"}
            )
        services.delivery_attach_proof(
            delivery=delivery, actor=request.user, content=upload.read(), name=upload.name or ""
        )
        delivery = selectors.delivery_get(user=request.user, pk=delivery.pk)
        return Response(self.get_serializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="下载送达凭证",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"proof/(?P<proof_id>[0-9]{1,18})",
        url_name="proof-file",
        renderer_classes=[JSONRenderer, ProofRenderer],
    )
    def proof_file(self, request, pk=None, proof_id=None):
        delivery = self.get_object()
        proof = delivery.proofs.filter(pk=proof_id).first()
        if proof is None:
            raise NotFound("送达凭证不存在")
        with proof.file.open("rb") as fh:
            content = fh.read()
        extension = proof.file.name.rsplit(".", 1)[-1]
        document = delivery.document
        name = f"{services.file_stem(document)}_送达凭证{proof.pk}.{extension}"
        return file_response(content, proof.content_type, name)


def _agency(user, code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip().upper()).first()
    if agency is None or not user.may_see(agency.pk):
        raise NotFound("机关不存在或不在本人可见范围内")
    return agency


class DocumentSettingsView(APIView):
    @extend_schema(responses={200: DocumentSettingsSerializer}, summary="文书设置")
    def get(self, request, code: str):
        settings = selectors.settings_for(_agency(request.user, code))
        return Response(DocumentSettingsSerializer(settings).data)

    @extend_schema(
        request=DocumentSettingsSerializer,
        responses={200: DocumentSettingsSerializer},
        summary="修改文书设置（机关管理员；只改所传字段）",
    )
    def put(self, request, code: str):
        agency = _agency(request.user, code)
        params = DocumentSettingsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        settings = services.document_settings_update(
            agency=agency, actor=request.user, changes=dict(params.validated_data)
        )
        return Response(DocumentSettingsSerializer(settings).data)


class DocumentTemplateView(JsonErrorsMixin, APIView):
    """An agency's own Word template per kind; without one the shipped default is used."""

    parser_classes = [UploadParser]
    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        responses=binary_response(DOCX_MEDIA_TYPE, "现用模板（本机关上传的或系统默认的）"),
        summary="下载现用文书模板",
    )
    def get(self, request, code: str, kind: str):
        template, _own = selectors.template_for(_agency(request.user, code), kind)
        return file_response(template, DOCX_MEDIA_TYPE, f"{DocumentKind(kind).label}模板.docx")

    @extend_schema(
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: DocumentSettingsSerializer},
        summary="上传本机关的文书模板（.docx，docxtpl占位符）",
    )
    def post(self, request, code: str, kind: str):
        agency = _agency(request.user, code)
        params = FileUploadSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        if upload.size > TEMPLATE_MAX_BYTES:
            raise InvalidInput("模板文件过大", fields={"file": "模板文件不能超过10MB"})
        services.template_upload(
            agency=agency,
            actor=request.user,
            kind=kind,
            content=upload.read(),
            name=upload.name or "",
        )
        settings = selectors.settings_for(agency)
        return Response(DocumentSettingsSerializer(settings).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="已删除（或本无上传的模板），恢复使用默认模板")
        },
        summary="删除本机关模板，恢复默认",
    )
    def delete(self, request, code: str, kind: str):
        agency = _agency(request.user, code)
        services.template_delete(agency=agency, actor=request.user, kind=kind)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseDocumentsView(APIView):
    @extend_schema(
        responses={200: DocumentSerializer(many=True)},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        summary="申请的文书",
    )
    def get(self, request, id: int):
        documents = selectors.case_documents(user=request.user, case_id=id)
        return Response(DocumentSerializer(documents, many=True, context={"request": request}).data)

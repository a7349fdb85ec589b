"""Input and output shapes of the documents API. Field names are a contract with clients."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import limits
from cases.serializers import OutputSerializer

from .models import Delivery, DeliveryProof, Document, DocumentSettings
from .reasons import DEFAULT_PARAGRAPHS
from .vocabulary import DeliveryMethod, DocumentKind

TEXT_MAX = 20_000
COMMENT_MAX = 2_000


def _url(serializer: serializers.Serializer, name: str, **kwargs) -> str:
    path = reverse(name, kwargs=kwargs)
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


_not_before_2008 = MinValueValidator(limits.EARLIEST_DATE, limits.EARLIEST_DATE_MESSAGE)


def _date(**kwargs) -> serializers.DateField:
    return serializers.DateField(validators=[_not_before_2008], **kwargs)


class ProofSerializer(OutputSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址")

    class Meta:
        model = DeliveryProof
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, proof: DeliveryProof) -> str:
        return _url(self, "delivery-proof-file", pk=proof.delivery_id, proof_id=proof.pk)


class DeliverySerializer(OutputSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    proofs = ProofSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "document",
            "recipient",
            "method",
            "method_label",
            "sent_on",
            "tracking_number",
            "delivered_on",
            "returned_on",
            "note",
            "proofs",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FilesSerializer(serializers.Serializer):
    docx = serializers.URLField(allow_null=True, help_text="签发的Word文件；未签发为null")
    pdf = serializers.URLField(allow_null=True, help_text="签发的PDF文件；尚未生成为null")


class DocumentSerializer(OutputSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    files = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()
    deliveries = DeliverySerializer(many=True, read_only=True)
    delivered_on = serializers.SerializerMethodField(help_text="最早的送达日期；尚未送达为null")
    superseded_by = serializers.SerializerMethodField(help_text="更正后替代本文书的文书")
    pending_action = serializers.CharField(
        read_only=True,
        allow_blank=True,
        help_text="签发后生效的办理操作（answer、extend）；无则为空",
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "case_reference",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "number",
            "issued_on",
            "title",
            "addressee",
            "body",
            "legal_basis",
            "data",
            "pending_action",
            "drafted_on",
            "submitted_on",
            "approved_on",
            "returned_on",
            "return_comment",
            "files",
            "preview",
            "pdf_error",
            "deliveries",
            "delivered_on",
            "supersedes",
            "superseded_by",
            "reissue_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(FilesSerializer)
    def get_files(self, document: Document) -> dict:
        return {
            "docx": _url(self, "document-docx", pk=document.pk) if document.docx else None,
            "pdf": _url(self, "document-pdf", pk=document.pk) if document.pdf else None,
        }

    @extend_schema_field(FilesSerializer)
    def get_preview(self, document: Document) -> dict:
        if document.docx:
            return {"docx": None, "pdf": None}
        url = _url(self, "document-preview", pk=document.pk)
        return {"docx": f"{url}?format=docx", "pdf": f"{url}?format=pdf"}

    def get_delivered_on(self, document: Document) -> str | None:
        days = [d.delivered_on for d in document.deliveries.all() if d.delivered_on]
        return min(days).isoformat() if days else None

    def get_superseded_by(self, document: Document) -> int | None:
        replacement = getattr(document, "superseded_by", None)
        return replacement.pk if replacement is not None else None


# Inputs


class StepSerializer(serializers.Serializer):
    on = _date(required=False, label="办理日期", help_text="办理日期（YYYY-MM-DD），默认为今天")


class SubmitSerializer(StepSerializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=COMMENT_MAX, label="说明"
    )


class ReturnSerializer(StepSerializer):
    comment = serializers.CharField(max_length=COMMENT_MAX, label="退回意见", help_text="退回意见")


class ReissueSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=COMMENT_MAX, label="更正理由", help_text="更正理由")


class DocumentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=TEXT_MAX, label="正文", help_text="正文（可修改的部分）"
    )


class PreviewQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["docx", "pdf"], required=False, default="docx")


class DeliveryCreateSerializer(serializers.Serializer):
    recipient = serializers.CharField(max_length=200, label="受送达人")
    method = serializers.ChoiceField(choices=DeliveryMethod.choices, label="送达方式")
    sent_on = _date(label="发出日期", help_text="发出日期")
    tracking_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, label="邮件单号"
    )
    delivered_on = _date(required=False, allow_null=True, label="送达日期", help_text="送达日期")
    note = serializers.CharField(
        max_length=COMMENT_MAX, required=False, allow_blank=True, label="备注"
    )


class DeliveryUpdateSerializer(serializers.Serializer):
    delivered_on = _date(required=False, allow_null=True, label="送达日期", help_text="送达日期")
    returned_on = _date(required=False, allow_null=True, label="退件日期", help_text="退件日期")
    note = serializers.CharField(
        max_length=COMMENT_MAX, required=False, allow_blank=True, label="备注"
    )


class FileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label="文件", help_text="上传的文件")


_KINDS = DocumentKind.values


class DocumentSettingsSerializer(serializers.Serializer):
    """The settings in force (GET) and what to change (PUT: only the fields sent)."""

    agency = serializers.CharField(source="agency.code", read_only=True)
    number_format = serializers.CharField(
        max_length=100, required=False, help_text="文号格式，占位符 {prefix}{year}{seq}"
    )
    prefixes = serializers.DictField(
        child=serializers.CharField(max_length=40, allow_blank=True),
        required=False,
        help_text="各类文书的机关代字；空字符串恢复默认",
    )
    approval_required = serializers.DictField(
        child=serializers.BooleanField(), required=False, help_text="各类文书是否须经负责人审批"
    )
    issue_receipts = serializers.BooleanField(required=False, help_text="登记时出具登记回执")
    allow_self_approval = serializers.BooleanField(
        required=False, help_text="允许审批本人提交的文书（默认不允许）"
    )
    review_body = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="行政复议机关（答复书救济途径）"
    )
    court = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="人民法院（答复书救济途径）"
    )
    contact = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="联系方式（文书末尾）"
    )
    payment_instructions = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="缴费方式（收费通知书）"
    )
    reasons = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        required=False,
        help_text="答复理由库：办理结果 -> 标准段落；空字符串恢复默认",
    )
    templates = serializers.DictField(
        child=serializers.BooleanField(),
        read_only=True,
        help_text="各类文书是否使用本机关上传的模板",
    )

    def to_representation(self, settings: DocumentSettings) -> dict:
        own = set(settings.agency.document_templates.values_list("kind", flat=True))
        return {
            "agency": settings.agency.code,
            "number_format": settings.number_format,
            "prefixes": {kind: settings.prefix_for(kind) for kind in _KINDS},
            "approval_required": {kind: settings.needs_approval(kind) for kind in _KINDS},
            "issue_receipts": settings.issue_receipts,
            "allow_self_approval": settings.allow_self_approval,
            "review_body": settings.review_body_text,
            "court": settings.court_text,
            "contact": settings.contact_text,
            "payment_instructions": settings.payment_text,
            "reasons": {key: settings.reason_for(key) for key in DEFAULT_PARAGRAPHS},
            "templates": {kind: kind in own for kind in _KINDS},
        }

"""Statutory documents of a case, their numbers, files and delivery records; per-agency settings.

A document's ``status`` is protected: only the ``@transition`` methods change it, and only the
services in ``documents.services`` call them, each in one transaction that also writes the case's
audit trail. An issued document never changes again; a mistake is corrected by a replacement
document with a new number, the old one kept as superseded.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from cases.models import Agency, Case, CaseEvent, User

from .numbering import default_prefix
from .reasons import DEFAULT_PARAGRAPHS
from .storage import document_storage
from .vocabulary import (
    APPROVAL_BY_DEFAULT,
    DEFAULT_COURT,
    DEFAULT_NUMBER_FORMAT,
    DEFAULT_PAYMENT_INSTRUCTIONS,
    DEFAULT_REVIEW_BODY,
    DeliveryMethod,
    DocumentKind,
    DocumentStatus,
)

EDITABLE_STATUSES = (DocumentStatus.DRAFT, DocumentStatus.RETURNED)


class DocumentSettings(models.Model):
    """One agency's choices for its documents. Without a row, the defaults apply."""

    agency = models.OneToOneField(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="document_settings"
    )
    number_format = models.CharField(
        "文号格式",
        max_length=100,
        default=DEFAULT_NUMBER_FORMAT,
        help_text="占位符：{prefix}{year}{seq}",
    )
    # {kind: prefix}; a kind left out uses the default prefix.
    prefixes = models.JSONField("机关代字", default=dict, blank=True)
    # {kind: bool}; a kind left out uses the default (reply and extension notice need approval).
    approval_required = models.JSONField("需审批的文书", default=dict, blank=True)
    issue_receipts = models.BooleanField("出具登记回执", default=False)
    allow_self_approval = models.BooleanField("允许审批本人提交的文书", default=False)
    review_body = models.CharField("行政复议机关", max_length=200, blank=True)
    court = models.CharField("人民法院", max_length=200, blank=True)
    contact = models.CharField("联系方式", max_length=300, blank=True)
    payment_instructions = models.CharField("缴费方式", max_length=500, blank=True)
    # {outcome: paragraph}; an outcome left out uses the standard paragraph (documents.reasons).
    reasons = models.JSONField("答复理由库", default=dict, blank=True)
    updated_by = models.ForeignKey(
        User,
        verbose_name="修改人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"{self.agency}：文书设置"

    # The values in force: the agency's own, else the defaults.

    def prefix_for(self, kind: str) -> str:
        return self.prefixes.get(kind) or default_prefix(self.agency.code, kind)

    def needs_approval(self, kind: str) -> bool:
        return bool(self.approval_required.get(kind, kind in APPROVAL_BY_DEFAULT))

    def reason_for(self, outcome: str) -> str:
        return self.reasons.get(outcome) or DEFAULT_PARAGRAPHS.get(outcome, "")

    @property
    def review_body_text(self) -> str:
        return self.review_body or DEFAULT_REVIEW_BODY

    @property
    def court_text(self) -> str:
        return self.court or DEFAULT_COURT

    @property
    def contact_text(self) -> str:
        return self.contact or f"电子邮箱 {self.agency.email}"

    @property
    def payment_text(self) -> str:
        return self.payment_instructions or DEFAULT_PAYMENT_INSTRUCTIONS


class DocumentTemplate(models.Model):
    """An agency's own Word template (its letterhead) for one kind; else the shipped default."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="document_templates"
    )
    kind = models.CharField("文书种类", max_length=30, choices=DocumentKind.choices)
    file = models.FileField("模板文件", storage=document_storage, upload_to="templates/")
    original_name = models.CharField("上传文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        User, verbose_name="上传人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="document_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.get_kind_display()}"


class NumberSequence(models.Model):
    """The last number issued per agency, kind and year (spec §2: gap-free, from 1)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year"], name="document_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.year}: {self.last_value}"


class Document(FSMModelMixin, models.Model):
    """One statutory document of a case, from draft to issue (and delivery)."""

    case = models.ForeignKey(
        Case, verbose_name="申请", on_delete=models.PROTECT, related_name="documents"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文书种类", max_length=30, choices=DocumentKind.choices)
    status = FSMField(
        "状态", default=DocumentStatus.DRAFT, choices=DocumentStatus.choices, protected=True
    )
    # The case action that drafted it (null while the action waits for this document).
    event = models.ForeignKey(
        CaseEvent,
        verbose_name="来源操作",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField("标题", max_length=100)
    addressee = models.CharField("主送", max_length=300)
    body = models.TextField("正文")
    legal_basis = models.CharField("法律依据", max_length=500, blank=True)
    # What the action recorded, and the facts the letter states (dates, amounts, periods).
    data = models.JSONField("文书数据", default=dict, encoder=DjangoJSONEncoder)
    # The action proposed and waiting for this document (answer, extend), if any.
    pending_action = models.CharField("待签发后生效的操作", max_length=30, blank=True)
    drafted_on = models.DateField("拟稿日期")
    created_by = models.ForeignKey(
        User, verbose_name="拟稿人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        User,
        verbose_name="提交人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_on = models.DateField("提交审批日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        User,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField("审批日期", null=True, blank=True)
    returned_by = models.ForeignKey(
        User,
        verbose_name="退回人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_on = models.DateField("退回日期", null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)
    issued_by = models.ForeignKey(
        User,
        verbose_name="签发人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_on = models.DateField("签发日期", null=True, blank=True)
    year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True)
    sequence = models.PositiveIntegerField("文号顺序号", null=True, blank=True)
    number = models.CharField("文号", max_length=100, null=True, blank=True)
    docx = models.FileField("Word文件", storage=document_storage, upload_to="issued/", blank=True)
    pdf = models.FileField("PDF文件", storage=document_storage, upload_to="issued/", blank=True)
    pdf_attempts = models.PositiveSmallIntegerField("PDF生成尝试次数", default=0)
    pdf_error = models.TextField("PDF生成错误", blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="更正的原文书",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    reissue_reason = models.TextField("更正理由", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["case", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="document_number_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=models.Q(number__isnull=False),
                name="document_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "issued_on"], name="document_status_issued")]

    def __str__(self) -> str:
        return f"{self.number or self.get_status_display()} {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    # Transitions: each sets the fields of its step; the service checked roles and dates.

    @transition(
        field=status,
        source=[DocumentStatus.DRAFT, DocumentStatus.RETURNED],
        target=DocumentStatus.SUBMITTED,
        custom={"label": "提交审批"},
    )
    def submit(self, *, by: User, on) -> None:
        self.submitted_by, self.submitted_on = by, on

    @transition(
        field=status,
        source=DocumentStatus.SUBMITTED,
        target=DocumentStatus.APPROVED,
        custom={"label": "审批同意"},
    )
    def approve(self, *, by: User, on) -> None:
        self.approved_by, self.approved_on = by, on

    @transition(
        field=status,
        source=DocumentStatus.SUBMITTED,
        target=DocumentStatus.RETURNED,
        custom={"label": "退回修改"},
    )
    def return_for_changes(self, *, by: User, on, comment: str) -> None:
        self.returned_by, self.returned_on, self.return_comment = by, on, comment
        self.approved_by = self.approved_on = None

    @transition(
        field=status,
        source=[DocumentStatus.DRAFT, DocumentStatus.APPROVED],
        target=DocumentStatus.ISSUED,
        custom={"label": "签发"},
    )
    def issue(self, *, by: User, on, year: int, sequence: int, number: str) -> None:
        self.issued_by, self.issued_on = by, on
        self.year, self.sequence, self.number = year, sequence, number

    @transition(
        field=status,
        source=DocumentStatus.ISSUED,
        target=DocumentStatus.SUPERSEDED,
        custom={"label": "被更正文书替代"},
    )
    def supersede(self) -> None:
        pass


class Delivery(models.Model):
    """One sending of an issued document to its addressee (spec §5.1). A returned letter sent
    again by another method is a new record."""

    document = models.ForeignKey(
        Document, verbose_name="文书", on_delete=models.PROTECT, related_name="deliveries"
    )
    recipient = models.CharField("受送达人", max_length=200)
    method = models.CharField("送达方式", max_length=20, choices=DeliveryMethod.choices)
    sent_on = models.DateField("发出日期")
    tracking_number = models.CharField("邮件单号", max_length=64, blank=True)
    # spec §5.2: the signature date, the date the message reached the recipient, the fax report.
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    returned_on = models.DateField("退件日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["document", "sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.document} {self.get_method_display()} {self.sent_on:%Y-%m-%d}"


class DeliveryProof(models.Model):
    """A proof of delivery: signed receipt scan, tracking printout, e-mail confirmation."""

    delivery = models.ForeignKey(
        Delivery, verbose_name="送达记录", on_delete=models.PROTECT, related_name="proofs"
    )
    file = models.FileField("送达凭证", storage=document_storage, upload_to="proofs/")
    content_type = models.CharField("文件类型", max_length=40)
    original_name = models.CharField("上传文件名", max_length=200, blank=True)
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(
        User, verbose_name="上传人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "送达凭证"
        verbose_name_plural = "送达凭证"
        ordering = ["delivery", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name

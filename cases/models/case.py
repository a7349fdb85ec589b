"""The disclosure request (case): its fields and their rules. Its state machine is the
``Lifecycle`` part (case_lifecycle.py), its receipt facts and fees and its applicant's history
are parts of their own; the ``state`` field here is protected, changed by the transitions only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django_fsm import FSMField, FSMModelMixin

from .. import clock, limits, vocabulary
from ..choices import (
    OPEN_STATES,
    CaseState,
    Channel,
    DeliveryForm,
    FeeBasis,
    IdType,
    PartyKind,
)
from ..deadlines import regulations_of
from ..identity import check_identity, mask_id_number, normalise_phone
from .case_lifecycle import Lifecycle
from .case_receipt import FeeRecord, ReceiptFacts
from .case_volume import ApplicantHistory
from .people import Agency, User


class Case(FSMModelMixin, Lifecycle, ReceiptFacts, FeeRecord, ApplicantHistory, models.Model):
    """A request for government information (政府信息公开申请)."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField("申请编号", max_length=64, unique=True, null=True, blank=True)

    applicant_type = models.CharField(
        "申请人类型", max_length=40, choices=vocabulary.APPLICANT_TYPE_CHOICES
    )
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    # contact_phone's digits, kept by save(): a clerk's search matches a phone number exactly
    # however it was written ("0591-87654321", "0591 8765 4321").
    contact_phone_digits = models.CharField(
        "联系电话（数字）", max_length=40, blank=True, editable=False
    )
    contact_email = models.EmailField("电子邮箱", blank=True)
    contact_address = models.CharField("通讯地址", max_length=300, blank=True)
    postal_code = models.CharField(
        "邮政编码",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "邮政编码应为6位数字")],
    )
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    received_on = models.DateField("收到申请日期", help_text="《条例》第三十一条确定的收到申请之日")
    description = models.TextField("所需政府信息的描述")
    delivery_form = models.CharField(
        "获取信息的方式", max_length=20, choices=DeliveryForm.choices, blank=True
    )
    assigned_handler = models.ForeignKey(
        User,
        verbose_name="承办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )

    state = FSMField("办理状态", default=CaseState.NEW, choices=CaseState.choices, protected=True)
    outcome = models.CharField(
        "办理结果", max_length=60, choices=vocabulary.OUTCOME_CHOICES, blank=True
    )
    answered_on = models.DateField("办结日期", null=True, blank=True)
    reply = models.TextField("答复内容", blank=True)
    legal_basis = models.CharField("法律依据", max_length=200, blank=True)
    reason = models.TextField("理由", blank=True)
    delivery = models.CharField(
        "答复送达方式", max_length=20, choices=DeliveryForm.choices, blank=True
    )
    competent_agency = models.CharField(
        "负责公开的机关及联系方式",
        max_length=300,
        blank=True,
        help_text="不属于本机关负责公开的，能够确定负责机关的，告知其名称、联系方式（《条例》第三十六条第（五）项）",
    )
    answered_late = models.BooleanField(
        "逾期办结", default=False, help_text="办结日期晚于当时的答复期限"
    )

    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    correction_requested_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_items = models.TextField("补正事项", blank=True)
    correction_period_days = models.PositiveSmallIntegerField(
        "补正期限（工作日）", null=True, blank=True
    )
    correction_received_on = models.DateField("收到补正日期", null=True, blank=True)
    consultation_sent_on = models.DateField("征求意见发出日期", null=True, blank=True)
    consultation_party = models.CharField("征求意见对象", max_length=200, blank=True)
    consultation_party_kind = models.CharField(
        "征求意见对象类别", max_length=20, choices=PartyKind.choices, blank=True
    )
    opinion_received_on = models.DateField("收到意见日期", null=True, blank=True)
    opinion = models.TextField("第三方意见", blank=True)
    fee_notice_on = models.DateField("收费通知日期", null=True, blank=True)
    fee_basis = models.CharField("收费方式", max_length=20, choices=FeeBasis.choices, blank=True)
    fee_amount = models.DecimalField(
        "收费金额（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)
    # The day the notice reached the applicant (送达): the applicant's period runs from it.
    correction_notice_delivered_on = models.DateField("补正告知送达日期", null=True, blank=True)
    fee_notice_delivered_on = models.DateField("收费通知送达日期", null=True, blank=True)
    extended_on = models.DateField("延期告知日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(
        "延长工作日数",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.ForeignKey(
        User,
        verbose_name="延期批准人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    lapsed_on = models.DateField("逾期终止日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    # Statutory due dates, stored whenever a transition or the calendar changes them
    # (cases.deadlines computes them; lists never recompute per row).
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_on_provisional = models.BooleanField(
        "期限为暂定", default=False, help_text="期限跨入尚未录入国务院节假日安排的年度"
    )
    correction_notice_due_on = models.DateField("补正告知期限", null=True, blank=True)
    correction_notice_due_on_provisional = models.BooleanField("补正告知期限为暂定", default=False)
    correction_due_on = models.DateField("补正截止日期", null=True, blank=True)
    correction_due_on_provisional = models.BooleanField("补正截止日期为暂定", default=False)
    opinion_due_on = models.DateField("征求意见截止日期", null=True, blank=True)
    opinion_due_on_provisional = models.BooleanField("征求意见截止日期为暂定", default=False)
    fee_due_on = models.DateField("缴费截止日期", null=True, blank=True)
    fee_due_on_provisional = models.BooleanField("缴费截止日期为暂定", default=False)

    # A step proposed but held until its document is approved and issued (cases.hooks,
    # deferrals): {"action", "on", "note", "data", "document": {"id", "kind"}, "message"}.
    pending_step = models.JSONField(
        "待签发的办理事项", default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder
    )
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # The dated steps, in the order they can happen; "the previous step" is the latest of them.
    STEP_DATE_FIELDS = (
        "received_on",
        "correction_requested_on",
        "correction_received_on",
        "reviewed_on",
        "consultation_sent_on",
        "opinion_received_on",
        "fee_notice_on",
        "fee_paid_on",
        "extended_on",
        "reasons_requested_on",
        "reasonable_period_on",
        "lapsed_on",
        "withdrawn_on",
        "answered_on",
        "archived_on",
    )

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        # PostgreSQL builds them concurrently (migrations/_operations.py). Besides these, on
        # PostgreSQL only (migration 0013): GIN trigram indexes on UPPER(applicant_name) and
        # UPPER(description) for the search box (selectors.case_search).
        indexes = [
            models.Index(fields=["agency", "state"], name="case_agency_state"),
            # The list's orderings within an agency, each with the id as tie-break
            # (filters.CaseOrderingFilter), read forwards or backwards as a range scan.
            # Received and answered also hold every column the annual table reads
            # (reporting.selectors), so its three range scans are index-only. Key columns, not
            # INCLUDE, which SQLite lacks (models.W040).
            models.Index(
                fields=["agency", "received_on", "id", "answered_on", "applicant_type", "outcome"],
                name="case_agency_received_id_cov",
            ),
            models.Index(
                fields=["agency", "answered_on", "id", "received_on", "applicant_type", "outcome"],
                name="case_agency_answered_id_cov",
            ),
            models.Index(fields=["agency", "due_on", "id"], name="case_agency_due_id"),
            models.Index(fields=["agency", "reference"], name="case_agency_reference"),
            models.Index(fields=["agency", "created_at", "id"], name="case_agency_created_id"),
            models.Index(fields=["agency", "updated_at", "id"], name="case_agency_updated_id"),
            # A platform admin's list, all agencies, newest first.
            models.Index(fields=["received_on", "id"], name="case_received_id"),
            # The reminder run and the overdue filters: open states by due date.
            models.Index(fields=["state", "due_on"], name="case_state_due"),
            models.Index(fields=["applicant_name"], name="case_applicant_name"),
            # The search box's exact readings (selectors.case_search_q).
            models.Index(fields=["id_number"], name="case_id_number"),
            models.Index(fields=["contact_phone_digits"], name="case_phone_digits"),
            # The applicant's history in order of receipt: the fee's position in the month,
            # the Art. 35 window, the monthly counts and the repeat candidates.
            models.Index(fields=["applicant", "received_on", "id"], name="case_applicant_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state=CaseState.NEW), name="case_saved_registered"
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True, outcome="")
                | (models.Q(answered_on__isnull=False) & ~models.Q(outcome="")),
                name="case_outcome_with_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.applicant_name}（未登记）"

    def save(self, *args, **kwargs):
        self.contact_phone_digits = normalise_phone(self.contact_phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "contact_phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "contact_phone_digits"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def regulations(self) -> str:
        """The text that applies: "2019", or "2008" for requests received before 2019-05-15."""
        return regulations_of(self.received_on)

    @property
    def latest_step_on(self):
        return max(d for f in self.STEP_DATE_FIELDS if (d := getattr(self, f)) is not None)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = clock.today()
        if self.received_on and self.received_on > today:
            errors["received_on"] = "收到申请日期不能晚于今天"
        elif self.received_on and self.received_on < limits.EARLIEST_DATE:
            errors["received_on"] = f"收到申请{limits.EARLIEST_DATE_MESSAGE}"
        if self.id_type and self.applicant_type:
            self.id_number, identity_errors = check_identity(
                is_organisation=self.applicant_type in vocabulary.ORGANISATION_TYPES,
                id_type=self.id_type,
                id_number=self.id_number,
                today=today,
            )
            errors.update(identity_errors)
        if self.outcome in vocabulary.OUTCOMES_NEEDING_REASON and not self.reason.strip():
            errors["reason"] = "不予公开或部分公开的，必须说明理由"
        # The constraint case_outcome_with_date, checked here without a query.
        if (self.answered_on is None) != (self.outcome == ""):
            errors["outcome"] = "办理结果与办结日期应同时填写"
        if errors:
            raise ValidationError(errors)

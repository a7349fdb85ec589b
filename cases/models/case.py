"""The disclosure request (case) and its state machine.

The case's ``state`` is protected: only the ``@transition`` methods below change it, and only the
services in ``cases.services`` call them, so every change is validated, saved and audited in one
transaction. Transitions set fields and nothing else (no mail, no task).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django_fsm import GET_STATE, FSMField, FSMModelMixin, transition

from .. import clock, limits, vocabulary
from ..actions import ACTIONS
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
from .case_receipt import FeeRecord, ReceiptFacts
from .case_volume import ApplicantHistory
from .conditions import (
    CORRECTION_AFTER_CONSULTATION,
    CORRECTION_AFTER_FEE_NOTICE,
    _may,
    back_after_correction,
    correction_not_yet_requested,
    fee_not_yet_charged,
    no_fee_notice_yet,
    not_yet_consulted,
    not_yet_extended,
    not_yet_extended_for_correction,
)
from .people import Agency, User


class Case(FSMModelMixin, ReceiptFacts, FeeRecord, ApplicantHistory, models.Model):
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

    # Transitions. Each sets the fields of its step; the service validated the input.

    @transition(
        field=state,
        source=CaseState.NEW,
        target=CaseState.REGISTERED,
        permission=_may("register"),
        custom={"label": ACTIONS["register"].label, "admin": False},
    )
    def register(self, *, reference: str) -> None:
        self.reference = reference

    @transition(
        field=state,
        # Also after review: the handler often finds the request unclear only on reading it.
        source=[CaseState.REGISTERED, CaseState.REVIEWED],
        target=CaseState.AWAITING_CORRECTION,
        conditions=[
            correction_not_yet_requested,
            not_yet_consulted,
            no_fee_notice_yet,
            not_yet_extended_for_correction,
        ],
        permission=_may("request_correction"),
        custom={
            "label": ACTIONS["request_correction"].label,
            # Why it is refused in states outside its source (cases.services._begin).
            "refused_in": {
                CaseState.CONSULTING: CORRECTION_AFTER_CONSULTATION,
                CaseState.AWAITING_FEE: CORRECTION_AFTER_FEE_NOTICE,
            },
        },
    )
    def request_correction(self, *, on, items: str, period_days: int) -> None:
        self.correction_requested_on = on
        self.correction_items = items
        self.correction_period_days = period_days

    @transition(
        field=state,
        source=CaseState.AWAITING_CORRECTION,
        target=GET_STATE(back_after_correction, states=[CaseState.REGISTERED, CaseState.REVIEWED]),
        permission=_may("receive_correction"),
        custom={"label": ACTIONS["receive_correction"].label},
    )
    def receive_correction(self, *, on) -> None:
        self.correction_received_on = on

    @transition(
        field=state,
        source=[CaseState.AWAITING_CORRECTION, CaseState.AWAITING_FEE],
        target=CaseState.ANSWERED,
        permission=_may("lapse"),
        custom={"label": ACTIONS["lapse"].label},
    )
    def lapse(self, *, on) -> None:
        # Art. 30 (no correction) and 国办函〔2020〕109号 (fee unpaid): the office stops handling.
        if self.state == CaseState.AWAITING_CORRECTION:
            self.outcome = vocabulary.NO_CORRECTION
        else:
            self.outcome = vocabulary.FEE_UNPAID
        self.legal_basis = vocabulary.default_legal_basis(
            self.outcome, regulations=self.regulations
        )
        self.lapsed_on = on
        self.answered_on = on

    @transition(
        field=state,
        source=CaseState.REGISTERED,
        target=CaseState.REVIEWED,
        permission=_may("review"),
        custom={"label": ACTIONS["review"].label},
    )
    def review(self, *, on, handler: User | None) -> None:
        self.reviewed_on = on
        if handler is not None:
            self.assigned_handler = handler

    @transition(
        field=state,
        source=CaseState.REVIEWED,
        target=CaseState.CONSULTING,
        permission=_may("consult"),
        custom={"label": ACTIONS["consult"].label},
    )
    def consult(self, *, on, party: str, party_kind: str) -> None:
        self.consultation_sent_on = on
        self.consultation_party = party
        self.consultation_party_kind = party_kind
        self.opinion_received_on = None
        self.opinion = ""

    @transition(
        field=state,
        source=CaseState.CONSULTING,
        target=CaseState.REVIEWED,
        permission=_may("receive_opinion"),
        custom={"label": ACTIONS["receive_opinion"].label},
    )
    def receive_opinion(self, *, on, opinion: str) -> None:
        self.opinion_received_on = on
        self.opinion = opinion

    @transition(
        field=state,
        source=CaseState.REVIEWED,
        target=CaseState.AWAITING_FEE,
        conditions=[fee_not_yet_charged],
        permission=_may("issue_fee_notice"),
        custom={"label": ACTIONS["issue_fee_notice"].label},
    )
    def issue_fee_notice(self, *, on, basis: str, amount) -> None:
        self.fee_notice_on = on
        self.fee_basis = basis
        self.fee_amount = amount

    @transition(
        field=state,
        source=CaseState.AWAITING_FEE,
        target=CaseState.REVIEWED,
        permission=_may("receive_payment"),
        custom={"label": ACTIONS["receive_payment"].label},
    )
    def receive_payment(self, *, on) -> None:
        self.fee_paid_on = on

    @transition(
        field=state,
        source=[CaseState.REVIEWED, CaseState.CONSULTING],
        target=None,
        conditions=[not_yet_extended],
        permission=_may("extend"),
        custom={"label": ACTIONS["extend"].label},
    )
    def extend(self, *, on, working_days: int, reason: str, approver: User) -> None:
        self.extended_on = on
        self.extension_days = working_days
        self.extension_reason = reason
        self.extension_approved_by = approver

    @transition(
        field=state,
        source=CaseState.REVIEWED,
        target=CaseState.ANSWERED,
        permission=_may("answer"),
        custom={"label": ACTIONS["answer"].label},
    )
    def answer(
        self,
        *,
        on,
        outcome: str,
        reply: str,
        reason: str,
        legal_basis: str,
        delivery: str,
        competent_agency: str = "",
    ) -> None:
        self.outcome = outcome
        self.answered_on = on
        self.competent_agency = competent_agency
        self.reply = reply
        self.reason = reason
        self.legal_basis = legal_basis
        self.delivery = delivery

    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=CaseState.ANSWERED,
        permission=_may("withdraw"),
        custom={"label": ACTIONS["withdraw"].label},
    )
    def withdraw(self, *, on) -> None:
        self.outcome = vocabulary.WITHDRAWN
        self.legal_basis = vocabulary.default_legal_basis(
            self.outcome, regulations=self.regulations
        )
        self.withdrawn_on = on
        self.answered_on = on

    @transition(
        field=state,
        source=CaseState.ANSWERED,
        target=CaseState.ARCHIVED,
        permission=_may("archive"),
        custom={"label": ACTIONS["archive"].label},
    )
    def archive(self, *, on) -> None:
        self.archived_on = on

"""Agencies, their users, disclosure requests (cases) and the audit trail.

The case's ``state`` is protected: only the ``@transition`` methods below change it, and only the
services in ``cases.services`` call them, so every change is validated, saved and audited in one
transaction. Transitions set fields and nothing else (no mail, no task).
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django_fsm import GET_STATE, FSMField, FSMModelMixin, transition

from . import clock, limits, vocabulary
from .deadlines import regulations_of
from .identity import InvalidIdentity, normalise_phone, validate_resident_id, validate_uscc


class Agency(models.Model):
    """An agency (机关): the unit that answers requests and publishes an annual table."""

    code = models.CharField(
        "机关代码",
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9_-]{1,31}$",
                "机关代码由2至32位大写字母、数字、连字符或下划线组成",
            )
        ],
        help_text="用于案件编号，例如 FJRST",
    )
    name = models.CharField("机关名称", max_length=200, unique=True)
    email = models.EmailField("信息公开工作机构邮箱")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Role(models.TextChoices):
    REGISTRAR = "registrar", "登记员"
    HANDLER = "handler", "承办人"
    APPROVER = "approver", "负责人"
    AGENCY_ADMIN = "agency_admin", "机关管理员"


# Who may take each action. Platform admins (superusers) may take every action in every agency.
# The approver is the head of the disclosure office: only they approve an extension (Art. 33).
_STAFF = frozenset(Role)
# Roles that work cases (and may be assigned one).
CASEWORK_ROLES = frozenset({Role.HANDLER, Role.APPROVER, Role.AGENCY_ADMIN})
ACTION_ROLES: dict[str, frozenset[str]] = {
    "register": _STAFF,
    "update": _STAFF,
    "review": CASEWORK_ROLES,
    "request_correction": CASEWORK_ROLES,
    "receive_correction": _STAFF,
    "lapse": CASEWORK_ROLES,
    "consult": CASEWORK_ROLES,
    "receive_opinion": _STAFF,
    "issue_fee_notice": CASEWORK_ROLES,
    "receive_payment": _STAFF,
    # Art. 33: the head of the disclosure office approves an extension, nobody else.
    "extend": frozenset({Role.APPROVER}),
    "answer": CASEWORK_ROLES,
    "withdraw": _STAFF,
    "archive": _STAFF,
}


class User(AbstractUser):
    """A clerk of one agency with one role; superusers are platform admins across agencies."""

    agency = models.ForeignKey(
        Agency,
        verbose_name="所属机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def clean(self) -> None:
        super().clean()
        if not self.is_superuser and (self.agency_id is None or not self.role):
            raise ValidationError("机关工作人员必须指定所属机关和角色", code="agency_required")

    def __str__(self) -> str:
        name = self.get_full_name()
        return f"{name}（{self.username}）" if name else self.username

    def get_full_name(self) -> str:
        # Chinese names read family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser

    def may_see(self, agency_id: int) -> bool:
        return self.is_platform_admin or (self.is_active and self.agency_id == agency_id)

    def may_act(self, action: str, agency_id: int) -> bool:
        if self.is_platform_admin:
            return True
        return self.may_see(agency_id) and self.role in ACTION_ROLES[action]


class LoginLockout(AccessAttempt):
    """django-axes' failed-login counter per username, address and browser, in Chinese."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"


class CaseState(models.TextChoices):
    NEW = "new", "新建"
    REGISTERED = "registered", "已登记"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    REVIEWED = "reviewed", "已审查"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    ANSWERED = "answered", "已答复"
    ARCHIVED = "archived", "已归档"


OPEN_STATES = (
    CaseState.REGISTERED,
    CaseState.AWAITING_CORRECTION,
    CaseState.REVIEWED,
    CaseState.CONSULTING,
    CaseState.AWAITING_FEE,
)


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    USCC = "uscc", "统一社会信用代码"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他证件"


class Channel(models.TextChoices):
    # Art. 29: a request is made in writing (online, letter, fax, e-mail, in person) or orally,
    # in which case the office writes it down.
    ONLINE = "online", "网上申请"
    LETTER = "letter", "信函"
    IN_PERSON = "in_person", "当面"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ORAL = "oral", "口头"


class DeliveryForm(models.TextChoices):
    # Art. 40: paper, electronic data, on-site reading or copying.
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子数据"
    ON_SITE = "on_site", "当场阅读、抄录"


class PartyKind(models.TextChoices):
    # Art. 32: a third party whose rights are concerned; Art. 34: another agency. Under the 2008
    # Regulations only the time spent consulting a third party is not counted (its Art. 24).
    THIRD_PARTY = "third_party", "第三方"
    AGENCY = "agency", "其他机关"


class FeeBasis(models.TextChoices):
    PER_ITEM = "per_item", "按件计收"
    PER_PAGE = "per_page", "按量计收"


def _may(action: str):
    def permission(case: Case, user: User) -> bool:
        return user.may_act(action, case.agency_id)

    permission.__name__ = f"may_{action}"
    return permission


def correction_not_yet_requested(case: Case) -> bool:
    """补正告知只能发出一次（《条例》第三十条）"""
    return case.correction_requested_on is None


# A correction restarts the reply period from the corrected request's arrival (Art. 30). A
# consultation or a fee notice already made acted on the request as it stood and was counted
# against the old period (its pause would be added to the new one too), so once either has
# begun, even if the opinion or the payment has come back since, the request can no longer be
# sent back for correction.
CORRECTION_AFTER_CONSULTATION = (
    "已征求第三方或其他机关意见，不能再要求补正：补正告知应在征求意见之前作出（《条例》第三十条）"
)
CORRECTION_AFTER_FEE_NOTICE = (
    "已发出收费通知，不能再要求补正：补正告知应在收费之前作出（《条例》第三十条）"
)


def not_yet_consulted(case: Case) -> bool:
    return case.consultation_sent_on is None


not_yet_consulted.__doc__ = CORRECTION_AFTER_CONSULTATION


def no_fee_notice_yet(case: Case) -> bool:
    return case.fee_notice_on is None


no_fee_notice_yet.__doc__ = CORRECTION_AFTER_FEE_NOTICE

CORRECTION_AFTER_EXTENSION = (
    "已延期答复，不能再要求补正：补正后答复期限重新计算，"
    "原延期将失去依据（《条例》第三十条、第三十三条）"
)


def not_yet_extended_for_correction(case: Case) -> bool:
    return case.extended_on is None


not_yet_extended_for_correction.__doc__ = CORRECTION_AFTER_EXTENSION


def back_after_correction(case: Case, **kwargs) -> str:
    # A case corrected after review goes back to reviewed: its handler keeps it and need not
    # review it again. Before review it goes back to registered, as before.
    return CaseState.REVIEWED if case.reviewed_on else CaseState.REGISTERED


def fee_not_yet_charged(case: Case) -> bool:
    """本申请已发出过收费通知"""
    return case.fee_notice_on is None


def not_yet_extended(case: Case) -> bool:
    """答复期限只能延长一次（《条例》第三十三条）"""
    return case.extended_on is None


class Case(FSMModelMixin, models.Model):
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
        "lapsed_on",
        "withdrawn_on",
        "answered_on",
        "archived_on",
    )

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "state"], name="case_agency_state"),
            # Covering: holds every column the annual table (reporting.tables) reads, "id"
            # included for its COUNT(id), so its queries are index-only scans instead of one
            # heap page per case. bench/annual_table.py, 1,000,000 cases: an agency's middle
            # year about 0.45 s -> 0.07 s, a year's roll-up 0.5 s -> 0.25 s. Key columns, not
            # INCLUDE, which SQLite lacks (models.W040); the (agency, received_on) prefix serves
            # what the plain index it replaces served.
            models.Index(
                fields=["agency", "received_on", "answered_on", "applicant_type", "outcome", "id"],
                name="case_agency_received_cov",
            ),
            models.Index(fields=["agency", "answered_on"], name="case_agency_answered"),
            models.Index(fields=["applicant_name"], name="case_applicant_name"),
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
        errors.update(self._identity_errors(today))
        if self.outcome in vocabulary.OUTCOMES_NEEDING_REASON and not self.reason.strip():
            errors["reason"] = "不予公开或部分公开的，必须说明理由"
        if errors:
            raise ValidationError(errors)

    def _identity_errors(self, today) -> dict[str, str]:
        if not self.id_type or not self.applicant_type:
            return {}
        is_organisation = self.applicant_type in vocabulary.ORGANISATION_TYPES
        if self.id_type == IdType.RESIDENT_ID and is_organisation:
            return {"id_type": "法人或其他组织应提供统一社会信用代码或其他证照"}
        if self.id_type == IdType.USCC and not is_organisation:
            return {"id_type": "自然人应提供居民身份证或其他身份证件"}
        try:
            if self.id_type == IdType.RESIDENT_ID:
                self.id_number = validate_resident_id(self.id_number, today=today)
            elif self.id_type == IdType.USCC:
                self.id_number = validate_uscc(self.id_number)
            elif not self.id_number.strip():
                raise InvalidIdentity("请填写证件号码")
        except InvalidIdentity as err:
            return {"id_number": str(err)}
        return {}

    # Transitions. Each sets the fields of its step; the service validated the input.

    @transition(
        field=state,
        source=CaseState.NEW,
        target=CaseState.REGISTERED,
        permission=_may("register"),
        custom={"label": "登记", "admin": False},
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
            "label": "补正告知",
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
        custom={"label": "收到补正"},
    )
    def receive_correction(self, *, on) -> None:
        self.correction_received_on = on

    @transition(
        field=state,
        source=[CaseState.AWAITING_CORRECTION, CaseState.AWAITING_FEE],
        target=CaseState.ANSWERED,
        permission=_may("lapse"),
        custom={"label": "逾期终止"},
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
        custom={"label": "审查"},
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
        custom={"label": "征求意见"},
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
        custom={"label": "收到意见"},
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
        custom={"label": "收费通知"},
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
        custom={"label": "收到缴费"},
    )
    def receive_payment(self, *, on) -> None:
        self.fee_paid_on = on

    @transition(
        field=state,
        source=[CaseState.REVIEWED, CaseState.CONSULTING],
        target=None,
        conditions=[not_yet_extended],
        permission=_may("extend"),
        custom={"label": "延期答复"},
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
        custom={"label": "答复"},
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
        custom={"label": "申请人撤回"},
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
        custom={"label": "归档"},
    )
    def archive(self, *, on) -> None:
        self.archived_on = on


class ReferenceCounter(models.Model):
    """The last sequence number handed out per agency and year of receipt."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("审计记录不可修改")

    def delete(self):
        raise TypeError("审计记录不可删除")


class CaseEvent(models.Model):
    """One audit row per action on a case, written in the action's transaction.

    Never edited, never deleted: the model and its queryset refuse both.
    """

    case = models.ForeignKey(
        Case, verbose_name="申请", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=30, choices=CaseState.choices)
    to_state = models.CharField("新状态", max_length=30, choices=CaseState.choices)
    on = models.DateField("事项日期", null=True, blank=True)
    data = models.JSONField("提交的数据", default=dict, encoder=DjangoJSONEncoder)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True, db_index=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        # "FJRST-2026-00038 登记 2026-11-25 13:11": the action's name and local time.
        from .audit_display import event_caption

        return event_caption(self)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("审计记录不可删除")


class CalendarYear(models.Model):
    """A year whose State Council holiday notice is loaded; other years are provisional."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice = models.CharField("国务院通知", max_length=200)
    loaded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年：{self.notice}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class CalendarDay(models.Model):
    """A day the notice makes a holiday, or a weekend day it makes a working day."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=100, blank=True)
    source = models.CharField("依据", max_length=200)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"


class CalendarChange(models.Model):
    """One change of the working-day calendar: who changed what, when, and its recompute.

    Written in the same transaction as the change, so the recompute of the open cases' due dates
    can never be lost: a worker carries it out and marks it done; until then it is pending, and
    the periodic job (cases.tasks.process_pending_calendar_changes) picks it up again.
    """

    years = models.JSONField("涉及年度", default=list)
    description = models.CharField("变更内容", max_length=300)
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("变更时间", auto_now_add=True)
    processed_at = models.DateTimeField("重新计算完成时间", null=True, blank=True)
    cases_changed = models.PositiveIntegerField("期限有变化的申请数", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近一次错误", blank=True)

    class Meta:
        verbose_name = "节假日安排变更记录"
        verbose_name_plural = "节假日安排变更记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["processed_at"], name="calendar_change_pending")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.description}"


class ReminderLevel(models.TextChoices):
    REPLY_5 = "reply_5", "距答复期限还有5个工作日"
    REPLY_3 = "reply_3", "距答复期限还有3个工作日"
    REPLY_1 = "reply_1", "距答复期限还有1个工作日"
    REPLY_DUE_TODAY = "reply_due_today", "今天是答复期限"
    REPLY_OVERDUE = "reply_overdue", "已超过答复期限"
    CORRECTION_NOTICE_TOMORROW = "correction_notice_tomorrow", "补正告知期限为下一个工作日"
    CORRECTION_NOTICE_TODAY = "correction_notice_today", "今天是补正告知期限"
    CORRECTION_PERIOD_ENDED = (
        "correction_period_ended",
        "补正期限已届满，请登记收到补正或逾期不补正",
    )
    FEE_PERIOD_ENDED = "fee_period_ended", "缴费期限已届满，请登记收到缴费或逾期未缴费"
    OPINION_PERIOD_ENDED = "opinion_period_ended", "第三方答复期限已届满，请登记收到意见"


class ReminderSent(models.Model):
    """One reminder delivered to one recipient. The unique key makes sending exactly-once:
    the row is written in the same transaction as the mail is handed to the SMTP server."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reminders")
    level = models.CharField("提醒类型", max_length=40, choices=ReminderLevel.choices)
    due_on = models.DateField("所提醒的期限")
    # The day a repeating reminder (overdue, every working day) is for; else the due date.
    occurrence = models.DateField("提醒日")
    recipient = models.EmailField("收件人")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "期限提醒记录"
        verbose_name_plural = "期限提醒记录"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "level", "due_on", "occurrence", "recipient"],
                name="reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.level} {self.recipient}"

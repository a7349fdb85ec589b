"""Each case action, described once: its name, Chinese label, who may take it, and its inputs.

The API's input serializers (cases.serializers.inputs), the admin's action forms
(cases.admin.forms) and the desk's forms are all generated from these descriptions, and the
permission rules (cases.permissions) read the roles from here. The service that carries out an
action is ``cases.services.case_<name>``.

An input's rules (required, bounds, choices, message) are enforced by the generated serializer
and form; rules that depend on the case (the 15-day extension limit before 2019-05-15, the date
of the previous step) belong to the service, which has the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import limits, vocabulary
from .choices import DeliveryForm, FeeBasis, PartyKind, Role

# The most a form accepts (Art. 33); before 2019-05-15 the limit was 15, which the service checks
# against the case (deadlines.max_extension_days).
from .deadlines import MAX_EXTENSION_DAYS
from .fees import MAX_QUANTITY

MAX_CORRECTION_PERIOD_DAYS = 60

DATE, TEXT, LONG_TEXT, INTEGER, AMOUNT, CHOICE, USER = (
    "date",
    "text",
    "long_text",
    "integer",
    "amount",
    "choice",
    "user",
)


@dataclass(frozen=True)
class Input:
    """One field of an action's input."""

    name: str
    label: str
    kind: str
    required: bool = False
    max_length: int | None = None
    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None
    # The message for a value out of bounds; the framework's own if empty.
    message: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    # The choices a form offers, where some valid values are refused by the service with a
    # better message than "not a valid choice" (the API accepts all of ``choices``).
    offered: tuple[tuple[str, str], ...] | None = None
    default: str | None = None
    help: str = ""
    rows: int = 3  # for long text on a form


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    roles: frozenset[str]
    inputs: tuple[Input, ...] = ()
    # A transition of the state machine, offered as a button on the case page.
    transition: bool = True

    @property
    def url_path(self) -> str:
        return self.name.replace("_", "-")

    @property
    def service_name(self) -> str:
        return f"case_{self.name}"


# Every action's common inputs: the date of the step and a note; the API adds the version.
ON = Input(
    "on",
    "事项日期",
    DATE,
    help="事项实际发生的日期（YYYY-MM-DD）；留空为今天",
)
NOTE = Input("note", "备注", LONG_TEXT, max_length=limits.NOTE_MAX, help="备注", rows=2)

STAFF = frozenset(Role)
# Roles that work cases (and may be assigned one).
CASEWORK_ROLES = frozenset({Role.HANDLER, Role.APPROVER, Role.AGENCY_ADMIN})
# The approver is the head of the disclosure office: only they approve an extension (Art. 33).
APPROVERS = frozenset({Role.APPROVER})

_ANSWERABLE = tuple(
    (key, label)
    for key, label in vocabulary.OUTCOME_CHOICES
    if key not in vocabulary.OUTCOMES_NOT_ANSWERABLE
)

_ACTIONS = (
    Action("register", "登记", STAFF, transition=False),
    Action("update", "修改申请信息", STAFF, transition=False),
    Action(
        "review",
        "审查",
        CASEWORK_ROLES,
        (Input("handler", "承办人", USER, help="承办人用户ID；留空则由审查人承办"),),
    ),
    Action(
        "request_correction",
        "补正告知",
        CASEWORK_ROLES,
        (
            Input(
                "items",
                "补正事项",
                LONG_TEXT,
                required=True,
                max_length=limits.CORRECTION_ITEMS_MAX,
                help="需要补正的事项",
            ),
            Input(
                "period_days",
                "补正期限（工作日）",
                INTEGER,
                min_value=1,
                max_value=MAX_CORRECTION_PERIOD_DAYS,
                message=f"补正期限应为1至{MAX_CORRECTION_PERIOD_DAYS}个工作日",
                help="补正期限（工作日），默认见 CORRECTION_PERIOD_DAYS",
            ),
        ),
    ),
    Action("receive_correction", "收到补正", STAFF),
    Action("lapse", "逾期终止", CASEWORK_ROLES),
    Action(
        "consult",
        "征求意见",
        CASEWORK_ROLES,
        (
            Input(
                "party",
                "征求意见对象",
                TEXT,
                required=True,
                max_length=limits.PARTY_MAX,
                help="征求意见的第三方或机关",
            ),
            Input(
                "party_kind",
                "征求意见对象类型",
                CHOICE,
                choices=tuple(PartyKind.choices),
                default=PartyKind.THIRD_PARTY,
                help="third_party：第三方（《条例》第三十二条）；agency：其他机关（第三十四条）。"
                "2019年5月15日前收到的申请，只扣除征求第三方意见的时间",
            ),
        ),
    ),
    Action(
        "receive_opinion",
        "收到意见",
        STAFF,
        (Input("opinion", "意见", LONG_TEXT, max_length=limits.OPINION_MAX),),
    ),
    Action(
        "issue_fee_notice",
        "收费通知",
        CASEWORK_ROLES,
        (
            Input("basis", "收费方式", CHOICE, required=True, choices=tuple(FeeBasis.choices)),
            Input(
                "quantity",
                "计费数量",
                INTEGER,
                min_value=1,
                max_value=MAX_QUANTITY,
                message=f"数量应为1至{MAX_QUANTITY}之间的整数",
                help="按件：本申请的件数（默认1件，按申请人本月在本机关的申请顺序计费）；"
                "按量：页数。填写后金额按国办函〔2020〕109号的标准计算",
            ),
            Input(
                "amount",
                "金额（元）",
                AMOUNT,
                max_value=limits.FEE_AMOUNT_MAX,
                message=f"收费金额不能超过{limits.FEE_AMOUNT_MAX}元",
                help="填写了计费数量的，可留空（按标准计算）；与计算结果不同的须说明理由。"
                "未填写计费数量的，按此金额收费（手工录入）",
            ),
            Input(
                "override_reason",
                "金额与计算结果不同的理由",
                LONG_TEXT,
                max_length=limits.REASON_MAX,
                help="收费金额与按标准计算的金额不同，或计算结果为0仍需发出收费通知时填写",
                rows=2,
            ),
        ),
    ),
    Action(
        "receive_payment",
        "收到缴费",
        STAFF,
        (
            Input(
                "paid_amount",
                "实收金额（元）",
                AMOUNT,
                max_value=limits.FEE_AMOUNT_MAX,
                message=f"金额不能超过{limits.FEE_AMOUNT_MAX}元",
                help="留空为通知的金额；少于通知金额的，差额为减免，须填写减免理由",
            ),
            Input(
                "receipt_number",
                "收据（票据）号码",
                TEXT,
                max_length=limits.RECEIPT_NUMBER_MAX,
                help="缴费收据或财政票据的号码",
            ),
            Input(
                "waiver_reason",
                "减免理由",
                LONG_TEXT,
                max_length=limits.REASON_MAX,
                help="对经济困难等申请人减免信息处理费的理由（国办函〔2020〕109号）",
                rows=2,
            ),
            Input(
                "late_reason",
                "逾期缴费的接受理由",
                LONG_TEXT,
                max_length=limits.REASON_MAX,
                help="缴费期限届满后仍接受缴费的理由；仅机关管理员可以填写（国办函〔2020〕109号）",
                rows=2,
            ),
        ),
    ),
    Action(
        "extend",
        "延期答复",
        APPROVERS,
        (
            Input(
                "working_days",
                "延长工作日数",
                INTEGER,
                required=True,
                min_value=1,
                max_value=MAX_EXTENSION_DAYS,
                message=f"延长期限应为1至{MAX_EXTENSION_DAYS}个工作日",
                help=f"延长的工作日数，最多{MAX_EXTENSION_DAYS}",
            ),
            Input(
                "reason",
                "延期理由",
                LONG_TEXT,
                required=True,
                max_length=limits.EXTENSION_REASON_MAX,
                help="延期理由",
                rows=2,
            ),
        ),
    ),
    Action(
        "answer",
        "答复",
        CASEWORK_ROLES,
        (
            Input(
                "outcome",
                "办理结果",
                CHOICE,
                required=True,
                choices=tuple(vocabulary.OUTCOME_CHOICES),
                offered=_ANSWERABLE,
            ),
            Input("reply", "答复内容", LONG_TEXT, max_length=limits.REPLY_MAX, rows=4),
            Input(
                "reason",
                "理由",
                LONG_TEXT,
                max_length=limits.REASON_MAX,
                help="不予公开、部分公开时必填",
                rows=2,
            ),
            Input(
                "legal_basis",
                "法律依据",
                TEXT,
                max_length=limits.LEGAL_BASIS_MAX,
                help="留空则按办理结果对应的条款填写",
            ),
            Input("delivery", "送达方式", CHOICE, choices=tuple(DeliveryForm.choices)),
            Input(
                "competent_agency",
                "负责公开的机关",
                TEXT,
                max_length=limits.COMPETENT_AGENCY_MAX,
                help="不属于本机关负责公开的（unavailable_not_responsible），能够确定负责公开的"
                "机关时，填写其名称和联系方式（《条例》第三十六条第（五）项）",
            ),
        ),
    ),
    Action(
        "ask_reasons",
        "要求说明理由",
        CASEWORK_ROLES,
        (
            Input(
                "content",
                "要求说明理由的事项",
                LONG_TEXT,
                max_length=limits.REASON_MAX,
                help="申请数量、频次明显超过合理范围的，要求申请人说明理由（《条例》第三十五条）",
            ),
        ),
    ),
    Action(
        "set_reasonable_period",
        "确定延迟答复的合理期限",
        CASEWORK_ROLES,
        (
            Input(
                "until",
                "合理期限",
                DATE,
                required=True,
                help="申请理由合理，但无法在第三十三条规定的期限内答复的，确定的答复日期"
                "（《条例》第三十五条）",
            ),
            Input(
                "reason",
                "理由",
                LONG_TEXT,
                required=True,
                max_length=limits.REASON_MAX,
                help="确定该期限的理由",
                rows=2,
            ),
        ),
    ),
    Action("withdraw", "申请人撤回", STAFF),
    Action("archive", "归档", STAFF),
    Action("recompute_deadlines", "重新计算期限", frozenset(), transition=False),
    # The delivery of a notice to the applicant, recorded by whoever handles the post.
    Action("delivery_record", "登记送达", STAFF, transition=False),
    Action("delivery_update", "更新送达情况", STAFF, transition=False),
)

ACTIONS: dict[str, Action] = {action.name: action for action in _ACTIONS}
# The state machine's actions, in the order a case page offers them.
TRANSITIONS: tuple[str, ...] = tuple(a.name for a in _ACTIONS if a.transition)


# The audit trail's vocabulary (CaseEvent.action): every action above, and the steps of the
# documents and their delivery, which another app carries out but the case's trail records.
DOCUMENT_EVENTS = (
    ("document_draft", "起草文书"),
    ("document_submit", "提交文书审批"),
    ("document_approve", "批准文书"),
    ("document_return", "退回文书"),
    ("document_issue", "签发文书"),
    ("document_reissue", "重新签发文书"),
    ("delivery_proof", "上传送达凭证"),
    ("answer_proposed", "拟答复（待签发）"),
    ("extend_proposed", "拟延期答复（待签发）"),
)
EVENT_CHOICES: tuple[tuple[str, str], ...] = (
    *((a.name, a.label) for a in _ACTIONS),
    *DOCUMENT_EVENTS,
)
_EVENT_LABELS = dict(EVENT_CHOICES)


def label(name: str) -> str:
    """The Chinese name of an action or audit event; an unknown name is shown as it is."""
    return _EVENT_LABELS.get(name, name)

"""The ledger's columns, described once: the template's header, the names offices use for it,
its kind of value and what the template's explanation sheet says about it.

The import matches a file's headers against this table (in any order, with any of the
variants), the template is written from it, and the export writes the same columns (plus the
ones that only the export fills in), so an exported ledger imports again as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cases import vocabulary
from cases.choices import Channel, DeliveryForm, FeeBasis, IdType, PartyKind

TEXT, DATE, INTEGER, AMOUNT, CHOICE, OUTCOME, YES_NO = (
    "text",
    "date",
    "integer",
    "amount",
    "choice",
    "outcome",
    "yes_no",
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    # Other names offices give the column; the header itself always matches.
    variants: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    # (key, label) of a choice column; the value may be given by key or label.
    choices: tuple[tuple[str, str], ...] = ()
    # Other words for a choice, as offices write them: word -> key.
    aliases: tuple[tuple[str, str], ...] = ()


def _choices(pairs) -> tuple[tuple[str, str], ...]:
    return tuple((str(key), str(label)) for key, label in pairs)


COLUMNS: tuple[Column, ...] = (
    Column(
        "external_number",
        "台账编号",
        variants=("编号", "登记编号", "受理编号", "台账号", "原编号", "内部编号", "收文编号"),
        help="本机关台账中的编号（可不填）。再次导入同一台账时，编号相同的行不会重复导入",
    ),
    Column(
        "applicant_type",
        "申请人类型",
        CHOICE,
        variants=("申请人类别", "申请人性质", "申请主体类型", "申请人身份"),
        required=True,
        choices=_choices(vocabulary.APPLICANT_TYPE_CHOICES),
        aliases=(
            ("个人", "natural_person"),
            ("公民", "natural_person"),
            ("自然人申请", "natural_person"),
            ("企业", "commercial_enterprise"),
            ("公司", "commercial_enterprise"),
            ("律师事务所", "legal_service_institution"),
            ("其他组织", "other_organization"),
        ),
        help="按年度报告统计表的申请人分类填写",
    ),
    Column(
        "applicant_name",
        "申请人",
        variants=("申请人姓名", "申请人名称", "姓名/名称", "申请人姓名或名称", "姓名或名称"),
        required=True,
        help="自然人填写姓名，法人或其他组织填写名称",
    ),
    Column(
        "id_type",
        "证件类型",
        CHOICE,
        variants=("证件种类", "身份证件类型", "证照类型"),
        choices=_choices(IdType.choices),
        aliases=(("身份证", "resident_id"), ("信用代码", "uscc"), ("其他", "other")),
        help="可不填：自然人的18位身份证号码、组织的统一社会信用代码可自动识别",
    ),
    Column(
        "id_number",
        "证件号码",
        variants=(
            "身份证号",
            "身份证号码",
            "证件号",
            "身份证件号码",
            "证照号码",
            "统一社会信用代码",
            "身份证号/统一社会信用代码",
        ),
        required=True,
        help="居民身份证号码和统一社会信用代码按校验码核对",
    ),
    Column(
        "channel",
        "申请方式",
        CHOICE,
        variants=("申请渠道", "提交方式", "申请形式", "收件方式"),
        required=True,
        choices=_choices(Channel.choices),
        aliases=(
            ("网上", "online"),
            ("网络", "online"),
            ("在线申请", "online"),
            ("政府网站", "online"),
            ("网站", "online"),
            ("邮寄", "letter"),
            ("来信", "letter"),
            ("信件", "letter"),
            ("现场", "in_person"),
            ("窗口", "in_person"),
            ("当面申请", "in_person"),
            ("电子邮箱", "email"),
            ("邮件", "email"),
            ("口头申请", "oral"),
        ),
    ),
    Column(
        "received_on",
        "收到申请日期",
        DATE,
        variants=("受理日期", "申请日期", "收到日期", "收件日期", "登记日期", "收到申请时间"),
        required=True,
        help="《条例》第三十一条确定的收到申请之日",
    ),
    Column(
        "description",
        "申请内容",
        variants=(
            "所需政府信息的描述",
            "所需信息内容描述",
            "申请公开的内容",
            "申请公开内容",
            "申请事项",
            "申请信息内容",
            "内容描述",
            "所需信息",
        ),
        required=True,
    ),
    Column("contact_phone", "联系电话", variants=("电话", "手机", "手机号码", "联系方式")),
    Column("contact_email", "电子邮箱", variants=("邮箱", "电子邮件地址", "Email", "E-mail")),
    Column("contact_address", "通讯地址", variants=("地址", "联系地址", "通信地址", "邮寄地址")),
    Column("postal_code", "邮政编码", variants=("邮编",)),
    Column(
        "delivery_form",
        "获取信息的方式",
        CHOICE,
        variants=("获取方式", "信息获取方式", "提供方式", "获取信息方式"),
        choices=_choices(DeliveryForm.choices),
        aliases=(("纸质文本", "paper"), ("电子", "electronic"), ("当场阅读", "on_site")),
    ),
    Column(
        "correction_requested_on",
        "补正告知日期",
        DATE,
        variants=("补正通知日期", "告知补正日期", "补正告知时间"),
    ),
    Column("correction_items", "补正事项", variants=("补正内容", "需补正事项")),
    Column(
        "correction_period_days",
        "补正期限（工作日）",
        INTEGER,
        variants=("补正期限",),
        help="不填则按系统设置的补正期限",
    ),
    Column("correction_notice_delivered_on", "补正告知送达日期", DATE),
    Column(
        "correction_received_on",
        "收到补正日期",
        DATE,
        variants=("补正日期", "补正材料收到日期", "收到补正材料日期"),
    ),
    Column(
        "reviewed_on",
        "审查日期",
        DATE,
        help="可不填：以审查后的第一个办理步骤的日期记录审查",
    ),
    Column(
        "consultation_sent_on",
        "征求意见日期",
        DATE,
        variants=("征求意见发出日期", "征求第三方意见日期", "征求意见时间"),
    ),
    Column("consultation_party", "征求意见对象", variants=("征求意见单位", "第三方")),
    Column(
        "consultation_party_kind",
        "征求意见对象类型",
        CHOICE,
        choices=_choices(PartyKind.choices),
        help="第三方（《条例》第三十二条）或其他机关（第三十四条）；不填为第三方",
    ),
    Column(
        "opinion_received_on",
        "收到意见日期",
        DATE,
        variants=("第三方答复日期", "意见反馈日期", "收到第三方意见日期"),
    ),
    Column("opinion", "意见内容", variants=("第三方意见", "征求意见结果")),
    Column("fee_notice_on", "收费通知日期", DATE, variants=("收费通知时间",)),
    Column(
        "fee_basis",
        "收费方式",
        CHOICE,
        choices=_choices(FeeBasis.choices),
        aliases=(("按件", "per_item"), ("按量", "per_page")),
        help="填写了收费通知日期的必填",
    ),
    Column(
        "fee_amount",
        "收费金额（元）",
        AMOUNT,
        variants=("收费金额", "金额"),
        help="填写了收费通知日期的必填",
    ),
    Column("fee_notice_delivered_on", "收费通知送达日期", DATE),
    Column("fee_paid_on", "缴费日期", DATE, variants=("缴费时间",)),
    Column(
        "late_reason",
        "逾期缴费接受理由",
        help="缴费期限届满后仍接受缴费的理由（国办函〔2020〕109号）",
    ),
    Column(
        "extended_on",
        "延期日期",
        DATE,
        variants=("延期告知日期", "延期答复日期", "延长答复期限日期"),
    ),
    Column(
        "extension_days",
        "延长工作日数",
        INTEGER,
        variants=("延期天数", "延长天数", "延期工作日", "延长期限"),
    ),
    Column("extension_reason", "延期理由", variants=("延期原因",)),
    Column(
        "extension_approver",
        "延期批准人",
        variants=("延期审批人", "批准人"),
        help="批准延期的负责人在本系统的用户名或姓名；不填则由导入人登记（须有延期权限）",
    ),
    Column(
        "answered_on",
        "办结日期",
        DATE,
        variants=("答复日期", "办理日期", "答复时间", "办结时间", "处理日期"),
        help="答复、撤回或逾期终止的日期",
    ),
    Column(
        "outcome",
        "办理结果",
        OUTCOME,
        variants=("答复结果", "处理结果", "答复类型", "处理决定", "答复情况"),
        help="按年度报告统计表的办理结果填写，可使用2019年或2021年格式中的名称",
    ),
    Column("reply", "答复内容", variants=("答复意见",)),
    Column("reason", "理由", variants=("不予公开理由", "答复理由", "理由说明")),
    Column("legal_basis", "法律依据", variants=("答复依据", "依据")),
    Column(
        "delivery",
        "答复送达方式",
        CHOICE,
        variants=("送达方式",),
        choices=_choices(DeliveryForm.choices),
        aliases=(("纸质文本", "paper"), ("电子", "electronic"), ("当场阅读", "on_site")),
    ),
    Column("competent_agency", "负责公开的机关", variants=("负责公开机关",)),
    Column(
        "withdrawn",
        "申请人撤回",
        YES_NO,
        variants=("是否撤回", "撤回"),
        help="填“是”时，办结日期为撤回日期",
    ),
    Column("archived_on", "归档日期", DATE, variants=("归档时间",)),
)

BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}

# Columns the export writes besides the template's: read back, they are ignored (the system
# computes them).
EXPORT_ONLY: tuple[tuple[str, str], ...] = (
    ("reference", "申请编号"),
    ("state", "办理状态"),
    ("due_on", "答复期限"),
    ("working_days_left", "剩余工作日（负数为已逾期）"),
    ("answered_late", "逾期办结"),
)
# Headers the import knows and leaves aside on purpose.
IGNORED_HEADERS: dict[str, str] = {
    "序号": "序号列，导入时不使用",
    "导入检查结果": "导入检查报告的结果列，导入时不使用",
    **{header: "系统计算的列，导入时不使用" for _, header in EXPORT_ONLY},
}

_TRAILING_NOTE = re.compile(r"\((必填|选填|可选|非必填|可不填)\)$")
_TRAILING_PARENTHESIS = re.compile(r"\([^()]*\)$")


def normalise_header(text: object) -> str:
    """A header as compared: full-width forms folded (NFKC), no spaces or line breaks, no
    required-field marks."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    folded = re.sub(r"\s+", "", folded).strip("*")
    return _TRAILING_NOTE.sub("", folded).lower()


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.header, *column.variants):
            key = normalise_header(name)
            if index.setdefault(key, column.key) != column.key:
                raise ValueError(f"header {name!r} names two columns")
    return index


HEADER_INDEX = _header_index()
_IGNORED_INDEX = {normalise_header(name): why for name, why in IGNORED_HEADERS.items()}


def match_header(text: object) -> str | None:
    """The column key a header names, or None. "收费金额（元）" and "收费金额" both match."""
    name = normalise_header(text)
    if not name:
        return None
    if name in HEADER_INDEX:
        return HEADER_INDEX[name]
    return HEADER_INDEX.get(_TRAILING_PARENTHESIS.sub("", name))


def ignore_header(header: str, why: str) -> None:
    """Leave a header aside on import, saying why (a column another app adds to the export)."""
    _IGNORED_INDEX[normalise_header(header)] = why


def ignored_header(text: object) -> str | None:
    """Why a known header is left aside ("序号", the export's computed columns), or None."""
    return _IGNORED_INDEX.get(normalise_header(text))


def required_columns() -> list[Column]:
    return [column for column in COLUMNS if column.required]

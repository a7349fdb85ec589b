"""The fixed vocabularies of a case: roles, states, channels, forms, kinds.

Kept apart from the models so that the action descriptions (cases.actions) and the permission
rules (cases.permissions) can use them without importing the models.
"""

from django.db import models


class Role(models.TextChoices):
    REGISTRAR = "registrar", "登记员"
    HANDLER = "handler", "承办人"
    APPROVER = "approver", "负责人"
    AGENCY_ADMIN = "agency_admin", "机关管理员"


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


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


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

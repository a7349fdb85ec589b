"""Administrative reconsiderations and lawsuits (section 四): recording, correcting, deciding,
and the decision document.

Who may: the agency's handlers, approvers and agency admins (the casework roles of
``cases.permissions``), and platform admins; every clerk of the agency reads them. Each write
locks the row, checks the version the caller read, validates, refuses a change that would alter
a published year's section 四 (the period lock), saves and writes its ``AppealEvent``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cases import clock, limits, permissions
from cases.errors import (
    ConcurrentChange,
    InvalidInput,
    NotFound,
    NotPermitted,
    TransitionRefused,
    validation_error_fields,
)
from cases.models import Agency, Case, User

from ..locks import ensure_years_open
from ..models import Appeal, AppealEvent, AppealKind, AppealResult
from ..sections import AppealEntry, appeal_changed_years

# What a PATCH may change (the agency never changes).
APPEAL_FIELDS = (
    "case",
    "kind",
    "review",
    "filed_on",
    "body",
    "number",
    "result",
    "decided_on",
    "orders_new_reply",
    "new_case",
    "note",
)
NOTE_MAX = limits.NOTE_MAX
# Decision documents: scans and files as courts and review bodies issue them.
DECISION_MAX_BYTES = 20 * 1024 * 1024
DECISION_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".ofd": ("application/ofd", (b"PK\x03\x04",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def may_record_appeals(user: User, agency_id: int) -> bool:
    return permissions.is_platform_admin(user) or (
        permissions.may_see(user, agency_id) and user.role in permissions.CASEWORK_ROLES
    )


def _check_access(actor: User, agency_id: int) -> None:
    if not actor.may_see(agency_id):
        raise NotFound("行政复议或行政诉讼记录不存在或不属于您所在的机关")
    if not may_record_appeals(actor, agency_id):
        raise NotPermitted("只有承办人、负责人和机关管理员可以登记行政复议和行政诉讼")


def _record(appeal: Appeal) -> dict[str, Any]:
    """The appeal's data as the audit trail keeps it (related objects by id)."""
    return {
        name: getattr(appeal, f"{name}_id" if name in ("case", "review", "new_case") else name)
        for name in APPEAL_FIELDS
    }


def _validate(appeal: Appeal) -> None:
    """The rules a model constraint cannot state, each refusal naming its field."""
    today = clock.today()
    errors: dict[str, str] = {}
    for name in ("filed_on", "decided_on"):
        day = getattr(appeal, name)
        if day is not None and day > today:
            errors[name] = "日期不能晚于今天"
        elif day is not None and day < limits.EARLIEST_DATE:
            errors[name] = limits.EARLIEST_DATE_MESSAGE
    if appeal.decided_on and appeal.filed_on and appeal.decided_on < appeal.filed_on:
        errors["decided_on"] = "决定或裁判日期不能早于申请复议或起诉日期"
    if bool(appeal.result) != (appeal.decided_on is not None):
        errors["result" if not appeal.result else "decided_on"] = "结果和决定或裁判日期应同时填写"
    for name in ("case", "new_case", "review"):
        related = getattr(appeal, name)
        if related is not None and related.agency_id != appeal.agency_id:
            errors[name] = "应为本机关的记录"
    case = appeal.case
    if case is not None and appeal.filed_on and appeal.filed_on < case.received_on:
        errors["filed_on"] = "申请复议或起诉日期不能早于收到申请日期"
    _validate_review(appeal, errors)
    if appeal.orders_new_reply and appeal.result != AppealResult.CORRECTED:
        errors["orders_new_reply"] = "仅结果纠正的可以责令重新答复"
    if appeal.new_case is not None:
        if not appeal.orders_new_reply:
            errors["new_case"] = "责令重新答复的，才能关联重新答复的申请"
        elif appeal.new_case_id == appeal.case_id:
            errors["new_case"] = "重新答复应另行登记为新的申请"
        elif appeal.decided_on and appeal.new_case.received_on < appeal.decided_on:
            errors["new_case"] = "重新答复的申请应在决定或裁判之后登记"
    if errors:
        raise InvalidInput("；".join(errors.values()), fields=errors)


def _validate_review(appeal: Appeal, errors: dict[str, str]) -> None:
    review = appeal.review
    if appeal.kind != AppealKind.LITIGATION_AFTER_REVIEW:
        if review is not None:
            errors["review"] = "仅复议后起诉的需关联行政复议"
        return
    if review is None:
        errors["review"] = "复议后起诉的，请关联其所经的行政复议"
    elif review.kind != AppealKind.REVIEW or review.pk == appeal.pk:
        errors["review"] = "应关联一件行政复议"
    elif appeal.filed_on and appeal.filed_on < review.filed_on:
        errors["filed_on"] = "起诉日期不能早于申请复议日期"
    elif appeal.case_id is not None and review.case_id not in (None, appeal.case_id):
        errors["case"] = "应与所经行政复议涉及同一申请"


def _full_clean(appeal: Appeal) -> None:
    try:
        appeal.full_clean(exclude=["decision_document"])
    except ValidationError as err:
        fields = validation_error_fields(err)
        raise InvalidInput("；".join(str(v) for v in fields.values()), fields=fields) from None


def _ensure_open(appeal: Appeal, before: AppealEntry | None) -> None:
    years = appeal_changed_years(before, AppealEntry.of(appeal), until=clock.today().year + 1)
    ensure_years_open(agency_id=appeal.agency_id, years=years, what="行政复议、行政诉讼情况")


@transaction.atomic
def appeal_create(
    *,
    actor: User,
    agency: Agency,
    kind: str,
    filed_on: dt.date,
    body: str,
    number: str = "",
    case: Case | None = None,
    review: Appeal | None = None,
    result: str = "",
    decided_on: dt.date | None = None,
    orders_new_reply: bool = False,
    new_case: Case | None = None,
    note: str = "",
) -> Appeal:
    _check_access(actor, agency.pk)
    if case is None and review is not None and kind == AppealKind.LITIGATION_AFTER_REVIEW:
        case = review.case  # the lawsuit contests the reply the review was about
    appeal = Appeal(
        agency=agency,
        case=case,
        kind=kind,
        review=review,
        filed_on=filed_on,
        body=body.strip(),
        number=number.strip(),
        result=result,
        decided_on=decided_on,
        orders_new_reply=orders_new_reply,
        new_case=new_case,
        note=note.strip(),
        created_by=actor,
    )
    _validate(appeal)
    _full_clean(appeal)
    _ensure_open(appeal, None)
    appeal.save()
    AppealEvent.objects.create(appeal=appeal, actor=actor, action="create", data=_record(appeal))
    return appeal


def _lock(appeal: Appeal, version: int | None) -> Appeal:
    try:
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    except Appeal.DoesNotExist:
        raise NotFound("行政复议或行政诉讼记录不存在") from None
    if locked.version != appeal.version or (version is not None and locked.version != version):
        raise ConcurrentChange(
            "该记录已被他人修改，请刷新后重试", fields={"version": str(locked.version)}
        )
    return locked


@transaction.atomic
def appeal_update(
    *, appeal: Appeal, actor: User, version: int | None = None, **changes: Any
) -> Appeal:
    """Correct or complete an appeal (its result and decision date, most often)."""
    _check_access(actor, appeal.agency_id)
    unknown = set(changes) - set(APPEAL_FIELDS)
    if unknown:
        raise InvalidInput("不能修改这些字段", fields=dict.fromkeys(sorted(unknown), "不可修改"))
    appeal = _lock(appeal, version)
    before, old = AppealEntry.of(appeal), _record(appeal)
    for name, value in changes.items():
        setattr(appeal, name, value.strip() if isinstance(value, str) else value)
    _validate(appeal)
    _full_clean(appeal)
    _ensure_open(appeal, before)
    new = _record(appeal)
    diff = {name: {"from": old[name], "to": new[name]} for name in new if old[name] != new[name]}
    if diff:
        appeal.version += 1
        appeal.save()
        AppealEvent.objects.create(appeal=appeal, actor=actor, action="update", data=diff)
    return appeal


def _check_document(file: UploadedFile) -> str:
    name = (file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in DECISION_TYPES:
        allowed = "、".join(sorted({s.lstrip(".").upper() for s in DECISION_TYPES}))
        raise InvalidInput("文件类型不支持", fields={"file": f"请上传{allowed}文件"})
    if file.size is None or file.size > DECISION_MAX_BYTES:
        raise InvalidInput("文件过大", fields={"file": "文件不能超过20MB"})
    if file.size == 0:
        raise InvalidInput("文件为空", fields={"file": "文件为空"})
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(magic) for magic in DECISION_TYPES[suffix][1]):
        raise InvalidInput("文件内容与类型不符", fields={"file": f"不是有效的{suffix}文件"})
    return name[-200:]


@transaction.atomic
def appeal_attach_decision(
    *, appeal: Appeal, actor: User, file: UploadedFile, version: int | None = None
) -> Appeal:
    """Store the decision (or judgment) as a file; a new one replaces the previous one."""
    _check_access(actor, appeal.agency_id)
    name = _check_document(file)
    appeal = _lock(appeal, version)
    if not appeal.is_decided:
        raise TransitionRefused("请先登记结果和决定或裁判日期，再上传决定文书")
    previous = appeal.decision_document.name if appeal.decision_document else ""
    appeal.decision_document.save(name, file, save=False)
    appeal.decision_document_name = name
    appeal.version += 1
    appeal.save()
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor,
        action="decision_document",
        data={"name": name, "size": file.size, "replaces": previous},
    )
    if previous:
        storage = appeal.decision_document.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return appeal

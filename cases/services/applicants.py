"""The applicant's writes: linked (or created) at registration, details kept current, merged.

Every change writes an ``ApplicantEvent`` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from .. import permissions
from ..errors import InvalidInput, NotFound, NotPermitted
from ..identity import mask_id_number, normalise_id_number
from ..models import Agency, Applicant, ApplicantEvent, Case, User
from ..models.case_volume import VOLUME_WINDOW_DAYS

# What the applicant holds of a request's data: the latest request's.
DETAIL_FIELDS = (
    "applicant_type",
    "name",
    "contact_phone",
    "contact_email",
    "contact_address",
    "postal_code",
)
# The case's field for each of the applicant's.
CASE_FIELD = {"name": "applicant_name"}
IDENTITY_FIELDS = ("id_type", "id_number")


def _details(case: Case) -> dict[str, Any]:
    return {name: getattr(case, CASE_FIELD.get(name, name)) for name in DETAIL_FIELDS}


def _resolved(applicant: Applicant) -> Applicant:
    # A record merged into another leads there (a later request repeating the typo).
    seen = set()
    while applicant.merged_into_id is not None and applicant.pk not in seen:
        seen.add(applicant.pk)
        applicant = Applicant.objects.select_for_update().get(pk=applicant.merged_into_id)
    return applicant


def _find_or_create(
    *, agency: Agency, id_type: str, id_number: str, details: dict
) -> tuple[Applicant, bool]:
    for _attempt in range(2):
        found = (
            Applicant.objects.select_for_update()
            .filter(agency=agency, id_type=id_type, id_number=id_number)
            .first()
        )
        if found is not None:
            return _resolved(found), False
        try:
            with transaction.atomic():
                return (
                    Applicant.objects.create(
                        agency=agency, id_type=id_type, id_number=id_number, **details
                    ),
                    True,
                )
        except IntegrityError:  # a racing registration created it: read it again
            continue
    raise InvalidInput("申请人信息冲突，请重试")  # pragma: no cover


def applicant_link(*, case: Case, actor: User | None) -> Applicant:
    """The applicant of a case being registered or re-identified: found by agency and identity
    document, or created. A request with other details (a new address, a corrected name)
    updates the applicant, audited. Runs in the caller's transaction; ``case`` may be unsaved.
    """
    id_number = normalise_id_number(case.id_number)
    details = _details(case)
    applicant, created = _find_or_create(
        agency=case.agency, id_type=case.id_type, id_number=id_number, details=details
    )
    if created:
        _event(applicant, actor, "create", case, {"id_number": mask_id_number(id_number)})
        return applicant
    diff = {}
    for name, value in details.items():
        # A blank on a request (no e-mail given this time) does not erase what is known.
        if value and getattr(applicant, name) != value:
            diff[name] = {"from": getattr(applicant, name), "to": value}
            setattr(applicant, name, value)
    if diff:
        applicant.save()
        _event(applicant, actor, "update", case, diff)
    return applicant


def _event(
    applicant: Applicant,
    actor: User | None,
    action: str,
    case: Case | None,
    data: dict,
    note: str = "",
) -> None:
    if case is not None and not case.pk:
        # A case being registered has its reference but no row yet.
        data = {**data, "case": case.reference}
    ApplicantEvent.objects.create(
        applicant=applicant,
        actor=actor,
        action=action,
        case=case if case is not None and case.pk else None,
        data=data,
        note=note,
    )


def applicant_volume(*, applicant: Applicant, received_on: dt.date, exclude_case: int | None):
    """The applicant's requests received in the Art. 35 window ending on ``received_on``."""
    start = received_on - dt.timedelta(days=VOLUME_WINDOW_DAYS - 1)
    cases = Case.objects.filter(applicant=applicant, received_on__range=(start, received_on))
    if exclude_case is not None:
        cases = cases.exclude(pk=exclude_case)
    return cases.count()


@transaction.atomic
def applicant_merge(
    *, target: Applicant, duplicate_id: int, actor: User, reason: str = ""
) -> Applicant:
    """Merge a second record of the same person into ``target`` (an agency admin's work): the
    duplicate's requests move to the target, the duplicate stays as a pointer, both audited."""
    if not permissions.may_see(actor, target.agency_id):
        raise NotFound("申请人不存在或不属于您所在的机关")
    if not permissions.may_manage_agency(actor, target.agency_id):
        raise NotPermitted("只有机关管理员可以合并申请人")
    if not reason.strip():
        raise InvalidInput("请说明合并的理由", fields={"reason": "请说明合并的理由"})
    target = Applicant.objects.select_for_update().get(pk=target.pk)
    duplicate = (
        Applicant.objects.select_for_update().filter(pk=duplicate_id).first()
        if isinstance(duplicate_id, int) and duplicate_id > 0
        else None
    )
    if duplicate is None or not permissions.may_see(actor, duplicate.agency_id):
        raise InvalidInput("申请人不存在", fields={"duplicate": "申请人不存在或不属于您所在的机关"})
    if duplicate.agency_id != target.agency_id:
        raise InvalidInput(
            "不同机关的申请人不能合并",
            fields={"duplicate": "申请人按机关分别登记，不能跨机关合并"},
        )
    if duplicate.pk == target.pk:
        raise InvalidInput("不能与自身合并", fields={"duplicate": "请选择另一条申请人记录"})
    if target.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise InvalidInput("已合并的记录不能再合并", fields={"duplicate": "该记录已合并"})
    moved = list(
        Case.objects.filter(applicant=duplicate).order_by("id").values_list("id", "reference")
    )
    Case.objects.filter(applicant=duplicate).update(applicant=target)
    duplicate.merged_into = target
    duplicate.save(update_fields=["merged_into", "updated_at"])
    cases = [reference for _pk, reference in moved]
    _event(
        target,
        actor,
        "merge",
        None,
        {
            "duplicate": duplicate.pk,
            "duplicate_id_type": duplicate.id_type,
            "duplicate_id_number": mask_id_number(duplicate.id_number),
            "cases": cases,
        },
        note=reason,
    )
    _event(duplicate, actor, "merged", None, {"into": target.pk, "cases": cases}, note=reason)
    return target


@transaction.atomic
def agency_set_volume_threshold(*, agency: Agency, actor: User, volume_threshold: int) -> Agency:
    """Art. 35: each agency sets the number of requests in 30 days above which it is flagged."""
    if not permissions.may_see(actor, agency.pk):
        raise NotFound("机关不存在")
    if not permissions.may_manage_agency(actor, agency.pk):
        raise NotPermitted("只有机关管理员可以设置申请数量提示阈值")
    if isinstance(volume_threshold, bool) or not isinstance(volume_threshold, int):
        raise InvalidInput("阈值应为整数", fields={"volume_threshold": "阈值应为整数"})
    if not 1 <= volume_threshold <= 10_000:
        raise InvalidInput(
            "阈值应为1至10000之间的整数",
            fields={"volume_threshold": "阈值应为1至10000之间的整数"},
        )
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    agency.volume_threshold = volume_threshold
    agency.full_clean()
    agency.save(update_fields=["volume_threshold"])
    return agency

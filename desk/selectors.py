"""Reads of the desk: the queue's tabs, their counts and rows, each page in a fixed number of
queries whatever its size.

What is due next on a case, and so where it sorts:
- awaiting a correction: the applicant's correction period (Art. 30);
- awaiting a fee: the payment period (国办函〔2020〕109号);
- consulting: the other side's 15 working days (Art. 32, 34);
- registered, no correction asked for yet and the notice still possible: the correction notice
  (7 working days from receipt, Art. 30);
- any other open case: the reply (Art. 33).
The same rule is written twice, for the database (ordering and the due-soon tab, ``NEXT_DUE``)
and for one case (``next_due``); the tests hold them together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as When_
from django.db.models import Count, DateField, F, Q, QuerySet, When
from django.db.models.functions import Coalesce

from cases import clock
from cases.choices import OPEN_STATES, CaseState
from cases.deadlines import is_overdue
from cases.models import CASEWORK_ROLES, Case, Role, User
from cases.selectors import case_list, case_search_q
from cases.workdays import WorkCalendar

from . import extensions

# "Due soon": this many working days left, or fewer.
DUE_SOON_DAYS = 3
# "Recently concluded": answered (withdrawn, lapsed) within this many calendar days.
RECENT_DAYS = 30
PAGE_SIZE = 50
# A whole reference: <agency code>-<year>-<sequence> (cases.services.registration).
REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9_-]*-\d{4}-\d{5,}")
# Search results are counted up to this many (the count of a common phrase would read them all).
SEARCH_COUNT_CAP = 1000
# The search box looks into the request's text, and for identity and phone numbers, from this
# many characters on.
SEARCH_TEXT_MIN = 3

# The office acts on these; in the others it waits for the applicant or another side.
OFFICE_STATES = (CaseState.REGISTERED, CaseState.REVIEWED)
APPLICANT_STATES = (CaseState.AWAITING_CORRECTION, CaseState.AWAITING_FEE)
WAITING_STATES = (*APPLICANT_STATES, CaseState.CONSULTING)
CONCLUDED_STATES = (CaseState.ANSWERED, CaseState.ARCHIVED)

DUE_LABELS = {
    "reply": "答复期限",
    "correction_notice": "补正告知期限",
    "correction": "申请人补正期限",
    "fee": "缴费期限",
    "opinion": "征求意见期限",
}


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    counted: bool = True


TABS = (
    Tab("mine", "我的待办"),
    Tab("agency", "本机关在办"),
    Tab("due_soon", "即将到期"),
    Tab("overdue", "已逾期"),
    Tab("waiting", "等待申请人"),
    Tab("approval", "待我审批"),
    Tab("concluded", "近期办结"),
    Tab("all", "全部申请", counted=False),
)
TAB_KEYS = frozenset(tab.key for tab in TABS)


def tabs_for(user: User) -> list[Tab]:
    """The approval tab is the approvers' (the head of the office signs, Art. 33)."""
    shown = []
    for tab in TABS:
        if tab.key == "approval" and user.role != Role.APPROVER:
            continue
        if tab.key == "agency" and user.is_platform_admin:
            tab = Tab("agency", "全部机关在办")
        shown.append(tab)
    return shown


def next_due_expression(today: dt.date) -> When_:
    return When_(
        When(state=CaseState.AWAITING_CORRECTION, then=F("correction_due_on")),
        When(state=CaseState.AWAITING_FEE, then=F("fee_due_on")),
        When(state=CaseState.CONSULTING, then=Coalesce("opinion_due_on", "due_on")),
        When(
            state=CaseState.REGISTERED,
            correction_requested_on__isnull=True,
            correction_notice_due_on__gte=today,
            then=F("correction_notice_due_on"),
        ),
        When(state__in=OPEN_STATES, then=F("due_on")),
        default=None,
        output_field=DateField(),
    )


def next_due(case: Case, today: dt.date) -> tuple[str, dt.date | None] | None:
    """(kind, date) of what is due next on an open case; None for a concluded one."""
    if case.state == CaseState.AWAITING_CORRECTION:
        return "correction", case.correction_due_on
    if case.state == CaseState.AWAITING_FEE:
        return "fee", case.fee_due_on
    if case.state == CaseState.CONSULTING:
        if case.opinion_due_on is not None:
            return "opinion", case.opinion_due_on
        return "reply", case.due_on
    if (
        case.state == CaseState.REGISTERED
        and case.correction_requested_on is None
        and case.correction_notice_due_on is not None
        and case.correction_notice_due_on >= today
    ):
        return "correction_notice", case.correction_notice_due_on
    if case.is_open:
        return "reply", case.due_on
    return None


@dataclass(frozen=True)
class Context:
    user: User
    today: dt.date
    cal: WorkCalendar

    @property
    def due_soon_until(self) -> dt.date:
        return self.cal.add_working_days(self.today, DUE_SOON_DAYS)


def tab_q(key: str, ctx: Context) -> Q:
    user, today = ctx.user, ctx.today
    open_ = Q(state__in=OPEN_STATES)
    if key == "mine":
        mine = Q(assigned_handler=user) | Q(assigned_handler__isnull=True, created_by=user)
        return open_ & mine
    if key == "agency":
        return open_
    if key == "due_soon":
        return Q(state__in=OFFICE_STATES, next_due__gte=today, next_due__lte=ctx.due_soon_until)
    if key == "overdue":
        return open_ & Q(due_on__lt=today)
    if key == "waiting":
        return Q(state__in=APPLICANT_STATES)
    if key == "approval":
        return extensions.approval_q(user)
    if key == "concluded":
        return Q(state__in=CONCLUDED_STATES, answered_on__gte=today - dt.timedelta(RECENT_DAYS))
    if key == "all":
        return Q()
    raise ValueError(f"unknown tab {key!r}")


def _filtered(ctx: Context, filters: dict[str, Any]) -> QuerySet[Case]:
    cases = case_list(user=ctx.user).annotate(next_due=next_due_expression(ctx.today))
    if filters.get("state"):
        cases = cases.filter(state=filters["state"])
    if filters.get("outcome"):
        cases = cases.filter(outcome=filters["outcome"])
    if filters.get("applicant_type"):
        cases = cases.filter(applicant_type=filters["applicant_type"])
    if filters.get("received_from"):
        cases = cases.filter(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        cases = cases.filter(received_on__lte=filters["received_to"])
    if filters.get("handler"):
        cases = cases.filter(assigned_handler=filters["handler"])
    text = (filters.get("q") or "").strip()
    if REFERENCE.fullmatch(text.upper()):
        # A whole reference (FJRST-2026-00017): that case, through its unique index. Every
        # reference of a year shares most of its trigrams, which makes a phrase search slow.
        cases = cases.filter(reference=text.upper())
    elif len(text) >= SEARCH_TEXT_MIN:
        found = Q(reference__icontains=text) | Q(applicant_name__icontains=text)
        cases = cases.filter(found | case_search_q(text))
    elif text:
        # One or two characters (张伟): a name, matched whole through its index. No trigram
        # index serves so short a phrase, and a LIKE would read all of an agency's cases.
        cases = cases.filter(applicant_name=text)
    return cases


def tab_counts(ctx: Context, filters: dict[str, Any]) -> dict[str, int]:
    """Every counted tab's number under the filters: one query."""
    counted = [tab.key for tab in tabs_for(ctx.user) if tab.counted]
    conditions = {key: tab_q(key, ctx) for key in counted}
    # Only the cases some tab can count: the open ones, the recently concluded, those waiting
    # for approval; lets the database use its (agency, state) and (agency, answered_on) indexes.
    scope = Q(state__in=OPEN_STATES) | conditions.get("concluded", Q(pk__isnull=True))
    if "approval" in conditions:
        scope |= conditions["approval"]
    aggregates = {key: Count("pk", filter=q) for key, q in conditions.items()}
    return _filtered(ctx, filters).filter(scope).aggregate(**aggregates)


def tab_cases(ctx: Context, key: str, filters: dict[str, Any]) -> QuerySet[Case]:
    cases = _filtered(ctx, filters).filter(tab_q(key, ctx))
    if key == "concluded":
        return cases.order_by("-answered_on", "-pk")
    if key == "all":
        return cases.order_by("-received_on", "-pk")
    return cases.order_by(F("next_due").asc(nulls_last=True), "received_on", "pk")


@dataclass(frozen=True)
class Row:
    case: Case
    due_label: str
    due_on: dt.date | None
    days_left: int | None
    tone: str  # "overdue", "soon", "waiting" or ""
    status: str  # what the colour means, in words


def _tone(case: Case, kind: str | None, days_left: int | None, today: dt.date):
    if is_overdue(case, today=today):
        return "overdue", "已逾期"
    if case.state in WAITING_STATES:
        if days_left is not None and days_left < 0:
            return "soon", "期限已届满，待处理"
        waiting = "等待意见" if case.state == CaseState.CONSULTING else "等待申请人"
        return "waiting", waiting
    if days_left is not None and days_left <= DUE_SOON_DAYS:
        if days_left < 0:  # a correction notice that can no longer be sent on time
            return "soon", "已过期限"
        return "soon", "今日到期" if days_left == 0 else "即将到期"
    return "", ""


def working_days_left_many(
    dues: list[dt.date], *, today: dt.date, cal: WorkCalendar
) -> dict[dt.date, int]:
    """cases.deadlines.working_days_left for many due dates, walking the calendar once: a page
    of the queue may hold cases overdue for years, which one by one cost a walk each."""
    if not dues:
        return {}
    first, last = min(*dues, today), max(*dues, today)
    counted, day, n = {first: 0}, first, 0  # working days after ``first`` up to each day
    while day < last:
        day += dt.timedelta(days=1)
        n += cal.is_working_day(day)
        counted[day] = n
    return {
        due: counted[due] - counted[today]
        if today <= due
        else -max(1, counted[today] - counted[due])
        for due in dues
    }


def rows(cases, ctx: Context) -> list[Row]:
    """The queue's rows: what is due next on each case, in how many working days, and its
    colour."""
    cases = list(cases)
    dues = {case.pk: next_due(case, ctx.today) for case in cases}
    left = working_days_left_many(
        [due[1] for due in dues.values() if due is not None and due[1] is not None],
        today=ctx.today,
        cal=ctx.cal,
    )
    result = []
    for case in cases:
        due = dues[case.pk]
        if due is None:
            result.append(Row(case, "办结日期", case.answered_on, None, "", "已办结"))
            continue
        kind, due_on = due
        days_left = left.get(due_on) if due_on is not None else None
        tone, status = _tone(case, kind, days_left, ctx.today)
        result.append(Row(case, DUE_LABELS[kind], due_on, days_left, tone, status))
    return result


def handler_choices(user: User) -> QuerySet[User]:
    """Who may be filtered on as handler: the case workers the user can see."""
    users = User.objects.filter(is_active=True, role__in=CASEWORK_ROLES)
    if not user.is_platform_admin:
        users = users.filter(agency_id=user.agency_id)
    return users.select_related("agency").order_by("agency_id", "last_name", "first_name")


def context_for(user: User, cal: WorkCalendar) -> Context:
    return Context(user=user, today=clock.today(), cal=cal)

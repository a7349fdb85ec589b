"""The working-day calendar's services and the recompute of open deadlines."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import models, transaction
from django.utils import timezone

from .. import hooks
from ..calendar import work_calendar
from ..errors import (
    NotPermitted,
)
from ..models import (
    OPEN_STATES,
    CalendarChange,
    CalendarDay,
    CalendarYear,
    Case,
    CaseEvent,
    Consultation,
    DayKind,
    User,
)
from .base import (
    CLOCK_INPUT_FIELDS,
    CONSULTATION_FACTS,
    DEADLINE_FIELDS,
    _apply_deadlines,
    _full_clean,
    _invalid,
)

log = logging.getLogger(__name__)


# The working-day calendar
#
# The State Council's holiday notice is national, so one calendar serves every agency and only
# platform admins change it. Every change writes a CalendarChange in its own transaction (the
# outbox of the recompute it needs); the recompute is queued once committed and, should the
# broker be down, picked up by the periodic job instead.


def _check_calendar_admin(actor: User) -> None:
    if not actor.is_platform_admin:
        raise NotPermitted("节假日安排全国统一（国务院通知），由平台管理员维护")


def _record_calendar_change(*, actor: User | None, years, description: str) -> CalendarChange:
    change = CalendarChange.objects.create(
        actor=actor, years=sorted(set(years)), description=description[:300]
    )
    transaction.on_commit(lambda: hooks.calendar_changed(change.pk))
    return change


def _save_calendar_entry(*, actor: User, entry, year_of, description: str):
    """Save a CalendarDay or CalendarYear and record the change for every year it touches."""
    _check_calendar_admin(actor)
    _full_clean(entry)
    years = {year_of(entry)}
    if entry.pk is not None:
        before = type(entry).objects.select_for_update().filter(pk=entry.pk).first()
        if before is not None:
            years.add(year_of(before))
    entry.save()
    _record_calendar_change(actor=actor, years=years, description=f"{description}：{entry}")
    return entry


@transaction.atomic
def calendar_day_save(*, actor: User, day: CalendarDay) -> CalendarDay:
    """Add or change a holiday or an adjusted working day (调休)."""
    return _save_calendar_entry(
        actor=actor, entry=day, year_of=lambda d: d.date.year, description="修改节假日安排"
    )


@transaction.atomic
def calendar_day_delete(*, actor: User, days) -> int:
    _check_calendar_admin(actor)
    days = list(days)
    if not days:
        return 0
    years = {day.date.year for day in days}
    CalendarDay.objects.filter(pk__in=[day.pk for day in days]).delete()
    listed = "、".join(f"{day.date:%Y-%m-%d}" for day in days[:10])
    more = f"等{len(days)}天" if len(days) > 10 else ""
    _record_calendar_change(actor=actor, years=years, description=f"删除节假日安排：{listed}{more}")
    return len(days)


def calendar_notice_missing(year: int) -> str | None:
    """What is missing before a year's notice can be marked loaded, or None.

    A State Council notice always has holidays and adjusted working days: a year with none of
    either entered is an unfinished entry, and marking it loaded would fix wrong deadlines.
    """
    kinds = set(CalendarDay.objects.filter(date__year=year).values_list("kind", flat=True))
    missing = [str(label) for kind, label in DayKind.choices if kind not in kinds]
    if missing:
        return f"尚未录入{year}年的{'和'.join(missing)}日期，请先录入国务院通知的全部安排"
    return None


def _check_notice_entered(year: int) -> None:
    if message := calendar_notice_missing(year):
        raise _invalid({"year": message})


@transaction.atomic
def calendar_year_save(*, actor: User, year: CalendarYear) -> CalendarYear:
    """Mark a year's notice as entered in full: its deadlines stop being provisional."""
    _check_calendar_admin(actor)
    _check_notice_entered(year.year)
    return _save_calendar_entry(
        actor=actor, entry=year, year_of=lambda y: y.year, description="录入节假日安排年度"
    )


@transaction.atomic
def calendar_year_delete(*, actor: User, years) -> int:
    _check_calendar_admin(actor)
    years = list(years)
    if not years:
        return 0
    CalendarYear.objects.filter(pk__in=[y.pk for y in years]).delete()
    numbers = sorted(y.year for y in years)
    _record_calendar_change(
        actor=actor,
        years=numbers,
        description="删除节假日安排年度：" + "、".join(str(n) for n in numbers),
    )
    return len(years)


def calendar_load_from_package(*, seed) -> tuple[list[int], int]:
    """Load the notices the chinesecalendar package knows and the database lacks (a system
    action, no actor), record the change and recompute at once. Returns (years, cases changed).
    """
    with transaction.atomic():
        years = seed(CalendarYear, CalendarDay)
        if not years:
            return [], 0
        listed = "、".join(str(y) for y in years)
        change = CalendarChange.objects.create(
            actor=None, years=years, description=f"录入{listed}年国务院节假日安排"
        )
    return years, calendar_change_process(change_id=change.pk) or 0


def calendar_change_process(*, change_id: int) -> int | None:
    """Recompute the open cases a recorded change may affect; mark it done. Idempotent.

    Returns how many cases' due dates changed, or None when it was already done.
    """
    change = CalendarChange.objects.filter(pk=change_id).first()
    if change is None or change.processed_at is not None:
        return None
    CalendarChange.objects.filter(pk=change_id).update(attempts=models.F("attempts") + 1)
    try:
        changed = recompute_open_deadlines(
            years=change.years, reason=f"{change.description}（变更记录{change.pk}）"
        )
    except Exception as err:
        CalendarChange.objects.filter(pk=change_id).update(last_error=repr(err)[:2000])
        raise
    CalendarChange.objects.filter(pk=change_id, processed_at__isnull=True).update(
        processed_at=timezone.now(), cases_changed=changed, last_error=""
    )
    return changed


def calendar_changes_pending():
    return CalendarChange.objects.filter(processed_at__isnull=True).order_by("pk")


def open_cases_touching(years: list[int]):
    """Open cases whose counting window may reach into these years."""
    first_day = dt.date(min(years), 1, 1)
    return Case.objects.filter(state__in=OPEN_STATES).filter(
        models.Q(due_on__isnull=True) | models.Q(due_on__gte=first_day)
    )


# Cases per transaction when recomputing: each batch is locked, recomputed and written in a
# few statements, and holds its row locks for a fraction of a second.
RECOMPUTE_BATCH = 500
# What the clock reads of a case, and what it writes.
_CLOCK_FIELDS = (*CLOCK_INPUT_FIELDS, *DEADLINE_FIELDS)


def _recompute_batch(batch_qs, *, reason: str, cal, dry_run: bool = False) -> int:
    """Lock a batch of cases, recompute their due dates, write the changed ones back in one
    UPDATE and their audit rows in one INSERT. Returns how many cases changed."""
    with transaction.atomic():
        batch = batch_qs.only(*_CLOCK_FIELDS).order_by("pk")
        cases = list(batch if dry_run else batch.select_for_update())
        rounds = defaultdict(list)
        for case_id, *facts in (
            Consultation.objects.filter(case_id__in=[case.pk for case in cases])
            .order_by("case_id", "round")
            .values_list("case_id", *CONSULTATION_FACTS)
        ):
            rounds[case_id].append(facts)
        changed, fields, events = [], set(), []
        for case in cases:
            diff = _apply_deadlines(case, cal, rounds.get(case.pk, []))
            if not diff:
                continue
            changed.append(case)
            fields.update(diff)
            events.append(
                CaseEvent(
                    case=case,
                    actor=None,
                    action="recompute_deadlines",
                    from_state=case.state,
                    to_state=case.state,
                    data=diff,
                    note=reason,
                )
            )
        if changed and not dry_run:
            # Only the due dates: no version bump, as the one-case recompute never bumped it.
            Case.objects.bulk_update(changed, sorted(fields))
            CaseEvent.objects.bulk_create(events)
    return len(changed)


def _recompute(cases_qs, *, reason: str, dry_run: bool = False) -> int:
    """Recompute the cases of ``cases_qs`` batch by batch. Their ids are listed first, through
    the index on (state, due_on); each batch is then read again under lock with the same
    conditions, so a case closed meanwhile is left alone."""
    cal = work_calendar()
    ids = list(cases_qs.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        batch = cases_qs.filter(pk__in=ids[start : start + RECOMPUTE_BATCH])
        changed += _recompute_batch(batch, reason=reason, cal=cal, dry_run=dry_run)
    return changed


def recompute_open_deadlines(*, years: list[int], reason: str) -> int:
    """Recompute the due dates of the open cases a calendar change may affect, in batches
    (lock, recompute, one UPDATE, one INSERT of audit rows each); returns how many changed."""
    return _recompute(open_cases_touching(years), reason=reason)


REPAIR_REASON = "定期核对：期限与节假日安排不一致"


def repair_open_deadlines(*, dry_run: bool = False) -> int:
    """Find every open case whose stored due dates disagree with today's calendar; fix them.

    The safety net behind the outbox: whatever went wrong (a lost task, a hand edit of the
    database), the stored dates that reminders and the overdue filters read are made right.
    Returns how many cases were (or, in a dry run, would be) fixed.
    """
    fixed = _recompute(
        Case.objects.filter(state__in=OPEN_STATES), reason=REPAIR_REASON, dry_run=dry_run
    )
    if fixed:
        log.warning("Deadline repair: %d open case(s) had stale due dates", fixed)
    return fixed

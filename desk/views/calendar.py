"""The working-day calendar: a year at a glance (holidays, 调休 working days, provisional years),
the years whose State Council notice is loaded, the open cases whose deadlines are provisional,
and the platform admin's forms to enter a notice (cases.services.calendar_*; the open cases'
deadlines are then recomputed, as from the admin)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import clock, permissions, services
from cases.action_forms import refusal_to_form
from cases.calendar import work_calendar
from cases.calendar_seed import notice_for
from cases.choices import OPEN_STATES, DayKind
from cases.errors import ApplicationError
from cases.models import CalendarDay, CalendarYear
from cases.selectors import case_list
from cases.workdays import WorkCalendar

from ..forms import CalendarDayForm, CalendarYearForm
from .common import desk_view

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
PROVISIONAL_SHOWN = 50
_PROVISIONAL = (
    Q(due_on_provisional=True)
    | Q(correction_notice_due_on_provisional=True)
    | Q(correction_due_on_provisional=True)
    | Q(opinion_due_on_provisional=True)
    | Q(fee_due_on_provisional=True)
)


def _day(cal: WorkCalendar, day: dt.date, month: int, today: dt.date, entered: dict) -> dict:
    if day.month != month:
        return {"date": None}
    pending = ""
    if not cal.is_loaded(day) and day in entered:
        # Entered for a year not yet confirmed: shown as entered, counted once confirmed.
        kind, name = entered[day]
        working, adjusted = kind == DayKind.WORKDAY, kind == DayKind.WORKDAY
        holiday = None if working else name or "放假"
        pending = "（已录入，待确认该年度）"
    else:
        working = cal.is_working_day(day)
        adjusted = cal.is_loaded(day) and day in cal.workdays
        holiday = None if working else cal.holiday_name(day)
    classes = ["work" if working else "rest"]
    if holiday:
        classes.append("holiday")
    if adjusted:
        classes.append("adjusted")
    if day == today:
        classes.append("today")
    title = (entered.get(day, ("", ""))[1] or cal.workdays.get(day, "")) if adjusted else holiday
    return {
        "date": day,
        "classes": " ".join(classes),
        "mark": "班" if adjusted else ("休" if holiday else ""),
        "title": f"{title or ''}{pending}",
    }


def year_view(cal: WorkCalendar, year: int, today: dt.date, days) -> list[dict]:
    entered = {day.date: (day.kind, day.name) for day in days}
    months = []
    grid = pycalendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = [
            [_day(cal, day, month, today, entered) for day in week]
            for week in grid.monthdatescalendar(year, month)
        ]
        months.append({"number": month, "weeks": weeks})
    return months


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    return min(max(year, 2004), 2100)


def _page(request, *, year: int, day_form=None, year_form=None, status: int = 200):
    user = request.user
    cal = work_calendar()
    today = clock.today()
    provisional = (
        case_list(user=user).filter(state__in=OPEN_STATES).filter(_PROVISIONAL).order_by("due_on")
    )
    may_edit = permissions.is_platform_admin(user)
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    context = {
        "year": year,
        "months": year_view(cal, year, today, days),
        "weekdays": WEEKDAYS,
        "loaded": year in cal.loaded_years,
        "years": CalendarYear.objects.order_by("-year"),
        "days": days,
        "provisional": provisional[:PROVISIONAL_SHOWN],
        "provisional_count": provisional.count(),
        "pending": services.calendar_changes_pending().count(),
        "may_edit": may_edit,
        "missing": services.calendar_notice_missing(year) if may_edit else None,
        "day_form": day_form
        or CalendarDayForm(initial={"source": notice_for(year), "kind": DayKind.HOLIDAY}),
        "year_form": year_form
        or CalendarYearForm(initial={"year": year, "notice": notice_for(year)}),
    }
    return render(request, "desk/calendar.html", context, status=status)


@desk_view
def calendar_page(request):
    return _page(request, year=_year(request))


def _platform_admin(request) -> None:
    if not permissions.is_platform_admin(request.user):
        raise PermissionDenied


def _back(year: int):
    return redirect(f"{reverse('desk:calendar')}?year={year}")


@desk_view
@require_POST
def calendar_day_save(request):
    """Enter (or correct) one day of the notice."""
    _platform_admin(request)
    form = CalendarDayForm(request.POST)
    year = _year(request)
    if form.is_valid():
        data = form.cleaned_data
        year = data["date"].year
        day = CalendarDay.objects.filter(date=data["date"]).first() or CalendarDay()
        for name in ("date", "kind", "name", "source"):
            setattr(day, name, data[name])
        try:
            services.calendar_day_save(actor=request.user, day=day)
        except ApplicationError as err:
            refusal_to_form(form, err)
        else:
            messages.success(request, f"已保存：{day}")
            return _back(year)
    return _page(request, year=year, day_form=form)


@desk_view
@require_POST
def calendar_day_delete(request, pk: int):
    _platform_admin(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    services.calendar_day_delete(actor=request.user, days=[day])
    messages.success(request, f"已删除：{day}")
    return _back(day.date.year)


@desk_view
@require_POST
def calendar_year_save(request):
    """Mark a year's notice as entered in full: its deadlines stop being provisional, and the
    open cases' deadlines are recomputed."""
    _platform_admin(request)
    form = CalendarYearForm(request.POST)
    year = _year(request)
    if form.is_valid():
        year = form.cleaned_data["year"]
        entry = CalendarYear(year=year, notice=form.cleaned_data["notice"])
        try:
            services.calendar_year_save(actor=request.user, year=entry)
        except ApplicationError as err:
            refusal_to_form(form, err)
        else:
            messages.success(
                request, f"已录入{year}年节假日安排；在办申请的期限将按新安排重新计算。"
            )
            return _back(year)
    return _page(request, year=year, year_form=form)

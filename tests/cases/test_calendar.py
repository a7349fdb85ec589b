"""The working-day calendar: seeded data, unloaded years, and recomputation when it changes."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cases import calendar_seed
from cases.calendar import work_calendar
from cases.deadlines import CaseFacts, compute_deadlines
from cases.models import CalendarDay, CalendarYear, CaseEvent
from cases.workdays import WorkCalendar

from ..factories import register_case

D = dt.date
NEAR_YEAR_END = dt.datetime(2026, 12, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.mark.django_db
def test_seeded_calendar_agrees_with_the_holidays_package():
    import holidays

    cal = work_calendar()
    assert set(range(2004, 2027)) <= cal.loaded_years
    reference = holidays.China(years=range(2004, 2027))
    disagreements = []
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        if cal.is_working_day(day) != reference.is_working_day(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []
    # chinesecalendar alone misses this working Saturday; the seed corrects it.
    assert CalendarDay.objects.get(date=D(2005, 12, 31)).kind == "workday"


@pytest.mark.django_db
def test_unloaded_year_gives_provisional_dates_until_it_is_loaded(
    api, handler, platform_admin, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert not CalendarYear.objects.filter(year=2027).exists()
    with mock.patch.object(timezone, "now", return_value=NEAR_YEAR_END):
        # 2026-12-10 (Thu): 11 Dec (1), 14-18 (6), 21-25 (11), 28-31 (15), 1 Jan 2027
        # (statutory New Year, from the holidays package) off, 4-8 Jan (20).
        case = register_case(actor=handler, received_on=D(2026, 12, 10))
        assert (case.due_on, case.due_on_provisional) == (D(2027, 1, 8), True)
        body = api(handler).get(f"/api/cases/{case.pk}/deadline/").json()
        assert body["provisional_years"] == [2027]
        assert any("暂定" in line for line in body["explanation"])
        # 2026-12-11 (Fri): 14-18 (5), 21-25 (10), 28-31 (14), 4-8 Jan (19), 11 Jan (20).
        other = register_case(actor=handler, received_on=D(2026, 12, 11))
        assert other.due_on == D(2027, 1, 11)

        admin = Client()
        admin.force_login(platform_admin)
        # The office enters the notice's days (this notice is invented for the test: 1 and 4 Jan
        # off). Until the year itself is marked loaded, the provisional rule still applies.
        for day in ("2027-01-01", "2027-01-04"):
            with django_capture_on_commit_callbacks(execute=True):
                added = admin.post(
                    "/admin/cases/calendarday/add/",
                    {"date": day, "kind": "holiday", "name": "元旦", "source": "测试通知"},
                )
            assert added.status_code == 302
        case.refresh_from_db()
        assert (case.due_on, case.due_on_provisional) == (D(2027, 1, 8), True)

        # A notice always has adjusted working days too: the year is refused until one is in.
        refused = admin.post(
            "/admin/cases/calendaryear/add/",
            {"year": "2027", "notice": "国务院办公厅关于2027年部分节假日安排的通知"},
        )
        assert refused.status_code == 200
        assert "尚未录入2027年的调休上班日期" in refused.content.decode()
        assert not CalendarYear.objects.filter(year=2027).exists()
        with django_capture_on_commit_callbacks(execute=True):
            admin.post(  # a working Saturday after both cases' windows
                "/admin/cases/calendarday/add/",
                {"date": "2027-02-20", "kind": "workday", "name": "春节", "source": "测试通知"},
            )

        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post(
                "/admin/cases/calendaryear/add/",
                {"year": "2027", "notice": "国务院办公厅关于2027年部分节假日安排的通知"},
            )
        assert response.status_code == 302
    case.refresh_from_db()
    assert (case.due_on, case.due_on_provisional) == (D(2027, 1, 11), False)
    event = CaseEvent.objects.filter(case=case, action="recompute_deadlines").get()
    assert event.data["due_on"] == {"from": "2027-01-08", "to": "2027-01-11"}
    assert event.data["due_on_provisional"] == {"from": True, "to": False}
    assert "节假日安排" in event.note
    other.refresh_from_db()
    assert (other.due_on, other.due_on_provisional) == (D(2027, 1, 12), False)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["handler", "agency_admin"])
def test_only_platform_admins_edit_the_national_calendar(role, request):
    # The State Council's notice is national: an agency admin of A must not move B's deadlines.
    client = Client()
    client.force_login(request.getfixturevalue(role))
    assert client.get("/admin/cases/calendarday/").status_code == 200
    response = client.post(
        "/admin/cases/calendarday/add/",
        {"date": "2027-01-04", "kind": "holiday", "name": "x", "source": "x"},
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date="2027-01-04").exists()


@pytest.mark.django_db
def test_load_holiday_calendar_reloads_a_missing_year_and_recomputes(handler):
    case = register_case(actor=handler, received_on=D(2026, 9, 25))
    due = case.due_on
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    out = io.StringIO()
    call_command("load_holiday_calendar", stdout=out)
    assert "2026" in out.getvalue()
    case.refresh_from_db()
    assert case.due_on == due and not case.due_on_provisional
    assert CaseEvent.objects.filter(case=case, action="recompute_deadlines").count() == 0
    again = io.StringIO()
    call_command("load_holiday_calendar", stdout=again)
    assert "无需更新" in again.getvalue()


# Properties, on the package's calendar without the database.

ENTRIES = calendar_seed.package_entries(range(2004, 2027))
CAL = WorkCalendar(
    holidays={d: n for d, (k, n, _) in ENTRIES.items() if k == "holiday"},
    workdays={d: n for d, (k, n, _) in ENTRIES.items() if k == "workday"},
    loaded_years=frozenset(range(2004, 2027)),
)
dates = st.dates(min_value=D(2019, 5, 15), max_value=D(2026, 6, 30))


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_a_period_always_ends_on_a_working_day(start, days):
    end = CAL.add_working_days(start, days)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == days


@settings(max_examples=300, deadline=None)
@given(first=dates, gap=st.integers(min_value=0, max_value=40))
def test_a_later_receipt_never_gives_an_earlier_due_date(first, gap):
    later = first + dt.timedelta(days=gap)
    early_due = compute_deadlines(CaseFacts(received_on=first), CAL).due_on
    late_due = compute_deadlines(CaseFacts(received_on=later), CAL).due_on
    assert late_due >= early_due


@settings(max_examples=300, deadline=None)
@given(
    received=dates,
    sent_after=st.integers(min_value=0, max_value=20),
    length=st.integers(min_value=0, max_value=30),
)
def test_a_pause_of_k_working_days_moves_the_due_date_by_exactly_k(received, sent_after, length):
    sent = received + dt.timedelta(days=sent_after)
    opinion = sent + dt.timedelta(days=length)
    plain = compute_deadlines(CaseFacts(received_on=received), CAL)
    paused = compute_deadlines(
        CaseFacts(received_on=received, consultations=((sent, opinion),)), CAL
    )
    # The time not counted ends at the opinion or at the end of the 15 working days the other
    # side has (Art. 32, 34), whichever comes first.
    k = paused.pauses[0].working_days
    assert k == CAL.working_days_between(sent, min(opinion, CAL.add_working_days(sent, 15)))
    assert CAL.working_days_between(plain.due_on, paused.due_on) == k

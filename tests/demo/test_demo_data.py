"""The demo data command: one agency, one user per role, cases in every state, stable logins."""

import datetime as dt
import io
import re
import stat
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from cases import clock, vocabulary
from cases.calendar import work_calendar
from cases.deadlines import is_overdue, working_days_left
from cases.models import Agency, Case, CaseEvent, CaseState, ReminderLevel, Role, User
from cases.reminders import due_reminders

pytestmark = pytest.mark.django_db

EXPECTED_USERS = {
    "registrar": Role.REGISTRAR,
    "handler": Role.HANDLER,
    "approver": Role.APPROVER,
    "agencyadmin": Role.AGENCY_ADMIN,
}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    # Hashing five passwords with the production hasher would take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    usernames = ["admin", *EXPECTED_USERS]
    found = {
        name: match.group(1)
        for name in usernames
        if (match := re.search(rf"^{name}\s+(\S+)", output, re.MULTILINE))
    }
    assert set(found) == set(usernames), output
    return found


def test_loads_agency_users_and_cases_in_every_state(tmp_path):
    output = load()

    agency = Agency.objects.get(code="FJRST")
    assert agency.name == "福建省人力资源和社会保障厅"
    assert agency.email == "xxgk@rst.fujian.example.cn"

    for username, role in EXPECTED_USERS.items():
        user = User.objects.get(username=username)
        assert (user.agency, user.role, user.is_staff, user.is_superuser) == (
            agency,
            role,
            True,
            False,
        )
        assert user.first_name and user.last_name
    admin = User.objects.get(username="admin")
    assert (admin.agency, admin.role, admin.is_staff, admin.is_superuser) == (None, "", True, True)
    assert User.objects.count() == 5

    cases = Case.objects.filter(agency=agency)
    assert cases.count() >= 30
    assert set(cases.values_list("state", flat=True)) == set(CaseState) - {CaseState.NEW}
    applicant_types = {key for key, _ in vocabulary.APPLICANT_TYPE_CHOICES}
    assert set(cases.values_list("applicant_type", flat=True)) == applicant_types
    outcomes = set(cases.exclude(outcome="").values_list("outcome", flat=True))
    assert {
        vocabulary.WITHDRAWN,
        vocabulary.NO_CORRECTION,
        vocabulary.FEE_UNPAID,
        vocabulary.PARTIALLY_DISCLOSED,
    } <= outcomes
    assert any(outcome.startswith("withheld_") for outcome in outcomes)
    for case in cases:
        assert case.events.filter(action="register").count() == 1
    assert CaseEvent.objects.filter(case__agency=agency, action="extend").exists()

    credentials = tmp_path / "demo-credentials.txt"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    passwords = printed_passwords(output)
    assert printed_passwords(credentials.read_text(encoding="utf-8")) == passwords
    for username, password in passwords.items():
        assert authenticate(username=username, password=password) == User.objects.get(
            username=username
        )


def test_dates_are_in_order_and_never_in_the_future():
    load()
    today = clock.today()
    for case in Case.objects.all():
        dates = [d for f in Case.STEP_DATE_FIELDS if (d := getattr(case, f)) is not None]
        assert max(dates) <= today
        assert min(dates) == case.received_on
        events = list(case.events.exclude(on=None).values_list("on", flat=True))
        assert events == sorted(events)


def test_second_run_creates_nothing_and_prints_the_same_credentials():
    first = printed_passwords(load())
    cases, users, events = Case.objects.count(), User.objects.count(), CaseEvent.objects.count()

    second = load()

    assert printed_passwords(second) == first
    assert (Case.objects.count(), User.objects.count(), CaseEvent.objects.count()) == (
        cases,
        users,
        events,
    )


def test_lost_credentials_file_resets_the_passwords(tmp_path):
    old = printed_passwords(load())
    (tmp_path / "demo-credentials.txt").unlink()

    new = printed_passwords(load())

    assert new.keys() == old.keys()
    assert all(new[name] != old[name] for name in new)
    for username, password in new.items():
        assert authenticate(username=username, password=password) is not None
    assert (tmp_path / "demo-credentials.txt").exists()


# The demo counts back from the day it is loaded, in working days: whatever that day, the clerk
# sees overdue cases, cases due within 3 working days and every waiting period that ran out.
SHANGHAI_10AM = dt.time(2, 0, tzinfo=dt.UTC)
LOAD_DAYS = [
    pytest.param(dt.date(2026, 3, 11), id="a-wednesday"),
    pytest.param(dt.date(2026, 10, 4), id="a-sunday-in-the-national-day-holiday"),
    pytest.param(dt.date(2027, 1, 5), id="early-january-of-a-year-without-its-notice"),
]
URGENCIES = {
    ReminderLevel.REPLY_OVERDUE,
    ReminderLevel.REPLY_1,
    ReminderLevel.REPLY_3,
    ReminderLevel.REPLY_5,
    ReminderLevel.CORRECTION_NOTICE_TOMORROW,
    ReminderLevel.CORRECTION_PERIOD_ENDED,
    ReminderLevel.FEE_PERIOD_ENDED,
    ReminderLevel.OPINION_PERIOD_ENDED,
}


@pytest.mark.parametrize("day", LOAD_DAYS)
def test_every_state_and_urgency_is_there_whatever_the_day(day):
    with mock.patch.object(timezone, "now", return_value=dt.datetime.combine(day, SHANGHAI_10AM)):
        load()
        today = clock.today()
        assert today == day
        cal = work_calendar()
        demo = Case.objects.filter(received_on__gt=today - dt.timedelta(days=120))
        assert demo.count() >= 39
        assert set(demo.values_list("state", flat=True)) == set(CaseState) - {CaseState.NEW}

        open_cases = [case for case in demo if case.is_open]
        overdue = [case for case in open_cases if is_overdue(case, today=today)]
        assert {case.state for case in overdue} >= {CaseState.REVIEWED}
        left = {
            case.reference: working_days_left(case.due_on, today=today, cal=cal)
            for case in open_cases
            if case.due_on and not is_overdue(case, today=today)
        }
        assert len([ref for ref, days in left.items() if days <= 3]) >= 2, left

        levels = {reminder.level for reminder in due_reminders(today=today, cal=cal)}
        expected = set(URGENCIES)
        if cal.is_working_day(today):
            expected.add(ReminderLevel.REPLY_DUE_TODAY)  # on a rest day it is overdue
        assert levels >= expected, expected - levels

        # The clerks worked on working days, never after today, and nothing was answered late.
        for case in demo:
            days = list(case.events.exclude(on=None).values_list("on", flat=True))
            assert all(cal.is_working_day(d) and d <= today for d in days), case.reference
            assert not case.answered_late, case.reference


def test_the_historical_cases_stay_those_of_the_published_reports():
    # The demo's recent cases never reach into 2018-2020, the seed cases' years.
    with mock.patch.object(
        timezone, "now", return_value=dt.datetime.combine(dt.date(2026, 3, 11), SHANGHAI_10AM)
    ):
        load()
    assert Case.objects.filter(received_on__year__in=(2018, 2019, 2020)).count() == 121


def test_no_credentials_option_prints_the_summary_but_not_the_accounts(tmp_path):
    output = load("--no-credentials")
    assert "共" in output and "已答复" in output
    assert "agencyadmin" not in output
    assert (tmp_path / "demo-credentials.txt").exists()  # make run prints them later

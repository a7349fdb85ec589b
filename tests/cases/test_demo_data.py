"""The demo data command: one agency, one user per role, cases in every state, stable logins."""

import io
import re
import stat

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from cases import clock, vocabulary
from cases.models import Agency, Case, CaseEvent, CaseState, Role, User

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


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
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

"""What keeps a million cases interactive, held at a small scale: the list, the search, the
reminder run and the recompute after a calendar change cost the same number of queries for N
and for 3N cases; the list's count is capped and says so; registration is a handful of
statements; the calendar is cached and still sees every change."""

import datetime as dt
import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.calendar import work_calendar
from cases.models import CalendarChange, CalendarDay, Case, CaseEvent, ReminderSent
from cases.pagination import CappedCountPagination

from ..factories import UserFactory, register_case
from ..smtp import text_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

D = dt.date
# A Wednesday on which every case below needs a reminder: overdue, due in 3 working days, or
# waiting for a correction whose period has run out.
RUN_DAY = D(2024, 3, 20)


def statements(ctx) -> list[str]:
    """The statements a request ran, leaving out the savepoints of the test's transaction."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def add_cases(handler, approver, n: int) -> None:
    """n cases per kind: overdue, soon due, correction period over, and answered."""
    for i in range(n):
        overdue = register_case(
            actor=handler, received_on=D(2024, 2, 1), applicant_name=f"林建国{i}"
        )
        services.case_review(case=overdue, actor=handler, on=D(2024, 2, 1))
        soon = register_case(actor=handler, received_on=D(2024, 2, 26), applicant_name=f"陈{i}")
        services.case_review(case=soon, actor=approver, on=D(2024, 2, 26))
        waiting = register_case(actor=handler, received_on=D(2024, 2, 1))
        services.case_request_correction(
            case=waiting, actor=handler, items="补正", period_days=5, on=D(2024, 2, 2)
        )
        done = register_case(actor=handler, received_on=D(2024, 1, 2), applicant_name=f"王{i}")
        done = services.case_review(case=done, actor=handler, on=D(2024, 1, 3))
        services.case_answer(case=done, actor=handler, outcome="disclosed", on=D(2024, 1, 10))


@pytest.fixture
def people(agency, handler, approver):
    handler.email, approver.email = "handler@rst.fj.example.cn", "approver@rst.fj.example.cn"
    handler.save()
    approver.save()
    return handler, approver


LIST_REQUESTS = [
    "/api/cases/",
    "/api/cases/?agency=FJRST",
    "/api/cases/?agency=FJRST&page=2&page_size=5",
    "/api/cases/?state=registered&state=reviewed&applicant_type=natural_person",
    "/api/cases/?ordering=due_on",
    "/api/cases/?ordering=-answered_on",
    "/api/cases/?search=林建国",
    "/api/cases/?search=FJRST-2024",
    "/api/cases/?search=养老保险基金",
    "/api/cases/?search=0591-87654321",
    "/api/cases/?overdue=true",
]


def test_list_and_search_cost_the_same_queries_for_n_and_3n_cases(api, people, platform_admin):
    handler, approver = people
    clerk, admin = api(handler), api(platform_admin)

    def counts() -> dict[str, int]:
        result = {}
        for client, who in ((clerk, "clerk"), (admin, "admin")):
            for path in LIST_REQUESTS:
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path)
                assert response.status_code == 200, (path, response.content)
                if "0591" not in path:  # no case has that phone number
                    assert response.json()["results"], path
                result[f"{who} {path}"] = len(ctx.captured_queries)
        return result

    add_cases(handler, approver, 3)
    small = counts()
    add_cases(handler, approver, 6)
    assert counts() == small
    # Token, capped count, page, calendar stamp (and the agency's code, resolved once), and one
    # prefetch per relation other apps add to the case (cases.hooks.register_representation).
    from cases import hooks

    extra = sum(len(r.prefetch) for r in hooks.representations())
    assert max(small.values()) <= 5 + extra, small


def test_count_is_exact_up_to_the_limit_and_capped_beyond(api, handler, approver, monkeypatch):
    add_cases(handler, approver, 2)  # 8 cases
    client = api(handler)
    exact = client.get("/api/cases/?page_size=3").json()
    assert (exact["count"], exact["count_is_exact"]) == (8, True)
    assert client.get("/api/cases/?page_size=3&page=last").json()["results"]

    monkeypatch.setattr(CappedCountPagination, "count_limit", 5)
    first = client.get("/api/cases/?page_size=3").json()
    assert (first["count"], first["count_is_exact"]) == (5, False)
    assert first["next"] and first["previous"] is None
    # Pages past the counted limit still work, and next says when the end is reached.
    third = client.get("/api/cases/?page_size=3&page=3").json()
    assert len(third["results"]) == 2 and third["next"] is None and third["previous"]
    seen = [
        row["id"]
        for page in (1, 2, 3)
        for row in client.get(f"/api/cases/?page_size=3&page={page}").json()["results"]
    ]
    assert sorted(seen) == sorted(Case.objects.values_list("pk", flat=True))
    assert client.get("/api/cases/?page_size=3&page=4").status_code == 404
    assert client.get("/api/cases/?page_size=3&page=last").status_code == 404  # unknown end
    assert client.get("/api/cases/?page=0").status_code == 404
    assert client.get("/api/cases/?page=x").status_code == 404


def test_ordering_by_due_date_with_the_id_as_tie_break(api, handler, approver):
    add_cases(handler, approver, 2)
    client = api(handler)
    expected = list(
        Case.objects.filter(due_on__isnull=False).order_by("due_on", "id").values_list("pk")
    )
    rows = client.get("/api/cases/?ordering=due_on&page_size=50").json()["results"]
    dated = [(row["id"],) for row in rows if row["due_on"]]
    assert dated == [tuple(pk) for pk in expected]
    assert rows[-1]["due_on"] is None  # no due date while waiting for a correction: last
    newest_due = client.get("/api/cases/?ordering=-due_on").json()["results"]
    dates = [row["due_on"] for row in newest_due if row["due_on"]]
    assert dates == sorted(dates, reverse=True)
    for a, b in itertools.pairwise(newest_due):
        if a["due_on"] == b["due_on"]:
            assert a["id"] > b["id"]


def test_an_unknown_agency_code_lists_nothing(api, platform_admin, handler, approver):
    add_cases(handler, approver, 1)
    client = api(platform_admin)
    assert client.get("/api/cases/?agency=fjrst").json()["count"] == 4
    assert client.get("/api/cases/?agency=NOPE").json() == {
        "count": 0,
        "count_is_exact": True,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_a_reference_is_found_by_its_beginning_only(api, handler, approver):
    add_cases(handler, approver, 1)
    case = Case.objects.order_by("pk").first()
    client = api(handler)

    def found(text):
        return {row["id"] for row in client.get("/api/cases/", {"search": text}).json()["results"]}

    assert found(case.reference) == {case.pk}
    assert found(case.reference.lower()) == {case.pk}
    assert case.pk in found("FJRST-2024-")
    assert found(case.reference[-5:]) == set()  # the middle or end of a reference: no


def run_reminders(*extra) -> str:
    out = io.StringIO()
    call_command("send_deadline_reminders", "--today", RUN_DAY.isoformat(), *extra, stdout=out)
    return out.getvalue()


def test_the_reminder_run_costs_the_same_queries_for_n_and_3n_cases(smtp, people):
    handler, approver = people

    def measured(*extra):
        with CaptureQueriesContext(connection) as ctx:
            output = run_reminders(*extra)
        return len(ctx.captured_queries), output

    add_cases(handler, approver, 2)
    dry_small, _ = measured("--dry-run")
    real_small, output = measured()
    # The office 6; the handler 2 (overdue, reviewed by them); the approver 2 overdue and 2
    # soon due (reviewed by the approver, so assigned to them).
    assert "已发送3封提醒邮件，共12项" in output
    rerun_small, output = measured()
    assert "已发送0封" in output and "跳过12项" in output

    add_cases(handler, approver, 4)  # 3N cases; the first N were reminded already
    smtp.messages.clear()
    dry_large, output = measured("--dry-run")
    assert "将发送3封提醒邮件，共24项" in output and "跳过12项" in output
    real_large, output = measured()
    assert "已发送3封提醒邮件，共24项" in output
    assert (dry_large, real_large) == (dry_small, real_small)
    rerun_large, _ = measured()
    assert rerun_large == rerun_small
    assert ReminderSent.objects.count() == 36 and len(smtp.messages) == 3


def test_the_reminder_run_still_marks_nothing_when_smtp_fails(smtp, people):
    handler, approver = people
    add_cases(handler, approver, 2)
    smtp.fail = True
    with pytest.raises(Exception, match="未标记为已发送"):
        run_reminders()
    assert not ReminderSent.objects.exists()
    smtp.fail = False
    assert "已发送3封提醒邮件，共12项" in run_reminders()
    assert "已发送0封" in run_reminders()


def test_a_moved_due_date_rearms_the_reminder(smtp, people):
    handler, approver = people
    add_cases(handler, approver, 1)
    run_reminders()
    soon = Case.objects.get(applicant_name="陈0")
    services.case_extend(
        case=soon, actor=approver, working_days=1, reason="补充材料", on=D(2024, 3, 19)
    )
    smtp.messages.clear()
    output = run_reminders()
    assert "已发送2封提醒邮件，共2项" in output  # the office and the handler, the new due date
    assert all(soon.reference in text_of(message) for _, message in smtp.messages)


def recompute_after_holiday(platform_admin, day: dt.date) -> tuple[int, int]:
    """Make ``day`` a holiday through the service and run the recompute; (queries, changed)."""
    with CaptureQueriesContext(connection) as ctx:
        services.calendar_day_save(
            actor=platform_admin,
            day=CalendarDay(date=day, kind="holiday", name="测试假日", source="测试"),
        )
        change = CalendarChange.objects.order_by("-pk").first()
        changed = services.calendar_change_process(change_id=change.pk)
    return len(ctx.captured_queries), changed


def test_recompute_after_a_calendar_change_costs_the_same_queries_for_n_and_3n(
    platform_admin, handler, approver
):
    add_cases(handler, approver, 2)
    small, changed = recompute_after_holiday(platform_admin, D(2024, 3, 11))
    assert changed == 2  # the soon-due cases: the others' periods ended before 11 March
    add_cases(handler, approver, 4)
    large, changed = recompute_after_holiday(platform_admin, D(2024, 3, 12))
    assert changed == 6 and large == small
    soon = Case.objects.filter(applicant_name="陈0").order_by("pk").first()
    assert soon.due_on == D(2024, 3, 27)  # 25 March plus the two new holidays
    events = CaseEvent.objects.filter(case=soon, action="recompute_deadlines").order_by("pk")
    assert [e.data["due_on"]["to"] for e in events] == ["2024-03-26", "2024-03-27"]


def test_registration_is_a_handful_of_statements(api, registrar):
    client = api(registrar)
    body = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "other",
        "id_number": "X123",
        "channel": "online",
        "received_on": "2026-03-02",
        "description": "某某信息",
    }
    assert client.post("/api/cases/", body, format="json").status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/cases/", body, format="json")
    assert response.status_code == 201 and response.json()["reference"] == "FJRST-2026-00002"
    # Token, agency, reference counter, the period lock (2), calendar stamp, case, event; the
    # applicant as a person: the applicant record, the Art. 35 count of the last 30 days and the
    # similar earlier requests the answer shows; and what the other apps' hooks read: the
    # documents' reaction (does the agency issue receipts?) and the case's documents and appeals
    # in the answer. Constant either way.
    assert len(statements(ctx)) <= 14, "\n".join(s[:250] for s in statements(ctx))


def test_the_cached_calendar_sees_every_change(platform_admin):
    day = D(2026, 6, 3)  # a Wednesday, a working day in the 2026 notice
    first = work_calendar()
    assert first.is_working_day(day)
    with CaptureQueriesContext(connection) as ctx:
        assert work_calendar() is first
    assert len(ctx.captured_queries) == 1  # the stamp only

    CalendarDay.objects.create(date=day, kind="holiday", name="x", source="x")
    assert not work_calendar().is_working_day(day)
    CalendarDay.objects.filter(date=day).update(name="y")  # name only: no effect on counting
    CalendarDay.objects.filter(date=day).delete()
    assert work_calendar().is_working_day(day)
    services.calendar_day_save(
        actor=platform_admin,
        day=CalendarDay(date=day, kind="holiday", name="测试", source="测试"),
    )
    assert not work_calendar().is_working_day(day)


def test_the_calendar_is_read_once_per_request(api, handler, approver):
    add_cases(handler, approver, 1)
    other = UserFactory(agency=handler.agency)
    with CaptureQueriesContext(connection) as ctx:
        api(other).get("/api/cases/")
    stamps = [q for q in statements(ctx) if "cases_calendarday" in q]
    assert len(stamps) == 1


def test_one_or_two_characters_match_anywhere_in_the_name(api, handler):
    firm = register_case(
        actor=handler,
        applicant_name="福建某律师事务所",
        applicant_type="legal_service_institution",
        description="拆迁补偿安置方案",
    )
    person = register_case(actor=handler, applicant_name="欧阳明", description="养老保险")
    mixed = register_case(
        actor=handler,
        applicant_name="Abc咨询有限公司",
        applicant_type="commercial_enterprise",
    )
    client = api(handler)

    def found(text):
        return {row["id"] for row in client.get("/api/cases/", {"search": text}).json()["results"]}

    assert found("律") == found("律师") == found("事务所") == {firm.pk}
    assert found("欧阳") == found("阳明") == found("明") == {person.pk}
    assert found("bc") == found("C咨") == found("abc") == {mixed.pk}
    # A phrase of the request needs three characters: two find nothing there.
    assert found("拆迁补偿") == {firm.pk}
    assert found("拆迁") == set()

"""The queue's colours on a fixed date, its tabs and search box (htmx), and a platform admin
entering next year's holiday notice, in a real browser."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cases import clock, services
from cases.models import Case

from ...cases.helpers import case_in_state
from ...factories import register_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OVERDUE_BG = "rgb(253, 226, 225)"
SOON_BG = "rgb(255, 241, 201)"
WAITING_BG = "rgb(227, 238, 251)"


def background(row) -> str:
    return row.evaluate("row => getComputedStyle(row).backgroundColor")


def test_the_queue_colours_due_soon_and_overdue_cases(
    page, live_server, login, handler, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 3, 25))
    soon = case_in_state("reviewed", actor=handler)  # due 2026-03-30: 3 working days left
    overdue = register_case(actor=handler, received_on=dt.date(2026, 2, 2))
    overdue = services.case_review(case=overdue, actor=handler, on=dt.date(2026, 2, 3))
    waiting = register_case(actor=handler, received_on=dt.date(2026, 3, 16))
    waiting = services.case_request_correction(
        case=waiting, actor=handler, items="请写明文件名称", on=dt.date(2026, 3, 17)
    )
    later = register_case(actor=handler, received_on=dt.date(2026, 3, 20))
    later = services.case_review(case=later, actor=handler, on=dt.date(2026, 3, 23))
    login(handler)
    page.goto(live_server.url + "/desk/")

    def row(case):
        return page.locator(f'tr[data-reference="{case.reference}"]')

    expect(row(overdue)).to_have_class("tone-overdue")
    assert background(row(overdue)) == OVERDUE_BG
    expect(row(overdue)).to_contain_text("已逾期")
    assert background(row(soon)) == SOON_BG
    expect(row(soon)).to_contain_text("即将到期")
    expect(row(soon).locator("td.num")).to_have_text("3")
    assert background(row(waiting)) == WAITING_BG
    assert background(row(later)) == "rgba(0, 0, 0, 0)"
    expect(page.locator("table.queue tbody tr").first).to_have_attribute(
        "data-reference", overdue.reference
    )

    page.locator('[data-tab="overdue"]').click()
    expect(page).to_have_url(live_server.url + "/desk/?tab=overdue")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    page.locator('[data-tab="due_soon"]').click()
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    expect(row(soon)).to_be_visible()

    page.get_by_label("搜索").fill(later.reference)
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    expect(row(later)).to_be_visible()
    expect(page.locator('[data-tab="all"]')).to_have_class("tab active")


def test_a_platform_admin_loads_next_years_calendar(
    page, live_server, login, handler, platform_admin, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 21))
    # Received on the 18th, due in January 2027: provisional until 2027's notice is loaded.
    case = register_case(actor=handler, received_on=dt.date(2026, 12, 18))
    assert case.due_on_provisional
    login(platform_admin)
    page.goto(live_server.url + "/desk/calendar/?year=2027")
    expect(page.locator(".page-head")).to_contain_text("未录入国务院通知")
    expect(page.get_by_role("heading", name="期限为暂定的在办申请（1件）")).to_be_visible()

    day_form = page.locator("#day-form")
    for date, kind, name in (
        ("2027-01-01", "放假", "元旦"),
        ("2027-02-06", "放假", "春节"),
        ("2027-02-20", "调休上班", "春节"),
    ):
        day_form.get_by_label("日期").fill(date)
        day_form.get_by_label("类型").select_option(label=kind)
        day_form.get_by_label("节日").fill(name)
        day_form.get_by_role("button", name="保存日期").click()
        expect(page.locator(".messages")).to_contain_text(f"已保存：{date}")
    expect(page.locator('td[data-date="2027-02-20"]')).to_contain_text("班")

    page.locator("#year-form").get_by_role("button", name="确认录入该年度").click()
    expect(page.locator(".messages")).to_contain_text("已录入2027年节假日安排")
    expect(page.locator(".page-head")).to_contain_text("已录入国务院通知")
    expect(page.locator(".years")).to_contain_text("2027年")

    # The recompute the change queued, as the worker (or the five-minute job) carries it out.
    from cases.tasks import process_pending_calendar_changes

    assert process_pending_calendar_changes() >= 1
    page.reload()
    expect(page.get_by_role("heading", name="期限为暂定的在办申请（0件）")).to_be_visible()
    assert not Case.objects.get(pk=case.pk).due_on_provisional

"""The calendar page (/desk/calendar/), the annual report page (/desk/reports/) and the login."""

import datetime as dt
import re

import pytest

from cases import services
from cases.models import CalendarChange, CalendarDay, CalendarYear
from reporting.models import AnnualReport

from ..factories import UserFactory, register_case

pytestmark = pytest.mark.django_db


def day_cell(html: str, day: str) -> str:
    return re.search(rf'<td class="([^"]+)" data-date="{day}"', html).group(1)


def test_the_login_page_is_the_root_and_chinese(client, handler):
    page = client.get("/").content.decode()
    assert "<h1>登录</h1>" in page and "用户名" in page and "密码" in page
    response = client.post("/", {"username": "handler", "password": "secret-pass-123"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/").status_code == 302  # logged in: straight to the desk
    assert client.post("/logout/")["Location"] == "/"
    failed = client.post("/", {"username": "handler", "password": "nope"}).content.decode()
    assert "请输入一个正确的用户名和密码" in failed


def test_the_year_view_marks_holidays_and_adjusted_working_days(client_for, handler):
    html = client_for(handler).get("/desk/calendar/?year=2026").content.decode()
    assert "已录入国务院通知" in html
    assert "holiday" in day_cell(html, "2026-10-01")
    assert "adjusted" in day_cell(html, "2026-10-10")  # a Saturday worked (调休)
    assert day_cell(html, "2026-10-12") == "day work"
    assert "rest" in day_cell(html, "2026-10-17")
    unloaded = client_for(handler).get("/desk/calendar/?year=2027").content.decode()
    assert "未录入国务院通知" in unloaded
    assert "holiday" in day_cell(unloaded, "2027-01-01")  # the statutory holiday, provisionally


def test_the_calendar_lists_provisional_open_cases(client_for, handler, fixed_today):
    late = register_case(actor=handler, received_on=dt.date(2026, 3, 20))
    assert not late.due_on_provisional
    with_unloaded_year = CalendarYear.objects.filter(year=2026)
    services.calendar_year_delete(
        actor=UserFactory(is_superuser=True, agency=None, role=""), years=list(with_unloaded_year)
    )
    services.case_recompute_deadlines(case=late, reason="test")
    html = client_for(handler).get("/desk/calendar/").content.decode()
    assert "期限为暂定的在办申请（1件）" in html and late.reference in html


def test_only_platform_admins_enter_a_notice(client_for, agency_admin):
    client = client_for(agency_admin)
    html = client.get("/desk/calendar/?year=2027").content.decode()
    assert 'id="day-form"' not in html and "由平台管理员录入" in html
    data = {"date": "2027-02-06", "kind": "holiday", "name": "春节", "source": "通知"}
    assert client.post("/desk/calendar/days/", data).status_code == 403
    assert client.post("/desk/calendar/years/", {"year": 2027, "notice": "通知"}).status_code == 403
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_platform_admin_enters_next_years_notice(client_for, platform_admin):
    client = client_for(platform_admin)
    notice = "国务院办公厅关于2027年部分节假日安排的通知"
    year = {"year": 2027, "notice": notice}
    # Refused until both kinds of day are entered, on the year's field, as typed.
    refused = client.post("/desk/calendar/years/?year=2027", year).content.decode()
    assert "尚未录入2027年的放假和调休上班日期" in refused and f'value="{notice}"' in refused
    for date, kind in (("2027-02-06", "holiday"), ("2027-02-20", "workday")):
        response = client.post(
            "/desk/calendar/days/",
            {"date": date, "kind": kind, "name": "春节", "source": notice},
        )
        assert response.status_code == 302 and response["Location"] == "/desk/calendar/?year=2027"
    assert client.post("/desk/calendar/years/", year).status_code == 302
    assert CalendarYear.objects.filter(year=2027, notice=notice).exists()
    assert CalendarChange.objects.filter(actor=platform_admin).count() == 3
    html = client.get("/desk/calendar/?year=2027").content.decode()
    assert "已录入国务院通知" in html
    assert "adjusted" in day_cell(html, "2027-02-20")
    assert "holiday" in day_cell(html, "2027-02-06")


@pytest.fixture
def year_2025(handler, fixed_today):
    case = register_case(actor=handler, received_on=dt.date(2025, 12, 1))
    case = services.case_review(case=case, actor=handler, on=dt.date(2025, 12, 2))
    services.case_answer(case=case, actor=handler, outcome="disclosed", on=dt.date(2025, 12, 10))
    return case


def test_clerks_read_the_table_and_download_it(client_for, handler, year_2025):
    client = client_for(handler)
    html = client.get("/desk/reports/?year=2025").content.decode()
    assert 'class="annual-table"' in html and "核对全部通过" in html
    assert re.search(r'data-row="new_received">.*?<td data-column="total">1</td>', html, re.S)
    assert "生成（刷新）草稿" not in html
    xlsx = client.get("/desk/reports/export/?agency=FJRST&year=2025&template=2021&format=xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/desk/reports/?agency=all&year=2025").status_code == 403
    refused = client.post("/desk/reports/generate/", {"agency": "FJRST", "year": 2025})
    assert refused.status_code == 302
    assert "只有机关管理员可以生成" in client.get(refused["Location"]).content.decode()
    assert not AnnualReport.objects.exists()


def test_another_agencys_report_is_not_found(client_for, handler, other_agency, fixed_today):
    assert client_for(handler).get("/desk/reports/?agency=FJJYT&year=2025").status_code == 404


def test_an_agency_admin_generates_and_publishes(client_for, agency_admin, year_2025):
    client = client_for(agency_admin)
    assert (
        client.post("/desk/reports/generate/", {"agency": "FJRST", "year": 2025}).status_code == 302
    )
    draft = AnnualReport.objects.get()
    page = client.get("/desk/reports/?year=2025").content.decode()
    assert f"/desk/reports/{draft.pk}/publish/" in page
    assert client.get(f"/desk/reports/{draft.pk}/export/?format=csv").status_code == 200
    response = client.post(f"/desk/reports/{draft.pk}/publish/", {})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    page = client.get("/desk/reports/?year=2025").content.decode()
    assert "该年度已发布并锁定" in page and "重新开放该年度" in page


def test_publishing_an_unfinished_year_is_refused_as_typed(client_for, agency_admin, year_2025):
    client = client_for(agency_admin)
    client.post("/desk/reports/generate/", {"agency": "FJRST", "year": 2026})
    draft = AnnualReport.objects.get(year=2026)
    html = client.post(
        f"/desk/reports/{draft.pk}/publish/", {"reason": "上级要求提前报送"}
    ).content.decode()
    assert "2026年尚未结束，自2027-01-01起方可发布" in html
    assert "上级要求提前报送" in html
    assert AnnualReport.objects.get(pk=draft.pk).status == "draft"


def test_platform_admins_see_the_roll_up(client_for, platform_admin, year_2025):
    html = client_for(platform_admin).get("/desk/reports/?agency=all&year=2025").content.decode()
    assert "全部机关2025年政府信息公开工作年度报告" in html
    assert "统计表快照" not in html

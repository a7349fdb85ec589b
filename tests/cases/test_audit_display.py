"""The audit trail as a clerk reads it: Chinese action and role names, local times, the data as
labelled fields, and the 历史 button leading to it."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from cases import audit_display, services, vocabulary
from cases.models import CaseEvent, Role

from ..factories import UserFactory, register_case

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def lin(agency):
    return UserFactory(
        username="handler", first_name="志远", last_name="林", agency=agency, role=Role.HANDLER
    )


@pytest.fixture
def case(lin, registrar):
    case = register_case(
        actor=registrar,
        applicant_name="林建国",
        channel="letter",
        received_on=dt.date(2026, 3, 2),
    )
    case = services.case_update(
        case=case, actor=registrar, changes={"contact_phone": "0591-87654321"}
    )
    case = services.case_request_correction(
        case=case, actor=lin, items="请写明文件名称", period_days=10, on=dt.date(2026, 3, 3)
    )
    case = services.case_receive_correction(case=case, actor=registrar, on=dt.date(2026, 3, 4))
    case = services.case_review(case=case, actor=lin, on=dt.date(2026, 3, 5))
    return services.case_answer(
        case=case, actor=lin, outcome="disclosed", reply="现提供如下", on=dt.date(2026, 3, 10)
    )


def local(moment: dt.datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def inline_section(page: str) -> str:
    start = page.index('id="events-group"')
    return page[start : page.index("</fieldset>", start)]


def test_event_caption_names_the_action_in_chinese_at_local_time(case):
    event = CaseEvent.objects.filter(case=case).order_by("id").first()
    assert str(event) == f"{case.reference} 登记 {local(event.created_at)}"
    assert local(event.created_at) != f"{event.created_at:%Y-%m-%d %H:%M}"  # UTC is 8 hours off


def test_recorded_data_reads_as_labelled_chinese_fields(case, lin):
    views = {view.action: view for view in audit_display.describe(case.events.order_by("id"))}
    register = views["登记"]
    assert register.actor == "registrar（登记员）"
    assert (register.from_state, register.to_state, register.on) == ("新建", "已登记", "2026-03-02")
    assert register.data == [
        ("申请编号", case.reference),
        ("申请人类型", "自然人"),
        ("申请人姓名或名称", "林建国"),
        ("证件类型", "居民身份证"),
        ("申请方式", "信函"),
        ("收到申请日期", "2026-03-02"),
    ]
    assert views["修改申请信息"].data == [("联系电话", "（空） → 0591-87654321")]
    assert views["审查"].actor == "林志远（承办人）"
    assert views["审查"].data == [("承办人", "林志远（承办人）")]
    assert views["补正告知"].data == [("补正事项", "请写明文件名称"), ("补正期限（工作日）", "10")]
    answer = dict(views["答复"].data)
    # The outcome's label is the annual table's.
    assert answer["办理结果"] == dict(vocabulary.OUTCOME_CHOICES)["disclosed"] == "予以公开"
    assert answer["法律依据"].startswith("《中华人民共和国政府信息公开条例》")
    assert views["收到补正"].to_state == "已登记"


def test_case_page_shows_the_trail_in_chinese(case, lin):
    client = Client()
    client.force_login(lin)
    page = html.unescape(client.get(f"/admin/cases/case/{case.pk}/change/").content.decode())
    trail = inline_section(page)
    first = CaseEvent.objects.filter(case=case).order_by("id").first()
    assert f"{case.reference} 登记 {local(first.created_at)}" in trail
    assert "林志远（承办人）" in trail and "registrar（登记员）" in trail
    assert "（handler）" not in trail
    assert "申请人类型：自然人" in trail and "证件类型：居民身份证" in trail
    assert "联系电话：（空） → 0591-87654321" in trail
    assert not re.search(r"\b(register|review|natural_person|resident_id)\b", trail)
    assert '"applicant_type"' not in trail


def test_history_button_shows_the_audit_trail(case, lin):
    client = Client()
    client.force_login(lin)
    change_page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert f'href="/admin/cases/case/{case.pk}/history/"' in change_page

    response = client.get(f"/admin/cases/case/{case.pk}/history/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"操作记录：{case.reference}" in page
    assert "没有字段被修改" not in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\"[^>]*>(.*?)</th>\s*<td>(.*?)</td>", page)
    assert [action for _time, action in rows] == [
        "登记",
        "修改申请信息",
        "补正告知",
        "收到补正",
        "审查",
        "答复",
    ]
    first = CaseEvent.objects.filter(case=case).order_by("id").first()
    assert rows[0][0] == local(first.created_at)
    assert "已登记 → 待补正" in page and "补正事项：请写明文件名称" in page


def test_history_of_another_agencys_case_is_not_shown(case, other_agency):
    outsider = UserFactory(agency=other_agency, role=Role.HANDLER)
    client = Client()
    client.force_login(outsider)
    response = client.get(f"/admin/cases/case/{case.pk}/history/")
    assert response.status_code == 302  # "does not exist", as for the change page

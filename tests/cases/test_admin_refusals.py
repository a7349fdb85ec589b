"""The admin keeps what the clerk typed when a service refuses a save or an action, and names
the new case by its reference after registering it. Through Django's test client."""

import datetime as dt
import html
import re

import pytest
from django.test import Client

from cases.models import Case, CaseEvent
from reporting import services as reporting_services

from ..reporting.histories import log_case
from .helpers import case_in_state

pytestmark = pytest.mark.django_db

D = dt.date
DESCRIPTION = "2024年度技能培训补贴发放名单（第三批）"
PHONE = "0591-87654321"
ADDRESS = "福州市鼓楼区五四路1号"


def login(user):
    client = Client()
    client.force_login(user)
    return client


def add_form(**overrides):
    form = {
        "applicant_type": "natural_person",
        "applicant_name": "林建国",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "channel": "letter",
        "received_on": "2026-03-02",
        "description": DESCRIPTION,
        "contact_phone": PHONE,
        "contact_address": ADDRESS,
        "postal_code": "350001",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    form.update(overrides)
    return form


def field_row(page: str, name: str) -> str:
    """The form row of one field, with its errors and its widget."""
    match = re.search(
        rf'<div class="form-row[^"]*field-{name}[^"]*">(.*?)</div>\s*</div>', page, re.S
    )
    assert match, f"no row for {name}"
    return match.group(0)


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no textarea {name}"
    return match.group(1).strip()


def has_field_errors(page: str, name: str) -> bool:
    return bool(re.search(rf'class="form-row errors[^"]*field-{name}', page))


def test_add_refused_by_the_period_lock_keeps_what_was_typed(registrar, handler, agency_admin):
    log_case(handler, received=D(2024, 3, 4), concluded=D(2024, 3, 20))
    report = reporting_services.annual_report_generate(
        agency=agency_admin.agency, year=2024, actor=agency_admin
    )
    reporting_services.annual_report_publish(report=report, actor=agency_admin)
    cases_before = Case.objects.count()

    response = login(registrar).post("/admin/cases/case/add/", add_form(received_on="2024-05-06"))

    assert response.status_code == 200  # the form again, not a redirect to an empty one
    page = html.unescape(response.content.decode())
    assert "未保存：2024年的政府信息公开工作年度报告已发布" in page
    assert 'class="errornote"' in page
    assert textarea(page, "description") == DESCRIPTION
    assert f'value="{PHONE}"' in page and f'value="{ADDRESS}"' in page
    assert 'value="2024-05-06"' in page and 'value="林建国"' in page
    assert Case.objects.count() == cases_before


def test_change_refused_by_a_recorded_step_keeps_what_was_typed(handler):
    case = case_in_state("reviewed", actor=handler)  # received 03-02, reviewed 03-03
    client = login(handler)
    form = client.get(f"/admin/cases/case/{case.pk}/change/").context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "received_on": "2026-03-05",
            "contact_phone": PHONE,
            "contact_address": ADDRESS,
            "description": DESCRIPTION,
            "assigned_handler": handler.pk,
            "events-TOTAL_FORMS": "2",
            "events-INITIAL_FORMS": "2",
        }
    )

    response = client.post(f"/admin/cases/case/{case.pk}/change/", data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert has_field_errors(page, "received_on")
    assert "收到申请日期不能晚于已办理步骤的日期（2026-03-03）" in field_row(page, "received_on")
    assert 'value="2026-03-05"' in page
    assert textarea(page, "description") == DESCRIPTION
    assert f'value="{PHONE}"' in page and f'value="{ADDRESS}"' in page
    case.refresh_from_db()
    assert (case.received_on, case.contact_phone) == (D(2026, 3, 2), "")
    assert not CaseEvent.objects.filter(case=case, action="update").exists()


def test_action_refused_by_the_service_keeps_what_was_typed(handler):
    case = case_in_state("reviewed", actor=handler)
    url = f"/admin/cases/case/{case.pk}/transition/answer/"
    reply = "经审查，您申请的信息属于国家秘密，不予公开。"

    response = login(handler).post(
        url, {"outcome": "withheld_state_secret", "reply": reply, "on": "2026-03-05"}
    )

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    # The service's refusal sits on the field it names, as field validation would put it.
    assert has_field_errors(page, "reason")
    assert "必须说明理由" in field_row(page, "reason")
    assert textarea(page, "reply") == reply
    assert '<option value="withheld_state_secret" selected>' in page
    assert 'value="2026-03-05"' in page
    assert Case.objects.get(pk=case.pk).state == "reviewed"


def test_action_date_refused_by_the_service_is_shown_on_the_date(handler):
    case = case_in_state("reviewed", actor=handler)  # reviewed 03-03
    response = login(handler).post(
        f"/admin/cases/case/{case.pk}/transition/consult/",
        {"party": "福州某人力资源服务有限公司", "on": "2026-03-02", "note": "挂号信"},
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert has_field_errors(page, "on")
    assert "日期不能早于上一步骤的日期（2026-03-03）" in field_row(page, "on")
    assert 'value="福州某人力资源服务有限公司"' in page and textarea(page, "note") == "挂号信"


def test_registering_says_the_reference_to_write_on_the_letter(registrar):
    response = login(registrar).post("/admin/cases/case/add/", add_form(), follow=True)
    assert response.status_code == 200
    case = Case.objects.get(applicant_name="林建国")
    messages = [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]]
    assert messages == [f"已登记申请 {case.reference}（林建国）"]
    assert case.reference == "FJRST-2026-00001"
    assert "未登记" not in response.content.decode()

    again = login(registrar).post(
        "/admin/cases/case/add/", {**add_form(), "_continue": "1"}, follow=True
    )
    assert again.redirect_chain[-1][0].endswith(f"/admin/cases/case/{case.pk + 1}/change/")
    messages = [re.sub(r"<[^>]+>", "", str(m)) for m in again.context["messages"]]
    assert messages == ["已登记申请 FJRST-2026-00002（林建国）"]

"""The case page (/desk/cases/<id>/): facts edited in place, the deadline explained, the
timeline, and the allowed actions, each through its generated form and its service."""

import datetime as dt
import re

import pytest

from cases.models import Case, CaseEvent

from ..cases.helpers import case_in_state
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def buttons(html: str) -> set[str]:
    return set(re.findall(r'data-action="(\w+)"', html))


def field_block(html: str, name: str) -> str:
    start = html.index(f'id="field-{name}"')
    return html[start : html.index("</div>\n", html.index("</div>", start) + 1)]


def test_the_page_shows_facts_deadline_and_timeline(client_for, handler, fixed_today):
    case = case_in_state("reviewed", actor=handler)
    html = client_for(handler).get(f"/desk/cases/{case.pk}/").content.decode()
    assert case.reference in html and case.applicant_name in html
    assert case.description in html
    # The deadline as the sentences of cases.deadlines.explain.
    assert "起算：2026-03-02（当日不计入，自次日起算）" in html
    assert "答复期限：2026-03-30（起算日后第20个工作日）" in html
    assert "剩余 3 个工作日" in html
    # The timeline: the audit events, by whom, in Chinese.
    assert "<strong>登记</strong> handler（承办人）" in html
    assert "<strong>审查</strong> handler（承办人）" in html
    assert html.count('<li>\n    <div class="when">') == 2


def test_buttons_are_the_actions_allowed_now(client_for, registrar, handler, approver, fixed_today):
    registered = case_in_state("registered", actor=handler)
    reviewed = case_in_state("reviewed", actor=handler)
    page = "/desk/cases/{}/"
    assert buttons(client_for(registrar).get(page.format(registered.pk)).content.decode()) == {
        "withdraw"
    }
    # Asking for the reasons of a request (Art. 35) is the handler's call on any open request.
    assert buttons(client_for(handler).get(page.format(registered.pk)).content.decode()) == {
        "ask_reasons",
        "request_correction",
        "review",
        "withdraw",
    }
    # Only the head of the office approves an extension (Art. 33).
    handler_sees = buttons(client_for(handler).get(page.format(reviewed.pk)).content.decode())
    approver_sees = buttons(client_for(approver).get(page.format(reviewed.pk)).content.decode())
    assert "extend" not in handler_sees and "extend" in approver_sees
    assert {"answer", "consult", "issue_fee_notice"} <= handler_sees


def test_a_missing_button_says_why(client_for, handler, fixed_today):
    case = case_in_state("consulting", actor=handler)
    html = client_for(handler).get(f"/desk/cases/{case.pk}/").content.decode()
    assert "request_correction" not in buttons(html)
    assert "补正告知</strong>：" in html


def test_another_agencys_case_is_not_found(client_for, handler, other_agency, fixed_today):
    stranger = UserFactory(agency=other_agency)
    theirs = case_in_state("reviewed", actor=stranger)
    client = client_for(handler)
    base = f"/desk/cases/{theirs.pk}/"
    for url in (
        base,
        base + "facts/",
        base + "facts/contact_phone/",
        base + "deadline/",
        base + "timeline/",
        base + "outcome-hint/?outcome=disclosed",
        base + "actions/answer/",
    ):
        assert client.get(url).status_code == 404, url
    refused = client.post(base + "actions/answer/", {"outcome": "disclosed"})
    assert refused.status_code == 404
    assert Case.objects.get(pk=theirs.pk).state == "reviewed"


def test_an_action_form_starts_at_today_and_runs_the_service(client_for, handler, fixed_today):
    case = case_in_state("registered", actor=handler)
    client = client_for(handler)
    form = client.get(f"/desk/cases/{case.pk}/actions/review/").content.decode()
    assert 'value="2026-03-25"' in form and "承办人" in form
    response = client.post(
        f"/desk/cases/{case.pk}/actions/review/",
        {"on": "2026-03-24", "version": case.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/desk/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.state == "reviewed" and case.reviewed_on == dt.date(2026, 3, 24)
    assert case.assigned_handler == handler


def test_a_refused_action_keeps_the_input_and_names_the_field(client_for, handler, fixed_today):
    case = case_in_state("reviewed", actor=handler)
    reply = "现将可以公开的部分提供如下：……"
    response = client_for(handler).post(
        f"/desk/cases/{case.pk}/actions/answer/",
        {"on": "2026-03-25", "outcome": "partially_disclosed", "reply": reply, "version": 2},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "不予公开或部分公开的，必须说明理由" in field_block(html, "reason")
    assert reply in field_block(html, "reply")
    assert 'value="partially_disclosed" selected' in html
    assert Case.objects.get(pk=case.pk).state == "reviewed"


def test_a_date_the_service_refuses_is_shown_on_the_date(client_for, handler, fixed_today):
    case = case_in_state("registered", actor=handler)
    html = (
        client_for(handler)
        .post(f"/desk/cases/{case.pk}/actions/review/", {"on": "2026-03-01"})
        .content.decode()
    )
    assert "日期不能早于收到申请日期（2026-03-02）" in field_block(html, "on")


def test_an_action_the_role_may_not_take_is_refused_by_the_service(
    client_for, registrar, handler, fixed_today
):
    case = case_in_state("registered", actor=handler)
    client = client_for(registrar)
    page = client.get(f"/desk/cases/{case.pk}/actions/review/").content.decode()
    assert "<form" not in page.split('data-action-form="review"')[1]
    html = client.post(f"/desk/cases/{case.pk}/actions/review/", {}).content.decode()
    assert "您的角色无权执行“审查”" in html
    assert Case.objects.get(pk=case.pk).state == "registered"


def test_a_fact_is_edited_in_place(client_for, handler, fixed_today):
    case = case_in_state("reviewed", actor=handler)
    client = client_for(handler)
    url = f"/desk/cases/{case.pk}/facts/contact_phone/"
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in form and 'name="contact_phone"' in form
    response = client.post(
        url, {"contact_phone": "0591-87654321", "version": case.version}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger"] == "case-changed"
    assert "0591-87654321" in response.content.decode()
    assert Case.objects.get(pk=case.pk).contact_phone == "0591-87654321"
    assert CaseEvent.objects.filter(case=case, action="update").count() == 1


def test_a_refused_edit_stays_where_it_was_typed(client_for, handler, fixed_today):
    case = case_in_state("reviewed", actor=handler)  # reviewed on 2026-03-03
    response = client_for(handler).post(
        f"/desk/cases/{case.pk}/facts/received_on/",
        {"received_on": "2026-03-10", "version": case.version},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == "#fact-received_on"
    assert "收到申请日期不能晚于已办理步骤的日期（2026-03-03）" in html
    assert 'value="2026-03-10"' in html
    assert Case.objects.get(pk=case.pk).received_on == dt.date(2026, 3, 2)


def test_only_those_who_answer_edit_the_answer(client_for, registrar, handler, fixed_today):
    case = case_in_state("answered", actor=handler)
    assert client_for(registrar).get(f"/desk/cases/{case.pk}/facts/reply/").status_code == 404
    registrar_page = client_for(registrar).get(f"/desk/cases/{case.pk}/").content.decode()
    assert f"/desk/cases/{case.pk}/facts/reply/" not in registrar_page
    handler_page = client_for(handler).get(f"/desk/cases/{case.pk}/").content.decode()
    assert f"/desk/cases/{case.pk}/facts/reply/" in handler_page


def test_an_archived_case_offers_no_edit(client_for, handler, fixed_today):
    case = case_in_state("archived", actor=handler)
    html = client_for(handler).get(f"/desk/cases/{case.pk}/").content.decode()
    assert "/facts/" not in html and buttons(html) == set()


def test_the_outcome_picker_explains_the_outcome(client_for, handler, fixed_today):
    case = case_in_state("reviewed", actor=handler)
    html = (
        client_for(handler)
        .get(f"/desk/cases/{case.pk}/outcome-hint/", {"outcome": "partially_disclosed"})
        .content.decode()
    )
    assert "《中华人民共和国政府信息公开条例》第三十七条" in html and "须说明理由" in html


def test_registering_opens_the_case_page(client_for, registrar, fixed_today):
    from ..factories import resident_id

    response = client_for(registrar).post(
        "/desk/register/",
        {
            "applicant_type": "natural_person",
            "applicant_name": "赵敏",
            "id_type": "resident_id",
            "id_number": resident_id(),
            "channel": "letter",
            "received_on": "2026-03-24",
            "description": "2025年本省就业补助资金分配情况",
        },
    )
    case = Case.objects.get(applicant_name="赵敏")
    assert response.status_code == 302 and response["Location"] == f"/desk/cases/{case.pk}/"
    assert case.created_by == registrar and case.state == "registered"


def test_a_refused_registration_keeps_everything_typed(client_for, registrar, fixed_today):
    html = (
        client_for(registrar)
        .post(
            "/desk/register/",
            {
                "applicant_type": "natural_person",
                "applicant_name": "赵敏",
                "id_type": "resident_id",
                "id_number": "350102198506150011",
                "channel": "letter",
                "received_on": "2026-03-24",
                "description": "2025年本省就业补助资金分配情况",
            },
        )
        .content.decode()
    )
    assert "居民身份证号码校验码错误" in field_block(html, "id_number")
    assert "2025年本省就业补助资金分配情况" in html and 'value="赵敏"' in html
    assert not Case.objects.exists()


def test_the_identity_number_is_checked_as_typed(client_for, registrar, fixed_today):
    from ..factories import resident_id, uscc

    client = client_for(registrar)

    def check(**data):
        return client.post("/desk/identity-check/", data, HTTP_HX_REQUEST="true").content.decode()

    person = {"applicant_type": "natural_person", "id_type": "resident_id"}
    assert "校验码正确" in check(**person, id_number=resident_id())
    assert "居民身份证号码校验码错误" in check(**person, id_number="350102198506150011")
    company = {"applicant_type": "commercial_enterprise", "id_type": "uscc"}
    assert "校验码正确" in check(**company, id_number=uscc())
    assert "自然人应提供" in check(**person | {"id_type": "uscc"}, id_number=uscc())
    assert check(**person, id_number="").strip() == ""
    assert client.get("/desk/identity-check/").status_code == 405


def test_only_clerks_enter_the_desk(client_for, agency):
    from cases.models import Role

    # Every role registers (cases.actions); a user without an agency is no clerk at all.
    outsider = UserFactory(agency=None, role="", is_staff=False)
    for url in ("/desk/", "/desk/register/", "/desk/calendar/", "/desk/reports/"):
        assert client_for(outsider).get(url).status_code == 403, url
    assert (
        client_for(UserFactory(agency=agency, role=Role.HANDLER)).get("/desk/register/").status_code
        == 200
    )

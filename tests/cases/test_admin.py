"""The admin: scoped to the clerk's agency, audit trail read-only, transitions via the services."""

import datetime as dt
import re

import pytest
from django.test import Client

from cases.models import Case, CaseEvent, User

from ..factories import UserFactory, register_case
from .helpers import case_in_state

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_clerk_sees_only_own_agency_in_the_list(handler, other_agency):
    mine = register_case(actor=handler, applicant_name="本机关申请人")
    outsider = UserFactory(agency=other_agency)
    theirs = register_case(actor=outsider, applicant_name="外机关申请人")
    page = login(handler).get("/admin/cases/case/")
    assert page.status_code == 200
    assert mine.reference in page.content.decode()
    assert theirs.reference not in page.content.decode()
    assert login(handler).get(f"/admin/cases/case/{theirs.pk}/change/").status_code == 302


def test_list_filters_and_search(handler):
    old = register_case(actor=handler, applicant_name="甲", received_on=dt.date(2025, 6, 1))
    new = register_case(actor=handler, applicant_name="乙", received_on=dt.date(2026, 6, 1))
    client = login(handler)
    by_year = client.get("/admin/cases/case/?year=2025").content.decode()
    assert old.reference in by_year and new.reference not in by_year
    by_state = client.get("/admin/cases/case/?state=registered").content.decode()
    assert old.reference in by_state and new.reference in by_state
    by_search = client.get(f"/admin/cases/case/?q={new.reference}").content.decode()
    assert new.reference in by_search and old.reference not in by_search
    page = client.get("/admin/cases/case/").content.decode()
    for label in ("办理状态", "办理结果", "申请人类型", "收到年份"):
        assert label in page
    assert "?state=new" not in page  # never a stored state
    answered = client.get("/admin/cases/case/?state=answered").content.decode()
    assert old.reference not in answered


def test_case_page_shows_audit_trail_and_allowed_transitions_only(handler):
    case = case_in_state("registered", actor=handler)
    page = login(handler).get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "操作记录（只读）" in page
    assert re.search(r'field-action_label">\s*<p>登记</p>', page)  # the registration event
    assert page.count('name="_fsm_transition_to"\n  value="review"') == 2  # above and below
    assert 'value="review"' in page and 'value="request_correction"' in page
    assert 'value="withdraw"' in page
    assert 'value="answer"' not in page and 'value="archive"' not in page
    assert 'name="state"' not in page  # never an editable field


def test_registrar_is_not_offered_the_answer_button(registrar, handler):
    case = case_in_state("reviewed", actor=handler)
    page = login(registrar).get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert 'value="withdraw"' in page
    assert 'value="answer"' not in page


def test_transition_button_runs_the_service(handler):
    case = case_in_state("registered", actor=handler)
    client = login(handler)
    url = f"/admin/cases/case/{case.pk}/transition/review/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"on": "2026-03-04", "note": "分配承办"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "reviewed"
    assert case.reviewed_on == dt.date(2026, 3, 4)
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.action, event.actor, event.note) == ("review", handler, "分配承办")


def test_transition_refused_by_the_service_shows_the_reason(handler):
    case = case_in_state("reviewed", actor=handler)
    client = login(handler)
    url = f"/admin/cases/case/{case.pk}/transition/answer/"
    response = client.post(
        url, {"outcome": "withheld_state_secret", "on": "2026-03-05"}, follow=True
    )
    assert "必须说明理由" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "reviewed"

    client.post(
        url, {"outcome": "withheld_state_secret", "reason": "属于国家秘密", "on": "2026-03-05"}
    )
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("answered", "withheld_state_secret")
    assert case.legal_basis == "《中华人民共和国政府信息公开条例》第十四条"


def test_add_and_edit_go_through_the_services(registrar):
    client = login(registrar)
    form = {
        "applicant_type": "natural_person",
        "applicant_name": "后台登记",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "channel": "in_person",
        "received_on": "2026-03-02",
        "description": "某项政策文件",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/cases/case/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(applicant_name="后台登记")
    assert case.state == "registered"
    assert case.reference == "FJRST-2026-00001"
    assert CaseEvent.objects.get(case=case).actor == registrar

    bad = client.post("/admin/cases/case/add/", {**form, "id_number": "110105194912310021"})
    assert bad.status_code == 200
    assert "校验码错误" in bad.content.decode()

    edit = client.post(
        f"/admin/cases/case/{case.pk}/change/",
        {
            **form,
            "applicant_name": "后台更正",
            "events-INITIAL_FORMS": "1",
            "events-TOTAL_FORMS": "1",
        },
    )
    assert edit.status_code == 302
    case.refresh_from_db()
    assert case.applicant_name == "后台更正"
    update = CaseEvent.objects.filter(case=case).latest("id")
    assert update.action == "update"
    assert update.data["applicant_name"]["to"] == "后台更正"


def test_cases_cannot_be_deleted_in_the_admin(agency_admin):
    case = case_in_state("answered", actor=agency_admin)
    client = login(agency_admin)
    assert client.get(f"/admin/cases/case/{case.pk}/delete/").status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


def test_agency_admin_manages_own_agency_users_only(agency_admin, handler, other_agency):
    outsider = UserFactory(agency=other_agency, username="outsider")
    client = login(agency_admin)
    listing = client.get("/admin/cases/user/").content.decode()
    assert "handler" in listing and "outsider" not in listing
    assert client.get(f"/admin/cases/user/{outsider.pk}/change/").status_code == 302

    response = client.post(
        "/admin/cases/user/add/",
        {
            "username": "newclerk",
            "password1": "Zhang-San-2026!",
            "password2": "Zhang-San-2026!",
            "usable_password": "true",
            "role": "registrar",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = User.objects.get(username="newclerk")
    assert (new.agency, new.role, new.is_superuser, new.is_staff) == (
        agency_admin.agency,
        "registrar",
        False,
        True,
    )
    assert client.get(f"/admin/cases/user/{new.pk}/change/").status_code == 200
    assert (
        'name="is_superuser"'
        not in client.get(f"/admin/cases/user/{new.pk}/change/").content.decode()
    )


def test_other_roles_cannot_manage_users(handler):
    assert login(handler).get("/admin/cases/user/").status_code == 403


def test_edit_refused_by_the_service_is_reported_and_not_saved(handler, other_agency):
    case = case_in_state("reviewed", actor=handler)  # received 03-02, reviewed 03-03
    outsider = UserFactory(agency=other_agency, username="outsider")
    client = login(handler)
    form = client.get(f"/admin/cases/case/{case.pk}/change/").context["adminform"].form
    assert outsider not in form.fields["assigned_handler"].queryset
    assert handler in form.fields["assigned_handler"].queryset

    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "received_on": "2026-03-05",
            "assigned_handler": handler.pk,
            "events-TOTAL_FORMS": "2",
            "events-INITIAL_FORMS": "2",
        }
    )
    response = client.post(f"/admin/cases/case/{case.pk}/change/", data, follow=True)
    assert "未保存" in response.content.decode()
    assert "2026-03-03" in response.content.decode()
    case.refresh_from_db()
    assert case.received_on == dt.date(2026, 3, 2)
    assert not CaseEvent.objects.filter(case=case, action="update").exists()

"""What the admin's forms must not leak or overwrite: another agency's handlers on the review
form, and a clerk's save or action over a change a colleague made since the page was opened.
Through Django's test client, as a clerk's browser would post."""

import html

import pytest
from django.test import Client

from cases.models import Case, CaseEvent, Role

from ..factories import UserFactory
from .helpers import case_in_state

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_handler(other_agency):
    return UserFactory(
        username="other_handler",
        first_name="外机关",
        last_name="王",
        agency=other_agency,
        role=Role.HANDLER,
    )


def test_review_form_offers_only_the_agencys_own_handlers(handler, approver, other_handler):
    case = case_in_state("registered", actor=handler)
    url = f"/admin/cases/case/{case.pk}/transition/review/"

    page = html.unescape(login(handler).get(url).content.decode())

    assert f'<option value="{approver.pk}">' in page
    assert f'<option value="{other_handler.pk}">' not in page
    assert "外机关" not in page


def test_review_refuses_another_agencys_handler_posted_by_hand(handler, other_handler):
    case = case_in_state("registered", actor=handler)
    url = f"/admin/cases/case/{case.pk}/transition/review/"

    response = login(handler).post(url, {"handler": other_handler.pk, "version": case.version})

    assert response.status_code == 200  # the form again, with the error on the field
    assert response.context["transition_form"].errors["handler"]
    case.refresh_from_db()
    assert case.state == "registered" and case.assigned_handler_id != other_handler.pk


def _change_form_data(client, case) -> dict:
    form = client.get(f"/admin/cases/case/{case.pk}/change/").context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.update({"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    return data


def test_a_save_over_a_colleagues_change_is_refused_and_keeps_the_input(handler, approver):
    case = case_in_state("reviewed", actor=handler)
    first, second = login(handler), login(approver)
    first_data = _change_form_data(first, case)
    second_data = _change_form_data(second, case)  # both opened the page at the same version

    first_data["contact_phone"] = "0591-11111111"
    assert first.post(f"/admin/cases/case/{case.pk}/change/", first_data).status_code == 302

    second_data["contact_phone"] = "0591-22222222"
    response = second.post(f"/admin/cases/case/{case.pk}/change/", second_data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "该申请已被他人修改，请刷新后重试" in page
    assert 'value="0591-22222222"' in page  # what the second clerk typed is still there
    case.refresh_from_db()
    assert case.contact_phone == "0591-11111111"
    assert CaseEvent.objects.filter(case=case, action="update").count() == 1


def test_an_action_over_a_colleagues_change_is_refused(handler, approver):
    case = case_in_state("reviewed", actor=handler)
    url = f"/admin/cases/case/{case.pk}/transition/answer/"
    client = login(handler)
    form = client.get(url).context["transition_form"]
    read_version = form.initial["version"]
    assert read_version == case.version

    # Meanwhile a colleague corrects the applicant's phone number.
    colleague = login(approver)
    data = _change_form_data(colleague, case)
    data["contact_phone"] = "0591-11111111"
    assert colleague.post(f"/admin/cases/case/{case.pk}/change/", data).status_code == 302

    response = client.post(
        url, {"outcome": "disclosed", "reply": "现将信息提供如下", "version": read_version}
    )

    assert response.status_code == 200
    assert "该申请已被他人修改，请刷新后重试" in html.unescape(response.content.decode())
    assert Case.objects.get(pk=case.pk).state == "reviewed"
    assert not CaseEvent.objects.filter(case=case, action="answer").exists()

"""PATCH edits data fields only, audited, never the state or the action results."""

import pytest

from cases.models import Case, CaseEvent

from ..factories import UserFactory
from .helpers import case_in_state

pytestmark = pytest.mark.django_db


def patch(client, case_id, **data):
    return client.patch(f"/api/cases/{case_id}/", data, format="json")


def test_patch_edits_data_and_audits_the_difference(api, registrar, handler):
    case = case_in_state("registered", actor=registrar)
    response = patch(
        api(registrar),
        case.pk,
        applicant_name="林晓明",
        contact_phone="13800000000",
        assigned_handler=handler.pk,
        note="申请人来电更正姓名",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["applicant_name"] == "林晓明"
    assert body["assigned_handler"] == handler.pk
    assert body["version"] == case.version + 1
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert event.action == "update"
    assert event.from_state == event.to_state == "registered"
    assert event.data["applicant_name"] == {"from": "张三", "to": "林晓明"}
    assert event.data["assigned_handler"] == {"from": None, "to": "handler"}
    assert event.note == "申请人来电更正姓名"


def test_patch_without_change_writes_nothing(api, registrar):
    case = case_in_state("registered", actor=registrar)
    response = patch(api(registrar), case.pk, applicant_name=case.applicant_name)
    assert response.status_code == 200
    assert response.json()["version"] == case.version
    assert CaseEvent.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("state", "answered"),
        ("outcome", "disclosed"),
        ("answered_on", "2026-03-05"),
        ("reference", "X-1"),
        ("agency", "FJJYT"),
        ("extension_days", 5),
    ],
)
def test_patch_refuses_state_and_action_results(api, handler, field, value):
    case = case_in_state("reviewed", actor=handler)
    response = patch(api(handler), case.pk, **{field: value})
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert Case.objects.get(pk=case.pk).state == "reviewed"
    assert Case.objects.get(pk=case.pk).outcome == ""


def test_put_is_not_offered(api, handler):
    case = case_in_state("registered", actor=handler)
    response = api(handler).put(f"/api/cases/{case.pk}/", {}, format="json")
    assert response.status_code == 405


def test_patch_validates_like_registration(api, handler):
    case = case_in_state("registered", actor=handler)
    response = patch(api(handler), case.pk, id_number="110105194912310021")
    assert response.status_code == 400
    assert "id_number" in response.json()["fields"]
    response = patch(api(handler), case.pk, received_on="2999-01-01")
    assert "received_on" in response.json()["fields"]


def test_received_on_cannot_move_after_a_recorded_step(api, handler):
    case = case_in_state("reviewed", actor=handler)  # received 03-02, reviewed 03-03
    response = patch(api(handler), case.pk, received_on="2026-03-04")
    assert response.status_code == 400
    assert "2026-03-03" in response.json()["fields"]["received_on"]
    assert patch(api(handler), case.pk, received_on="2026-03-01").status_code == 200


def test_reason_cannot_be_blanked_on_a_withheld_answer(api, handler):
    case = case_in_state("reviewed", actor=handler)
    api(handler).post(
        f"/api/cases/{case.pk}/answer/",
        {"outcome": "withheld_internal_affairs", "reason": "属于内部管理信息"},
        format="json",
    )
    response = patch(api(handler), case.pk, reason="")
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_handler_must_belong_to_the_agency(api, handler, other_agency):
    stranger = UserFactory(agency=other_agency)
    case = case_in_state("registered", actor=handler)
    response = patch(api(handler), case.pk, assigned_handler=stranger.pk)
    assert response.status_code == 400
    assert "assigned_handler" in response.json()["fields"]


def test_handler_name_reads_family_name_first(api, handler):
    handler.last_name, handler.first_name = "林", "志远"
    handler.save()
    case = case_in_state("reviewed", actor=handler)
    assert api(handler).get(f"/api/cases/{case.pk}/").json()["assigned_handler_name"] == "林志远"

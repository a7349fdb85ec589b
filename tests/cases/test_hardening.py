"""The case API gives no server error on any input, and every input is bounded.

Each refusal is the usual JSON error naming the parameter or field; nothing odd reaches the
database.
"""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import RequestDataTooBig

from cases import clock, limits, services
from cases.errors import InvalidInput
from cases.models import Case, CaseEvent
from cases.parsers import JSONObjectParser

from ..factories import UserFactory, register_case
from .helpers import PAYLOADS, act, case_in_state
from .test_lifecycle import NEW_CASE

pytestmark = pytest.mark.django_db


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    if field is not None:
        assert field in body["fields"], body
        assert body["fields"][field]
    return body


# 1. List filters: whole numbers and dates within bounds, else a 400 naming the parameter


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("year=0", "year"),
        ("year=-1", "year"),
        ("year=99999", "year"),
        ("year=7e16", "year"),
        ("year=2007", "year"),
        ("year=2025.5", "year"),
        ("due_within=99999999999999999999", "due_within"),
        ("due_within=100000", "due_within"),
        ("due_within=367", "due_within"),
        ("due_within=-1", "due_within"),
        ("due_within=1e3", "due_within"),
        ("assigned_handler=99999999999999999999", "assigned_handler"),
        ("assigned_handler=1e30", "assigned_handler"),
        ("received_on_after=0001-01-01", "received_on"),
        ("received_on_before=1900-01-01", "received_on"),
        ("received_on_after=2100-01-01", "received_on"),
        ("answered_on_before=9999-12-31", "answered_on"),
        ("answered_on_after=2008-04-30", "answered_on"),
        ("due_before=0001-01-01", "due_before"),
        ("due_before=9999-12-31", "due_before"),
    ],
)
def test_list_filters_are_bounded(api, handler, query, parameter):
    register_case(actor=handler)
    assert_error(api(handler).get(f"/api/cases/?{query}"), 400, parameter)


def test_list_filters_accept_their_whole_range(api, handler):
    register_case(actor=handler)
    client = api(handler)
    next_year = clock.today().year + 1
    for query in (
        "year=2008",
        f"year={next_year}",
        "due_within=0",
        f"due_within={limits.DUE_WITHIN_MAX_DAYS}",
        "received_on_after=2008-05-01&received_on_before=2099-12-31",
        "due_before=2099-12-31",
        "assigned_handler=1",
    ):
        assert client.get(f"/api/cases/?{query}").status_code == 200, query
    assert_error(client.get(f"/api/cases/?year={next_year + 1}"), 400, "year")


def test_search_is_bounded(api, handler):
    register_case(actor=handler, applicant_name="林晓明")
    client = api(handler)
    many = "+".join(f"t{i}" for i in range(limits.SEARCH_MAX_TERMS + 1))
    assert_error(client.get(f"/api/cases/?search={many}"), 400, "search")
    long = "林" * (limits.SEARCH_MAX_LENGTH + 1)
    assert_error(client.get(f"/api/cases/?search={long}"), 400, "search")
    terms = "+".join(["林晓明"] * limits.SEARCH_MAX_TERMS)
    assert client.get(f"/api/cases/?search={terms}").json()["count"] == 1


# 2. Detail routes ignore the list's filters, search and ordering


LIST_ONLY_QUERY = "due_within=100000&year=0&state=archived&search=nomatch&ordering=bogus"


def test_detail_routes_ignore_list_filters(api, handler):
    case = case_in_state("registered", actor=handler)
    client = api(handler)
    base = f"/api/cases/{case.pk}"
    for path in (f"{base}/", f"{base}/events/", f"{base}/deadline/"):
        response = client.get(f"{path}?{LIST_ONLY_QUERY}")
        assert response.status_code == 200, (path, response.content)
    patched = client.patch(
        f"{base}/?{LIST_ONLY_QUERY}", {"applicant_name": "林晓明"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    reviewed = client.post(f"{base}/review/?{LIST_ONLY_QUERY}", {}, format="json")
    assert reviewed.status_code == 200, reviewed.content
    # The list itself still filters.
    assert_error(client.get(f"/api/cases/?{LIST_ONLY_QUERY}"), 400, "due_within")


# 3. Request bodies: one JSON object, bounded in size and depth, without NUL


@pytest.mark.parametrize("body", ["null", "true", "5", "[]", '[{"a": 1}]', '"text"', "1e999"])
def test_a_body_that_is_not_an_object_is_refused(api, handler, body):
    case = case_in_state("registered", actor=handler)
    client = api(handler)
    for method, path in (
        ("patch", f"/api/cases/{case.pk}/"),
        ("post", "/api/cases/"),
        ("post", f"/api/cases/{case.pk}/review/"),
        ("post", "/api/agencies/"),
    ):
        response = getattr(client, method)(path, body, content_type="application/json")
        assert_error(response, 400)
    assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize(
    "body",
    [
        "[" * 5000,
        "[" * 5000 + "]" * 5000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        '{"note": ' + "[" * 40 + "]" * 40 + "}",
        '{"note": ' + '{"a": ' * (limits.JSON_MAX_DEPTH) + "1" + "}" * limits.JSON_MAX_DEPTH + "}",
    ],
)
def test_a_deeply_nested_body_is_refused(api, handler, body):
    case = case_in_state("registered", actor=handler)
    response = api(handler).patch(f"/api/cases/{case.pk}/", body, content_type="application/json")
    assert_error(response, 400)


def test_depth_and_nul_are_checked_even_in_fields_the_view_ignores(api, handler):
    case = case_in_state("registered", actor=handler)
    deep = "[" * (limits.JSON_MAX_DEPTH + 1) + "]" * (limits.JSON_MAX_DEPTH + 1)
    for body in (f'{{"extra": {deep}}}', '{"extra": "\\u0000"}', '{"extra": {"a\\u0000": 1}}'):
        response = api(handler).post(
            f"/api/cases/{case.pk}/review/", body, content_type="application/json"
        )
        assert_error(response, 400)
    assert Case.objects.get(pk=case.pk).state == "registered"


def test_a_body_at_the_depth_limit_is_parsed(api, handler):
    case = case_in_state("registered", actor=handler)
    nested = "[" * (limits.JSON_MAX_DEPTH - 1) + "]" * (limits.JSON_MAX_DEPTH - 1)
    response = api(handler).patch(
        f"/api/cases/{case.pk}/", f'{{"note": {nested}}}', content_type="application/json"
    )
    # Parsed, then refused by the serializer: a list is not a note.
    assert_error(response, 400, "note")


@pytest.mark.parametrize(
    "body, field",
    [
        ('{"applicant_name": "林\\u0000明"}', "applicant_name"),
        ('{"description": "x", "note": "a\\u0000"}', "note"),
        ('{"applicant_name": ["\\u0000"]}', "applicant_name"),
        ('{"appl\\u0000icant_name": "林晓明"}', None),
        ('{"x": {"\\u0000": 1}}', None),
    ],
)
def test_nul_in_a_json_body_is_refused(api, handler, body, field):
    case = case_in_state("registered", actor=handler)
    response = api(handler).patch(f"/api/cases/{case.pk}/", body, content_type="application/json")
    assert_error(response, 400, field)
    response = api(handler).post("/api/cases/", body, content_type="application/json")
    assert_error(response, 400, field)


@pytest.mark.parametrize("body", ['{"version": NaN}', '{"version": Infinity}', "{", b"\xff\xfe"])
def test_malformed_json_is_a_400(api, handler, body):
    case = case_in_state("registered", actor=handler)
    response = api(handler).patch(f"/api/cases/{case.pk}/", body, content_type="application/json")
    body = assert_error(response, 400)
    assert body["code"] == "parse_error"


def test_an_oversized_body_is_a_413(api, handler, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    case = case_in_state("registered", actor=handler)
    client = api(handler)
    big = {**NEW_CASE, "description": "x" * 10_000}
    for content_type, data in (
        ("application/json", json.dumps(big)),
        ("application/x-www-form-urlencoded", "description=" + "x" * 10_000),
    ):
        response = client.post("/api/cases/", data, content_type=content_type)
        body = assert_error(response, 413)
        assert body["code"] == "payload_too_large"
    response = client.patch(f"/api/cases/{case.pk}/", big, format="multipart")
    assert_error(response, 413)
    assert not Case.objects.exclude(pk=case.pk).exists()


def test_the_default_limit_applies_too(api, handler, settings):
    case = case_in_state("registered", actor=handler)
    body = json.dumps({"note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = api(handler).patch(f"/api/cases/{case.pk}/", body, content_type="application/json")
    assert_error(response, 413)


def test_the_parser_never_reads_past_the_limit(rf, settings):
    """Whatever the declared length, at most one byte past the limit is read."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    stream = io.BytesIO(b'{"note": "' + b"x" * 10_000 + b'"}')
    request = rf.post("/api/cases/", b"{}", content_type="application/json")  # declares 2 bytes
    with pytest.raises(RequestDataTooBig):
        JSONObjectParser().parse(stream, parser_context={"request": request})
    assert stream.tell() == 101


def test_form_and_multipart_bodies_still_work(api, handler):
    case = case_in_state("registered", actor=handler)
    client = api(handler)
    response = client.patch(
        f"/api/cases/{case.pk}/", {"applicant_name": "林晓明"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    response = client.patch(
        f"/api/cases/{case.pk}/",
        "contact_phone=13800000000",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    assert response.json()["applicant_name"] == "林晓明"


# 7. Dates from the 2008 Regulations on; fee amounts and integers bounded


@pytest.mark.parametrize("received_on", ["0001-01-01", "1900-01-01", "2008-04-30"])
def test_received_on_is_not_before_the_2008_regulations(api, registrar, received_on):
    response = api(registrar).post(
        "/api/cases/", {**NEW_CASE, "received_on": received_on}, format="json"
    )
    body = assert_error(response, 400, "received_on")
    assert "2008年5月1日" in body["fields"]["received_on"]
    assert not Case.objects.exists()


def test_received_on_of_2008_05_01_is_accepted(api, registrar):
    response = api(registrar).post(
        "/api/cases/", {**NEW_CASE, "received_on": "2008-05-01"}, format="json"
    )
    assert response.status_code == 201, response.content


def test_a_patch_cannot_move_received_on_before_2008(api, handler):
    case = case_in_state("registered", actor=handler)
    response = api(handler).patch(
        f"/api/cases/{case.pk}/", {"received_on": "1900-01-01"}, format="json"
    )
    assert "2008年5月1日" in assert_error(response, 400, "received_on")["fields"]["received_on"]


def test_the_services_refuse_early_dates_for_the_admin_too(handler):
    with pytest.raises(InvalidInput) as refused:
        register_case(actor=handler, received_on=dt.date(1900, 1, 1))
    assert "2008年5月1日" in refused.value.fields["received_on"]
    case = register_case(actor=handler)
    with pytest.raises(InvalidInput) as refused:
        services.case_review(case=case, actor=handler, on=dt.date(2001, 1, 1))
    assert "2008年5月1日" in refused.value.fields["on"]


@pytest.mark.parametrize("action", list(PAYLOADS))
def test_every_action_date_is_from_2008_05_01(api, agency_admin, action):
    case = register_case(actor=agency_admin)
    payload = {**PAYLOADS[action], "on": "1900-01-01"}
    response = act(api(agency_admin), case.pk, action, **payload)
    assert "2008年5月1日" in assert_error(response, 400, "on")["fields"]["on"]


@pytest.mark.parametrize("amount", ["100000.01", "99999999.99"])
def test_fee_amount_is_capped(api, handler, amount):
    case = case_in_state("reviewed", actor=handler)
    response = act(api(handler), case.pk, "issue-fee-notice", basis="per_page", amount=amount)
    assert_error(response, 400, "amount")
    assert Case.objects.get(pk=case.pk).state == "reviewed"


def test_fee_amount_at_the_cap_is_accepted(api, handler):
    case = case_in_state("reviewed", actor=handler)
    response = act(
        api(handler),
        case.pk,
        "issue-fee-notice",
        basis="per_page",
        amount="100000.00",
        on="2026-03-04",
    )
    assert response.status_code == 200, response.content
    with pytest.raises(InvalidInput) as refused:
        services.case_issue_fee_notice(
            case=case_in_state("reviewed", actor=handler),
            actor=handler,
            basis="per_page",
            amount=limits.FEE_AMOUNT_MAX + 1,
            on=dt.date(2026, 3, 4),
        )
    assert "amount" in refused.value.fields


HUGE = 10**20


@pytest.mark.parametrize(
    "state, action, payload, field",
    [
        ("registered", "review", {"version": HUGE}, "version"),
        ("registered", "review", {"version": -1}, "version"),
        ("registered", "review", {"version": 2**31}, "version"),
        ("registered", "review", {"handler": HUGE}, "handler"),
        ("registered", "review", {"handler": -1}, "handler"),
        ("registered", "request-correction", {"items": "补", "period_days": HUGE}, "period_days"),
        ("reviewed", "extend", {"working_days": HUGE, "reason": "档案"}, "working_days"),
        ("reviewed", "extend", {"working_days": -HUGE, "reason": "档案"}, "working_days"),
    ],
)
def test_integers_in_action_bodies_are_bounded(api, agency_admin, state, action, payload, field):
    case = case_in_state(state, actor=agency_admin)
    assert_error(act(api(agency_admin), case.pk, action, **payload), 400, field)
    assert Case.objects.get(pk=case.pk).state == state


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"version": HUGE}, "version"),
        ({"assigned_handler": HUGE}, "assigned_handler"),
        ({"assigned_handler": 0}, "assigned_handler"),
    ],
)
def test_integers_in_a_patch_are_bounded(api, handler, changes, field):
    case = case_in_state("registered", actor=handler)
    response = api(handler).patch(f"/api/cases/{case.pk}/", changes, format="json")
    assert_error(response, 400, field)


def test_a_huge_case_id_in_the_path_is_not_found(api, handler):
    client = api(handler)
    assert_error(client.get(f"/api/cases/{HUGE}/"), 404)
    assert_error(act(client, HUGE, "review"), 404)


# 8. Text lengths


TEXT_LIMITS = [
    ("registered", "register", "description", limits.DESCRIPTION_MAX),
    ("registered", "register", "note", limits.NOTE_MAX),
    ("registered", "patch", "description", limits.DESCRIPTION_MAX),
    ("answered", "patch", "reply", limits.REPLY_MAX),
    ("answered", "patch", "reason", limits.REASON_MAX),
    ("answered", "patch", "legal_basis", limits.LEGAL_BASIS_MAX),
    ("registered", "patch", "note", limits.NOTE_MAX),
    ("reviewed", "answer", "reply", limits.REPLY_MAX),
    ("reviewed", "answer", "reason", limits.REASON_MAX),
    ("reviewed", "answer", "legal_basis", limits.LEGAL_BASIS_MAX),
    ("reviewed", "answer", "note", limits.NOTE_MAX),
    ("registered", "request-correction", "items", limits.CORRECTION_ITEMS_MAX),
    ("consulting", "receive-opinion", "opinion", limits.OPINION_MAX),
    ("reviewed", "extend", "reason", limits.EXTENSION_REASON_MAX),
    ("reviewed", "consult", "party", limits.PARTY_MAX),
]


@pytest.mark.parametrize("state, route, field, limit", TEXT_LIMITS)
def test_texts_are_bounded(api, agency_admin, platform_admin, state, route, field, limit):
    case = case_in_state(state, actor=agency_admin)
    # Only the head of the office extends (Art. 33); a platform admin may do anything.
    client = api(platform_admin if route == "extend" else agency_admin)

    def send(text):
        if field == "legal_basis":  # a basis must cite an article of the Regulations
            text = "第三十六条" + text[5:]
        if route == "register":
            return client.post("/api/cases/", {**NEW_CASE, field: text}, format="json")
        if route == "patch":
            return client.patch(f"/api/cases/{case.pk}/", {field: text}, format="json")
        payload = {**PAYLOADS[route], field: text}
        if route == "answer" and field == "reason":
            payload["outcome"] = "partially_disclosed"
        return act(client, case.pk, route, **payload)

    assert_error(send("字" * (limit + 1)), 400, field)
    response = send("字" * limit)
    assert response.status_code in (200, 201), response.content


def test_a_megabyte_of_text_is_refused(api, registrar):
    response = api(registrar).post(
        "/api/cases/", {**NEW_CASE, "description": "x" * 1_000_000}, format="json"
    )
    assert_error(response, 400, "description")


# 9. Who may edit an answered case; an archived case is read-only


@pytest.mark.parametrize("field", ["reply", "legal_basis", "reason"])
def test_only_answering_roles_edit_the_answer(api, handler, registrar, field):
    case = case_in_state("answered", actor=handler)
    text = "《中华人民共和国政府信息公开条例》第十五条" if field == "legal_basis" else "改写"
    response = api(registrar).patch(f"/api/cases/{case.pk}/", {field: text}, format="json")
    body = assert_error(response, 403, field)
    assert body["code"] == "permission_denied"
    assert "承办人" in body["message"] and "负责人" in body["message"]
    assert getattr(Case.objects.get(pk=case.pk), field) != text

    edited = api(handler).patch(f"/api/cases/{case.pk}/", {field: text}, format="json")
    assert edited.json()[field] == text


def test_a_registrar_may_echo_the_answer_unchanged(api, handler, registrar):
    case = case_in_state("answered", actor=handler)
    response = api(registrar).patch(
        f"/api/cases/{case.pk}/",
        {"reply": case.reply, "legal_basis": case.legal_basis, "contact_phone": "13800000000"},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_a_registrar_still_edits_the_applicants_data(api, handler, registrar):
    case = case_in_state("answered", actor=handler)
    response = api(registrar).patch(
        f"/api/cases/{case.pk}/", {"contact_phone": "13800000000"}, format="json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "changes",
    [
        {"reply": "改写"},
        {"applicant_type": "commercial_enterprise"},
        {"contact_phone": "13800000000"},
        {"applicant_name": "张三"},  # unchanged: still an edit of a closed file
    ],
)
def test_an_archived_case_is_read_only(
    api, handler, registrar, agency_admin, platform_admin, changes
):
    case = case_in_state("archived", actor=handler)
    events = CaseEvent.objects.filter(case=case).count()
    for user in (registrar, handler, agency_admin, platform_admin):
        response = api(user).patch(f"/api/cases/{case.pk}/", changes, format="json")
        if "reply" in changes and user == registrar:
            assert_error(response, 403)
            continue
        body = assert_error(response, 409)
        assert (body["code"], body["message"]) == ("case_archived", "已归档的申请不能修改")
    assert CaseEvent.objects.filter(case=case).count() == events


# 10. No enumeration of users or agencies


def test_an_unknown_handler_and_another_agencys_are_refused_alike(api, handler, other_agency):
    stranger = UserFactory(agency=other_agency, role="handler")
    unknown = stranger.pk + 1000
    client = api(handler)

    def answers(send):
        first, second = send(stranger.pk), send(unknown)
        assert first.status_code == second.status_code == 400
        assert first.json() == second.json()
        return first.json()

    body = answers(
        lambda uid: client.post("/api/cases/", {**NEW_CASE, "assigned_handler": uid}, format="json")
    )
    assert "assigned_handler" in body["fields"]
    case = case_in_state("registered", actor=handler)
    body = answers(
        lambda uid: client.patch(f"/api/cases/{case.pk}/", {"assigned_handler": uid}, format="json")
    )
    assert "assigned_handler" in body["fields"]
    body = answers(lambda uid: act(client, case.pk, "review", handler=uid))
    assert "handler" in body["fields"]
    assert Case.objects.get(pk=case.pk).state == "registered"


def test_a_registrar_without_the_review_right_learns_nothing_either(
    api, registrar, handler, other_agency
):
    stranger = UserFactory(agency=other_agency, role="handler")
    case = case_in_state("registered", actor=handler)
    first = act(api(registrar), case.pk, "review", handler=stranger.pk)
    second = act(api(registrar), case.pk, "review", handler=stranger.pk + 1000)
    assert (first.status_code, first.json()) == (second.status_code, second.json())


def test_an_unknown_agency_code_and_another_agencys_are_refused_alike(api, registrar, other_agency):
    client = api(registrar)
    elsewhere = client.post("/api/cases/", {**NEW_CASE, "agency": other_agency.code}, format="json")
    unknown = client.post("/api/cases/", {**NEW_CASE, "agency": "NOPE"}, format="json")
    assert elsewhere.status_code == unknown.status_code == 403
    assert elsewhere.json()["message"] == unknown.json()["message"]
    assert elsewhere.json()["fields"] == unknown.json()["fields"]
    assert not Case.objects.exists()


def test_a_platform_admin_is_told_a_code_is_unknown(api, platform_admin, other_agency):
    response = api(platform_admin).post(
        "/api/cases/", {**NEW_CASE, "agency": "NOPE"}, format="json"
    )
    assert_error(response, 400, "agency")

"""Art. 35 (a number of requests clearly beyond a reasonable range: the flag, asking for
reasons, a reasonable later reply date) and Art. 36(6) (a repeat of an answered request,
pointed out at registration with pg_trgm)."""

import datetime as dt

import pytest

from cases import services
from cases.models import Agency, Case

from ..factories import UserFactory, register_case, resident_id
from .helpers import act

pytestmark = pytest.mark.django_db


def flood(actor, count, *, start=dt.date(2026, 3, 2), id_number=None):
    id_number = id_number or resident_id()
    return [
        register_case(actor=actor, id_number=id_number, received_on=start + dt.timedelta(days=i))
        for i in range(count)
    ]


def test_more_than_ten_requests_in_thirty_days_are_flagged(api, handler):
    cases = flood(handler, 11)
    tenth, eleventh = (api(handler).get(f"/api/cases/{c.pk}/").json() for c in cases[-2:])
    assert (tenth["volume_count"], tenth["volume_flag"]) == (10, False)
    assert (eleventh["volume_count"], eleventh["volume_flag"]) == (11, True)
    applicant = api(handler).get(f"/api/applicants/{eleventh['applicant']}/").json()
    assert applicant["volume"]["threshold"] == 10
    assert applicant["volume"]["window_days"] == 30


def test_requests_outside_the_window_do_not_count(handler):
    number = resident_id()
    flood(handler, 10, start=dt.date(2026, 1, 5), id_number=number)
    later = register_case(actor=handler, id_number=number, received_on=dt.date(2026, 3, 2))
    assert (later.volume_count, later.volume_flag) == (1, False)


def test_each_agency_sets_its_threshold(api, agency, agency_admin, handler):
    client = api(agency_admin)
    for bad in (0, -1, "三", 10_001):
        response = client.patch(f"/api/agencies/{agency.code}/", {"volume_threshold": bad})
        assert response.status_code == 400, bad
        assert "volume_threshold" in response.json()["fields"]
    assert Agency.objects.get(pk=agency.pk).volume_threshold == 10
    refused = api(handler).patch(f"/api/agencies/{agency.code}/", {"volume_threshold": 3})
    assert refused.status_code == 403

    response = client.patch(f"/api/agencies/{agency.code}/", {"volume_threshold": 3})

    assert response.status_code == 200, response.json()
    assert response.json()["volume_threshold"] == 3
    handler.agency.refresh_from_db()
    fourth = flood(handler, 4)[-1]
    assert fourth.volume_flag is True


def test_another_agency_cannot_be_set(api, agency_admin, other_agency):
    response = api(agency_admin).patch(
        f"/api/agencies/{other_agency.code}/", {"volume_threshold": 3}
    )
    assert response.status_code == 404


def test_asking_for_reasons_then_setting_a_reasonable_period(api, handler):
    case = flood(handler, 11)[-1]  # received 2026-03-12
    case = services.case_review(case=case, actor=handler, on=dt.date(2026, 3, 12))
    assert case.due_on == dt.date(2026, 4, 10)
    client = api(handler)

    asked = act(client, case.pk, "ask-reasons", on="2026-03-13", content="请说明申请用途")
    assert asked.status_code == 200, asked.json()
    assert asked.json()["reasons_requested_on"] == "2026-03-13"
    assert asked.json()["state"] == "reviewed"
    assert asked.json()["due_on"] == "2026-04-10"  # asking does not stop the clock
    again = act(client, case.pk, "ask-reasons", on="2026-03-13")
    assert again.status_code == 409

    too_early = act(
        client, case.pk, "set-reasonable-period", on="2026-03-20", until="2026-04-09", reason="x"
    )
    assert too_early.status_code == 400
    assert "2026-04-10" in too_early.json()["fields"]["until"]
    no_reason = act(client, case.pk, "set-reasonable-period", on="2026-03-20", until="2026-05-29")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]

    response = act(
        client,
        case.pk,
        "set-reasonable-period",
        on="2026-03-20",
        until="2026-05-29",
        reason="理由合理，但涉及十余年档案",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["reasonable_until"], body["due_on"]) == ("2026-05-29", "2026-05-29")
    deadline = client.get(f"/api/cases/{case.pk}/deadline/").json()
    assert deadline["reasonable_until"] == "2026-05-29"
    assert deadline["due_on"] == "2026-05-29"
    text = "\n".join(deadline["explanation"])
    assert "第三十五条" in text and "2026-05-29" in text
    assert (
        act(client, case.pk, "set-reasonable-period", until="2026-06-30", reason="x").status_code
        == 409
    )


def test_an_answer_not_processed_as_excessive_after_reasons(api, handler):
    case = flood(handler, 12)[-1]
    case = services.case_review(case=case, actor=handler, on=dt.date(2026, 3, 13))
    act(api(handler), case.pk, "ask-reasons", on="2026-03-13")
    response = act(
        api(handler), case.pk, "answer", on="2026-03-20", outcome="not_processed_excessive"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "not_processed_excessive"


def test_a_registrar_may_not_ask_for_reasons(api, registrar, handler):
    case = register_case(actor=handler)
    assert act(api(registrar), case.pk, "ask-reasons").status_code == 403


# Repeat requests (Art. 36(6))

ANSWERED_TEXT = "请公开2025年本市城镇职工基本养老保险基金收支情况"


def answered(actor, *, id_number, description=ANSWERED_TEXT, outcome="disclosed"):
    case = register_case(
        actor=actor, id_number=id_number, description=description, received_on=dt.date(2026, 1, 5)
    )
    case = services.case_review(case=case, actor=actor, on=dt.date(2026, 1, 6))
    if outcome == "withdrawn":
        return services.case_withdraw(case=case, actor=actor, on=dt.date(2026, 1, 7))
    return services.case_answer(case=case, actor=actor, outcome=outcome, on=dt.date(2026, 1, 7))


def register_again(api, user, id_number, description):
    response = api(user).post(
        "/api/cases/",
        {
            "applicant_type": "natural_person",
            "applicant_name": "张三",
            "id_type": "resident_id",
            "id_number": id_number,
            "channel": "online",
            "received_on": "2026-03-02",
            "description": description,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.postgres
def test_a_repeat_of_an_answered_request_is_pointed_out(api, handler, other_agency):
    number = resident_id()
    earlier = answered(handler, id_number=number)
    unrelated = answered(handler, id_number=number, description="某街道拆迁补偿安置方案的批复文件")
    withdrawn = answered(handler, id_number=number, outcome="withdrawn")
    still_open = register_case(actor=handler, id_number=number, description=ANSWERED_TEXT)
    someone_else = answered(handler, id_number=resident_id())
    outsider = UserFactory(agency=other_agency)
    elsewhere = answered(outsider, id_number=number)

    body = register_again(
        api, handler, number, "申请公开2025年本市城镇职工基本养老保险基金的收支情况"
    )

    similar = body["similar_cases"]
    assert [row["id"] for row in similar] == [earlier.pk]
    assert 0.3 <= similar[0]["score"] <= 1
    assert similar[0]["reference"] == earlier.reference
    assert similar[0]["outcome"] == "disclosed"
    found = {row["id"] for row in similar}
    for other in (unrelated, withdrawn, still_open, someone_else, elsewhere):
        assert other.pk not in found


@pytest.mark.postgres
def test_the_lookup_uses_pg_trgm_and_its_index(handler):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_description_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]


def test_an_exact_repeat_scores_one_and_never_blocks(api, handler):
    number = resident_id()
    earlier = answered(handler, id_number=number)
    body = register_again(api, handler, number, ANSWERED_TEXT)
    assert body["state"] == "registered"
    assert [(row["id"], row["score"]) for row in body["similar_cases"]] == [(earlier.pk, 1.0)]
    assert Case.objects.filter(applicant_id=body["applicant"]).count() == 2


def test_a_first_request_has_no_similar_cases(api, handler):
    body = register_again(api, handler, resident_id(), ANSWERED_TEXT)
    assert body["similar_cases"] == []

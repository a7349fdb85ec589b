"""The applicant as a person on the desk: the case page names the applicant with their Art. 35
count and their earlier answered requests that read alike; the applicant's page lists every
request and the count per month. Through HTTP, logged in."""

import datetime as dt

import pytest

from cases import services

from ..factories import UserFactory, register_case, resident_id

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_applicants_volume_and_similar_earlier_requests(
    client_for, handler, agency, fixed_today
):
    number = resident_id()
    person = {"applicant_name": "陈美玲", "id_number": number}
    earlier = register_case(
        actor=handler,
        received_on=dt.date(2026, 3, 2),
        description="2025年本市城镇职工基本养老保险基金收支情况",
        **person,
    )
    earlier = services.case_review(case=earlier, actor=handler, on=dt.date(2026, 3, 3))
    services.case_answer(case=earlier, actor=handler, outcome="disclosed", on=dt.date(2026, 3, 9))
    again = register_case(
        actor=handler,
        received_on=dt.date(2026, 3, 20),
        description="2025年本市城镇职工基本养老保险基金的收支情况",
        **person,
    )
    other = register_case(
        actor=handler,
        received_on=dt.date(2026, 3, 23),
        description="本厅2025年的政府采购合同",
        **person,
    )

    html = client_for(handler).get(f"/desk/cases/{again.pk}/").content.decode()
    assert f'href="/desk/applicants/{again.applicant_id}/"' in html
    assert number in html  # in full, on the case page of the agency's own user
    assert "近30日申请 3 件" in html and "超过本机关设定" not in html
    assert f'data-similar="{earlier.reference}"' in html
    assert "予以公开" in html
    # Unlike requests are not offered as repeats.
    unlike = client_for(handler).get(f"/desk/cases/{other.pk}/").content.decode()
    assert "data-similar=" not in unlike

    # Over the agency's threshold the panel says so (Art. 35).
    agency.volume_threshold = 2
    agency.save()
    html = client_for(handler).get(f"/desk/cases/{again.pk}/").content.decode()
    assert "超过本机关设定的2件" in html


def test_the_applicants_page_lists_every_request_and_each_month(
    client_for, handler, other_agency, fixed_today
):
    number = resident_id()
    cases = [
        register_case(actor=handler, id_number=number, received_on=day)
        for day in (dt.date(2026, 1, 5), dt.date(2026, 3, 2), dt.date(2026, 3, 16))
    ]
    page = f"/desk/applicants/{cases[0].applicant_id}/"
    html = client_for(handler).get(page).content.decode()
    assert "全部申请（3）" in html
    assert all(f'data-reference="{case.reference}"' in html for case in cases)
    assert '<td>2026-03</td><td class="num">2</td>' in html
    assert '<td>2026-01</td><td class="num">1</td>' in html
    stranger = UserFactory(agency=other_agency)
    assert client_for(stranger).get(page).status_code == 404


def test_a_platform_admin_sees_the_identity_number_masked(
    client_for, handler, platform_admin, fixed_today
):
    """Personal data in full only for the agency's own users, as in the API."""
    number = "350102198506152605"
    case = register_case(actor=handler, id_number=number)
    pages = (f"/desk/cases/{case.pk}/", f"/desk/applicants/{case.applicant_id}/")
    for page in pages:
        assert number in client_for(handler).get(page).content.decode(), page
        html = client_for(platform_admin).get(page).content.decode()
        assert number not in html and "350***********2605" in html, page

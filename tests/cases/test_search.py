"""One search box, in the API and the admin: reference and applicant name as before, and the
identity number, the phone number (exact, on the normalised value) and a phrase of the
request."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client

from cases import services
from cases.models import Case

from ..factories import UserFactory, register_case

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def cases(handler, other_agency):
    wanted = register_case(
        actor=handler,
        applicant_name="林建国",
        id_number=ID_NUMBER,
        contact_phone="0591-8765 4321",
        description="2025年本市城镇职工基本养老保险基金收支情况",
    )
    other = register_case(
        actor=handler,
        applicant_name="陈美玲",
        contact_phone="13800000000",
        description="某街道拆迁补偿安置方案",
    )
    # Another agency's case with the same identity, phone and words is never found.
    outsider = UserFactory(agency=other_agency)
    theirs = register_case(
        actor=outsider,
        applicant_name="林建国",
        id_number=ID_NUMBER,
        contact_phone="059187654321",
        description="2025年本市城镇职工基本养老保险基金收支情况",
    )
    return {"wanted": wanted, "other": other, "theirs": theirs}


FINDS_WANTED = [
    "110105 19491231 002x",  # spaces, lower-case check character
    "110105-19491231-002X",
    "１１０１０５１９４９１２３１００２Ｘ",  # full width, as a Chinese input method types it
    "0591-87654321",
    "(0591) 8765-4321",
    "059187654321",
    "（０５９１）８７６５－４３２１",  # full width
    "养老保险基金",  # a phrase of the request
    "城镇职工基本养老",
    "林建国",  # the applicant's name, as before
]
FINDS_NOTHING = [
    "87654321",  # part of a phone number: matched exactly only
    "1101051949",  # part of an identity number
    "养老 基金",  # not a phrase of it
]


def api_search(api, user, text):
    response = api(user).get("/api/cases/", {"search": text})
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def admin_search(user, text):
    client = Client()
    client.force_login(user)
    response = client.get("/admin/cases/case/", {"q": text})
    assert response.status_code == 200
    return {case.pk for case in response.context["cl"].result_list}


@pytest.mark.parametrize("search", [api_search, admin_search], ids=["api", "admin"])
def test_search_by_identity_phone_and_phrase(api, handler, cases, search):
    def run(text):
        return search(api, handler, text) if search is api_search else search(handler, text)

    for text in FINDS_WANTED:
        assert run(text) == {cases["wanted"].pk}, text
    for text in FINDS_NOTHING:
        assert run(text) == set(), text
    assert run("13800000000") == {cases["other"].pk}
    assert run(cases["other"].reference) == {cases["other"].pk}
    assert run("拆迁补偿") == {cases["other"].pk}


def test_api_search_combines_with_the_filters_and_keeps_its_bounds(api, handler, cases):
    services.case_review(case=cases["wanted"], actor=handler)
    client = api(handler)
    found = client.get("/api/cases/", {"search": "0591-87654321", "state": "registered"}).json()
    assert found["count"] == 0
    found = client.get("/api/cases/", {"search": "0591-87654321", "state": "reviewed"}).json()
    assert [row["id"] for row in found["results"]] == [cases["wanted"].pk]
    too_long = client.get("/api/cases/", {"search": "养" * 1000})
    assert too_long.status_code == 400


def test_an_edited_phone_is_found_by_its_new_number(api, handler, cases):
    services.case_update(
        case=cases["other"], actor=handler, changes={"contact_phone": "+86 139-0000-1111"}
    )
    assert Case.objects.get(pk=cases["other"].pk).contact_phone_digits == "8613900001111"
    assert api_search(api, handler, "+86 13900001111") == {cases["other"].pk}
    assert api_search(api, handler, "13800000000") == set()


def test_the_migration_fills_the_digits_of_existing_cases(cases):
    Case.objects.update(contact_phone_digits="")  # as the rows were before the migration
    migration = importlib.import_module("cases.migrations.0010_case_contact_phone_digits")
    migration.fill_phone_digits(django_apps, None)
    assert Case.objects.get(pk=cases["wanted"].pk).contact_phone_digits == "059187654321"
    assert Case.objects.get(pk=cases["other"].pk).contact_phone_digits == "13800000000"

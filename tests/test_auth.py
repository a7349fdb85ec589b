"""The front door: login throttling (django-axes), the token lifecycle (django-rest-knox)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from cases.models import LoginLockout, Role

from .factories import UserFactory

PASSWORD = "secret-pass-123"
TOKEN_URL = "/api/auth/token/"


def login(username, password, *, address="10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        TOKEN_URL, {"username": username, "password": password}, format="json"
    )


def fail_times(username, n, *, address="10.0.0.1"):
    """n wrong passwords; the fifth failure is the one that locks (and answers 429)."""
    for attempt in range(1, n + 1):
        expected = 429 if attempt >= 5 else 400
        assert login(username, "wrong-password", address=address).status_code == expected


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_username_at_that_address(registrar):
    fail_times("registrar", 5)
    locked = login("registrar", PASSWORD)
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "锁定" in body["message"] and "后再试" in body["message"]
    unlock_at = dt.datetime.fromisoformat(body["unlock_at"])
    minutes = (unlock_at - timezone.now()).total_seconds() / 60
    assert 14 < minutes <= 15
    assert int(locked["Retry-After"]) > 800
    # Another address is not locked, nor another user at the same address.
    assert login("registrar", PASSWORD, address="10.0.0.2").status_code == 200
    UserFactory(username="colleague", agency=registrar.agency, role=Role.HANDLER)
    assert login("colleague", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_four_failures_then_the_right_password_resets_the_count(registrar):
    fail_times("registrar", 4)
    assert login("registrar", PASSWORD).status_code == 200
    fail_times("registrar", 4)
    assert login("registrar", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(registrar, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    fail_times("registrar", 5)
    LoginLockout.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert login("registrar", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_admin_login_is_locked_too_with_a_chinese_page(registrar):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for attempt in range(1, 6):
        page = client.post(
            "/admin/login/?next=/admin/", {"username": "registrar", "password": "nope"}
        )
        assert page.status_code == (429 if attempt == 5 else 200)  # else the form, with its error
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "registrar", "password": PASSWORD}
    )
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "锁定" in text and "机关管理员" in text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_agency_admin_sees_and_clears_only_their_own_users_lockouts(
    registrar, agency_admin, other_agency
):
    stranger = UserFactory(username="stranger", agency=other_agency, role=Role.HANDLER)
    fail_times("registrar", 5)
    fail_times(stranger.username, 5)
    admin = Client()
    admin.force_login(agency_admin)
    listing = admin.get("/admin/cases/loginlockout/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "registrar" in text and "stranger" not in text
    assert "自动解锁时间" in text

    own = LoginLockout.objects.get(username="registrar")
    foreign = LoginLockout.objects.get(username="stranger")
    cleared = admin.post(
        "/admin/cases/loginlockout/",
        {"action": "delete_selected", "_selected_action": [own.pk, foreign.pk], "post": "yes"},
    )
    assert cleared.status_code == 302
    assert not LoginLockout.objects.filter(username="registrar").exists()
    assert LoginLockout.objects.filter(username="stranger").exists()  # not theirs to clear
    assert login("registrar", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_clerks_cannot_see_the_lockouts(registrar):
    client = Client()
    client.force_login(registrar)
    assert client.get("/admin/cases/loginlockout/").status_code == 403


@pytest.mark.django_db
def test_the_token_endpoint_is_throttled_per_address(registrar, settings):
    settings.LOGIN_RATE = "3/min"
    for _ in range(3):
        assert login("registrar", PASSWORD, address="10.0.0.5").status_code == 200
    throttled = login("registrar", PASSWORD, address="10.0.0.5")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert login("registrar", PASSWORD, address="10.0.0.6").status_code == 200


@pytest.mark.django_db
def test_tokens_are_stored_hashed_and_expire(registrar, settings):
    response = login("registrar", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    expiry = dt.datetime.fromisoformat(response.json()["expiry"])
    assert 7.9 < (expiry - timezone.now()).total_seconds() / 3600 <= 8
    stored = AuthToken.objects.get(user=registrar)
    assert token not in (stored.digest, stored.token_key) and len(stored.digest) == 128
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/cases/").status_code == 200

    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get("/api/cases/")
    assert expired.status_code == 401
    assert not AuthToken.objects.filter(pk=stored.pk).exists()


def _client_with_new_token(username="registrar"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {login(username, PASSWORD).json()['token']}")
    return client


@pytest.mark.django_db
def test_logout_revokes_the_current_token_and_logout_all_every_token(registrar):
    first, second, third = (_client_with_new_token() for _ in range(3))
    assert first.post("/api/auth/logout/").json() == {"revoked": 1}
    assert first.get("/api/cases/").status_code == 401
    assert second.get("/api/cases/").status_code == 200
    assert second.post("/api/auth/logout-all/").json() == {"revoked": 2}
    assert second.get("/api/cases/").status_code == 401
    assert third.get("/api/cases/").status_code == 401


@pytest.mark.django_db
def test_a_password_change_or_deactivation_revokes_the_tokens(registrar, handler):
    client = _client_with_new_token("registrar")
    registrar.set_password("another-long-pass-77")
    registrar.save()
    assert client.get("/api/cases/").status_code == 401

    client = _client_with_new_token("handler")
    handler.first_name = "改名"
    handler.save()  # an unrelated change keeps the token
    assert client.get("/api/cases/").status_code == 200
    handler.is_active = False
    handler.save()
    assert client.get("/api/cases/").status_code == 401
    assert not AuthToken.objects.filter(user=handler).exists()


@pytest.mark.django_db
def test_the_token_contract_is_kept(registrar):
    body = login("registrar", PASSWORD).json()
    assert set(body) == {"token", "expiry"}
    wrong = login("registrar", "nope")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["abc\x00def", "zz" * 10, "é", "a" * 300])
def test_a_malformed_token_is_a_401_not_a_server_error(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"

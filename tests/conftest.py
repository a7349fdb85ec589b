import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Role

from .factories import AgencyFactory, UserFactory, token_for

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# The test database's contents as migrated, by alias, kept at setup for serialized rollbacks
# (tests/desk/browser/conftest.py gives them back to the connections the browser tests see).
SERIALIZED_CONTENTS: dict[str, str] = {}


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip on SQLite, except in CI where a missing server is an error.
    Browser tests run last (tests/desk/browser/conftest.py says why)."""
    items.sort(key=lambda item: "browser" in item.nodeid.split("::")[0].split("/")[:-1])
    for item in items:
        on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
        if item.get_closest_marker("postgres") and not REQUIRE_SERVICES and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            SERIALIZED_CONTENTS[alias] = contents


@pytest.fixture(autouse=True)
def _check_database_vendor(request):
    if request.node.get_closest_marker("postgres") and REQUIRE_SERVICES:
        assert connection.vendor == "postgresql", "CI must run these tests on PostgreSQL"


@pytest.fixture
def agency(db):
    return AgencyFactory(
        code="FJRST", name="福建省人力资源和社会保障厅", email="gk@rst.fj.example.cn"
    )


@pytest.fixture
def other_agency(db):
    return AgencyFactory(code="FJJYT", name="福建省教育厅", email="gk@jyt.fj.example.cn")


@pytest.fixture
def registrar(agency):
    return UserFactory(username="registrar", agency=agency, role=Role.REGISTRAR)


@pytest.fixture
def handler(agency):
    return UserFactory(username="handler", agency=agency, role=Role.HANDLER)


@pytest.fixture
def approver(agency):
    return UserFactory(username="approver", agency=agency, role=Role.APPROVER)


@pytest.fixture
def agency_admin(agency):
    return UserFactory(username="agencyadmin", agency=agency, role=Role.AGENCY_ADMIN)


@pytest.fixture
def platform_admin(db):
    return UserFactory(username="platform", agency=None, role="", is_superuser=True, is_staff=True)


@pytest.fixture
def api():
    """api(user) -> an APIClient authenticated with the user's token."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return client_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The login throttle counts in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The per-process calendar starts afresh in each test: a test database flushed and
    restored (live-server tests) can come back with the same stamp as another test's calendar."""
    from cases import calendar

    # A response a test never closed (a streamed export) leaves its request "open" in this
    # thread, with the calendar it read: forget that too.
    calendar._cached = None
    calendar.request_finished()
    yield
    calendar._cached = None
    calendar.request_finished()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _documents_root(settings, tmp_path):
    """Issued documents and delivery proofs go to the test's own directory, never the repo's."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    from .smtp import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        yield server.handler

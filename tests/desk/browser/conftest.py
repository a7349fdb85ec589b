"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright cannot download a browser here; it launches /usr/bin/chromium (``apt-get install
chromium``; .ci/run installs it). Without it these tests skip, unless REQUIRE_SERVICES=1 (CI),
where a missing browser fails them. A failed test leaves a screenshot of the page in
``var/test-artifacts/``. The tests are marked ``browser`` and run last (tests/conftest.py): the
sync Playwright keeps an event loop open in the main thread from the first browser test to the
end of the session, which Django's async safety check would take for async code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.VAR_DIR) / "test-artifacts"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # The live server runs in a thread of this process; the ORM calls of the tests and of that
    # thread happen while Playwright's loop is open (see above).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 800},
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def _django_db_helper(_django_db_helper_contents, _django_db_helper):
    """pytest-django's database set-up for the test, once the migrated contents are back."""
    yield


@pytest.fixture
def _django_db_helper_contents():
    """Once Playwright runs, the main thread's code sees Django's connections through another
    context (asgiref's Local is context-bound; Playwright switches greenlets): connection
    objects without the migrated contents that pytest-django serialized at set-up, so a
    serialized rollback would restore nothing (no calendar, say). Give them back."""
    from django.db import connections

    from ...conftest import SERIALIZED_CONTENTS

    for alias, contents in SERIALIZED_CONTENTS.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request, page):
    page.set_default_timeout(10_000)
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.fixture
def login(page, live_server):
    """login(user): the browser now holds the user's session (what the login form gives)."""

    def as_user(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return as_user

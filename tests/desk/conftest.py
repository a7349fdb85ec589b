import datetime as dt

import pytest
from django.test import Client

from cases import clock

# A Wednesday in a month without holidays: a case received on 2026-03-02 is due on 2026-03-30,
# three working days later.
FIXED_TODAY = dt.date(2026, 3, 25)


@pytest.fixture
def fixed_today(monkeypatch):
    """Every "today" of the services, the selectors and the pages (cases.clock) is this day."""
    monkeypatch.setattr(clock, "today", lambda: FIXED_TODAY)
    return FIXED_TODAY


@pytest.fixture
def client_for():
    """client_for(user) -> a Django test client logged in as the user (a browser session)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make

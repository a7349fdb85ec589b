"""Concurrent changes never overwrite each other silently: the loser gets 409."""

import datetime as dt
import threading
from functools import partial

import pytest
from django.db import connection

from cases import services
from cases.errors import ConcurrentChange, TransitionRefused
from cases.models import Case, CaseEvent

from ..factories import register_case
from .helpers import act, case_in_state


@pytest.mark.django_db
def test_a_stale_copy_cannot_be_acted_on(handler):
    case = case_in_state("reviewed", actor=handler)
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.case_answer(case=theirs, actor=handler, outcome="disclosed")
    with pytest.raises(ConcurrentChange):
        services.case_consult(case=mine, actor=handler, party="某公司")
    assert Case.objects.get(pk=case.pk).state == "answered"


@pytest.mark.django_db
def test_stale_version_from_a_client_is_409(api, handler):
    case = case_in_state("reviewed", actor=handler)
    client = api(handler)
    seen = client.get(f"/api/cases/{case.pk}/").json()["version"]
    client.patch(f"/api/cases/{case.pk}/", {"contact_phone": "123"}, format="json")

    response = act(client, case.pk, "answer", outcome="disclosed", version=seen)
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_change"
    patched = client.patch(
        f"/api/cases/{case.pk}/", {"contact_phone": "456", "version": seen}, format="json"
    )
    assert patched.status_code == 409
    current = client.get(f"/api/cases/{case.pk}/").json()
    assert current["state"] == "reviewed" and current["contact_phone"] == "123"
    ok = act(client, case.pk, "answer", outcome="disclosed", version=current["version"])
    assert ok.status_code == 200


def _race(targets):
    """Run the callables at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as err:
            results[i] = err
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_transitions_one_wins_one_gets_409(handler):
    for _ in range(5):
        case = case_in_state("reviewed", actor=handler)
        copies = [Case.objects.get(pk=case.pk) for _ in range(2)]
        results = _race(
            [
                partial(services.case_answer, case=copies[0], actor=handler, outcome="disclosed"),
                partial(services.case_withdraw, case=copies[1], actor=handler),
            ]
        )
        winners = [r for r in results if isinstance(r, Case)]
        losers = [r for r in results if isinstance(r, ConcurrentChange | TransitionRefused)]
        assert len(winners) == 1 and len(losers) == 1, results
        final = Case.objects.get(pk=case.pk)
        assert final.outcome == winners[0].outcome
        assert CaseEvent.objects.filter(case=case, to_state="answered").count() == 1


WITHIN_PERIOD = dt.date(2026, 3, 10)  # the reply is due 2026-03-30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_extensions_keep_exactly_one(approver):
    case = case_in_state("reviewed", actor=approver)
    copies = [Case.objects.get(pk=case.pk) for _ in range(2)]
    results = _race(
        [
            lambda: services.case_extend(
                case=copies[0], actor=approver, working_days=5, reason="a", on=WITHIN_PERIOD
            ),
            lambda: services.case_extend(
                case=copies[1], actor=approver, working_days=9, reason="b", on=WITHIN_PERIOD
            ),
        ]
    )
    winners = [r for r in results if isinstance(r, Case)]
    assert len(winners) == 1, results
    assert any(isinstance(r, ConcurrentChange | TransitionRefused) for r in results)
    assert Case.objects.get(pk=case.pk).extension_days == winners[0].extension_days
    assert CaseEvent.objects.filter(case=case, action="extend").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_registrations_get_distinct_references(registrar):
    results = _race(
        [lambda: register_case(actor=registrar, received_on=dt.date(2024, 5, 6)) for _ in range(4)]
    )
    assert all(isinstance(r, Case) for r in results), results
    assert sorted(r.reference for r in results) == [f"FJRST-2024-{n:05d}" for n in range(1, 5)]

"""The extension point of `cases`: how other apps take part in a case action.

`cases` is the floor of the project and imports no other app. An app that must refuse a change
(a published year's table must not move) or act on one (a document is drafted when a correction
is requested) registers a function here from its ``AppConfig.ready()``:

- ``register_check(fn)``: ``fn(change)`` runs inside the action's transaction, with the case row
  locked, after the transition and before anything is saved. It refuses by raising an
  ``ApplicationError``; nothing of the action is then written.
- ``register_reaction(fn)``: ``fn(change)`` runs inside the same transaction after the case and
  its audit event are saved, so what it writes commits or rolls back with the action. Side
  effects outside the database (mail, Celery) belong in ``transaction.on_commit``.
- ``register_representation(name, fn, prefetch=...)``: the case's API representation (and the
  desk) gains a field ``name`` whose value is ``fn(case)``; ``prefetch`` names the related
  objects ``fn`` reads, so that a list of cases costs one query more, not one per case.
- ``register_digest_note(fn)``: ``fn(agency_ids, today)`` returns lines the daily reminder
  digest adds for those agencies (the documents name notices issued but not yet delivered).
- ``register_calendar_listener(fn)``: ``fn(change_id)`` runs after a change to the holiday
  calendar commits (the recompute of open deadlines is queued this way, so services never
  import tasks).
- ``register_deferral(action, fn)``: ``fn(change)`` may hold an action back until a document is
  approved and issued (an agency whose replies need the head of office's signature). It returns
  ``None`` to let the action proceed, or a ``Deferral``; the case then stays where it is, the
  proposed step is recorded in the audit trail, and the caller is told what it waits for.

Every service that changes a case goes through the same path, so a registered function sees
every change, whatever interface (API, admin, desk, command, task) made it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Case, CaseEvent, User


# The note every event of an imported case begins with (ledger.replay writes it).
IMPORTED_NOTE_PREFIX = "导入："


@dataclass(frozen=True)
class CaseChange:
    """One case action as the extension point sees it."""

    action: str
    case: Case
    # A copy of the case before the action; None for a case being registered.
    before: Case | None
    actor: User | None
    on: dt.date | None
    data: dict[str, Any] = field(default_factory=dict)
    # The audit event, set for reactions (the event is written before they run).
    event: CaseEvent | None = None

    @property
    def imported(self) -> bool:
        """A step of a case's history brought in from a ledger (ledger.replay), not one taken
        now: what it would have written (a letter, say) was written outside the system then."""
        return self.event is not None and self.event.note.startswith(IMPORTED_NOTE_PREFIX)


@dataclass(frozen=True)
class Deferral:
    """An action held back until a document is approved and issued."""

    # Says, in Chinese, what the action waits for.
    message: str
    # What the caller is told about the pending document (e.g. its id and kind).
    pending: dict[str, Any]


Check = Callable[[CaseChange], None]
Reaction = Callable[[CaseChange], None]
Deferrer = Callable[[CaseChange], "Deferral | None"]

_checks: list[Check] = []
_reactions: list[Reaction] = []
_deferrals: dict[str, list[Deferrer]] = {}
_calendar_listeners: list[Callable[[int], Any]] = []


@dataclass(frozen=True)
class Representation:
    """A field another app adds to the case's representation."""

    name: str
    value: Callable[[Case], Any]
    prefetch: tuple[str, ...] = ()
    # The field's OpenAPI description.
    help: str = ""


_representations: dict[str, Representation] = {}
_digest_notes: list[Callable[[set[int], dt.date], list[str]]] = []


def _add(registry: list, fn) -> None:
    # ready() may run more than once (tests, reloads); a function is registered once.
    if fn not in registry:
        registry.append(fn)


def register_check(fn: Check) -> Check:
    _add(_checks, fn)
    return fn


def register_reaction(fn: Reaction) -> Reaction:
    _add(_reactions, fn)
    return fn


def register_deferral(action: str, fn: Deferrer) -> Deferrer:
    _add(_deferrals.setdefault(action, []), fn)
    return fn


def register_calendar_listener(fn: Callable[[int], Any]) -> Callable[[int], Any]:
    _add(_calendar_listeners, fn)
    return fn


def register_representation(
    name: str, fn: Callable[[Case], Any], *, prefetch: tuple[str, ...] = (), help: str = ""
) -> None:
    _representations[name] = Representation(name, fn, tuple(prefetch), help)


def representations() -> list[Representation]:
    return list(_representations.values())


def register_digest_note(fn: Callable[[set[int], dt.date], list[str]]) -> None:
    _add(_digest_notes, fn)


def digest_notes(agency_ids: set[int], today: dt.date) -> list[str]:
    return [line for note in _digest_notes for line in note(agency_ids, today)]


def snapshot(case: Case) -> Case:
    """A copy of the case as it is now, for ``CaseChange.before``."""
    return copy.copy(case)


def run_checks(change: CaseChange) -> None:
    for check in _checks:
        check(change)


def run_reactions(change: CaseChange) -> None:
    for reaction in _reactions:
        reaction(change)


def deferral_for(change: CaseChange) -> Deferral | None:
    for deferrer in _deferrals.get(change.action, ()):
        deferral = deferrer(change)
        if deferral is not None:
            return deferral
    return None


def calendar_changed(change_id: int) -> None:
    for listener in _calendar_listeners:
        listener(change_id)

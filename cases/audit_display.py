"""How the audit trail reads to a clerk: Chinese action and role names, local times, and what
each action recorded as labelled fields.

Labels are the model fields' verbose names (the forms' labels); values are the choices' labels
(applicant types and outcomes as the annual table prints them, states, channels, ...), dates as
YYYY-MM-DD and times in Asia/Shanghai. The admin uses it now; a clerks' desk can later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import FieldDoesNotExist
from django.db import models as db_models

from . import actions
from .models import Case, CaseEvent, Role, User

# What every screen and mail calls local time, whatever the server's zone.
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
SYSTEM = "系统"
EMPTY = "（空）"

# Keys an action records under names of its own, and the case field each one fills.
_FIELD_OF_KEY = {
    "items": "correction_items",
    "period_days": "correction_period_days",
    "party": "consultation_party",
    "party_kind": "consultation_party_kind",
    "basis": "fee_basis",
    "amount": "fee_amount",
    "working_days": "extension_days",
    "handler": "assigned_handler",
}
# The same key means a different field in one action: extend's reason is the extension's.
_FIELD_OF_ACTION_KEY = {("extend", "reason"): "extension_reason"}
# Keys that fill no case field.
_LABEL_OF_KEY = {"late_reason": "接受逾期缴费的理由"}
_CASE_FIELD_ORDER = {f.name: i for i, f in enumerate(Case._meta.concrete_fields)}
# Recorded as usernames; shown as people.
_USER_FIELDS = frozenset({"assigned_handler", "extension_approved_by", "created_by"})


def local_time(value: dt.datetime) -> str:
    return value.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")


def action_name(action: str) -> str:
    return actions.label(action)


def role_name(user: User) -> str:
    if user.role:
        return Role(user.role).label
    return "平台管理员" if user.is_superuser else ""


def person(user: User | None) -> str:
    """The name a clerk knows and the role, not the login name: "林志远（承办人）"."""
    if user is None:
        return SYSTEM
    name = user.get_full_name() or user.username
    role = role_name(user)
    return f"{name}（{role}）" if role else name


def event_caption(event: CaseEvent) -> str:
    return str(event)


def _case_field(action: str, key: str) -> db_models.Field | None:
    name = _FIELD_OF_ACTION_KEY.get((action, key)) or _FIELD_OF_KEY.get(key, key)
    try:
        field = Case._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete else None


def label_of(action: str, key: str) -> str:
    field = _case_field(action, key)
    if field is not None:
        return str(field.verbose_name)
    return _LABEL_OF_KEY.get(key, key)


def _format(field: db_models.Field | None, value: Any, users: dict[str, User]) -> str:
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.name in _USER_FIELDS:
        user = users.get(str(value))
        return person(user) if user else str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return f"{value}"
    return str(value)


def _is_diff(value: Any) -> bool:
    # Edits and recomputes record {field: {"from": old, "to": new}}.
    return isinstance(value, dict) and set(value) == {"from", "to"}


@dataclass(frozen=True)
class EventView:
    """One audit row as a clerk reads it."""

    time: str
    action: str
    actor: str
    from_state: str
    to_state: str
    on: str
    data: list[tuple[str, str]]
    note: str


def _field_order(action: str, key: str) -> tuple[int, str]:
    field = _case_field(action, key)
    return (_CASE_FIELD_ORDER.get(field.name, 0) if field else len(_CASE_FIELD_ORDER), key)


def data_rows(event: CaseEvent, users: dict[str, User] | None = None) -> list[tuple[str, str]]:
    """(label, value) for each thing the action recorded, in the order of the case's fields
    (the form's order; PostgreSQL's jsonb keeps no order of its own)."""
    if users is None:
        users = _users_named([event])
    rows = []
    data = event.data or {}
    for key in sorted(data, key=lambda k: _field_order(event.action, k)):
        value = data[key]
        field = _case_field(event.action, key)
        if _is_diff(value):
            old = _format(field, value["from"], users)
            new = _format(field, value["to"], users)
            text = f"{old} → {new}"
        else:
            text = _format(field, value, users)
        rows.append((label_of(event.action, key), text))
    return rows


def _usernames(event: CaseEvent) -> set[str]:
    names = set()
    for key, value in (event.data or {}).items():
        field = _case_field(event.action, key)
        if field is None or field.name not in _USER_FIELDS:
            continue
        values = [value["from"], value["to"]] if _is_diff(value) else [value]
        names.update(str(v) for v in values if v)
    return names


def _users_named(events: Iterable[CaseEvent]) -> dict[str, User]:
    names = set().union(*(_usernames(e) for e in events))
    if not names:
        return {}
    return {u.username: u for u in User.objects.filter(username__in=names)}


def describe(events: Iterable[CaseEvent]) -> list[EventView]:
    """The audit trail as a clerk reads it (one query for the people the data names)."""
    events = list(events)
    users = _users_named(events)
    state_label = dict(CaseEvent._meta.get_field("to_state").flatchoices)
    return [
        EventView(
            time=local_time(event.created_at),
            action=action_name(event.action),
            actor=person(event.actor),
            from_state=str(state_label.get(event.from_state, event.from_state)),
            to_state=str(state_label.get(event.to_state, event.to_state)),
            on=f"{event.on:%Y-%m-%d}" if event.on else "",
            data=data_rows(event, users),
            note=event.note,
        )
        for event in events
    ]

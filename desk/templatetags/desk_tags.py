"""Small helpers of the desk's templates: people as clerks know them, role checks, numbers."""

from django import template

from cases import audit_display, permissions

register = template.Library()


@register.filter
def person(user) -> str:
    """ "林志远（承办人）": the name and the role, not the login name."""
    return audit_display.person(user)


@register.filter
def negate(value):
    return -value if value is not None else None


@register.simple_tag
def may_act(user, action: str) -> bool:
    """Whether the user's role allows the action in their own agency (platform admins: all)."""
    return permissions.is_clerk(user) and permissions.may_act(user, action, user.agency_id)


@register.simple_tag
def may_import(user) -> bool:
    """Whether the desk offers the ledger import (installed, and the user an admin)."""
    from django.apps import apps

    if not apps.is_installed("ledger"):
        return False
    from ..ledger_pages import may_import as allowed

    return allowed(user)

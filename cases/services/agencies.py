"""Agencies."""

from __future__ import annotations

from django.db import transaction

from ..errors import (
    NotPermitted,
)
from ..models import (
    Agency,
    User,
)
from .base import (
    _full_clean,
)

# Agencies


@transaction.atomic
def agency_create(*, actor: User, code: str, name: str, email: str) -> Agency:
    if not actor.is_platform_admin:
        raise NotPermitted("只有平台管理员可以添加机关")
    agency = Agency(code=code.strip().upper(), name=name.strip(), email=email.strip())
    _full_clean(agency)
    agency.save()
    return agency

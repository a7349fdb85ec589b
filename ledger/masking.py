"""Personal data as exports show it unless an agency admin asks for it in full: identity
numbers and phone numbers keep their first 3 and last 4 characters, e-mail addresses their
first character and domain, postal addresses their first 6 characters (province and city)."""

from __future__ import annotations

MASK = "*"


def mask_number(value: str) -> str:
    """350102198506150013 -> 350***********0013; 13800138000 -> 138****8000."""
    value = value or ""
    if len(value) <= 7:
        return MASK * len(value)
    return value[:3] + MASK * (len(value) - 7) + value[-4:]


def mask_email(value: str) -> str:
    if not value:
        return ""
    local, _, domain = value.partition("@")
    return f"{local[:1]}{MASK * 3}@{domain}" if domain else MASK * len(value)


def mask_address(value: str) -> str:
    if not value:
        return ""
    return value[:6] + MASK * 4 if len(value) > 6 else MASK * 4

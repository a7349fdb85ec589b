"""Mail that goes out exactly once: the deadline reminders and the year-end mails both send here.

A mail is marked sent by inserting a row whose unique constraint names it (``ReminderSent``,
``reporting.ReportMailSent``), in the same transaction that hands the message to the SMTP server.
Never twice: a second run, or a worker racing this one, cannot insert the row and sends nothing
for it. Never lost: when sending fails the transaction rolls back, nothing is marked, and the
caller (a Celery task with ``cases.retry.mail_task_retry``) retries.

At least once, in one window: a worker killed after the SMTP server accepted a message but before
the transaction committed sends that message again on the next run.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

# What handing a message to the SMTP server raises when it fails (refused, unreachable, timed out).
SEND_ERRORS = (smtplib.SMTPException, OSError)

Item = TypeVar("Item")


def compose(
    *,
    subject: str,
    to: list[str],
    template: str,
    context: Mapping[str, Any],
    html_template: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """A message from the system's address, its body rendered from ``template`` (plain text) and,
    given ``html_template``, an HTML alternative from the same context."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    if html_template:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    return message


@transaction.atomic
def send_once(
    items: Iterable[Item],
    *,
    mark: Callable[[Item], object],
    message_for: Callable[[list[Item]], EmailMessage],
) -> list[Item]:
    """Mark each item sent (``mark`` inserts its row) and send one message, ``message_for`` the
    items newly marked, all in one transaction. An item whose row exists already was sent before and
    is left out. Returns the items this call delivered; empty, nothing was sent.

    Raises what sending raises (see ``SEND_ERRORS``); the marks roll back with the transaction.
    """
    fresh = []
    for item in items:
        try:
            with transaction.atomic():
                mark(item)
        except IntegrityError:  # sent by an earlier run or a racing worker
            continue
        fresh.append(item)
    if fresh:
        message_for(fresh).send(fail_silently=False)
    return fresh


@transaction.atomic
def send_once_marked(
    items: Iterable[Item],
    *,
    mark_all: Callable[[list[Item]], list[Item]],
    message_for: Callable[[list[Item]], EmailMessage],
) -> list[Item]:
    """``send_once`` for many items marked at once: ``mark_all`` inserts the rows that do not
    exist yet (``INSERT ... ON CONFLICT DO NOTHING``) and returns the items it inserted, so the
    cost does not grow by a query per item. Same guarantees, same transaction."""
    fresh = mark_all(list(items))
    if fresh:
        message_for(fresh).send(fail_silently=False)
    return fresh


def send_message_once(message: EmailMessage, *, mark: Callable[[], object]) -> bool:
    """``send_once`` for a single message: False if its row says it was sent already."""
    return bool(send_once([message], mark=lambda _message: mark(), message_for=lambda _: message))


def failure_text(error: BaseException) -> str:
    """How a failed send is reported (task results, command output)."""
    return f"{type(error).__name__}: {error}"

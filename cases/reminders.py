"""Deadline reminders: what is coming due, and one digest e-mail per recipient per run.

Never twice: a ReminderSent row per (case, level, due date, occurrence, recipient) is inserted in
the same transaction in which the digest is handed to the SMTP server; a second run, or a second
worker racing this one, finds the row and skips it. A due date that moves makes new keys, so the
reminders re-arm. Never lost: when sending fails the transaction rolls back, nothing is marked,
and the caller (the Celery task) retries.

At least once, in one window: a worker killed after the SMTP server accepted a digest but before
the transaction committed sends that digest again on the next run. The digest's Message-ID is
derived from its reminder keys, so the repeat carries the same Message-ID and mail systems that
drop duplicates (and every mail client's threading) treat it as the same message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .calendar import work_calendar
from .deadlines import working_days_left
from .models import Case, CaseState, ReminderLevel, ReminderSent, Role, User
from .workdays import WorkCalendar

# Working days before the reply deadline at which the clerk is reminded (the levels).
REPLY_LEVELS = ((1, ReminderLevel.REPLY_1), (3, ReminderLevel.REPLY_3), (5, ReminderLevel.REPLY_5))
REPLY_LEVEL_KEYS = frozenset(level for _days, level in REPLY_LEVELS)
# States in which the reply clock runs (it pauses while waiting for the applicant or a party).
CLOCK_RUNNING = (CaseState.REGISTERED, CaseState.REVIEWED)
WAITING = {
    CaseState.AWAITING_CORRECTION: ("correction_due_on", ReminderLevel.CORRECTION_PERIOD_ENDED),
    CaseState.AWAITING_FEE: ("fee_due_on", ReminderLevel.FEE_PERIOD_ENDED),
    CaseState.CONSULTING: ("opinion_due_on", ReminderLevel.OPINION_PERIOD_ENDED),
}


@dataclass(frozen=True)
class Reminder:
    case: Case
    level: str
    due_on: dt.date
    occurrence: dt.date
    days_left: int
    recipients: tuple[str, ...]

    @property
    def label(self) -> str:
        # A reply level only says when a reminder is due (the first of 5, 3, 1 that the count
        # has reached); a run that missed the 5-day mark sends it with 4 days left. What the
        # digest says is the one count, from the stored due date, that days_text shows too.
        if self.level in REPLY_LEVEL_KEYS:
            return f"距答复期限还有{self.days_left}个工作日"
        return ReminderLevel(self.level).label

    @property
    def days_text(self) -> str:
        if self.days_left > 0:
            return f"剩余{self.days_left}个工作日"
        if self.days_left == 0:
            return "今天到期"
        return f"已逾期{-self.days_left}个工作日"


@dataclass
class ReminderReport:
    today: dt.date
    working_day: bool = True
    digests: dict[str, list[Reminder]] = field(default_factory=dict)  # sent (or due, in a dry run)
    skipped: int = 0  # already sent earlier
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def reminders(self) -> int:
        return sum(len(items) for items in self.digests.values())


def _levels(case: Case, today: dt.date, cal: WorkCalendar):
    """(level, due date, occurrence, working days left) for what this case needs today."""
    if case.state in CLOCK_RUNNING and case.due_on:
        left = working_days_left(case.due_on, today=today, cal=cal)
        if left < 0:
            # Overdue: again every working day until concluded (Art. 33).
            yield ReminderLevel.REPLY_OVERDUE, case.due_on, today, left
        elif left == 0:
            yield ReminderLevel.REPLY_DUE_TODAY, case.due_on, case.due_on, left
        else:
            for limit, level in REPLY_LEVELS:
                if left <= limit:
                    yield level, case.due_on, case.due_on, left
                    break
    if (
        case.state == CaseState.REGISTERED
        and case.correction_requested_on is None
        and case.correction_notice_due_on
    ):
        # Art. 30: the correction notice is due within 7 working days of receipt.
        left = working_days_left(case.correction_notice_due_on, today=today, cal=cal)
        if left in (0, 1):
            level = (
                ReminderLevel.CORRECTION_NOTICE_TODAY
                if left == 0
                else ReminderLevel.CORRECTION_NOTICE_TOMORROW
            )
            yield level, case.correction_notice_due_on, case.correction_notice_due_on, left
    if case.state in WAITING:
        field_name, level = WAITING[case.state]
        due = getattr(case, field_name)
        if due and today > due:
            yield level, due, due, working_days_left(due, today=today, cal=cal)


def due_reminders(*, today: dt.date, cal: WorkCalendar) -> list[Reminder]:
    cases = list(
        Case.objects.filter(state__in=(*CLOCK_RUNNING, *WAITING))
        .select_related("agency", "assigned_handler")
        .order_by("agency_id", "due_on", "id")
    )
    approvers: dict[int, list[str]] = defaultdict(list)
    for agency_id, email in (
        User.objects.filter(
            role=Role.APPROVER, is_active=True, agency_id__in={c.agency_id for c in cases}
        )
        .exclude(email="")
        .values_list("agency_id", "email")
    ):
        approvers[agency_id].append(email)

    reminders = []
    for case in cases:
        for level, due_on, occurrence, left in _levels(case, today, cal):
            recipients = [case.agency.email]
            if case.assigned_handler and case.assigned_handler.email:
                recipients.append(case.assigned_handler.email)
            if level == ReminderLevel.REPLY_OVERDUE:
                recipients.extend(approvers[case.agency_id])
            unique = tuple(dict.fromkeys(r.strip().lower() for r in recipients if r))
            reminders.append(Reminder(case, level, due_on, occurrence, left, unique))
    return reminders


def digest_message_id(recipient: str, items: list[Reminder]) -> str:
    """The same reminders to the same recipient always give the same Message-ID."""
    keys = sorted(
        f"{item.case.pk}|{item.level}|{item.due_on}|{item.occurrence}|{recipient.lower()}"
        for item in items
    )
    digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:40]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<reminder-{digest}@{domain}>"


def _digest(recipient: str, items: list[Reminder], today: dt.date) -> EmailMultiAlternatives:
    agencies = sorted({item.case.agency.name for item in items})
    context = {
        "recipient": recipient,
        "items": items,
        "today": today,
        "agency": agencies[0] if len(agencies) == 1 else "、".join(agencies),
        "overdue": sum(1 for item in items if item.level == ReminderLevel.REPLY_OVERDUE),
    }
    subject = (
        f"【期限提醒】{context['agency']}：{len(items)}项政府信息公开申请事项（{today:%Y-%m-%d}）"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("cases/email/reminder_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        headers={"Message-ID": digest_message_id(recipient, items)},
    )
    message.attach_alternative(
        render_to_string("cases/email/reminder_digest.html", context), "text/html"
    )
    return message


def _already_sent(recipient: str, item: Reminder) -> bool:
    return ReminderSent.objects.filter(
        case=item.case,
        level=item.level,
        due_on=item.due_on,
        occurrence=item.occurrence,
        recipient=recipient,
    ).exists()


def _send_digest(recipient: str, items: list[Reminder], today: dt.date) -> list[Reminder]:
    """Record and send in one transaction; return the reminders this run delivered."""
    with transaction.atomic():
        fresh = []
        for item in items:
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        case=item.case,
                        level=item.level,
                        due_on=item.due_on,
                        occurrence=item.occurrence,
                        recipient=recipient,
                    )
            except IntegrityError:  # sent by an earlier run or a racing worker
                continue
            fresh.append(item)
        if fresh:
            # Raises on failure: the rows above roll back with the transaction.
            _digest(recipient, fresh, today).send(fail_silently=False)
        return fresh


def send_reminders(*, today: dt.date, dry_run: bool = False) -> ReminderReport:
    cal = work_calendar()
    report = ReminderReport(today=today, working_day=cal.is_working_day(today))
    if not report.working_day:
        return report
    by_recipient: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in due_reminders(today=today, cal=cal):
        for recipient in reminder.recipients:
            by_recipient[recipient].append(reminder)

    for recipient, items in sorted(by_recipient.items()):
        if dry_run:
            pending = [item for item in items if not _already_sent(recipient, item)]
            report.skipped += len(items) - len(pending)
            if pending:
                report.digests[recipient] = pending
            continue
        try:
            sent = _send_digest(recipient, items, today)
        except (smtplib.SMTPException, OSError) as err:
            report.failures[recipient] = f"{type(err).__name__}: {err}"
            continue
        report.skipped += len(items) - len(sent)
        if sent:
            report.digests[recipient] = sent
    return report


def render_digest_text(recipient: str, items: list[Reminder], today: dt.date) -> str:
    """The plain-text digest, for dry runs."""
    message = _digest(recipient, items, today)
    return f"收件人：{recipient}\n主题：{message.subject}\n\n{message.body}"

"""Deadline reminders: what is coming due, and one digest e-mail per recipient per run.

Never twice: a ReminderSent row per (case, level, due date, occurrence, recipient) is inserted in
the same transaction in which the digest is handed to the SMTP server (``cases.mail.send_once``);
a second run, or a second worker racing this one, finds the row and skips it. A due date that
moves makes new keys, so the reminders re-arm. Never lost: when sending fails the transaction
rolls back, nothing is marked, and the caller (the Celery task) retries.

At least once, in one window: a worker killed after the SMTP server accepted a digest but before
the transaction committed sends that digest again on the next run. The digest's Message-ID is
derived from its reminder keys, so the repeat carries the same Message-ID and mail systems that
drop duplicates (and every mail client's threading) treat it as the same message.

A run costs a fixed number of queries whatever the number of cases: one for the cases that may
need a reminder today (narrowed in SQL by due date, decided in Python by ``_levels``), one each
for their agencies, handlers and approvers; then per digest one ``INSERT ... ON CONFLICT DO
NOTHING RETURNING`` per batch of reminders, whose returned rows are the reminders not sent
before (a dry run reads the sent keys instead, one query per batch of cases).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from . import hooks, mail
from .calendar import work_calendar
from .deadlines import working_days_left
from .models import Agency, Case, CaseState, ReminderLevel, ReminderSent, Role, User
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


# What a reminder reads of a case (the digest shows reference, applicant, state and handler).
_CASE_FIELDS = (
    "agency_id",
    "assigned_handler_id",
    "reference",
    "applicant_name",
    "id_number",  # masked in the digest
    "state",
    "due_on",
    "correction_requested_on",
    "correction_notice_due_on",
    *(field_name for field_name, _level in WAITING.values()),
)
# Rows per statement when marking or reading sent reminders.
BATCH = 2000


def _may_need_reminder(today: dt.date, cal: WorkCalendar) -> Q:
    """Open cases that may need a reminder today: every case _levels yields something for, and
    a few more (it decides). Served by the index on (state, due_on)."""
    # Working days left <= 5 (or overdue) <=> due before the 6th working day after today.
    reply_horizon = cal.add_working_days(today, max(days for days, _level in REPLY_LEVELS) + 1)
    # Left 0 or 1 <=> due today or before the 2nd working day after today.
    notice_horizon = cal.add_working_days(today, 2)
    query = Q(state__in=CLOCK_RUNNING, due_on__lt=reply_horizon) | Q(
        state=CaseState.REGISTERED,
        correction_requested_on__isnull=True,
        correction_notice_due_on__gte=today,
        correction_notice_due_on__lt=notice_horizon,
    )
    for state, (field_name, _level) in WAITING.items():
        query |= Q(state=state, **{f"{field_name}__lt": today})
    return query


def due_reminders(*, today: dt.date, cal: WorkCalendar) -> list[Reminder]:
    cases = list(
        Case.objects.filter(_may_need_reminder(today, cal))
        .only(*_CASE_FIELDS)
        .order_by("agency_id", "due_on", "id")
    )
    agencies = Agency.objects.only("name", "code", "email").in_bulk(
        {case.agency_id for case in cases}
    )
    handler_ids = {case.assigned_handler_id for case in cases} - {None}
    handlers = User.objects.only("username", "first_name", "last_name", "email").in_bulk(
        handler_ids
    )
    approvers: dict[int, list[str]] = defaultdict(list)
    for agency_id, email in (
        User.objects.filter(role=Role.APPROVER, is_active=True, agency_id__in=agencies)
        .exclude(email="")
        .values_list("agency_id", "email")
    ):
        approvers[agency_id].append(email)
    for case in cases:
        case.agency = agencies[case.agency_id]
        case.assigned_handler = handlers.get(case.assigned_handler_id)

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


DIGEST_TEXT = "cases/email/reminder_digest.txt"
DIGEST_HTML = "cases/email/reminder_digest.html"


def _digest_context(recipient: str, items: list[Reminder], today: dt.date) -> tuple[str, dict]:
    """The digest's subject and its templates' context."""
    agencies = sorted({item.case.agency.name for item in items})
    context = {
        "recipient": recipient,
        "items": items,
        "today": today,
        "agency": agencies[0] if len(agencies) == 1 else "、".join(agencies),
        "overdue": sum(1 for item in items if item.level == ReminderLevel.REPLY_OVERDUE),
        # What other apps add (cases.hooks.register_digest_note): undelivered notices.
        "notes": hooks.digest_notes({item.case.agency_id for item in items}, today),
    }
    subject = (
        f"【期限提醒】{context['agency']}：{len(items)}项政府信息公开申请事项（{today:%Y-%m-%d}）"
    )
    return subject, context


def _digest(recipient: str, items: list[Reminder], today: dt.date) -> EmailMultiAlternatives:
    subject, context = _digest_context(recipient, items, today)
    return mail.compose(
        subject=subject,
        to=[recipient],
        template=DIGEST_TEXT,
        html_template=DIGEST_HTML,
        context=context,
        headers={"Message-ID": digest_message_id(recipient, items)},
    )


def _key(case_id, level, due_on, occurrence, recipient) -> tuple[str, ...]:
    # As strings: a raw cursor gives dates as text on SQLite.
    return (str(case_id), str(level), str(due_on), str(occurrence), str(recipient).lower())


def _item_key(recipient: str, item: Reminder) -> tuple[str, ...]:
    return _key(item.case.pk, item.level, item.due_on, item.occurrence, recipient)


def _sent_keys(by_recipient: dict[str, list[Reminder]]) -> set[tuple[str, ...]]:
    """The keys among these reminders already recorded as sent; one query per batch of cases."""
    case_ids = sorted({item.case.pk for items in by_recipient.values() for item in items})
    occurrences = {item.occurrence for items in by_recipient.values() for item in items}
    keys = set()
    for start in range(0, len(case_ids), BATCH):
        rows = ReminderSent.objects.filter(
            case_id__in=case_ids[start : start + BATCH], occurrence__in=occurrences
        ).values_list("case_id", "level", "due_on", "occurrence", "recipient")
        keys.update(_key(*row) for row in rows)
    return keys


def _mark_sent(recipient: str, items: list[Reminder]) -> list[Reminder]:
    """Record the reminders not recorded yet, in the caller's transaction; return those.

    The unique key decides: a row another run committed (or is about to commit: the insert
    waits for it) is not inserted and not returned, so its reminder is not sent again.
    """
    table = connection.ops.quote_name(ReminderSent._meta.db_table)
    ops = connection.ops
    sent_at = ops.adapt_datetimefield_value(timezone.now())
    inserted = set()
    with connection.cursor() as cursor:
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            params = []
            for item in batch:
                params += [
                    item.case.pk,
                    item.level,
                    ops.adapt_datefield_value(item.due_on),
                    ops.adapt_datefield_value(item.occurrence),
                    recipient,
                    sent_at,
                ]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (case_id, level, due_on, occurrence, recipient, sent_at) "
                f"VALUES {values} ON CONFLICT DO NOTHING "
                "RETURNING case_id, level, due_on, occurrence",
                params,
            )
            inserted.update(_key(*row, recipient) for row in cursor.fetchall())
    return [item for item in items if _item_key(recipient, item) in inserted]


def _send_digest(recipient: str, items: list[Reminder], today: dt.date) -> list[Reminder]:
    """Record and send in one transaction; return the reminders this run delivered."""
    return mail.send_once_marked(
        items,
        mark_all=lambda pending: _mark_sent(recipient, pending),
        message_for=lambda fresh: _digest(recipient, fresh, today),
    )


def send_reminders(*, today: dt.date, dry_run: bool = False) -> ReminderReport:
    cal = work_calendar()
    report = ReminderReport(today=today, working_day=cal.is_working_day(today))
    if not report.working_day:
        return report
    by_recipient: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in due_reminders(today=today, cal=cal):
        for recipient in reminder.recipients:
            by_recipient[recipient].append(reminder)

    sent_before = _sent_keys(by_recipient) if dry_run else set()
    for recipient, items in sorted(by_recipient.items()):
        if dry_run:
            pending = [item for item in items if _item_key(recipient, item) not in sent_before]
            report.skipped += len(items) - len(pending)
            if pending:
                report.digests[recipient] = pending
            continue
        try:
            sent = _send_digest(recipient, items, today)
        except mail.SEND_ERRORS as err:
            report.failures[recipient] = mail.failure_text(err)
            continue
        report.skipped += len(items) - len(sent)
        if sent:
            report.digests[recipient] = sent
    return report


def render_digest_text(recipient: str, items: list[Reminder], today: dt.date) -> str:
    """The plain-text digest, for dry runs (the HTML part is not rendered)."""
    subject, context = _digest_context(recipient, items, today)
    body = render_to_string(DIGEST_TEXT, context)
    return f"收件人：{recipient}\n主题：{subject}\n\n{body}"

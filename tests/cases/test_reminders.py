"""Reminder digests through the management command, delivered to a real SMTP server."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases import reminders, services
from cases.models import ReminderSent

from ..factories import UserFactory, register_case
from ..smtp import text_of

D = dt.date
OFFICE = "gk@rst.fj.example.cn"


def run(today: str, *extra) -> str:
    out = io.StringIO()
    call_command("send_deadline_reminders", "--today", today, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def people(agency, handler, approver):
    handler.email, approver.email = "handler@rst.fj.example.cn", "approver@rst.fj.example.cn"
    handler.save()
    approver.save()
    UserFactory(agency=agency, role="approver", email="", username="no-mail-approver")
    return handler, approver


@pytest.fixture
def cases(people):
    """Four cases that need attention on Wednesday 20 March 2024."""
    handler, _ = people

    def reviewed(received, name):
        case = register_case(actor=handler, received_on=received, applicant_name=name)
        return services.case_review(case=case, actor=handler, on=received)

    # Due 5 Mar (received 1 Feb: 2 Feb, Sun 4 Feb, 5-9, Sun 18 Feb, 19-23, 26-29, 1, 4-5 Mar).
    overdue = reviewed(D(2024, 2, 1), "逾期甲")
    # Due 25 Mar (received 26 Feb: 27-29 (3), 1 (4), 4-8 (9), 11-15 (14), 18-22 (19), 25 (20)):
    # on 20 Mar that is 21, 22, 25 = 3 working days ahead.
    soon = reviewed(D(2024, 2, 26), "将到期乙")
    # Registered 11 Mar, unassigned: correction notice due 20 Mar (12-15, 18-20).
    notice = register_case(actor=handler, received_on=D(2024, 3, 11), applicant_name="补正丙")
    # Fee notice 4 Jan: payment due 1 Feb (5, 8-12, 15-19, 22-26, 29-31 Jan, 1 Feb), passed.
    fee = reviewed(D(2024, 1, 2), "缴费丁")
    fee = services.case_issue_fee_notice(
        case=fee, actor=handler, basis="per_item", amount=100, on=D(2024, 1, 4)
    )
    assert (overdue.due_on, soon.due_on) == (D(2024, 3, 5), D(2024, 3, 25))
    assert (notice.correction_notice_due_on, fee.fee_due_on) == (D(2024, 3, 20), D(2024, 2, 1))
    return {"overdue": overdue, "soon": soon, "notice": notice, "fee": fee}


@pytest.mark.django_db
def test_digests_reach_the_right_recipients_once(smtp, cases, people):
    handler, approver = people
    output = run("2024-03-20")
    assert "已发送3封提醒邮件" in output

    mails = smtp.by_recipient()
    assert set(mails) == {OFFICE, handler.email, approver.email}
    office = text_of(mails[OFFICE])
    for case in cases.values():
        assert case.reference in office
    assert "已超过答复期限" in office and "已逾期11个工作日" in office
    assert "距答复期限还有3个工作日" in office and "剩余3个工作日" in office
    assert "今天是补正告知期限" in office
    assert "缴费期限已届满" in office
    assert "4项" in mails[OFFICE]["Subject"]
    assert "福建省人力资源和社会保障厅" in mails[OFFICE]["Subject"]

    handler_mail = text_of(mails[handler.email])
    assert cases["notice"].reference not in handler_mail  # not assigned to anyone
    assert cases["overdue"].reference in handler_mail and cases["fee"].reference in handler_mail
    approver_mail = text_of(mails[approver.email])
    assert cases["overdue"].reference in approver_mail  # approvers hear of overdue cases only
    assert cases["soon"].reference not in approver_mail
    html = text_of(mails[OFFICE], "html")
    assert "<table" in html and cases["overdue"].reference in html

    assert "已发送0封" in run("2024-03-20")  # a second run sends nothing
    assert len(smtp.messages) == 3


@pytest.mark.django_db
def test_overdue_repeats_each_working_day_and_a_moved_due_date_rearms(smtp, cases, people):
    handler, approver = people
    run("2024-03-20")
    smtp.messages.clear()

    run("2024-03-21")  # Thursday: only the overdue case again, to all three
    assert sorted(r[0] for r, _ in smtp.messages) == sorted([OFFICE, handler.email, approver.email])
    assert all(cases["overdue"].reference in text_of(m) for _, m in smtp.messages)
    assert all(cases["soon"].reference not in text_of(m) for _, m in smtp.messages)

    smtp.messages.clear()
    assert "不是工作日" in run("2024-03-23")  # Saturday
    assert smtp.messages == []

    services.case_extend(
        case=cases["soon"], actor=approver, working_days=1, reason="补充材料", on=D(2024, 3, 21)
    )
    run("2024-03-22")  # due now 26 Mar: 25, 26 = 2 left, so the 3-day level is due again
    office = text_of(smtp.by_recipient()[OFFICE])
    assert cases["soon"].reference in office and "2024-03-26" in office


@pytest.mark.django_db
def test_smtp_failure_marks_nothing_and_a_later_run_delivers(smtp, cases):
    smtp.fail = True
    with pytest.raises(CommandError, match="未标记为已发送"):
        run("2024-03-20")
    assert smtp.messages == []
    assert not ReminderSent.objects.exists()

    smtp.fail = False
    assert "已发送3封" in run("2024-03-20")
    assert len(smtp.messages) == 3
    assert ReminderSent.objects.count() == 4 + 3 + 1  # office 4, handler 3, approver 1


@pytest.mark.django_db
def test_dry_run_prints_and_sends_nothing(smtp, cases):
    output = run("2024-03-20", "--dry-run")
    assert "将发送3封提醒邮件" in output
    assert cases["overdue"].reference in output and "主题：【期限提醒】" in output
    assert smtp.messages == [] and not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_adjusted_working_sunday_is_a_reminder_day(cases):
    report = reminders.send_reminders(today=D(2024, 2, 4), dry_run=True)  # Sunday, worked
    assert report.working_day is True
    assert reminders.send_reminders(today=D(2024, 2, 11), dry_run=True).working_day is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_racing_runs_send_each_digest_once(smtp, cases):
    barrier = threading.Barrier(2)
    reports = []

    def one_run():
        try:
            barrier.wait()
            reports.append(reminders.send_reminders(today=D(2024, 3, 20)))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    delivered = sorted(
        (rcpt[0], case.reference)
        for rcpt, message in smtp.messages
        for case in cases.values()
        if case.reference in text_of(message)
    )
    assert len(delivered) == len(set(delivered)) == 8
    assert sum(r.reminders for r in reports) == 8


@pytest.mark.django_db
def test_task_retries_while_smtp_fails_and_then_delivers(smtp, cases, settings):
    from cases.tasks import ReminderDeliveryError, send_deadline_reminders

    assert ReminderDeliveryError in send_deadline_reminders.autoretry_for
    assert send_deadline_reminders.retry_backoff and send_deadline_reminders.max_retries >= 5
    smtp.fail = True
    attempt = send_deadline_reminders.apply(kwargs={"today": "2024-03-20"})
    assert attempt.failed()
    assert isinstance(attempt.result, ReminderDeliveryError)
    assert not ReminderSent.objects.exists() and smtp.messages == []

    smtp.fail = False
    done = send_deadline_reminders.apply(kwargs={"today": "2024-03-20"})
    assert done.successful()
    assert done.result == {"today": "2024-03-20", "recipients": 3, "sent": 8}


def test_beat_sends_reminders_every_morning_at_half_past_eight():
    from config.celery import app

    entry = app.conf.beat_schedule["deadline-reminders"]
    assert entry["task"] == "cases.tasks.send_deadline_reminders"
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {30})
    assert app.conf.timezone == "Asia/Shanghai"


@pytest.mark.django_db
def test_a_digest_resent_after_a_crash_carries_the_same_message_id(smtp, cases, people):
    # A worker killed after the SMTP server accepted the digests but before its transaction
    # committed leaves no ReminderSent rows: the next run sends the same digests again. Their
    # Message-IDs, derived from the reminder keys, let mail systems recognise the repeat.
    run("2024-03-20")
    first = {rcpt[0]: message["Message-ID"] for rcpt, message in smtp.messages}
    assert len(set(first.values())) == 3
    assert all(mid.startswith("<reminder-") and mid.endswith(">") for mid in first.values())

    ReminderSent.objects.all().delete()  # what the rolled-back transaction leaves behind
    smtp.messages.clear()
    run("2024-03-20")
    again = {rcpt[0]: message["Message-ID"] for rcpt, message in smtp.messages}
    assert again == first

    # A different set of reminders (the next day's) is a different message.
    smtp.messages.clear()
    run("2024-03-21")
    next_day = {rcpt[0]: message["Message-ID"] for rcpt, message in smtp.messages}
    assert next_day and not set(next_day.values()) & set(first.values())

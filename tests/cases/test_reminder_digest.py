"""The digest says one working-day count per case, from the case's stored due date: what is due
("距答复期限还有N个工作日") and the date line ("剩余N个工作日") never disagree. Delivered to a
real SMTP server, as the reminders are."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from cases import services

from ..factories import register_case
from ..smtp import text_of

D = dt.date
OFFICE = "gk@rst.fj.example.cn"
RUN_DAY = D(2026, 7, 22)  # a Wednesday; no holiday between 22 June and 29 July 2026

# Received on, and the due date hand-counted from it: 20 working days, the day of receipt not
# counted (端午 is 19-21 June, before every receipt; July has no holiday or adjusted day).
# Working days left on Wed 22 Jul are those after it up to the due date, 22 Jul not counted.
CASES = {
    # received Wed 1 Jul: 2-3 (2), 6-10 (7), 13-17 (12), 20-24 (17), 27-29 (20) -> Wed 29 Jul;
    # left on 22 Jul: 23, 24, 27, 28, 29 = 5.
    "five": (D(2026, 7, 1), D(2026, 7, 29), "距答复期限还有5个工作日", "剩余5个工作日"),
    # received Tue 30 Jun: 1-3 Jul (3), 6-10 (8), 13-17 (13), 20-24 (18), 27-28 (20) -> 28 Jul;
    # left: 23, 24, 27, 28 = 4. Its 5-day reminder was never sent (the run that day missed it),
    # so it is sent now, and says 4, not 5.
    "four": (D(2026, 6, 30), D(2026, 7, 28), "距答复期限还有4个工作日", "剩余4个工作日"),
    # received Mon 29 Jun: 30 (1), 1-3 Jul (4), 6-10 (9), 13-17 (14), 20-24 (19), 27 (20)
    # -> Mon 27 Jul; left: 23, 24, 27 = 3.
    "three": (D(2026, 6, 29), D(2026, 7, 27), "距答复期限还有3个工作日", "剩余3个工作日"),
    # received Thu 25 Jun: 26 (1), 29-30 (3), 1-3 Jul (6), 6-10 (11), 13-17 (16), 20-23 (20)
    # -> Thu 23 Jul; left: 23 = 1.
    "one": (D(2026, 6, 25), D(2026, 7, 23), "距答复期限还有1个工作日", "剩余1个工作日"),
    # received Wed 24 Jun: 25-26 (2), 29-30 (4), 1-3 Jul (7), 6-10 (12), 13-17 (17),
    # 20-22 (20) -> Wed 22 Jul, the run day itself.
    "zero": (D(2026, 6, 24), D(2026, 7, 22), "今天是答复期限", "今天到期"),
    # received Mon 22 Jun: 23-26 (4), 29-30 (6), 1-3 Jul (9), 6-10 (14), 13-17 (19), 20 (20)
    # -> Mon 20 Jul; on 22 Jul overdue by 21, 22 = 2 working days.
    "overdue": (D(2026, 6, 22), D(2026, 7, 20), "已超过答复期限", "已逾期2个工作日"),
}


@pytest.fixture
def cases(handler):
    made = {}
    for name, (received, due, _what, _left) in CASES.items():
        case = register_case(actor=handler, received_on=received, applicant_name=f"申请人{name}")
        case = services.case_review(case=case, actor=handler, on=received)
        assert case.due_on == due, name
        made[name] = case
    return made


@pytest.mark.django_db
def test_digest_says_one_count_per_case_from_the_stored_due_date(smtp, cases):
    out = io.StringIO()
    call_command("send_deadline_reminders", "--today", f"{RUN_DAY}", stdout=out)

    office = text_of(smtp.by_recipient()[OFFICE]).replace("\r\n", "\n")  # SMTP line ends
    for name, (_received, due, what, left) in CASES.items():
        case = cases[name]
        assert (
            f"{case.reference}　申请人：申请人{name}\n"
            f"   事项：{what}\n"
            f"   期限：{due:%Y-%m-%d}（{left}）"
        ) in office, name
    # However the levels fall, the two counts of every item agree.
    pairs = re.findall(
        r"事项：距答复期限还有(\d+)个工作日\n\s+期限：\S+（剩余(\d+)个工作日）", office
    )
    assert len(pairs) == 4 and all(what == left for what, left in pairs)

    html = text_of(smtp.by_recipient()[OFFICE], "html")
    row = re.search(rf"{cases['four'].reference}.*?</tr>", html, re.S).group(0)
    assert "距答复期限还有4个工作日" in row and "剩余4个工作日" in row
    assert "5个工作日" not in row

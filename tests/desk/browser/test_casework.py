"""The clerks' day in a real browser: registering from a letter, working a case to a partial
disclosure, a refused action, another agency's case."""

import re

import pytest
from playwright.sync_api import expect

from cases import clock
from cases.models import Case, Role

from ...factories import UserFactory, register_case, resident_id

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def open_action(page, label: str):
    """Press an action's button; its form opens beside it (htmx)."""
    page.locator(".actions .buttons").get_by_role("link", name=label, exact=True).click()
    form = page.locator("#action-panel form")
    expect(form).to_be_visible()
    return form


def confirm(page, form, state: str):
    form.get_by_role("button", name=re.compile("^确认")).click()
    expect(page.locator(".case-head .state")).to_have_text(state)


def test_a_registrar_registers_a_case_from_a_letter(page, live_server, registrar):
    page.goto(live_server.url + "/")
    page.get_by_label("用户名").fill("registrar")
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server.url + "/desk/")

    page.get_by_role("link", name="登记新申请").click()
    page.get_by_label("申请人姓名或名称").fill("陈美玲")
    number = resident_id()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    page.get_by_label("证件号码").fill(wrong)
    expect(page.locator("#identity-hint")).to_contain_text("居民身份证号码校验码错误")
    page.get_by_label("证件号码").fill(number)
    expect(page.locator("#identity-hint")).to_contain_text("校验码正确")
    page.get_by_label("联系电话").fill("13905911234")
    page.get_by_label("通讯地址").fill("福州市鼓楼区五四路100号")
    page.get_by_label("所需政府信息的描述").fill("2025年福州市城乡居民基本养老保险基金收支情况")
    page.get_by_label("获取信息的方式").select_option(label="纸质")
    page.get_by_role("button", name="登记", exact=True).click()

    case = Case.objects.get(applicant_name="陈美玲")
    expect(page).to_have_url(f"{live_server.url}/desk/cases/{case.pk}/")
    expect(page.locator(".messages")).to_contain_text(f"已登记申请 {case.reference}（陈美玲）")
    expect(page.locator(".case-head .state")).to_have_text("已登记")
    assert case.channel == "letter" and case.id_number == number


def test_a_handler_works_a_case_to_a_partial_disclosure(
    page, live_server, login, handler, approver
):
    case = register_case(actor=handler, received_on=clock.today())
    url = f"{live_server.url}/desk/cases/{case.pk}/"
    login(handler)
    page.goto(url)

    form = open_action(page, "补正告知")
    form.get_by_label("补正事项").fill("请写明所需信息的年度和文件名称")
    confirm(page, form, "待补正")
    confirm(page, open_action(page, "收到补正"), "已登记")
    confirm(page, open_action(page, "审查"), "已审查")
    form = open_action(page, "征求意见")
    form.get_by_label("征求意见对象", exact=True).fill("福州某人力资源服务有限公司")
    confirm(page, form, "征求意见中")

    # The extension is the head of the office's (Art. 33): the handler has no such button.
    expect(page.locator('[data-action="extend"]')).to_have_count(0)
    login(approver)
    page.goto(url)
    form = open_action(page, "延期答复")
    form.get_by_label("延长工作日数").fill("10")
    form.get_by_label("延期理由").fill("需征求第三方意见，延长答复期限")
    confirm(page, form, "征求意见中")
    expect(page.locator("#deadline")).to_contain_text("延期10个工作日")

    login(handler)
    page.goto(url)
    form = open_action(page, "收到意见")
    form.get_by_label("意见", exact=True).fill("同意公开不涉及商业秘密的部分")
    confirm(page, form, "已审查")

    form = open_action(page, "答复")
    form.get_by_label("办理结果").select_option("partially_disclosed")
    expect(page.locator("#outcome-hint")).to_contain_text("第三十七条")
    form.get_by_label("答复内容").fill("现将可以公开的部分提供如下。")
    form.get_by_role("button", name="确认答复").click()
    # Refused by the service: the message beside the reason, everything else as typed.
    reason = page.locator("#field-reason")
    expect(reason.locator(".field-error")).to_have_text("不予公开或部分公开的，必须说明理由")
    expect(page.get_by_label("答复内容")).to_have_value("现将可以公开的部分提供如下。")
    expect(page.get_by_label("办理结果")).to_have_value("partially_disclosed")
    reason.get_by_label("理由").fill("部分内容涉及第三方商业秘密")
    confirm(page, page.locator("#action-panel form"), "已答复")

    expect(page.locator(".case-head .outcome")).to_contain_text("部分公开")
    timeline = page.locator("#timeline")
    for step in ("补正告知", "收到补正", "审查", "征求意见", "延期答复", "收到意见", "答复"):
        expect(timeline.get_by_text(step, exact=True).first).to_be_visible()
    case.refresh_from_db()
    assert case.state == "answered" and case.extension_approved_by == approver

    # The reply drafted by the answer: issued (this office signs replies without approval in
    # the system), then sent by e-mail, delivered the day it is sent.
    reply = page.locator('#documents tr[data-document="reply"]')
    expect(reply.locator(".doc-status")).to_have_text("草稿")
    reply.locator('[data-step="issue"]').click()
    page.locator("#document-step form").get_by_role("button", name="确认签发").click()
    expect(reply.locator(".doc-status")).to_have_text("已签发")
    expect(reply).to_contain_text(f"〔{clock.today().year}〕")
    reply.locator('[data-step="deliver"]').click()
    form = page.locator("#document-step form")
    expect(form.get_by_label("受送达人")).to_have_value(case.applicant_name)
    form.get_by_label("送达方式").select_option("email")
    form.get_by_role("button", name="确认登记送达").click()
    expect(page.locator("#documents tr.delivery")).to_contain_text("电子邮件送达")
    expect(page.locator("#documents tr.delivery")).to_contain_text("送达")


def test_a_refused_action_keeps_the_input_and_shows_the_message(page, live_server, login, handler):
    case = register_case(actor=handler, received_on=clock.today())
    login(handler)
    page.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    form = open_action(page, "审查")
    form.get_by_label("事项日期").fill("2020-01-02")
    form.get_by_label("备注").fill("已核对申请书原件")
    form.get_by_role("button", name="确认审查").click()
    field = page.locator("#field-on")
    expect(field.locator(".field-error")).to_contain_text("日期不能早于收到申请日期")
    expect(page.get_by_label("事项日期")).to_have_value("2020-01-02")
    expect(page.get_by_label("备注")).to_have_value("已核对申请书原件")
    expect(page.locator(".case-head .state")).to_have_text("已登记")


def test_another_agencys_case_is_not_found_by_url(page, live_server, login, handler, other_agency):
    stranger = UserFactory(agency=other_agency, role=Role.HANDLER)
    theirs = register_case(actor=stranger, received_on=clock.today())
    login(handler)
    response = page.goto(f"{live_server.url}/desk/cases/{theirs.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("页面或资源不存在")
    assert theirs.reference not in page.content()

"""Every kind of row error, reported as {row, column, value, message} in Chinese at the column
the office wrote, with the row left out and the other rows imported."""

import pytest

from cases.models import Case, Role

from ..factories import UserFactory, resident_id
from .helpers import row, table, upload, xlsx_bytes


def _errors(client, rows, headers=None):
    response = upload(client, xlsx_bytes(table(rows, headers)))
    assert response.status_code == 201
    return response.json()["report"]["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cells", "column", "value", "message"),
    [
        ({"收到申请日期": "2024-02-30"}, "收到申请日期", "2024-02-30", "不是有效的日期"),
        ({"收到申请日期": "三月五日"}, "收到申请日期", "三月五日", "不是有效的日期"),
        (
            {"证件号码": "350102198506150014"},
            "证件号码",
            "350102198506150014",
            "居民身份证号码校验码错误",
        ),
        ({"办理结果": "已办理"}, "办理结果", "已办理", "不是年度报告统计表中的办理结果"),
        ({"办理结果": "（六）其他处理"}, "办理结果", "（六）其他处理", "包括多种办理结果"),
        (
            {"收到申请日期": "2024-03-25", "办结日期": "2024-03-20"},
            "办结日期",
            "2024-03-20",
            "日期早于收到申请日期（2024-03-25）",
        ),
        ({"办理结果": ""}, "办理结果", "", "填写了办结日期，但没有办理结果"),
        ({"办结日期": ""}, "办结日期", "", "填写了办理结果，但没有办结日期"),
        ({"申请人": ""}, "申请人", "", "请填写申请人"),
        ({"申请方式": "托人转交"}, "申请方式", "托人转交", "不是可选的申请方式"),
        ({"收到申请日期": "2099-01-04"}, "收到申请日期", "2099-01-04", "日期不能晚于今天"),
        (
            {"申请人类型": "商业企业", "证件类型": "居民身份证", "证件号码": resident_id()},
            "证件类型",
            "居民身份证",
            "法人或其他组织应提供统一社会信用代码",
        ),
        (
            {"收到补正日期": "2024-03-10"},
            "收到补正日期",
            "2024-03-10",
            "填写了收到补正日期，但没有补正告知日期",
        ),
        (
            {"补正告知日期": "2024-03-12", "收到补正日期": "2024-03-08"},
            "收到补正日期",
            "2024-03-08",
            "收到补正日期早于补正告知日期（2024-03-12）",
        ),
        (
            {"征求意见日期": "2024-03-25"},
            "征求意见日期",
            "2024-03-25",
            "征求意见日期晚于办结日期（2024-03-20）",
        ),
        (
            {"收费通知日期": "2024-03-06"},
            "收费方式",
            "",
            "填写了收费通知日期的，请填写收费方式",
        ),
        (
            {"延期日期": "2024-03-08"},
            "延长工作日数",
            "",
            "延期的，请同时填写延期日期和延长工作日数",
        ),
        (
            {"申请人撤回": "是", "办理结果": "予以公开"},
            "申请人撤回",
            "是",
            "申请人撤回的，办理结果应为",
        ),
        (
            {"办理结果": "逾期不补正"},
            "办理结果",
            "逾期不补正",
            "逾期不补正的，应有补正告知日期且没有收到补正日期",
        ),
    ],
)
def test_each_kind_of_row_error_names_row_column_value_and_why(
    api, agency_admin, cells, column, value, message
):
    good, bad = row(申请人="李好"), row(**cells)
    errors = _errors(api(agency_admin), [good, bad])

    assert errors, "the row should have been refused"
    found = [e for e in errors if e["column"] == column and message in e["message"]]
    assert found, errors
    assert all(e["row"] == 3 for e in errors)
    assert found[0]["value"] == value


@pytest.mark.django_db
def test_every_error_of_a_row_is_reported_at_once(api, agency_admin):
    errors = _errors(
        api(agency_admin),
        [row(收到申请日期="2024/13/01", 证件号码="350102198506150015", 办理结果="不知道")],
    )
    assert {e["column"] for e in errors} == {"收到申请日期", "证件号码", "办理结果"}


@pytest.mark.django_db
def test_errors_use_the_header_the_office_wrote(api, agency_admin):
    data = row(收到申请日期="2024-02-30")
    data["受理日期"] = data.pop("收到申请日期")
    [error] = _errors(api(agency_admin), [data])
    assert error["column"] == "受理日期"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        # 国办函〔2020〕109号 applies from 2021: the service refuses the fee notice.
        (
            {
                "收到申请日期": "2020-06-01",
                "收费通知日期": "2020-06-03",
                "收费方式": "按件计收",
                "收费金额（元）": "100",
                "缴费日期": "2020-06-05",
                "办结日期": "2020-06-10",
            },
            "收费通知日期",
            "收费通知：",
        ),
        # Art. 30: no lapse before the correction period ran out.
        (
            {
                "补正告知日期": "2024-03-05",
                "办理结果": "其他处理：申请人无正当理由逾期不补正",
                "办结日期": "2024-03-08",
            },
            "办结日期",
            "补正期限至",
        ),
        # Art. 33: an extension within the reply period only.
        (
            {"延期日期": "2024-04-30", "延长工作日数": "10", "办结日期": "2024-05-10"},
            "延期日期",
            "答复期限已于2024-04-01届满",
        ),
        # Withholding must say why (Art. 36(3)).
        ({"办理结果": "不予公开：属于国家秘密"}, "理由", "不予公开或部分公开的，必须说明理由"),
    ],
)
def test_the_lifecycles_rules_are_the_services_and_reported_at_their_column(
    api, platform_admin, agency, cells, column, message
):
    response = upload(api(platform_admin), xlsx_bytes(table([row(**cells)])), agency="FJRST")

    errors = response.json()["report"]["errors"]
    assert len(errors) == 1, errors
    assert errors[0]["column"] == column
    assert message in errors[0]["message"]


@pytest.mark.django_db
def test_an_extension_needs_the_head_of_office(api, agency_admin):
    extended = {"延期日期": "2024-03-15", "延长工作日数": "10", "办结日期": "2024-04-10"}
    [error] = _errors(api(agency_admin), [row(**extended)])
    assert error["column"] == "延期批准人"
    assert "延期答复须由负责人批准" in error["message"]

    [error] = _errors(api(agency_admin), [row(**extended, 延期批准人="张主任")])
    assert error["message"].startswith("“张主任”不是本机关在职的负责人账号")

    head = UserFactory(username="zhang", agency=agency_admin.agency, role=Role.APPROVER)
    head.last_name, head.first_name = "张", "主任"
    head.save()
    response = upload(
        api(agency_admin),
        xlsx_bytes(table([row(**extended, 延期批准人="张主任")])),
        dry_run=False,
    )
    assert response.json()["report"]["errors"] == []
    case = Case.objects.get()
    assert case.extension_approved_by == head
    assert case.events.get(action="extend").actor == head


@pytest.mark.django_db
def test_the_same_request_twice_in_one_file_is_an_error_on_the_second(api, agency_admin):
    first = row(台账编号="A-1")
    again = dict(first, 台账编号="A-2")
    numbered = row(台账编号="A-1", 申请人="王五")
    errors = _errors(api(agency_admin), [first, again, numbered])
    assert [(e["row"], e["column"]) for e in errors] == [(3, "证件号码"), (4, "台账编号")]
    assert errors[0]["message"].startswith("与第2行是同一申请")
    assert errors[1]["message"] == "与第2行的台账编号相同"

"""Writes sample_ledger.xlsx, the ledger test_sample_ledger.py imports (run it to remake it).

Written the way an office keeps its ledger in Excel: a merged title and a line of who filled it
in above the headers, its own names for the columns (序号, 受理编号, 申请人姓名, 受理日期,
答复结果, ...) and columns the system does not know (承办科室, 备注), real date cells next to
dates typed as text ("2024年3月5日", "2024.6.3"), labels from the annual table's own rows
("（二）部分公开"), a blank row, a totals row, and a note below the table. One row has an identity
number with a wrong check character, as typed ledgers do.

    /work/main/.venv/bin/python tests/ledger/data/write_sample_ledger.py
"""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return first17 + RESIDENT_ID_CHECK[total % 11]


def uscc(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


HEADERS = [
    "序号",
    "受理编号",
    "申请人姓名",
    "申请人类别",
    "身份证号/统一社会信用代码",
    "申请形式",
    "受理日期",
    "申请公开的内容",
    "联系电话",
    "补正通知日期",
    "收到补正材料日期",
    "征求意见日期",
    "第三方",
    "第三方答复日期",
    "延期告知日期",
    "延期天数",
    "延期审批人",
    "答复日期",
    "答复结果",
    "不予公开理由",
    "承办科室",
    "备注",
]
D = dt.datetime
# fmt: off
ROWS = [
    # 序号, 编号, 姓名, 类别, 证件, 形式, 受理, 内容, 电话, 补正通知, 收到补正, 征求, 第三方,
    # 第三方答复, 延期, 天数, 审批人, 答复日期, 答复结果, 理由, 科室, 备注
    [1, "榕人社公开〔2024〕1号", "陈美玲", "自然人", resident_id("35010219820314012"), "网上申请",
     D(2024, 1, 8), "2023年福州市最低工资标准调整文件", "13905910001", None, None, None, None,
     None, None, None, None, D(2024, 1, 22), "予以公开", None, "劳动关系处", None],
    [2, "榕人社公开〔2024〕2号", "林志强", "自然人", resident_id("35010319790622003"), "信函",
     "2024年3月5日", "本人2015年至2020年企业职工养老保险缴费记录", "0591-87650002", None, None,
     None, None, None, None, None, None, "2024年3月26日", "（二）部分公开",
     "缴费记录中涉及单位经办人个人信息，依据《中华人民共和国政府信息公开条例》第十五条不予公开",
     "社会保险处", None],
    [3, "榕人社公开〔2024〕3号", "福州闽江建设工程有限公司", "商业企业",
     uscc("91350100MA2XY1234"), "当面", D(2024, 4, 10),
     "2023年度建筑业农民工工资保证金缴存情况汇总", "0591-88880003", None, None, None, None,
     None, None, None, None, D(2024, 4, 29), "无法提供：本机关不掌握相关政府信息", None,
     "劳动监察支队", None],
    [4, "榕人社公开〔2024〕4号", "郑晓燕", "自然人", resident_id("35012119900205042"), "网上申请",
     D(2024, 5, 6), "关于高级工程师职称评审的文件", "13805910004", D(2024, 5, 8), D(2024, 5, 15),
     None, None, None, None, None, None, D(2024, 6, 3), "予以公开", None, "专业技术人员管理处",
     "申请内容不明确，已补正"],
    [5, "榕人社公开〔2024〕5号", "王立新", "自然人", resident_id("35010419850917011"), "网上申请",
     "2024.6.3", "福州某人力资源服务有限公司2023年劳务派遣经营许可年检材料", "13705910005",
     None, None, D(2024, 6, 6), "福州某人力资源服务有限公司", D(2024, 6, 20), None, None, None,
     D(2024, 7, 1), "不予公开：保护第三方合法权益",
     "经征求第三方意见，第三方不同意公开，公开会损害其商业秘密", "人力资源市场处", None],
    [6, "榕人社公开〔2024〕6号", "黄建明", "自然人", resident_id("35010519700101033"), "信函",
     D(2024, 7, 8), "2019年至2023年全市工伤认定案件数量及结果统计", "13605910006", None, None,
     None, None, None, D(2024, 8, 2), 15, "王建华", D(2024, 8, 23), "予以公开", None,
     "工伤保险处", "统计数据需跨年度汇总，延期答复"],
    [7, "榕人社公开〔2024〕7号", "刘芳", "自然人", resident_id("35010619880808028"), "电子邮件",
     D(2024, 9, 2), "本人参加2024年事业单位招聘考试的成绩及排名", "13505910007", None, None,
     None, None, None, None, None, None, D(2024, 9, 10), "申请人撤回", None, "事业单位人事管理处",
     "申请人来电撤回"],
    [8, "榕人社公开〔2024〕8号", "福建明德律师事务所", "法律服务机构",
     uscc("31350000MD0123456"), "当面", D(2024, 10, 14),
     "某劳动争议仲裁案件的庭审笔录", "0591-87000008", None, None, None, None, None, None, None,
     None, D(2024, 10, 30), "不予处理：信访举报投诉类申请", None, "仲裁院", None],
    [],
    [9, "榕人社公开〔2024〕9号", "陈伟", "自然人", "350102198001011235", "网上申请",
     D(2024, 11, 4), "2024年福州市城乡居民养老保险待遇标准", "13305910009", None, None, None,
     None, None, None, None, None, D(2024, 11, 18), "予以公开", None, "社会保险处",
     "身份证号码登记有误"],
    [10, "榕人社公开〔2024〕10号", "许丽华", "自然人", resident_id("35012319920715046"),
     "网上申请", D(2024, 12, 23), "2024年福州市就业补助资金使用情况", "13205910010", None,
     None, None, None, None, None, None, None, None, None, None, "就业促进处", "跨年办理"],
    ["合计", None, "共10件", None, None, None, None, None, None, None, None, None, None, None, None,
     None, None, None, "办结9件，结转1件"],
]
# fmt: on


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "2024年台账"
    sheet.append(["福州市人力资源和社会保障局2024年政府信息公开申请办理台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["填报单位：办公室（政务公开科）    统计时间：2024年1月1日至2024年12月31日"])
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    sheet.append([])
    sheet.append(["注：本表由政务公开科按月汇总填报，日期以收到申请之日为准。"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"
    book.save(Path(__file__).with_name("sample_ledger.xlsx"))


if __name__ == "__main__":
    main()

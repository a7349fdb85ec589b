"""Load a demo agency, its users and a few dozen cases in every state (``make run`` calls it).

Idempotent: once the demo agency exists nothing new is created. Passwords are random, generated
on first creation and kept in ``<VAR_DIR>/demo-credentials.txt`` (mode 600), which every run
prints. If that file is lost, the demo users get new passwords and the file is written again.

Cases are made only through ``cases.services``, so each one is validated and audited exactly as
if the clerks had registered and handled it. The demo cases' dates count back from today; besides
them the agency gets its historical requests of 2018–2020 (``reporting.seeds``), whose 2019 and
2020 annual tables are those the agency published. A demo agency that lacks them (made by an
earlier version) gets them on the next run.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from cases import clock, services
from cases.identity import resident_id_check_char, uscc_check_char
from cases.models import Agency, Case, CaseState, Role, User
from reporting.seeds import log_seed_cases

AGENCY = {
    "code": "FJRST",
    "name": "福建省人力资源和社会保障厅",
    "email": "xxgk@rst.fujian.example.cn",
}
CREDENTIALS_FILE = "demo-credentials.txt"
PLATFORM_ADMIN = "admin"

# username: (role, last_name, first_name). The platform admin has no agency and no role.
AGENCY_USERS = {
    "registrar": (Role.REGISTRAR, "陈", "晓红"),
    "handler": (Role.HANDLER, "林", "志远"),
    "approver": (Role.APPROVER, "黄", "建国"),
    "agencyadmin": (Role.AGENCY_ADMIN, "郑", "丽萍"),
}
PLATFORM_ADMIN_NAME = ("吴", "俊杰")


# Applicants


def _resident_id(region: str, birth: str, serial: str) -> str:
    first17 = f"{region}{birth}{serial}"
    return first17 + resident_id_check_char(first17)


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


class Applicant(NamedTuple):
    applicant_type: str
    id_type: str
    id_number: str
    phone: str = ""
    address: str = ""
    postal_code: str = ""
    email: str = ""


def _person(region, birth, serial, phone, address, postal_code) -> Applicant:
    resident_id = _resident_id(region, birth, serial)
    return Applicant("natural_person", "resident_id", resident_id, phone, address, postal_code)


def _org(applicant_type, first17, phone, address, postal_code, email="") -> Applicant:
    return Applicant(applicant_type, "uscc", _uscc(first17), phone, address, postal_code, email)


APPLICANTS: dict[str, Applicant] = {
    # Natural persons: resident identity cards (region, birth date, serial; odd serial = male).
    "林建华": _person(
        "350102", "19680312", "113", "13805012468", "福州市鼓楼区五四路128号", "350001"
    ),
    "陈美玲": _person(
        "350203", "19850721", "246", "13959218837", "厦门市思明区厦禾路866号", "361004"
    ),
    "黄志强": _person(
        "350503", "19791105", "151", "13506093372", "泉州市丰泽区丰泽街301号", "362000"
    ),
    "郑晓燕": _person(
        "350104", "19920214", "328", "18650137719", "福州市仓山区金山大道56号", "350008"
    ),
    "王立新": _person(
        "350102", "19580930", "017", "13003841526", "福州市鼓楼区东大路45号", "350001"
    ),
    "吴丽娟": _person(
        "350602", "19881201", "264", "15860672291", "漳州市芗城区胜利西路88号", "363000"
    ),
    "刘洋": _person(
        "350121", "19950618", "395", "18805915546", "福州市闽侯县上街镇学府南路12号", "350108"
    ),
    "张伟": _person(
        "350211", "19830409", "171", "13600921184", "厦门市集美区杏林湾路455号", "361021"
    ),
    "蔡文彬": _person(
        "350583", "19750127", "233", "13859577403", "南安市溪美街道成功街67号", "362300"
    ),
    "许静": _person("350702", "19901010", "142", "15905996620", "南平市延平区八一路33号", "353000"),
    "杨光明": _person(
        "350402", "19660808", "057", "13507581903", "三明市梅列区列东街21号", "365000"
    ),
    "李娜": _person(
        "350802", "19980520", "386", "18359712045", "龙岩市新罗区龙岩大道268号", "364000"
    ),
    "周海峰": _person(
        "350305", "20000303", "219", "17750218864", "莆田市秀屿区笏石镇秀屿大道9号", "351100"
    ),
    # Natural persons living abroad, identified by their Chinese passports.
    "陈志明": Applicant(
        "natural_person", "passport", "E38264917", email="chen.zhiming@mail.example.com"
    ),
    "林雅婷": Applicant(
        "natural_person", "passport", "EH4827163", "13906017752", email="lin.yt@mail.example.com"
    ),
    # Organisations: unified social credit codes (authority and kind, region, organisation code).
    "福州榕信软件科技有限公司": _org(
        "commercial_enterprise",
        "91350100MA2Y8K3L7",
        "0591-87812345",
        "福州市鼓楼区软件大道89号",
        "350003",
        "hr@rongxin-soft.example.cn",
    ),
    "厦门海沧精密机械制造有限公司": _org(
        "commercial_enterprise",
        "91350205MA31RT6W4",
        "0592-6512378",
        "厦门市海沧区角嵩路1号",
        "361026",
    ),
    "泉州闽南纺织股份有限公司": _org(
        "commercial_enterprise",
        "91350500764089123",
        "0595-22561234",
        "泉州市鲤城区江南街道",
        "362000",
    ),
    "福建省劳动经济研究院": _org(
        "research_institution",
        "1235000048810273X",
        "0591-83345120",
        "福州市鼓楼区湖东路168号",
        "350003",
        "office@fjlei.example.cn",
    ),
    "福州市爱心助残志愿者协会": _org(
        "social_welfare_organization",
        "51350100MJ1102583",
        "0591-88021456",
        "福州市台江区五一中路32号",
        "350009",
    ),
    "福建省阳光助学基金会": _org(
        "social_welfare_organization",
        "53350000MJ0104726",
        "0591-87553021",
        "福州市鼓楼区华林路201号",
        "350001",
        "info@fjygzx.example.org",
    ),
    "福建闽江律师事务所": _org(
        "legal_service_institution",
        "31350000H01628457",
        "0591-87091234",
        "福州市台江区江滨中大道363号",
        "350014",
        "office@minjianglaw.example.cn",
    ),
    "福州市鼓楼区法律援助中心": _org(
        "legal_service_institution",
        "12350102MB0R2146X",
        "0591-87512348",
        "福州市鼓楼区乌山路61号",
        "350001",
    ),
    "福清市绿源果蔬专业合作社": _org(
        "other_organization", "93350181MA34FK9P2", "0591-85231876", "福清市龙田镇上一村", "350315"
    ),
    "福州市台江区总工会": _org(
        "other_organization",
        "81350103MC5872106",
        "0591-83280110",
        "福州市台江区八一七中路",
        "350004",
    ),
}


# Scenarios: one row per case. Steps are (action, days after receipt, arguments); the registrar
# records incoming papers, the handler does the casework and the approver grants extensions.


class Scenario(NamedTuple):
    days_ago: int
    applicant: str
    channel: str
    delivery_form: str
    description: str
    steps: tuple = ()


def answer(outcome: str, reply: str, reason: str = "") -> dict[str, Any]:
    return {"outcome": outcome, "reply": reply, "reason": reason}


def fee(basis: str, amount: str) -> dict[str, Any]:
    return {"basis": basis, "amount": Decimal(amount)}


VAGUE = "所需政府信息的描述不明确：请写明具体的文件名称、文号或年度及所涉险种"
PROOF = "请补充提供申请人身份证明（营业执照或统一社会信用代码证书复印件）及经办人授权委托书"
PARTY = "福州榕信软件科技有限公司"
HEAVY = "所申请信息涉及多个处室及历年档案，需调取核对，无法在法定期限内答复"
FOUND = "经查，现将您申请的信息提供给您，详见附件。"
PRIVACY = "所涉名单中个人身份证号码、银行账号、联系电话属于个人隐私，公开会损害第三方合法权益"

SCENARIOS: tuple[Scenario, ...] = (
    # Just registered, or registered again after a correction.
    Scenario(2, "王立新", "online", "electronic", "2025年全省企业退休人员基本养老金调整方案"),
    Scenario(
        3,
        "福州榕信软件科技有限公司",
        "email",
        "electronic",
        "2024年度失业保险稳岗返还资金发放企业名单",
    ),
    Scenario(
        5,
        "李娜",
        "letter",
        "paper",
        "2025年度福建省事业单位公开招聘工作人员面试成绩及拟聘用人员名单",
    ),
    Scenario(
        13,
        "吴丽娟",
        "in_person",
        "paper",
        "灵活就业人员参加职工基本养老保险缴费基数的相关文件",
        (("request_correction", 2, {"items": VAGUE}), ("receive_correction", 9)),
    ),
    # Awaiting a correction.
    Scenario(
        6,
        "刘洋",
        "oral",
        "paper",
        "关于社保方面的文件",
        (("request_correction", 1, {"items": VAGUE}),),
    ),
    Scenario(
        9,
        "福建闽江律师事务所",
        "fax",
        "paper",
        "2024年度劳动保障监察举报投诉案件办理情况统计",
        (("request_correction", 3, {"items": PROOF}),),
    ),
    Scenario(
        14,
        "许静",
        "letter",
        "paper",
        "人才引进政策文件",
        (("request_correction", 4, {"items": VAGUE, "period_days": 10}),),
    ),
    # Reviewed: in the handler's hands.
    Scenario(
        8,
        "陈美玲",
        "online",
        "electronic",
        "厦门市2024年职业技能培训补贴发放名单及补贴标准",
        (("review", 1),),
    ),
    Scenario(
        15,
        "黄志强",
        "online",
        "electronic",
        "2024年度福建省就业补助资金分配及使用情况",
        (("review", 2),),
    ),
    Scenario(
        35,
        "福建省劳动经济研究院",
        "email",
        "electronic",
        "2015年至2024年福建省最低工资标准历次调整的文件及测算依据",
        (("review", 2), ("extend", 26, {"working_days": 15, "reason": HEAVY})),
    ),
    Scenario(
        24,
        "厦门海沧精密机械制造有限公司",
        "letter",
        "paper",
        "本公司员工工伤认定决定书及认定过程中形成的调查笔录",
        (
            ("review", 1),
            ("consult", 3, {"party": "林某某（工伤认定申请人）"}),
            ("receive_opinion", 16, {"opinion": "同意公开，但请隐去本人住址及联系电话"}),
        ),
    ),
    Scenario(
        30,
        "蔡文彬",
        "online",
        "paper",
        "2020年以来泉州市企业职工工伤认定相关规范性文件",
        (
            ("review", 2),
            ("issue_fee_notice", 10, fee("per_page", "120.00")),
            ("receive_payment", 18),
        ),
    ),
    # Consulting a third party or another agency.
    Scenario(
        10,
        "泉州闽南纺织股份有限公司",
        "email",
        "electronic",
        "对本公司作出的劳动保障监察行政处理决定书及认定依据",
        (("review", 1), ("consult", 2, {"party": "泉州市人力资源和社会保障局"})),
    ),
    Scenario(
        18,
        "郑晓燕",
        "online",
        "electronic",
        "福州榕信软件科技有限公司申报高新技术人才引进补贴的审核材料",
        (("review", 2), ("consult", 4, {"party": PARTY})),
    ),
    Scenario(
        40,
        "福州市台江区总工会",
        "letter",
        "paper",
        "台江区在建工程项目农民工工资保证金缴存及使用情况",
        (
            ("review", 1),
            ("consult", 3, {"party": "福州市住房和城乡建设局"}),
            (
                "extend",
                25,
                {"working_days": 20, "reason": "征求意见对象尚未反馈意见，需延长答复期限"},
            ),
        ),
    ),
    # Awaiting payment of the processing fee.
    Scenario(
        12,
        "福建省阳光助学基金会",
        "email",
        "paper",
        "2020年至2024年全省技工院校家庭经济困难学生助学金发放情况",
        (("review", 1), ("issue_fee_notice", 6, fee("per_page", "150.00"))),
    ),
    Scenario(
        20,
        "张伟",
        "letter",
        "paper",
        "厦门市2019年以来历次社会保险费缴费基数调整的全部文件",
        (("review", 2), ("issue_fee_notice", 8, fee("per_item", "100.00"))),
    ),
    # Answered, with a variety of outcomes.
    Scenario(
        22,
        "林建华",
        "online",
        "electronic",
        "2024年度福建省城镇职工基本养老保险基金收支情况",
        (("review", 1), ("answer", 12, answer("disclosed", FOUND))),
    ),
    Scenario(
        45,
        "福州市爱心助残志愿者协会",
        "letter",
        "paper",
        "2023年至2024年全省残疾人职业技能培训项目承办机构名单及补贴资金拨付情况",
        (
            ("review", 2),
            ("issue_fee_notice", 9, fee("per_page", "200.00")),
            ("receive_payment", 20),
            ("answer", 26, answer("disclosed", FOUND)),
        ),
    ),
    Scenario(
        58,
        "福建省劳动经济研究院",
        "email",
        "electronic",
        "2023年全省社会保险基金审计发现问题的整改情况报告",
        (
            ("review", 2),
            ("extend", 25, {"working_days": 20, "reason": HEAVY}),
            ("answer", 40, answer("disclosed", FOUND)),
        ),
    ),
    Scenario(
        16,
        "周海峰",
        "online",
        "electronic",
        "福建省职业技能等级认定社会培训评价组织备案名单",
        (
            ("review", 1),
            (
                "answer",
                5,
                answer(
                    "disclosed_already_public",
                    "该信息已在我厅门户网站“政府信息公开—职业能力建设”栏目主动公开，可登录查阅。",
                ),
            ),
        ),
    ),
    Scenario(
        27,
        "福州市鼓楼区法律援助中心",
        "in_person",
        "paper",
        "2024年度福州市职业技能培训补贴发放名单",
        (
            ("review", 1),
            (
                "answer",
                14,
                answer(
                    "partially_disclosed",
                    "现将名单中可公开部分提供给您，个人身份信息已作区分处理。",
                    PRIVACY + "，依法作区分处理后提供其余部分。",
                ),
            ),
        ),
    ),
    Scenario(
        50,
        "郑晓燕",
        "online",
        "electronic",
        "福州榕信软件科技有限公司2023年度社会保险缴费明细及参保职工名单",
        (
            ("review", 1),
            ("consult", 3, {"party": PARTY}),
            ("receive_opinion", 15, {"opinion": "不同意公开：涉及本公司商业秘密及职工个人信息"}),
            (
                "answer",
                30,
                answer(
                    "withheld_third_party_rights",
                    "经征求第三方意见，决定不予公开。",
                    "所申请信息涉及第三方商业秘密和职工个人隐私，第三方不同意公开，"
                    "且不公开不会对公共利益造成重大影响。",
                ),
            ),
        ),
    ),
    Scenario(
        33,
        "杨光明",
        "letter",
        "paper",
        "研究2025年退休人员基本养老金调整方案的厅务会议纪要",
        (
            ("review", 2),
            (
                "answer",
                17,
                answer(
                    "withheld_process_information",
                    "决定不予公开。",
                    "所申请的会议纪要系我厅履行行政管理职能过程中形成的讨论记录，属于过程性信息。",
                ),
            ),
        ),
    ),
    Scenario(
        19,
        "王立新",
        "in_person",
        "paper",
        "本人1990年至2024年养老保险个人账户缴费明细",
        (
            ("review", 1),
            (
                "answer",
                6,
                answer(
                    "withheld_administrative_query",
                    "请通过福建省社会保险网上服务平台或社保经办窗口查询。",
                    "个人社会保险缴费记录属于行政查询事项，不作为政府信息公开申请处理。",
                ),
            ),
        ),
    ),
    Scenario(
        26,
        "陈志明",
        "email",
        "electronic",
        "1998年福州市某国有企业改制时职工安置方案的批复文件",
        (
            ("review", 2),
            ("answer", 15, answer("unavailable_not_held", "经检索，本机关未制作或获取该信息。")),
        ),
    ),
    Scenario(
        21,
        "林雅婷",
        "email",
        "electronic",
        "福州市城乡居民基本医疗保险门诊报销政策文件",
        (
            ("review", 1),
            (
                "answer",
                8,
                answer(
                    "unavailable_not_responsible",
                    "该信息由福建省医疗保障局负责公开，请向该局提出申请。",
                    "该信息由福建省医疗保障局制作并保存，不属于本机关负责公开的政府信息。",
                ),
            ),
        ),
    ),
    Scenario(
        38,
        "福清市绿源果蔬专业合作社",
        "letter",
        "paper",
        "全省各县（市、区）2015年至2024年每月新增农村劳动力转移就业人数的统计分析",
        (
            ("review", 2),
            (
                "answer",
                18,
                answer(
                    "unavailable_needs_creation",
                    "所申请信息需对现有数据另行加工分析制作，本机关不予提供。",
                ),
            ),
        ),
    ),
    Scenario(
        17,
        "刘洋",
        "oral",
        "paper",
        "要求查处福州某建筑公司拖欠本人工资问题并告知处理结果",
        (
            ("review", 1),
            (
                "answer",
                7,
                answer(
                    "not_processed_complaint",
                    "您反映的欠薪问题属于投诉举报，已告知通过劳动保障监察投诉渠道反映。",
                ),
            ),
        ),
    ),
    Scenario(
        25,
        "黄志强",
        "online",
        "electronic",
        "泉州市2024年高校毕业生就业见习基地名单及见习补贴标准",
        (("review", 2), ("withdraw", 9)),
    ),
    Scenario(11, "张伟", "fax", "paper", "福建省博士后科研工作站设站单位名单", (("withdraw", 3),)),
    Scenario(
        44,
        "许静",
        "letter",
        "paper",
        "人社部门关于企业用工的规定",
        (("request_correction", 3, {"items": VAGUE}), ("lapse", 28)),
    ),
    Scenario(
        55,
        "厦门海沧精密机械制造有限公司",
        "email",
        "paper",
        "2018年至2024年厦门市全部工伤保险浮动费率核定文件",
        (("review", 2), ("issue_fee_notice", 10, fee("per_item", "100.00")), ("lapse", 42)),
    ),
    # Answered and archived.
    Scenario(
        60,
        "福建省阳光助学基金会",
        "online",
        "electronic",
        "2024年全省技工院校招生计划及国家助学金政策文件",
        (("review", 1), ("answer", 16, answer("disclosed", FOUND)), ("archive", 30)),
    ),
    Scenario(
        57,
        "福建闽江律师事务所",
        "in_person",
        "on_site",
        "我所代理的某劳动保障监察案件的全部案卷材料",
        (
            ("review", 2),
            (
                "answer",
                20,
                answer(
                    "withheld_law_enforcement_file",
                    "决定不予公开，可依法通过案卷查阅程序申请查阅。",
                    "所申请信息属于行政执法案卷信息。",
                ),
            ),
            ("archive", 35),
        ),
    ),
    Scenario(
        52,
        "陈美玲",
        "online",
        "paper",
        "《福建省人力资源和社会保障统计年鉴2023》全文",
        (
            ("review", 1),
            (
                "answer",
                12,
                answer("not_processed_publication", "该年鉴为公开出版物，可通过出版发行渠道获取。"),
            ),
            ("archive", 25),
        ),
    ),
    Scenario(
        48,
        "蔡文彬",
        "letter",
        "paper",
        "人才引进政策文件",
        (
            ("request_correction", 2, {"items": VAGUE}),
            ("receive_correction", 10),
            ("review", 11),
            ("answer", 25, answer("disclosed", FOUND)),
            ("archive", 33),
        ),
    ),
)

# Who takes each action in the demo; everything else is the handler's.
ACTORS = {
    "receive_correction": "registrar",
    "receive_opinion": "registrar",
    "receive_payment": "registrar",
    "withdraw": "registrar",
    "archive": "registrar",
    "extend": "approver",
}


class Command(BaseCommand):
    help = "创建演示机关、各角色账号及各办理状态的演示申请（已存在则只打印账号）。"

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.VAR_DIR) / CREDENTIALS_FILE
        agency = Agency.objects.filter(code=AGENCY["code"]).first()
        if agency is None:
            with transaction.atomic():
                agency, passwords = self._create_all()
                self._log_seed_cases(agency)
            self._write_credentials(path, passwords)
            self.stdout.write(self.style.SUCCESS(f"已创建演示数据：{agency}"))
        else:
            logged = self._log_seed_cases(agency)
            if logged:
                self.stdout.write(f"演示机关已存在（{agency}），已补充登记历史申请。")
            else:
                self.stdout.write(f"演示机关已存在（{agency}），未创建新数据。")
            if not path.exists():
                passwords = self._reset_passwords(agency)
                if passwords:
                    self._write_credentials(path, passwords)
                    self.stdout.write(self.style.WARNING("账号文件缺失，已重置演示账号密码。"))
        self._print_summary(agency)
        if path.exists():
            self.stdout.write(f"\n演示账号（{path}）：\n")
            self.stdout.write(path.read_text(encoding="utf-8"))
        else:
            self.stdout.write(self.style.WARNING("未找到演示账号。"))

    # Creation

    def _create_all(self) -> tuple[Agency, dict[str, str]]:
        taken = User.objects.filter(username__in=AGENCY_USERS).values_list("username", flat=True)
        if taken:
            raise CommandError(f"用户名已被占用，无法创建演示账号：{'、'.join(sorted(taken))}")
        agency = Agency(**AGENCY)
        agency.full_clean()
        agency.save()

        passwords = {}
        users = {}
        if not User.objects.filter(username=PLATFORM_ADMIN).exists():
            last, first = PLATFORM_ADMIN_NAME
            passwords[PLATFORM_ADMIN] = self._create_user(
                PLATFORM_ADMIN, agency=None, role="", last_name=last, first_name=first
            )
        else:
            self.stdout.write(self.style.WARNING(f"用户 {PLATFORM_ADMIN} 已存在，未修改。"))
        for username, (role, last, first) in AGENCY_USERS.items():
            passwords[username] = self._create_user(
                username,
                agency=agency,
                role=role,
                last_name=last,
                first_name=first,
                email=f"{username}@rst.fujian.example.cn",  # reminders go to handlers/approvers
            )
            users[username] = User.objects.get(username=username)

        for scenario in sorted(SCENARIOS, key=lambda s: -s.days_ago):  # oldest gets No. 1
            self._create_case(agency, users, scenario)
        return agency, passwords

    def _create_user(self, username: str, **fields: Any) -> str:
        password = secrets.token_urlsafe(9)
        superuser = fields["agency"] is None
        user = User(username=username, is_staff=True, is_superuser=superuser, **fields)
        user.set_password(password)
        user.full_clean()
        user.save()
        return password

    def _create_case(self, agency: Agency, users: dict[str, User], scenario: Scenario) -> Case:
        received_on = clock.today() - dt.timedelta(days=scenario.days_ago)
        applicant = APPLICANTS[scenario.applicant]
        case = services.case_register(
            actor=users["registrar"],
            agency=agency,
            applicant_type=applicant.applicant_type,
            applicant_name=scenario.applicant,
            id_type=applicant.id_type,
            id_number=applicant.id_number,
            channel=scenario.channel,
            received_on=received_on,
            description=scenario.description,
            contact_phone=applicant.phone,
            contact_email=applicant.email,
            contact_address=applicant.address,
            postal_code=applicant.postal_code,
            delivery_form=scenario.delivery_form,
        )
        for action, days, *rest in scenario.steps:
            kwargs = dict(rest[0]) if rest else {}
            if action == "answer":
                kwargs["delivery"] = scenario.delivery_form
            case = services.ACTION_SERVICES[action](
                case=case,
                actor=users[ACTORS.get(action, "handler")],
                on=received_on + dt.timedelta(days=days),
                **kwargs,
            )
        return case

    def _log_seed_cases(self, agency: Agency) -> int:
        """The agency's requests of 2018–2020, unless it has cases received then."""
        clerks = {
            user.username: user
            for user in User.objects.filter(
                agency=agency, username__in=("registrar", "handler"), is_active=True
            )
        }
        if len(clerks) < 2:
            self.stdout.write(self.style.WARNING("未找到演示登记员和承办人，未登记历史申请。"))
            return 0
        logged = log_seed_cases(
            agency=agency, registrar=clerks["registrar"], handler=clerks["handler"]
        )
        if logged:
            self.stdout.write(
                f"已登记2018—2020年历史申请 {logged} 件（2019、2020年度统计表与该厅年度报告一致）。"
            )
        return logged

    # Credentials

    def _reset_passwords(self, agency: Agency) -> dict[str, str]:
        passwords = {}
        demo_users = User.objects.filter(agency=agency, username__in=AGENCY_USERS)
        admin = User.objects.filter(username=PLATFORM_ADMIN, is_superuser=True)
        for user in [*admin, *demo_users]:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save(update_fields=["password"])
            passwords[user.username] = password
        return passwords

    def _write_credentials(self, path: Path, passwords: dict[str, str]) -> None:
        roles = {name: role.label for name, (role, *_names) in AGENCY_USERS.items()}
        roles[PLATFORM_ADMIN] = "平台管理员"
        lines = [
            f"# {AGENCY['name']}（{AGENCY['code']}）演示账号，仅供本地演示使用",
            "# 登录 Django 管理后台 /admin/ 或 API；删除本文件后再次运行将重置这些密码",
            "# 用户名 / 密码 / 角色：",
        ]
        for username, password in passwords.items():
            lines.append(f"{username:<14}{password:<18}{roles[username]}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        path.chmod(0o600)

    # Output

    def _print_summary(self, agency: Agency) -> None:
        counts = dict(
            Case.objects.filter(agency=agency)
            .order_by()
            .values("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        self.stdout.write(f"\n{agency.name}：共 {sum(counts.values())} 件申请")
        for state in CaseState:
            if counts.get(state):
                self.stdout.write(f"  {counts[state]:>4}  {state.label}")

"""The historical cases of 福建省人力资源和社会保障厅 (2018–2020), logged through the services.

``LEDGER`` is the plan: one ``Batch`` per applicant type, outcome and way of handling, with the
month of receipt of each of its cases. Written out by hand from the agency's published annual
reports for 2019 and 2020 (section 三); nothing here reads those reports, so the tests can hold
the tables the logged cases produce against independent copies of them.

What the ledger adds up to (template 2019):

- 2018: one request by a natural person received late in December and answered in January 2019
  (the 2019 table's 上年结转). Cases concluded within 2018 touch no table the references hold,
  so the ledger has none.
- 2019: 52 new (自然人 50, 商业企业 1, 其他 1); answered 予以公开 34, 部分公开 2, 本机关不掌握 16;
  one natural person's request of late December is answered in January 2020 (结转下年度 1).
- 2020: 68 new (自然人 63, 商业企业 3, 其他 2); answered 予以公开 39, 部分公开 24, 本机关不掌握 3,
  补正后申请内容仍不明确 3 (each after a correction notice and a correction); nothing carried over.

``log_seed_cases`` expands the ledger with a seeded ``random.Random`` (names, identity numbers,
days of receipt, step dates) and logs every case as the clerks would have: the registrar
registers it and records incoming corrections and opinions; the handler reviews, asks for
corrections, consults and answers within the stored reply deadline. Every step goes through
``cases.services``, so each case is validated and audited. (The cases are left answered, not
archived: filing adds nothing to the tables and a fifth of the logging time.)
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction

from cases import services
from cases.calendar import work_calendar
from cases.identity import resident_id_check_char, uscc_check_char
from cases.models import Agency, Case, User
from cases.workdays import WorkCalendar

SEED = 20191231
YEARS = (2018, 2019, 2020)

NATURAL_PERSON = "natural_person"
ENTERPRISE = "commercial_enterprise"
OTHER_ORG = "other_organization"

# Ways of handling a request.
DIRECT = "direct"  # register → review → answer
CORRECTION = "correction"  # register → request correction → receive correction → review → answer
CONSULT = "consult"  # register → review → consult → receive opinion → answer

CORRECTION_PERIOD_DAYS = 15  # working days offered in the seed cases' correction notices


@dataclass(frozen=True)
class Batch:
    """``count`` requests received in ``year`` (one per month listed in ``months``) of one
    applicant type, concluded with ``outcome``. ``carried_over``: received late in December and
    answered in January of the next year. ``topics`` names the pool of descriptions in TOPICS."""

    year: int
    applicant_type: str
    outcome: str
    count: int
    months: tuple[int, ...]
    channels: tuple[str, ...]
    topics: str
    flow: str = DIRECT
    carried_over: bool = False

    def __post_init__(self) -> None:
        if len(self.months) != self.count:
            raise ValueError(f"{self}: {len(self.months)} months for {self.count} cases")
        if self.carried_over and set(self.months) != {12}:
            raise ValueError(f"{self}: a carried-over request is received in December")


NP = NATURAL_PERSON
ONLINE_MOSTLY = ("online", "online", "letter", "online", "in_person", "email", "online", "letter")
OFFLINE_MOSTLY = ("letter", "in_person", "letter", "online", "oral")
ORGANISATION_CHANNELS = ("letter", "email")

LEDGER: tuple[Batch, ...] = (
    # 2018: received in December under the 2008 Regulations (15 working days), answered in 2019.
    Batch(2018, NP, "disclosed", 1, (12,), ("in_person",), "policy", carried_over=True),
    # 2019: 52 new.
    Batch(
        2019,
        NP,
        "disclosed",
        20,
        (1, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12),
        ONLINE_MOSTLY,
        "policy",
    ),
    Batch(
        2019, NP, "disclosed", 3, (4, 7, 10), OFFLINE_MOSTLY, "vague_then_clear", flow=CORRECTION
    ),
    Batch(
        2019,
        NP,
        "disclosed_already_public",
        9,
        (1, 3, 4, 5, 6, 8, 9, 11, 12),
        ONLINE_MOSTLY,
        "published",
    ),
    Batch(2019, NP, "partially_disclosed", 1, (6,), OFFLINE_MOSTLY, "partial"),
    Batch(
        2019,
        NP,
        "partially_disclosed",
        1,
        (9,),
        OFFLINE_MOSTLY,
        "partial_third_party",
        flow=CONSULT,
    ),
    Batch(
        2019,
        NP,
        "unavailable_not_held",
        10,
        (1, 2, 3, 4, 5, 6, 7, 8, 10, 11),
        OFFLINE_MOSTLY,
        "not_held",
    ),
    Batch(
        2019,
        NP,
        "unavailable_not_responsible",
        5,
        (2, 5, 7, 9, 11),
        ONLINE_MOSTLY,
        "not_responsible",
    ),
    Batch(
        2019,
        NP,
        "partially_disclosed",
        1,
        (12,),
        ("letter",),
        "partial",
        carried_over=True,
    ),
    Batch(
        2019,
        ENTERPRISE,
        "unavailable_not_responsible",
        1,
        (8,),
        ORGANISATION_CHANNELS,
        "enterprise_not_responsible",
    ),
    Batch(2019, OTHER_ORG, "disclosed", 1, (5,), ORGANISATION_CHANNELS, "organisation_policy"),
    # 2020: 68 new; few requests in February (the epidemic), none carried over into 2021.
    Batch(
        2020,
        NP,
        "disclosed",
        17,
        (1, 1, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12),
        ONLINE_MOSTLY,
        "policy",
    ),
    Batch(2020, NP, "disclosed", 5, (3, 4, 5, 6, 7), ONLINE_MOSTLY, "relief"),
    Batch(2020, NP, "disclosed", 3, (3, 6, 9), OFFLINE_MOSTLY, "vague_then_clear", flow=CORRECTION),
    Batch(
        2020,
        NP,
        "disclosed_already_public",
        10,
        (1, 2, 3, 4, 5, 6, 7, 8, 10, 11),
        ONLINE_MOSTLY,
        "published",
    ),
    Batch(
        2020,
        NP,
        "partially_disclosed",
        17,
        (1, 3, 3, 4, 5, 5, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 12),
        ONLINE_MOSTLY,
        "partial",
    ),
    Batch(
        2020,
        NP,
        "partially_disclosed",
        6,
        (4, 6, 7, 9, 10, 11),
        OFFLINE_MOSTLY,
        "partial_third_party",
        flow=CONSULT,
    ),
    Batch(2020, NP, "unavailable_not_held", 2, (5, 9), OFFLINE_MOSTLY, "not_held"),
    Batch(2020, NP, "unavailable_not_responsible", 1, (7,), ("online",), "not_responsible"),
    Batch(
        2020,
        NP,
        "unavailable_unclear_after_correction",
        2,
        (6, 10),
        OFFLINE_MOSTLY,
        "vague",
        flow=CORRECTION,
    ),
    Batch(2020, ENTERPRISE, "disclosed", 2, (4, 8), ORGANISATION_CHANNELS, "enterprise_policy"),
    Batch(
        2020,
        ENTERPRISE,
        "unavailable_unclear_after_correction",
        1,
        (9,),
        ("letter",),
        "enterprise_vague",
        flow=CORRECTION,
    ),
    Batch(2020, OTHER_ORG, "disclosed", 1, (6,), ORGANISATION_CHANNELS, "organisation_policy"),
    Batch(
        2020,
        OTHER_ORG,
        "disclosed_already_public",
        1,
        (11,),
        ("email",),
        "organisation_published",
    ),
)


# What was asked. "{y}" is the year of receipt, "{p}" the year before.


class Topic(NamedTuple):
    description: str
    reply: str = ""  # else the outcome's standard reply (REPLIES)
    reason: str = ""
    items: str = ""  # correction flow: what the correction notice asks for
    party: str = ""  # consult flow: who is consulted
    opinion: str = ""


PRIVACY = "所涉人员的身份证号码、联系电话、家庭住址等属于个人隐私，公开会对其合法权益造成损害"
VAGUE = "所需政府信息的描述不明确，请写明具体的文件名称、文号或年度、所涉险种及地域范围"
WHERE = "福建省人力资源和社会保障厅门户网站“政府信息公开”栏目"
# Art. 36(5): the reply says why the information is not this office's to disclose.
NOT_OURS = "所申请的信息不是本机关制作或保存，依法不属于本机关负责公开的政府信息"

TOPICS: dict[str, tuple[Topic, ...]] = {
    "policy": (
        Topic("{p}年度福建省企业职工基本养老保险基金收支情况"),
        Topic("{y}年福建省调整退休人员基本养老金的实施文件及测算口径"),
        Topic("福建省最低工资标准历次调整的通知"),
        Topic("福建省工伤保险辅助器具配置目录及支付标准"),
        Topic("{p}年福建省事业单位公开招聘工作人员笔试合格分数线的确定依据"),
        Topic("福建省失业保险金发放标准及调整依据"),
        Topic("福建省企业职工因病或非因工死亡丧葬补助金和抚恤金标准"),
        Topic("福建省就业困难人员认定办法及认定程序"),
        Topic("福建省被征地农民养老保障的相关政策文件"),
        Topic("{p}年度全省劳动人事争议仲裁案件受理及结案情况统计"),
        Topic("福建省城乡居民基本养老保险基础养老金标准调整文件"),
        Topic("福建省企业新型学徒制培训补贴标准及申领程序"),
        Topic("福建省机关事业单位工作人员带薪年休假的实施办法"),
        Topic("福建省工伤认定申请所需材料及办理时限的规定"),
        Topic("福建省企业职工基本养老保险视同缴费年限认定的有关文件"),
        Topic("{p}年福建省高级职称评审委员会组建及核准备案情况"),
        Topic("福建省农民工工资支付保障的相关规定"),
        Topic("福建省机关事业单位养老保险制度改革实施办法"),
        Topic("福建省企业职工特殊工种提前退休审批的有关规定"),
        Topic("福建省引进高层次人才认定标准及享受待遇的文件"),
        Topic("福建省失业保险稳岗返还的申领条件及返还标准"),
    ),
    # 2020: the epidemic's relief measures.
    "relief": (
        Topic("{y}年福建省阶段性减免企业社会保险费的实施文件"),
        Topic("{y}年疫情防控期间延期办理社会保险业务的通知"),
        Topic("{y}年福建省以工代训补贴政策文件及申领程序"),
        Topic("{y}年福建省失业保险扩围阶段性发放失业补助金的实施办法"),
        Topic("{y}年福建省支持农民工返岗复工的就业补助政策"),
    ),
    "vague_then_clear": (
        Topic("人才引进的政策文件", items=VAGUE),
        Topic("关于退休的规定", items=VAGUE),
        Topic("社保缴费的相关文件", items=VAGUE),
        Topic("职称方面的文件", items=VAGUE),
    ),
    "published": (
        Topic("福建省人力资源和社会保障厅{p}年政府信息公开工作年度报告"),
        Topic("{p}年度福建省人力资源和社会保障事业发展统计公报"),
        Topic("{y}年福建省企业工资指导线"),
        Topic("福建省事业单位公开招聘人员实施办法"),
        Topic("福建省专业技术职务任职资格评审管理的规定"),
        Topic("{y}年福建省高校毕业生“三支一扶”计划招募公告"),
        Topic("福建省职业技能提升行动实施方案"),
        Topic("福建省人力资源和社会保障厅{y}年部门预算"),
        Topic("{p}年度福建省人力资源和社会保障厅部门决算"),
        Topic("福建省技工院校学生资助政策文件"),
    ),
    "partial": (
        Topic(
            "{p}年度福建省高级职称评审通过人员名单及评审材料",
            reason=PRIVACY + "；评审专家的个人评议意见属于过程性信息，依法不予公开。",
        ),
        Topic(
            "{y}年福建省事业单位公开招聘拟聘用人员名单及考察、体检结果",
            reason=PRIVACY + "；考察、体检结果涉及个人隐私，依法不予公开。",
        ),
        Topic(
            "{p}年度全省就业补助资金分配明细及分配测算底稿",
            reason="分配测算底稿属于内部研究讨论形成的过程性信息，依法不予公开。",
        ),
        Topic(
            "{p}年度福建省享受政府特殊津贴人员推荐名单及推荐材料",
            reason=PRIVACY + "；推荐材料中的评议意见属于过程性信息，依法不予公开。",
        ),
        Topic(
            "{y}年福建省以工代训补贴发放企业名单及补贴人员明细",
            reason="补贴人员明细中的姓名、身份证号码及银行账号属于个人隐私，依法不予公开。",
        ),
        Topic(
            "{y}年福建省事业单位公开招聘面试成绩及考生排名",
            reason="未进入考察人选的考生身份证号码及准考证号属于个人隐私，依法不予公开。",
        ),
        Topic(
            "{p}年度全省技能大师工作室建设项目评审结果及专家评分表",
            reason="专家评分表属于评审过程中形成的过程性信息，依法不予公开。",
        ),
        Topic(
            "{p}年度全省劳动保障监察重大违法行为社会公布案件的处理决定",
            reason="处理决定中涉及劳动者个人的姓名、身份证号码及工资数额属于个人隐私，"
            "依法作区分处理。",
        ),
        Topic(
            "{y}年福建省企业职工基本养老保险待遇领取资格认证工作的内部通知及附件",
            reason="附件所列人员信息属于个人隐私，公开会对其合法权益造成损害，依法作区分处理。",
        ),
        Topic(
            "{p}年度省级人力资源服务机构诚信等级评定结果及评审材料",
            reason="评审材料中的专家打分记录属于过程性信息，依法不予公开。",
        ),
    ),
    "partial_third_party": (
        Topic(
            "本人所在的福州某建筑劳务有限公司{p}年被劳动保障监察处理的决定书及调查材料",
            reason="调查材料涉及该公司商业秘密及其他职工个人信息，经征求意见，第三方不同意公开，"
            "依法作区分处理。",
            party="福州某建筑劳务有限公司",
            opinion="不同意公开调查材料中涉及本公司经营数据及其他职工个人信息的部分",
        ),
        Topic(
            "{p}年度获得失业保险稳岗返还的企业名单及返还金额",
            reason="个别企业的参保人数及缴费明细属于其商业信息，经征求意见不同意公开，"
            "依法作区分处理。",
            party="相关参保企业",
            opinion="同意公开企业名称及返还金额，不同意公开参保人数及缴费明细",
        ),
        Topic(
            "厦门某电子有限公司{p}年申报技能提升补贴的审核材料",
            reason="审核材料中职工个人信息及企业财务数据涉及第三方合法权益，第三方不同意公开，"
            "依法作区分处理。",
            party="厦门某电子有限公司",
            opinion="不同意公开职工花名册及财务报表",
        ),
        Topic(
            "泉州某鞋业有限公司{p}年度工伤保险费率浮动核定材料",
            reason="核定材料中的企业工伤事故明细及职工个人信息涉及第三方合法权益，依法作区分处理。",
            party="泉州某鞋业有限公司",
            opinion="同意公开核定结果，不同意公开工伤事故明细",
        ),
    ),
    "not_held": (
        Topic("1990年代福州某国有企业改制时的职工安置方案及批复文件"),
        Topic("本人父亲1960年代在原福建省某机械厂工作期间的人事档案记录"),
        Topic("1970年代福建省知识青年上山下乡人员安置的原始名册"),
        Topic("1958年原福州某企业精简下放职工的处理文件"),
        Topic("{p}年某县乡镇事业单位招聘面试的现场评分记录"),
        Topic("本人1985年至1992年在某乡镇企业工作期间的工资发放记录"),
        Topic("某市{p}年公益性岗位安置人员的考勤记录"),
        Topic("原福建省某农场1980年代职工招收录用的审批文件"),
        Topic("本人{p}年在某人力资源服务公司求职时提交的个人简历"),
        Topic("1990年代全省企业下岗职工再就业服务中心的原始台账"),
    ),
    "not_responsible": (
        Topic(
            "福建省城乡居民基本医疗保险门诊统筹报销政策文件",
            reply="经查，该信息不属于本机关负责公开，请向福建省医疗保障局提出申请。",
            reason=NOT_OURS,
        ),
        Topic(
            "福州市住房公积金缴存比例调整的文件",
            reply="经查，该信息不属于本机关负责公开，请向福州住房公积金中心提出申请。",
            reason=NOT_OURS,
        ),
        Topic(
            "{p}年度福建省公务员考试录用的体检标准及体检结果",
            reply="经查，该信息不属于本机关负责公开，请向福建省公务员主管部门提出申请。",
            reason=NOT_OURS,
        ),
        Topic(
            "福州市某区{p}年灵活就业人员社会保险补贴发放名单",
            reply="经查，该信息由该区人力资源和社会保障局制作并保存，请向其提出申请。",
            reason=NOT_OURS,
        ),
        Topic(
            "本人{p}年度个人所得税扣缴明细",
            reply="经查，该信息不属于本机关负责公开，请向主管税务机关提出申请。",
            reason=NOT_OURS,
        ),
        Topic(
            "厦门市{p}年度高层次人才住房补贴发放情况",
            reply="经查，该信息由厦门市有关部门负责公开，请向厦门市人民政府有关部门提出申请。",
            reason=NOT_OURS,
        ),
    ),
    "vague": (
        Topic("关于社保方面的所有文件", items=VAGUE),
        Topic("你厅关于工资的全部规定", items=VAGUE),
        Topic("与本人有关的全部材料", items="请写明所需材料的名称、形成时间及所涉具体事项"),
    ),
    "enterprise_not_responsible": (
        Topic(
            "本公司{p}年度欠缴社会保险费的明细及滞纳金计算依据",
            reply="经查，自2019年1月1日起社会保险费由税务部门征收，该信息请向主管税务机关申请。",
            reason=NOT_OURS,
        ),
    ),
    "enterprise_policy": (
        Topic("{y}年阶段性减免企业社会保险费的申请条件及办理流程"),
        Topic("{y}年福建省失业保险稳岗返还的审核标准及拨付时间安排"),
    ),
    "enterprise_vague": (
        Topic(
            "贵厅关于企业用工的所有规定",
            items="请写明所需文件的名称或文号、所涉具体用工事项（如劳务派遣、用工备案等）",
        ),
    ),
    "organisation_policy": (
        Topic("农民专业合作社吸纳农村劳动力就业享受补贴的相关政策文件"),
        Topic("{y}年福建省以工代训补贴政策文件及申领程序"),
    ),
    "organisation_published": (Topic("福建省工会参与劳动人事争议调解工作的相关文件"),),
}

REPLIES = {
    "disclosed": "经查，现将您申请的“{description}”提供给您，详见附件。",
    "disclosed_already_public": "您申请的信息本机关已主动公开，可登录" + WHERE + "查阅或下载。",
    "partially_disclosed": "现将您申请的信息中可以公开的部分提供给您，"
    "不予公开的内容已作区分处理，理由见本告知书。",
    "unavailable_not_held": "经检索，本机关未制作或获取您申请的“{description}”，该政府信息不存在。",
    "unavailable_unclear_after_correction": "本机关已于{correction_requested_on}书面告知您补正，"
    "经补正后申请内容仍不明确，本机关无法确定您所需的政府信息。",
}


# Who asked. Natural persons are generated (see _person); organisations are listed.


class Organisation(NamedTuple):
    name: str
    applicant_type: str
    uscc_first17: str
    phone: str
    address: str
    postal_code: str
    email: str = ""


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "福州闽运建筑劳务有限公司",
        ENTERPRISE,
        "91350102MA2XN4R6B",
        "0591-87665213",
        "福州市鼓楼区铜盘路29号",
        "350003",
        "hr@minyun-lw.example.cn",
    ),
    Organisation(
        "厦门鹭达电子科技有限公司",
        ENTERPRISE,
        "91350206MA32KD7H0",
        "0592-5712638",
        "厦门市湖里区枋湖北二路1188号",
        "361009",
        "admin@luda-tech.example.cn",
    ),
    Organisation(
        "泉州恒丰鞋业有限公司",
        ENTERPRISE,
        "91350582MA2Y3C8W5",
        "0595-85672210",
        "晋江市陈埭镇鞋都路88号",
        "362211",
    ),
    Organisation(
        "漳州华顺食品有限公司",
        ENTERPRISE,
        "91350602MA31H9K2X",
        "0596-2961357",
        "漳州市芗城区金峰工业区",
        "363000",
        "office@huashun-food.example.cn",
    ),
    Organisation(
        "福清市龙田镇绿野果蔬专业合作社",
        OTHER_ORG,
        "93350181MA2YD1F7P",
        "0591-85231906",
        "福清市龙田镇东营村",
        "350315",
    ),
    Organisation(
        "晋江市陈埭镇辉煌鞋材加工店",
        OTHER_ORG,
        "92350582MA2Y7QK3U",
        "13905958214",
        "晋江市陈埭镇岸兜村",
        "362211",
    ),
    Organisation(
        "福州市马尾区总工会",
        OTHER_ORG,
        "81350105MC0281456",
        "0591-83681230",
        "福州市马尾区罗星西路26号",
        "350015",
        "gh@mawei.example.cn",
    ),
)

# Resident identity card regions: (code, address prefix, postal code, streets).
REGIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("350102", "福州市鼓楼区", "350001", ("五四路", "杨桥中路", "湖东路", "华林路")),
    ("350103", "福州市台江区", "350004", ("八一七中路", "五一中路", "工业路")),
    ("350104", "福州市仓山区", "350007", ("金山大道", "上渡路", "浦上大道")),
    ("350111", "福州市晋安区", "350011", ("福新中路", "岳峰路", "长乐北路")),
    ("350121", "福州市闽侯县", "350100", ("上街镇学府南路", "甘蔗街道昙石山西大道")),
    ("350181", "福清市", "350300", ("清昌大道", "融侨大道", "一拂路")),
    ("350203", "厦门市思明区", "361001", ("厦禾路", "湖滨南路", "莲前西路")),
    ("350206", "厦门市湖里区", "361006", ("仙岳路", "湖里大道", "江头北路")),
    ("350211", "厦门市集美区", "361021", ("杏林湾路", "集源路", "乐海路")),
    ("350302", "莆田市城厢区", "351100", ("荔城中大道", "文献西路", "学园南路")),
    ("350402", "三明市梅列区", "365000", ("列东街", "新市北路")),
    ("350503", "泉州市丰泽区", "362000", ("丰泽街", "田安北路", "东海大街")),
    ("350582", "晋江市", "362200", ("世纪大道", "泉安中路", "梅岭路")),
    ("350602", "漳州市芗城区", "363000", ("胜利西路", "延安北路", "新华南路")),
    ("350702", "南平市延平区", "353000", ("八一路", "滨江中路", "解放路")),
    ("350802", "龙岩市新罗区", "364000", ("龙岩大道", "九一北路", "登高西路")),
    ("350902", "宁德市蕉城区", "352100", ("蕉城南路", "天湖东路", "闽东中路")),
)
SURNAMES = "陈林黄张吴王李郑刘蔡杨许周谢叶曾罗苏何游江邱魏詹方卢傅洪庄施朱徐高彭余潘翁钟康范"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_NAMES = _words(
    "志强 建华 文斌 明辉 国平 振华 俊杰 伟 斌 磊 海峰 清华 永福 金水 "
    "荣华 德明 家豪 子轩 宇航 晓东 晨 立新 少华 建平 志明 福生 天佑 鸿 "
    "春生 毅 涛 浩然 锦程 培元 长青 秋生"
)
FEMALE_NAMES = _words(
    "美玲 丽娟 秀英 晓燕 雅婷 静 娜 丽萍 淑芬 雪梅 婷婷 慧敏 佳怡 小红 "
    "玉兰 碧霞 素珍 燕 婉清 诗涵 梦琪 秀琴 春燕 丽华 月娥 宝珠 惠芳 "
    "晓云"
)
MOBILE_PREFIXES = ("138", "139", "159", "186", "188", "135", "150", "137", "158", "189", "177")

DELIVERY = {
    "online": "electronic",
    "email": "electronic",
    "letter": "paper",
    "in_person": "paper",
    "fax": "paper",
    "oral": "paper",
}


class Applicant(NamedTuple):
    applicant_type: str
    name: str
    id_type: str
    id_number: str
    phone: str
    address: str
    postal_code: str
    email: str


@dataclass
class PlannedCase:
    batch: Batch
    received_on: dt.date
    applicant: Applicant
    channel: str
    topic: Topic
    order: int  # position in the expanded ledger (ties of received_on keep it)

    @property
    def description(self) -> str:
        year = self.received_on.year
        return self.topic.description.format(y=year, p=year - 1)


# Expanding the ledger


class _Applicants:
    """Distinct natural persons, and the listed organisations in order, per applicant type."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.organisations = defaultdict(list)
        for org in ORGANISATIONS:
            self.organisations[org.applicant_type].append(org)

    def next(self, applicant_type: str, channel: str) -> Applicant:
        if applicant_type == NATURAL_PERSON:
            return self._person(channel)
        org = self.organisations[applicant_type].pop(0)
        return Applicant(
            org.applicant_type,
            org.name,
            "uscc",
            org.uscc_first17 + uscc_check_char(org.uscc_first17),
            org.phone,
            org.address,
            org.postal_code,
            org.email,
        )

    def _person(self, channel: str) -> Applicant:
        rng = self.rng
        male = rng.random() < 0.55
        while True:
            name = rng.choice(SURNAMES) + rng.choice(MALE_NAMES if male else FEMALE_NAMES)
            if name not in self.names:
                self.names.add(name)
                break
        region, place, postal_code, streets = rng.choice(REGIONS)
        birth = dt.date(rng.randint(1950, 1997), rng.randint(1, 12), rng.randint(1, 28))
        sex_digit = rng.choice("13579" if male else "02468")
        first17 = f"{region}{birth:%Y%m%d}{rng.randint(0, 99):02d}{sex_digit}"
        resident_id = first17 + resident_id_check_char(first17)
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 10**8 - 1):08d}"
        address = f"{place}{rng.choice(streets)}{rng.randint(1, 399)}号"
        if rng.random() < 0.5:
            address += f"{rng.randint(1, 30)}号楼{rng.randint(1, 28)}0{rng.randint(1, 6)}室"
        email = ""
        if channel in ("online", "email"):
            email = f"{rng.randint(10**7, 10**10)}@mail.example.com"
        return Applicant(
            NATURAL_PERSON, name, "resident_id", resident_id, phone, address, postal_code, email
        )


def _working_days(cal: WorkCalendar, after: dt.date, until: dt.date) -> list[dt.date]:
    """The working days in (after, until]."""
    days = []
    for day in cal.working_days_after(after):
        if day > until:
            return days
        days.append(day)
    return days  # pragma: no cover - working_days_after never runs out first


def _receipt_day(cal: WorkCalendar, rng: random.Random, batch: Batch, month: int) -> dt.date:
    """A working day of the month: late December for a carried-over request; early December
    for one that must be answered within the year; otherwise any day up to the 28th."""
    first, last = 1, 28
    if month == 12:
        first, last = (18, 31) if batch.carried_over else (1, 11)
    start = dt.date(batch.year, month, first) - dt.timedelta(days=1)
    return rng.choice(_working_days(cal, start, dt.date(batch.year, month, last)))


def plan_cases(cal: WorkCalendar, rng: random.Random) -> list[PlannedCase]:
    """The ledger expanded into cases, in order of receipt."""
    applicants = _Applicants(rng)
    next_topic: dict[str, int] = defaultdict(int)
    planned = []
    for batch in LEDGER:
        for i, month in enumerate(batch.months):
            pool = TOPICS[batch.topics]
            topic = pool[next_topic[batch.topics] % len(pool)]
            next_topic[batch.topics] += 1
            channel = batch.channels[i % len(batch.channels)]
            planned.append(
                PlannedCase(
                    batch=batch,
                    received_on=_receipt_day(cal, rng, batch, month),
                    applicant=applicants.next(batch.applicant_type, channel),
                    channel=channel,
                    topic=topic,
                    order=len(planned),
                )
            )
    return sorted(planned, key=lambda p: (p.received_on, p.order))


# Logging


class _Clerks(NamedTuple):
    registrar: User
    handler: User


def _after(cal: WorkCalendar, day: dt.date, low: int, high: int, rng: random.Random) -> dt.date:
    return cal.add_working_days(day, rng.randint(low, high))


def _answer_day(cal: WorkCalendar, rng: random.Random, case: Case, plan: PlannedCase) -> dt.date:
    """A working day after the last step, within the stored reply deadline, in the year of
    receipt (or in January of the next year for a carried-over request)."""
    year = plan.received_on.year + (1 if plan.batch.carried_over else 0)
    days = [d for d in _working_days(cal, case.latest_step_on, case.due_on) if d.year == year]
    if not days:
        raise RuntimeError(f"seed plan: no day to answer {case.reference} by {case.due_on}")
    return rng.choice(days)


def _log_case(
    plan: PlannedCase, *, agency: Agency, clerks: _Clerks, cal: WorkCalendar, rng: random.Random
) -> Case:
    applicant, batch, topic = plan.applicant, plan.batch, plan.topic
    delivery = DELIVERY[plan.channel]
    case = services.case_register(
        actor=clerks.registrar,
        agency=agency,
        applicant_type=applicant.applicant_type,
        applicant_name=applicant.name,
        id_type=applicant.id_type,
        id_number=applicant.id_number,
        channel=plan.channel,
        received_on=plan.received_on,
        description=plan.description,
        contact_phone=applicant.phone,
        contact_email=applicant.email,
        contact_address=applicant.address,
        postal_code=applicant.postal_code,
        delivery_form=delivery,
        note="口头申请，已当场代为填写申请表" if plan.channel == "oral" else "",
    )
    handler = clerks.handler
    if batch.flow != CORRECTION:
        review_on = _after(cal, plan.received_on, 0, 2, rng)
    else:
        requested_on = _after(cal, plan.received_on, 1, 5, rng)
        case = services.case_request_correction(
            case=case,
            actor=handler,
            items=topic.items,
            period_days=CORRECTION_PERIOD_DAYS,
            on=requested_on,
        )
        corrected_on = _after(cal, requested_on, 3, 10, rng)
        case = services.case_receive_correction(
            case=case, actor=clerks.registrar, on=corrected_on, note="申请人提交补正后的申请"
        )
        review_on = _after(cal, corrected_on, 0, 1, rng)
    case = services.case_review(case=case, actor=handler, on=review_on, handler=handler)
    if batch.flow == CONSULT:
        sent_on = _after(cal, review_on, 1, 3, rng)
        case = services.case_consult(case=case, actor=handler, party=topic.party, on=sent_on)
        case = services.case_receive_opinion(
            case=case,
            actor=clerks.registrar,
            opinion=topic.opinion,
            on=_after(cal, sent_on, 5, 12, rng),
        )
    reply = topic.reply or REPLIES[batch.outcome].format(
        description=plan.description,
        correction_requested_on=(
            _chinese_date(case.correction_requested_on) if case.correction_requested_on else ""
        ),
    )
    answered_on = _answer_day(cal, rng, case, plan)
    return services.case_answer(
        case=case,
        actor=handler,
        outcome=batch.outcome,
        on=answered_on,
        reply=reply,
        reason=topic.reason,
        delivery=delivery,
    )


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def has_seed_cases(agency: Agency) -> bool:
    return Case.objects.filter(agency=agency, received_on__year__in=YEARS).exists()


@transaction.atomic
def log_seed_cases(*, agency: Agency, registrar: User, handler: User) -> int:
    """Log the ledger's cases for the agency; return how many. Does nothing (returns 0) if the
    agency already has cases received in 2018–2020."""
    if has_seed_cases(agency):
        return 0
    cal = work_calendar()
    rng = random.Random(SEED)
    clerks = _Clerks(registrar, handler)
    planned = plan_cases(cal, rng)
    for plan in planned:
        _log_case(plan, agency=agency, clerks=clerks, cal=cal, rng=rng)
    return len(planned)

"""The names and descriptions the browsable API shows, in Chinese.

DRF derives them from class names ("Case List") and docstrings, which are written for developers
in English; clerks who open the browsable API read Chinese. Names come from the table below and
the case actions' official labels; only docstrings written in Chinese are shown as descriptions.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.views import get_view_name as drf_view_name

_CJK = re.compile(r"[\u4e00-\u9fff]")

# The resource each view serves, by view class name.
PAGE_NAMES = {
    "APIRootView": "接口目录",
    "AgencyViewSet": "机关",
    "CaseViewSet": "政府信息公开申请",
    "AnnualTableView": "年度报告统计表",
    "AnnualReportViewSet": "年度统计表快照",
    "PeriodViewSet": "年度锁定记录",
    "TokenLoginView": "登录",
    "LogoutView": "退出",
    "LogoutAllView": "退出全部",
}
SUFFIXES = {"List": "列表", "Instance": "详情"}
ACTION_NAMES = {
    "events": "操作记录",
    "deadline": "期限计算说明",
    "publish": "发布",
    "export": "导出",
    "reopen": "重新开放",
}


def _action_label(action: str) -> str | None:
    if action in ACTION_NAMES:
        return ACTION_NAMES[action]
    from cases.services import ACTION_SERVICES, action_label

    return action_label(action) if action in ACTION_SERVICES else None


def view_name(view) -> str:
    page = PAGE_NAMES.get(type(view).__name__)
    if page is None:
        return drf_view_name(view)
    action = getattr(view, "action", None)
    if action and (label := _action_label(action)):
        return f"{page}：{label}"
    suffix = getattr(view, "suffix", None)
    return page + SUFFIXES.get(suffix, "")


def view_description(view, html=False) -> str:
    text = getattr(view, "page_description", "") or (view.__doc__ or "").strip()
    if not _CJK.search(text):
        text = ""
    if html:
        return mark_safe(f"<p>{escape(text)}</p>") if text else ""
    return text


class ChineseBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API with the few labels its template writes without translation."""

    LABELS = {
        ">HTML form<": ">表单<",
        ">Raw data<": ">原始数据<",
        ">Media type:<": ">媒体类型：<",
        ">Content:<": ">内容：<",
        ">Filters<": ">筛选<",
        "> Filters<": "> 筛选<",
    }

    def render(self, data, accepted_media_type=None, renderer_context=None):
        page = super().render(data, accepted_media_type, renderer_context)
        for english, chinese in self.LABELS.items():
            page = page.replace(english, chinese)
        return page

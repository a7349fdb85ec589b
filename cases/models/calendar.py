"""The working-day calendar: loaded years, special days, and the log of changes."""

from __future__ import annotations

from django.db import models

from ..choices import (
    DayKind,
)
from .people import User


class CalendarYear(models.Model):
    """A year whose State Council holiday notice is loaded; other years are provisional."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice = models.CharField("国务院通知", max_length=200)
    loaded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年：{self.notice}"


class CalendarDay(models.Model):
    """A day the notice makes a holiday, or a weekend day it makes a working day."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=100, blank=True)
    source = models.CharField("依据", max_length=200)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"


class CalendarChange(models.Model):
    """One change of the working-day calendar: who changed what, when, and its recompute.

    Written in the same transaction as the change, so the recompute of the open cases' due dates
    can never be lost: a worker carries it out and marks it done; until then it is pending, and
    the periodic job (cases.tasks.process_pending_calendar_changes) picks it up again.
    """

    years = models.JSONField("涉及年度", default=list)
    description = models.CharField("变更内容", max_length=300)
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("变更时间", auto_now_add=True)
    processed_at = models.DateTimeField("重新计算完成时间", null=True, blank=True)
    cases_changed = models.PositiveIntegerField("期限有变化的申请数", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近一次错误", blank=True)

    class Meta:
        verbose_name = "节假日安排变更记录"
        verbose_name_plural = "节假日安排变更记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["processed_at"], name="calendar_change_pending")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.description}"

"""Agencies and their users."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from .. import permissions
from ..choices import (
    Role,
)


class Agency(models.Model):
    """An agency (机关): the unit that answers requests and publishes an annual table."""

    code = models.CharField(
        "机关代码",
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9_-]{1,31}$",
                "机关代码由2至32位大写字母、数字、连字符或下划线组成",
            )
        ],
        help_text="用于案件编号，例如 FJRST",
    )
    name = models.CharField("机关名称", max_length=200, unique=True)
    email = models.EmailField("信息公开工作机构邮箱")
    # Art. 35: more than this many requests by one applicant in 30 days are flagged.
    volume_threshold = models.PositiveSmallIntegerField(
        "申请数量提示阈值",
        default=10,
        validators=[MinValueValidator(1, "阈值应不小于1")],
        help_text="同一申请人30日内的申请数超过该数时提示（《条例》第三十五条）",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class User(AbstractUser):
    """A clerk of one agency with one role; superusers are platform admins across agencies."""

    agency = models.ForeignKey(
        Agency,
        verbose_name="所属机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def clean(self) -> None:
        super().clean()
        if not self.is_superuser and (self.agency_id is None or not self.role):
            raise ValidationError("机关工作人员必须指定所属机关和角色", code="agency_required")

    def __str__(self) -> str:
        name = self.get_full_name()
        return f"{name}（{self.username}）" if name else self.username

    def get_full_name(self) -> str:
        # Chinese names read family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_platform_admin(self) -> bool:
        return permissions.is_platform_admin(self)

    # Shorthands for the rules in cases.permissions.
    def may_see(self, agency_id: int) -> bool:
        return permissions.may_see(self, agency_id)

    def may_act(self, action: str, agency_id: int) -> bool:
        return permissions.may_act(self, action, agency_id)


class LoginLockout(AccessAttempt):
    """django-axes' failed-login counter per username, address and browser, in Chinese."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"

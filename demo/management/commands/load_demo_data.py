"""Load a demo agency, its users and a few dozen cases in every state (``make run`` calls it).

Idempotent: once the demo agency exists nothing new is created. Passwords are random, generated
on first creation and kept in ``<VAR_DIR>/demo-credentials.txt`` (mode 600), which every run
prints (except with ``--no-credentials``: ``make run`` prints the file itself once the server and
the worker are up, below their start-up lines). If that file is lost, the demo users get new
passwords and the file is written again.

The agency, its users and its recent cases are ``demo/data/demo.toml``; the cases count back from
today in working days (``demo.scenarios``). Besides them the agency gets its historical requests
of 2018–2020 (``demo.seeds``), whose 2019 and 2020 annual tables are those the agency published.
A demo agency that lacks them (made by an earlier version) gets them on the next run.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from cases.models import Agency, Case, CaseState, User
from demo import scenarios
from demo.agency import AGENCY, AGENCY_USERS, PLATFORM_ADMIN, PLATFORM_ADMIN_NAME
from demo.seed_reports import log_seed_reports
from demo.seeds import log_seed_cases

CREDENTIALS_FILE = "demo-credentials.txt"


class Command(BaseCommand):
    help = "创建演示机关、各角色账号及各办理状态的演示申请（已存在则只打印账号）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-credentials",
            action="store_true",
            help="不打印演示账号（make run 在服务启动后才打印，以免被日志淹没）",
        )

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
        if options["no_credentials"]:
            return
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

        scenarios.create_cases(agency=agency, users=users)
        return agency, passwords

    def _create_user(self, username: str, **fields: Any) -> str:
        password = secrets.token_urlsafe(9)
        superuser = fields["agency"] is None
        user = User(username=username, is_staff=True, is_superuser=superuser, **fields)
        user.set_password(password)
        user.full_clean()
        user.save()
        return password

    def _log_seed_cases(self, agency: Agency) -> int:
        """The agency's requests of 2018–2020, unless it has cases received then."""
        clerks = {
            user.username: user
            for user in User.objects.filter(
                agency=agency, username__in=("registrar", "handler", "agencyadmin"), is_active=True
            )
        }
        if len(clerks) < 3:
            self.stdout.write(
                self.style.WARNING("未找到演示登记员、承办人和机关管理员，未登记历史申请。")
            )
            return 0
        logged = log_seed_cases(
            agency=agency, registrar=clerks["registrar"], handler=clerks["handler"]
        )
        log_seed_reports(agency=agency, handler=clerks["handler"], admin=clerks["agencyadmin"])
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
            "# 登录办理工作台 /、管理后台 /admin/ 或 API；删除本文件后再次运行将重置这些密码",
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

"""The year-end run: on 1 January every agency gets last year's table as a draft snapshot, the
files written to storage, and an e-mail with the files and the check results. Until the year is
published, its agency is reminded before the Art. 49 deadline (31 January).

A mail is recorded (``ReportMailSent``) in the same transaction that hands it to the SMTP server,
so a retried task sends nothing twice and a failed send marks nothing.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from cases.models import Agency

from . import exports
from .locks import locked_years
from .models import AnnualReport, ReportMailKind, ReportMailSent
from .services import annual_report_generate

# Files written for every agency, in this order (also the mail's attachments).
FILE_FORMATS = ("xlsx", "docx", "csv", "json")
# Art. 49: the annual report is published by 31 January of the next year.
PUBLICATION_DEADLINE = (1, 31)

Writer = Callable[[str, bytes], str]


@dataclass
class AgencyExport:
    agency: Agency
    report: AnnualReport
    files: dict[str, str] = field(default_factory=dict)  # format -> where it was written
    contents: dict[str, bytes] = field(default_factory=dict)  # format -> the file itself
    mailed: bool = False
    mail_error: str = ""

    @property
    def checks(self) -> list[dict]:
        return self.report.table["checks"]


def storage_writer(year: int, agency: Agency) -> Writer:
    """Write into the default file storage under annual-reports/<year>/<agency>/."""

    def write(name: str, content: bytes) -> str:
        path = f"annual-reports/{year}/{agency.code}/{name}"
        if default_storage.exists(path):
            default_storage.delete(path)
        return default_storage.save(path, ContentFile(content))

    return write


def directory_writer(root: Path, agency: Agency) -> Writer:
    def write(name: str, content: bytes) -> str:
        folder = root / agency.code
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
        return str(folder / name)

    return write


def render_files(table: dict) -> dict[str, bytes]:
    return {key: exports.EXPORTS[key][1](table) for key in FILE_FORMATS}


def write_files(table: dict, contents: dict[str, bytes], write: Writer) -> dict[str, str]:
    return {
        key: write(exports.filename(table, exports.EXPORTS[key][2]), content)
        for key, content in contents.items()
    }


def check_lines(checks: list[dict]) -> list[str]:
    return [f"{'通过' if c['ok'] else '未通过'}：{c['detail']}" for c in checks]


def _export_mail(export: AgencyExport) -> EmailMessage:
    report, agency = export.report, export.agency
    table = report.table
    failed = [c for c in export.checks if not c["ok"]]
    summary = "核对全部通过" if not failed else f"有{len(failed)}项核对未通过，请在发布前核实"
    body = "\n".join(
        [
            f"{agency.name}：",
            "",
            f"系统已根据办理记录生成{report.year}年政府信息公开工作年度报告"
            f"“三、{table['title']}”统计表（{table['template_notice']}格式），"
            f"现为草稿，附件为Excel、Word、CSV和JSON文件。{summary}。",
            "",
            "核对结果：",
            *(f"  {line}" for line in check_lines(export.checks)),
            "",
            f"请核对后在系统中发布。依《中华人民共和国政府信息公开条例》第四十九条，"
            f"年度报告应于{report.year + 1}年1月31日前向社会公布。",
        ]
    )
    subject = f"【年度报告】{agency.name}{report.year}年政府信息公开申请情况统计表（{summary}）"
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[agency.email]
    )
    for key, content in export.contents.items():
        content_type, _render, extension = exports.EXPORTS[key]
        message.attach(exports.filename(table, extension), content, content_type)
    return message


def _send_once(
    *, agency: Agency, year: int, kind: str, today: dt.date, message: EmailMessage
) -> bool:
    """Record and send in one transaction; False if it was sent already today."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReportMailSent.objects.create(
                    agency=agency, year=year, kind=kind, sent_on=today, recipient=agency.email
                )
        except IntegrityError:
            return False
        message.send(fail_silently=False)  # raises: the row above rolls back
    return True


def export_year(
    *,
    year: int,
    today: dt.date,
    agencies: list[Agency] | None = None,
    template: str | None = None,
    out_dir: Path | None = None,
    mail: bool = True,
) -> list[AgencyExport]:
    """Build the drafts, write the files (to ``out_dir`` or the storage) and mail each office.

    Years already published keep their snapshot: the files are those of the published table.
    """
    results = []
    for agency in agencies if agencies is not None else Agency.objects.order_by("code"):
        report = _current_report(agency, year, template)
        export = AgencyExport(agency=agency, report=report)
        writer = directory_writer(out_dir, agency) if out_dir else storage_writer(year, agency)
        export.contents = render_files(report.table)
        export.files = write_files(report.table, export.contents, writer)
        if mail:
            try:
                export.mailed = _send_once(
                    agency=agency,
                    year=year,
                    kind=ReportMailKind.EXPORT,
                    today=today,
                    message=_export_mail(export),
                )
            except (smtplib.SMTPException, OSError) as err:
                export.mail_error = f"{type(err).__name__}: {err}"
        results.append(export)
    return results


def _current_report(agency: Agency, year: int, template: str | None) -> AnnualReport:
    if year in locked_years(agency.pk, [year]):
        published = (
            AnnualReport.objects.filter(agency=agency, year=year, status="published")
            .order_by("-published_at", "-id")
            .first()
        )
        if published is not None and template in (None, published.template):
            return published
    return annual_report_generate(agency=agency, year=year, template=template)


@dataclass
class ReminderRun:
    reminded: list[Agency] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)


def remind_unpublished(*, today: dt.date) -> ReminderRun:
    """In January, remind each agency whose previous year is not yet published (Art. 49)."""
    run = ReminderRun()
    year = today.year - 1
    deadline = dt.date(today.year, *PUBLICATION_DEADLINE)
    if today > deadline:
        return run
    for agency in Agency.objects.order_by("code"):
        if year in locked_years(agency.pk, [year]):
            continue
        days_left = (deadline - today).days
        body = (
            f"{agency.name}：\n\n您机关{year}年政府信息公开工作年度报告的申请情况统计表尚未在"
            f"系统中发布。依《中华人民共和国政府信息公开条例》第四十九条，年度报告应于"
            f"{deadline:%Y年%m月%d日}前向社会公布（还有{days_left}天）。请核对统计表草稿后发布。"
        )
        message = EmailMessage(
            subject=f"【年度报告提醒】{agency.name}{year}年度报告尚未发布",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[agency.email],
        )
        try:
            sent = _send_once(
                agency=agency,
                year=year,
                kind=ReportMailKind.PUBLISH_REMINDER,
                today=today,
                message=message,
            )
        except (smtplib.SMTPException, OSError) as err:
            run.failures[agency.code] = f"{type(err).__name__}: {err}"
            continue
        if sent:
            run.reminded.append(agency)
    return run

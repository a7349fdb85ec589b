"""The year-end run: on 1 January every agency gets last year's table as a draft snapshot, the
files written to storage, and an e-mail with the files and the check results. Until the year is
published, its agency is reminded before the Art. 49 deadline (31 January).

A mail is recorded (``ReportMailSent``) in the same transaction that hands it to the SMTP server
(``cases.mail``), so a retried task sends nothing twice and a failed send marks nothing. The
bodies are the templates ``reporting/email/*.txt``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage

from cases.mail import SEND_ERRORS, compose, failure_text, send_message_once
from cases.models import Agency

from .exports import Export, export_table
from .locks import locked_years
from .models import AnnualReport, ReportMailKind, ReportMailSent
from .services import annual_report_generate

# Files written for every agency, in this order (also the mail's attachments).
FILE_FORMATS = ("xlsx", "docx", "csv", "json")
# Art. 49: the annual report is published by 31 January of the next year.
PUBLICATION_DEADLINE = (1, 31)
EXPORT_MAIL = "reporting/email/annual_export.txt"
PUBLISH_REMINDER_MAIL = "reporting/email/publish_reminder.txt"

Writer = Callable[[str, bytes], str]


@dataclass
class AgencyExport:
    agency: Agency
    report: AnnualReport
    files: dict[str, str] = field(default_factory=dict)  # format -> where it was written
    contents: dict[str, Export] = field(default_factory=dict)  # format -> the file itself
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


def render_files(table: dict) -> dict[str, Export]:
    return {key: export_table(table, key) for key in FILE_FORMATS}


def write_files(contents: dict[str, Export], write: Writer) -> dict[str, str]:
    return {key: write(export.filename, export.content) for key, export in contents.items()}


def check_lines(checks: list[dict]) -> list[str]:
    return [f"{'通过' if c['ok'] else '未通过'}：{c['detail']}" for c in checks]


def _export_mail(export: AgencyExport) -> EmailMessage:
    report, agency = export.report, export.agency
    failed = [c for c in export.checks if not c["ok"]]
    summary = "核对全部通过" if not failed else f"有{len(failed)}项核对未通过，请在发布前核实"
    message = compose(
        subject=f"【年度报告】{agency.name}{report.year}年政府信息公开申请情况统计表（{summary}）",
        to=[agency.email],
        template=EXPORT_MAIL,
        context={
            "agency": agency.name,
            "year": report.year,
            "title": report.table["title"],
            "template_notice": report.table["template_notice"],
            "summary": summary,
            "check_lines": check_lines(export.checks),
            "deadline": dt.date(report.year + 1, *PUBLICATION_DEADLINE),
        },
    )
    for file in export.contents.values():
        message.attach(file.filename, file.content, file.content_type)
    return message


def _send_once(
    *, agency: Agency, year: int, kind: str, today: dt.date, message: EmailMessage
) -> bool:
    """Record and send in one transaction; False if it was sent already today."""
    return send_message_once(
        message,
        mark=lambda: ReportMailSent.objects.create(
            agency=agency, year=year, kind=kind, sent_on=today, recipient=agency.email
        ),
    )


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
        export.files = write_files(export.contents, writer)
        if mail:
            try:
                export.mailed = _send_once(
                    agency=agency,
                    year=year,
                    kind=ReportMailKind.EXPORT,
                    today=today,
                    message=_export_mail(export),
                )
            except SEND_ERRORS as err:
                export.mail_error = failure_text(err)
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
        message = compose(
            subject=f"【年度报告提醒】{agency.name}{year}年度报告尚未发布",
            to=[agency.email],
            template=PUBLISH_REMINDER_MAIL,
            context={
                "agency": agency.name,
                "year": year,
                "deadline": deadline,
                "days_left": (deadline - today).days,
            },
        )
        try:
            sent = _send_once(
                agency=agency,
                year=year,
                kind=ReportMailKind.PUBLISH_REMINDER,
                today=today,
                message=message,
            )
        except SEND_ERRORS as err:
            run.failures[agency.code] = failure_text(err)
            continue
        if sent:
            run.reminded.append(agency)
    return run

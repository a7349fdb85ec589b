"""Word to PDF through LibreOffice, headless: one conversion per call, each with its own
throwaway user profile (concurrent soffice processes sharing a profile block each other)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from rest_framework import status

from cases.errors import ApplicationError

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 120


class PdfUnavailable(ApplicationError):
    """LibreOffice is missing or failed: the DOCX and HTML are still there."""

    code = "pdf_unavailable"
    http_status = status.HTTP_503_SERVICE_UNAVAILABLE


def soffice() -> str | None:
    return next((path for name in SOFFICE_NAMES if (path := shutil.which(name))), None)


def docx_to_pdf(content: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable("服务器未安装LibreOffice，暂不能生成PDF，请下载Word版本")
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(content)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
        except (subprocess.SubprocessError, OSError):
            raise PdfUnavailable("PDF生成失败，请稍后重试或下载Word版本") from None
        target = work / "report.pdf"
        if not target.exists():
            raise PdfUnavailable("PDF生成失败，请稍后重试或下载Word版本")
        return target.read_bytes()

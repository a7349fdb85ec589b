"""Documents tests: files go to a temporary directory; PDFs need LibreOffice and poppler."""

import re
import shutil
import subprocess

import pytest

from ..conftest import REQUIRE_SERVICES


@pytest.fixture(autouse=True)
def _product_default_approval(monkeypatch):
    """The documents tests run on the product's default: replies and extension notices need
    the head of office's approval, and the answer or extension waits for their issue."""
    from ..factories import PRODUCT_DEFAULT_APPROVAL

    monkeypatch.setitem(PRODUCT_DEFAULT_APPROVAL, "on", True)


@pytest.fixture
def binaries():
    """Skip (or, with REQUIRE_SERVICES=1, fail) when soffice or pdftotext is missing."""
    missing = [name for name in ("soffice", "pdftotext") if shutil.which(name) is None]
    if missing:
        message = f"{'、'.join(missing)} not installed (libreoffice-writer-nogui, poppler-utils)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{message}, but REQUIRE_SERVICES=1 needs it")
        pytest.skip(message)


@pytest.fixture
def pdf_worker(settings, binaries, django_capture_on_commit_callbacks):
    """Run what an issue queues on commit (the PDF task) eagerly, as a worker would."""
    settings.CELERY_TASK_ALWAYS_EAGER = True

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def pdf_text(content: bytes) -> str:
    """The PDF's text without white space (pdftotext spaces CJK and digits apart)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout.decode())

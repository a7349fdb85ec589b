"""The demo data shows issued and delivered documents (``make run``)."""

import io

import pytest
from django.core.management import call_command

from documents.models import Delivery, Document

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_demo_documents_are_issued_delivered_and_loaded_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert "请先运行 load_demo_data" in run("load_demo_documents")
    run("load_demo_data", "--no-credentials")
    output = run("load_demo_documents")
    assert "已签发" in output

    issued = Document.objects.filter(status="issued")
    kinds = set(issued.values_list("kind", flat=True))
    assert {"correction_notice", "consultation_letter", "reply", "extension_notice"} <= kinds
    assert Document.objects.filter(status="draft").exists()  # some left to work on
    assert all(d.number.startswith("闽人社公开") for d in issued)
    assert Delivery.objects.filter(delivered_on__isnull=False).exists()
    assert Delivery.objects.filter(method="post", tracking_number__startswith="EMS").exists()
    for document in issued:
        assert document.docx  # the PDFs are the worker's

    count = issued.count()
    assert "未作修改" in run("load_demo_documents")
    assert Document.objects.filter(status="issued").count() == count

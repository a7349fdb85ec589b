"""manage.py import_cases FILE --agency CODE [--commit] [--all-or-nothing]: the same import,
printing the same report."""

import io

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, CaseEvent, Role

from ..factories import UserFactory
from .helpers import csv_bytes, row, table, xlsx_bytes


def _run(*args):
    out = io.StringIO()
    try:
        call_command("import_cases", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return out.getvalue(), exit_.code
    return out.getvalue(), 0


@pytest.fixture
def ledger_file(tmp_path):
    path = tmp_path / "2024年台账.xlsx"
    path.write_bytes(xlsx_bytes(table([row(台账编号="1"), row(台账编号="2", 申请人="李四")])))
    return path


@pytest.mark.django_db
def test_a_dry_run_by_default_and_an_import_with_commit(agency_admin, ledger_file):
    output, status = _run(str(ledger_file), "--agency", "fjrst")

    assert status == 0
    assert "以用户 agencyadmin 的名义检查" in output
    assert "读取2行，可以导入2行。（仅检查，未导入任何数据）" in output
    assert Case.objects.count() == 0

    output, status = _run(str(ledger_file), "--agency", "FJRST", "--commit")

    assert "读取2行，已导入2行。" in output
    assert Case.objects.count() == 2
    assert set(CaseEvent.objects.values_list("note", flat=True)) == {
        "导入：2024年台账.xlsx 第2行（台账编号 1）",
        "导入：2024年台账.xlsx 第3行（台账编号 2）",
    }
    output, status = _run(str(ledger_file), "--agency", "FJRST", "--commit")
    assert "读取2行，已导入0行，2行此前已导入（不再重复导入）。" in output


@pytest.mark.django_db
def test_errors_are_printed_and_the_exit_status_says_so(agency_admin, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes(
        csv_bytes(table([row(), row(申请人="李四", 收到申请日期="2024-13-01")]), encoding="gb18030")
    )

    output, status = _run(str(path), "--agency", "FJRST", "--commit", "--all-or-nothing")

    assert status == 1
    assert "编码：gb18030" in output
    assert (
        "第3行【收到申请日期】“2024-13-01”：“2024-13-01”不是有效的日期（应为YYYY-MM-DD）" in output
    )
    assert "不导入任何行" in output
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_who_imports_must_be_clear(agency, agency_admin, ledger_file, platform_admin):
    UserFactory(username="second_admin", agency=agency, role=Role.AGENCY_ADMIN)
    with pytest.raises(CommandError, match="请用 --user 指定导入人"):
        _run(str(ledger_file), "--agency", "FJRST")
    handler = UserFactory(agency=agency, role=Role.HANDLER)
    with pytest.raises(CommandError, match="不是福建省人力资源和社会保障厅的机关管理员"):
        _run(str(ledger_file), "--agency", "FJRST", "--user", handler.username)

    output, _ = _run(str(ledger_file), "--agency", "FJRST", "--user", "platform", "--commit")

    assert "以用户 platform 的名义导入" in output
    assert set(CaseEvent.objects.values_list("actor__username", flat=True)) == {"platform"}


@pytest.mark.django_db
def test_unknown_agency_or_file(agency_admin, ledger_file, tmp_path):
    with pytest.raises(CommandError, match="机关代码“NOPE”不存在"):
        _run(str(ledger_file), "--agency", "NOPE")
    with pytest.raises(CommandError, match="文件不存在"):
        _run(str(tmp_path / "missing.xlsx"), "--agency", "FJRST")
    bad = tmp_path / "bad.csv"
    bad.write_text("随便写的\n内容\n")
    with pytest.raises(CommandError, match="没有找到表头"):
        _run(str(bad), "--agency", "FJRST")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_a_progress_bar_on_a_terminal(agency_admin, ledger_file):
    terminal = _Terminal()
    call_command(
        "import_cases", str(ledger_file), "--agency", "FJRST", stdout=io.StringIO(), stderr=terminal
    )
    assert "\r[##############################] 2/2 行，错误 0" in terminal.getvalue()

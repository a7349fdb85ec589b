"""An agency's document settings and its own templates (agency admins)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from cases.models import Agency, User

from .. import rendering
from ..contexts import PLACEHOLDERS, sample_context
from ..models import DocumentSettings, DocumentTemplate
from ..numbering import format_problem
from ..reasons import DEFAULT_PARAGRAPHS, paragraph_problem
from ..vocabulary import TEMPLATE_MAX_BYTES, DocumentKind
from .common import check_settings_admin, full_clean, invalid

TEXT_FIELDS = ("review_body", "court", "contact", "payment_instructions")


def _check_kind_map(name: str, value: dict[str, Any], check) -> dict[str, Any]:
    errors = {}
    for kind, item in value.items():
        if kind not in DocumentKind.values:
            errors[kind] = "未知的文书种类"
        elif problem := check(item):
            errors[kind] = problem
    if errors:
        raise invalid({name: "；".join(f"{k}：{v}" for k, v in errors.items())})
    return value


def _prefix_problem(prefix: Any) -> str | None:
    if not isinstance(prefix, str) or not prefix.strip():
        return "机关代字不能为空"
    if len(prefix) > 40:
        return "机关代字不能超过40个字符"
    if "{" in prefix or "}" in prefix:
        return "机关代字不能包含花括号"
    return None


def _flag_problem(value: Any) -> str | None:
    return None if isinstance(value, bool) else "应为 true 或 false"


def _reason_problem(text: Any) -> str | None:
    if not isinstance(text, str):
        return "应为文字"
    if len(text) > 2000:
        return "不能超过2000个字符"
    return paragraph_problem(text)


@transaction.atomic
def document_settings_update(
    *, agency: Agency, actor: User, changes: dict[str, Any]
) -> DocumentSettings:
    """Change the numbering, prefixes, approval, receipts, remedies bodies, contact, reasons.

    ``changes`` holds only what is to change; a prefix or reason set to "" reverts to the
    default.
    """
    check_settings_admin(actor, agency.pk)
    settings, _ = DocumentSettings.objects.select_for_update().get_or_create(agency=agency)
    if "number_format" in changes and (problem := format_problem(changes["number_format"])):
        raise invalid({"number_format": problem})
    if "prefixes" in changes:
        prefixes = {k: v for k, v in changes["prefixes"].items() if v != ""}
        _check_kind_map("prefixes", prefixes, _prefix_problem)
        settings.prefixes = {**settings.prefixes, **prefixes}
        for kind in [k for k, v in changes["prefixes"].items() if v == ""]:
            settings.prefixes.pop(kind, None)
    if "approval_required" in changes:
        value = changes["approval_required"]
        _check_kind_map("approval_required", value, _flag_problem)
        settings.approval_required = {**settings.approval_required, **value}
    if "reasons" in changes:
        errors = {}
        for outcome, text in changes["reasons"].items():
            if outcome not in DEFAULT_PARAGRAPHS:
                errors[outcome] = "未知的办理结果"
            elif problem := _reason_problem(text):
                errors[outcome] = problem
        if errors:
            raise invalid({"reasons": "；".join(f"{k}：{v}" for k, v in errors.items())})
        reasons = {**settings.reasons, **changes["reasons"]}
        settings.reasons = {k: v for k, v in reasons.items() if v.strip()}
    for name in ("number_format", "issue_receipts", "allow_self_approval", *TEXT_FIELDS):
        if name in changes:
            setattr(settings, name, changes[name])
    settings.updated_by = actor
    full_clean(settings)
    settings.save()
    return settings


def template_problems(agency: Agency, kind: str, content: bytes) -> None:
    """Refuse a template that is not a .docx, names an unknown placeholder, or does not render
    with sample data; the message names every unknown placeholder."""
    if len(content) > TEMPLATE_MAX_BYTES:
        raise invalid({"file": f"模板文件不能超过{TEMPLATE_MAX_BYTES // (1024 * 1024)}MB"})
    try:
        unknown = rendering.undeclared_placeholders(content) - set(PLACEHOLDERS)
    except rendering.TemplateError as err:
        raise invalid({"file": str(err)}) from None
    if unknown:
        listed = "、".join("{{ " + name + " }}" for name in sorted(unknown))
        raise invalid({"file": f"模板含有未知的占位符：{listed}"})
    try:
        rendering.render_docx(content, sample_context(agency, kind))
    except rendering.TemplateError as err:
        raise invalid({"file": f"模板无法用示例数据生成文书：{err}"}) from None


@transaction.atomic
def template_upload(
    *, agency: Agency, actor: User, kind: str, content: bytes, name: str = ""
) -> DocumentTemplate:
    """The agency's own template (its letterhead) for a kind, after checking it renders."""
    check_settings_admin(actor, agency.pk)
    if kind not in DocumentKind.values:
        raise invalid({"kind": "未知的文书种类"})
    template_problems(agency, kind, content)
    template = DocumentTemplate.objects.select_for_update().filter(agency=agency, kind=kind).first()
    old_name = template.file.name if template else None
    template = template or DocumentTemplate(agency=agency, kind=kind)
    template.original_name = name[:200]
    template.uploaded_by = actor
    template.file.save(f"{agency.code}/{kind}.docx", ContentFile(content), save=False)
    template.save()
    if old_name and old_name != template.file.name:
        name_to_delete = old_name
        storage = template.file.storage
        transaction.on_commit(lambda: storage.delete(name_to_delete))
    return template


@transaction.atomic
def template_delete(*, agency: Agency, actor: User, kind: str) -> bool:
    """Fall back to the shipped default template; returns whether there was one to remove."""
    check_settings_admin(actor, agency.pk)
    if kind not in DocumentKind.values:
        raise invalid({"kind": "未知的文书种类"})
    template = DocumentTemplate.objects.select_for_update().filter(agency=agency, kind=kind).first()
    if template is None:
        return False
    name, storage = template.file.name, template.file.storage
    template.delete()
    transaction.on_commit(lambda: storage.delete(name))
    return True

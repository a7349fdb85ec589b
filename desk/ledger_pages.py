"""The ledger import on the desk (when the ledger app is installed): upload a spreadsheet ledger
for a dry run or an import, follow a large one's progress bar, read the report and download it
with an error column. Through ledger.intake, as the API (POST /api/imports/), so both accept and
refuse the same files; for the agency's admins (and platform admins), as the API."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from cases import permissions
from cases.action_forms import refusal_to_form
from cases.errors import ApplicationError, NotFound
from cases.models import Agency
from ledger import intake, selectors
from ledger.models import ImportState

from .views.common import desk_view

RECENT = 20
# The errors listed on the page; the downloadable report has them all.
ERRORS_SHOWN = 200


def may_import(user) -> bool:
    return permissions.is_clerk(user) and (
        user.is_platform_admin or permissions.is_agency_admin(user)
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="台账文件", help_text="Excel（.xlsx）或 CSV（UTF-8 或 GB18030），每行一件申请"
    )
    agency = forms.ChoiceField(label="机关", required=False)
    dry_run = forms.BooleanField(
        label="仅检查，不导入", required=False, initial=True, help_text="建议先检查，无误后再导入"
    )
    all_or_nothing = forms.BooleanField(label="有错误的行时全部不导入", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_platform_admin:
            self.fields["agency"].required = True
            self.fields["agency"].choices = [
                ("", "—"),
                *Agency.objects.order_by("code").values_list("code", "name"),
            ]
        else:
            del self.fields["agency"]


def _batches(user):
    return list(selectors.import_batch_list(user=user).select_related("agency")[:RECENT])


@desk_view
def imports_page(request):
    if not may_import(request.user):
        raise PermissionDenied
    form = ImportForm(user=request.user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch, queued = intake.start_import(
                    actor=request.user,
                    agency_code=form.cleaned_data.get("agency") or None,
                    file=upload,
                    file_name=upload.name,
                    size=upload.size,
                    dry_run=form.cleaned_data["dry_run"],
                    all_or_nothing=form.cleaned_data["all_or_nothing"],
                )
            except ApplicationError as err:
                refusal_to_form(form, err)
            else:
                what = "检查" if batch.dry_run else "导入"
                messages.success(
                    request,
                    f"“{batch.file_name}”已开始{what}，请稍候查看进度。"
                    if queued
                    else f"“{batch.file_name}”{what}完成。",
                )
                return redirect("desk:import", pk=batch.pk)
    context = {"form": form, "batches": _batches(request.user)}
    return render(request, "desk/imports.html", context)


def _batch_or_404(user, pk: int):
    if not may_import(user):
        raise PermissionDenied
    try:
        batch = selectors.import_batch_get(user=user, batch_id=pk)
    except NotFound:
        raise Http404 from None
    if not permissions.may_manage_agency(user, batch.agency_id):
        raise Http404
    return batch


@desk_view
@require_GET
def import_page(request, pk: int):
    batch = _batch_or_404(request.user, pk)
    report = batch.report or {}
    context = {
        "batch": batch,
        "report": report,
        "errors": (report.get("errors") or [])[:ERRORS_SHOWN],
        "errors_hidden": max(len(report.get("errors") or []) - ERRORS_SHOWN, 0),
        "finished": batch.state in (ImportState.DONE, ImportState.FAILED),
        "report_url": reverse("ledger-import-report", kwargs={"pk": batch.pk}),
    }
    return render(request, "desk/import.html", context)


@desk_view
@require_GET
def import_progress(request, pk: int):
    """The progress bar, polled by the page while the batch is queued or running; once it
    ends, the page reloads itself to show the report."""
    batch = _batch_or_404(request.user, pk)
    finished = batch.state in (ImportState.DONE, ImportState.FAILED)
    response = render(request, "desk/_import_progress.html", {"batch": batch, "finished": finished})
    if finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


urlpatterns = [
    path("imports/", imports_page, name="imports"),
    path("imports/<int:pk>/", import_page, name="import"),
    path("imports/<int:pk>/progress/", import_progress, name="import-progress"),
]

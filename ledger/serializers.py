"""Input and output shapes of the ledger API. Field names are a contract with outside clients."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers
from rest_framework.fields import empty

from .models import ImportBatch


class FormBooleanField(serializers.BooleanField):
    """A boolean of a multipart form whose default holds when it is left out (DRF reads a
    missing form field as false, which would turn the dry run off unasked)."""

    default_empty_html = empty


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="台账文件：XLSX，或CSV（UTF-8、带BOM的UTF-8或GB18030）")
    agency = serializers.CharField(
        required=False, max_length=32, help_text="机关代码；机关工作人员可不填（本机关）"
    )
    dry_run = FormBooleanField(
        required=False, default=True, help_text="仅检查，不导入（默认 true）"
    )
    all_or_nothing = FormBooleanField(
        required=False, default=False, help_text="有任何错误则全部不导入（默认 false）"
    )


class ImportBatchSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    report = serializers.DictField(
        read_only=True,
        help_text="检查或导入报告（完成后）：rows_read、rows_created、rows_already_imported、"
        "rows_with_errors、skipped、already_imported、imported、errors（每项 row、column、"
        "value、message）、summary 等",
    )
    report_url = serializers.SerializerMethodField(help_text="报告文件（XLSX，原文件加检查结果列）")

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "agency",
            "file_name",
            "dry_run",
            "all_or_nothing",
            "state",
            "state_label",
            "rows_total",
            "rows_done",
            "error_count",
            "created_by",
            "created_at",
            "updated_at",
            "finished_at",
            "report",
            "report_url",
        ]
        read_only_fields = fields

    def get_report_url(self, batch: ImportBatch) -> str:
        return reverse("ledger-import-report", kwargs={"pk": batch.pk})

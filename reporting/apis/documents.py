"""The report document of a snapshot: GET /api/reports/annual-reports/{id}/report.docx|.pdf|.html.

Errors are JSON whatever file was asked for."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.errors import NotFound

from .. import selectors
from ..exports import REPORT_TYPES
from ..report_files import report_file


class _FileRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _renderer(ext: str) -> type[BaseRenderer]:
    content_type = REPORT_TYPES[ext]
    return type(
        f"Report{ext.upper()}Renderer",
        (_FileRenderer,),
        {
            "format": ext,
            "media_type": content_type.split(";")[0].strip(),
            "charset": "utf-8" if "charset" in content_type else None,
        },
    )


RENDERERS = {ext: _renderer(ext) for ext in REPORT_TYPES}
SUMMARIES = {
    "docx": "年度报告全文（Word）",
    "pdf": "年度报告全文（PDF，经LibreOffice转换）",
    "html": "年度报告全文（独立HTML页面，可直接发布到政府信息公开专栏）",
}


class _ReportDocumentView(APIView):
    ext = "docx"

    def get(self, request, pk: int):
        report = selectors.annual_report_list(user=request.user).filter(pk=pk).first()
        if report is None:
            raise NotFound("年度报告不存在或不属于您所在的机关")
        if not report.report:
            raise NotFound("该快照生成于年度报告全文功能上线之前，请重新生成草稿")
        export = report_file(report, self.ext)
        response = Response(export.content, content_type=export.content_type)
        disposition = "inline" if self.ext == "html" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _view(ext: str) -> type[APIView]:
    media_type = RENDERERS[ext].media_type
    responses = {
        (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=SUMMARIES[ext])
    }

    class View(_ReportDocumentView):
        renderer_classes = [RENDERERS[ext]]

        # One function per view: extend_schema marks the function it decorates.
        @extend_schema(responses=responses, summary=SUMMARIES[ext])
        def get(self, request, pk: int):
            return super().get(request, pk)

    View.ext = ext
    View.__name__ = View.__qualname__ = f"AnnualReport{ext.capitalize()}View"
    View.__doc__ = SUMMARIES[ext]
    return View


ReportDocxView = _view("docx")
ReportPdfView = _view("pdf")
ReportHtmlView = _view("html")

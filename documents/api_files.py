"""What the documents API needs to serve and receive files: the upload parser, the file
renderers, file responses, and a mixin that keeps every error JSON."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from cases.errors import InvalidInput

from .rendering import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from .vocabulary import PROOF_MAX_BYTES, TEMPLATE_MAX_BYTES

UPLOAD_MAX_BYTES = max(PROOF_MAX_BYTES, TEMPLATE_MAX_BYTES) + 1024 * 1024  # the form around it


class UploadParser(parsers.MultiPartParser):
    """A multipart form carrying one file of up to 10 MB (the API's other bodies are small)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            length = 0
        if length > UPLOAD_MAX_BYTES:
            raise RequestDataTooBig(f"Request body exceeded {UPLOAD_MAX_BYTES} bytes")
        try:
            return super().parse(stream, media_type, parser_context)
        except (TooManyFieldsSent, TooManyFilesSent):
            raise ParseError("请求字段过多") from None


class _FileRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class DocxRenderer(_FileRenderer):
    media_type = DOCX_MEDIA_TYPE
    format = "docx"


class PdfRenderer(_FileRenderer):
    media_type = PDF_MEDIA_TYPE
    format = "pdf"


class ProofRenderer(_FileRenderer):
    media_type = "*/*"
    format = "proof"


FILE_RENDERERS = [JSONRenderer, DocxRenderer, PdfRenderer]


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def binary_response(media_type: str, description: str) -> dict:
    return {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


class JsonErrorsMixin:
    """File views: an unknown ?format= is a 400, and every error is JSON."""

    def perform_content_negotiation(self, request, force=False):
        requested = request.query_params.get("format")
        offered = [renderer.format for renderer in self.get_renderers()]
        if request.method != "OPTIONS" and requested and requested not in offered and not force:
            raise InvalidInput("格式无效", fields={"format": "format 应为 docx 或 pdf"})
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

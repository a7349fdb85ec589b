"""DRF renderers for the table exports: ``?format=csv|xlsx|html|docx`` on a table endpoint.

They only format what the selector returned (``reporting.exports``); errors stay JSON.
"""

from __future__ import annotations

from rest_framework.renderers import BaseRenderer, JSONRenderer

from . import exports


class TableFileRenderer(BaseRenderer):
    export: str  # the key in exports.EXPORTS
    charset = None  # binary, or UTF-8 declared inside the file
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:  # pragma: no cover - see view
            return JSONRenderer().render(data)
        export = exports.export_table(data, self.export)
        if response is not None and self.export != "html":  # a page to show, not a download
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return export.content


def _renderer(key: str) -> type[TableFileRenderer]:
    content_type = exports.EXPORTS[key].content_type
    media_type = content_type.split(";")[0].strip()
    charset = "utf-8" if "charset" in content_type else None
    return type(
        f"{key.upper()}TableRenderer",
        (TableFileRenderer,),
        {"export": key, "format": key, "media_type": media_type, "charset": charset},
    )


CSVTableRenderer = _renderer("csv")
XLSXTableRenderer = _renderer("xlsx")
HTMLTableRenderer = _renderer("html")
DOCXTableRenderer = _renderer("docx")

# JSON first: it is the default, and the renderer errors fall back to.
TABLE_RENDERERS = [
    JSONRenderer,
    CSVTableRenderer,
    XLSXTableRenderer,
    HTMLTableRenderer,
    DOCXTableRenderer,
]
TABLE_FORMATS = ("json", "csv", "xlsx", "html", "docx")

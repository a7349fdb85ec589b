"""Where document files live: a private file storage under settings.DOCUMENTS_ROOT.

The files (issued letters, PDFs, delivery proofs, uploaded templates) carry personal data and are
never served as public media: the storage has no URL, and only the access-checked API views
read them.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class DocumentStorage(FileSystemStorage):
    """A file system storage without URLs whose root follows settings.DOCUMENTS_ROOT."""

    @cached_property
    def base_location(self):
        return str(settings.DOCUMENTS_ROOT)

    def url(self, name):
        raise NotImplementedError("文书文件只能通过接口下载")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "DOCUMENTS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


@cache
def document_storage() -> DocumentStorage:
    """The storage of every document FileField (a callable, so migrations name no path)."""
    return DocumentStorage()

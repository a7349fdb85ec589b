"""The imports and the export records in the clerks' screen: agency admins see their agency's,
read only; other roles do not see them."""

import pytest
from django.test import Client

from .helpers import row, table, upload, xlsx_bytes


@pytest.mark.django_db
def test_agency_admins_read_their_imports_and_exports(api, agency_admin, handler):
    upload(api(agency_admin), xlsx_bytes(table([row()])), "我的台账.xlsx")
    api(handler).get("/api/cases/export.csv")
    browser = Client()
    browser.force_login(agency_admin)

    imports = browser.get("/admin/ledger/importbatch/")
    exports = browser.get("/admin/ledger/ledgerexport/")

    assert imports.status_code == 200
    assert "我的台账.xlsx" in imports.content.decode()
    assert exports.status_code == 200
    assert "handler" in exports.content.decode()
    assert browser.get("/admin/ledger/importbatch/add/").status_code == 403

    browser.force_login(handler)
    assert browser.get("/admin/ledger/importbatch/").status_code == 403

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded ledgers are stored: each test in its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")

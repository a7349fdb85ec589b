"""The test suite's settings: production settings under a test environment.

Only environment defaults are set here, so tests run the same settings code as production. The
hardened production defaults (HTTPS redirect, secure cookies, HSTS) are tested separately through
``manage.py check --deploy`` in a subprocess with DJANGO_DEBUG=false.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_SECURE_PROXY_SSL_HEADER", "false")

from .settings import *  # noqa: F403

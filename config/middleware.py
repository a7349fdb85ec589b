"""Response headers every page and API answer carries."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy (Django 5.2 has none of its own).

    Django's SecurityMiddleware already sets X-Content-Type-Options, Referrer-Policy and HSTS,
    and XFrameOptionsMiddleware X-Frame-Options. A view that needs a different policy sets the
    header itself and is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response

"""Who is calling: API tokens (django-rest-knox), login lockouts (django-axes), revocation.

Tokens are stored as SHA-512 digests, never in clear, and expire (settings.REST_KNOX). A password
change or a deactivation revokes all of the user's tokens (the signal handlers below, connected in
CasesConfig.ready). Failed logins are counted per username and client address by django-axes on
every login path: the admin, the token endpoint and any later login form.
"""

from __future__ import annotations

import logging

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.db.models.signals import pre_save
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework.exceptions import AuthenticationFailed

log = logging.getLogger(__name__)


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox's token check, looking only at the presented token.

    Knox also sweeps the user's other expired tokens on every request (a query per request and a
    delete per stale token); here expired tokens are removed at login and by
    ``purge_expired_tokens`` instead, so an authenticated request costs one query, as before.
    """

    def authenticate_credentials(self, token: bytes):
        # Knox issues hexadecimal tokens; anything else (a NUL, say) never reaches the database.
        if not token or len(token) > 256 or token.strip(b"0123456789abcdefABCDEF"):
            raise AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come with a request (the admin, the token
    endpoint). A credential check without one (a management command, the test client's login)
    is not a login from outside and is left to the next backend."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def issue_token(user) -> tuple[AuthToken, str]:
    """A new token for a user who just proved their password; returns (row, clear text)."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user)


def revoke_tokens(user, *, reason: str) -> int:
    count, _ = AuthToken.objects.filter(user=user).delete()
    if count:
        log.info("Revoked %d API token(s) of user %s: %s", count, user.pk, reason)
    return count


def purge_expired_tokens() -> int:
    count, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return count


def revoke_tokens_on_credential_change(sender, instance, raw=False, **kwargs) -> None:
    """A new password or a deactivated account ends every API session of the user."""
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        revoke_tokens(instance, reason="password changed")
    elif before["is_active"] and not instance.is_active:
        revoke_tokens(instance, reason="deactivated")


def connect_signals(user_model) -> None:
    pre_save.connect(
        revoke_tokens_on_credential_change,
        sender=user_model,
        dispatch_uid="cases.revoke_tokens_on_credential_change",
    )


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received from; anything
    further left was written by the client and is not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def unlock_time(request: HttpRequest):
    attempt_time = getattr(request, "axes_attempt_time", None) or timezone.now()
    return timezone.localtime(attempt_time + settings.AXES_COOLOFF_TIME)


def lockout_message(unlock_at) -> str:
    return (
        f"登录失败次数过多（{settings.AXES_FAILURE_LIMIT}次），该账户在本地址已被暂时锁定，"
        f"请于{unlock_at:%Y-%m-%d %H:%M}后再试，或请机关管理员解除锁定。"
    )


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login: JSON on the API, a Chinese page elsewhere."""
    unlock_at = unlock_time(request)
    message = lockout_message(unlock_at)
    status = 429
    if request.path.startswith("/api/"):
        body = {
            "code": "locked_out",
            "message": message,
            "fields": {},
            "unlock_at": unlock_at.isoformat(),
        }
        response = JsonResponse(body, status=status)
    else:
        page = render_to_string("error.html", {"status": status, "message": message})
        response = HttpResponse(page, status=status)
    response["Retry-After"] = str(max(1, int((unlock_at - timezone.now()).total_seconds())))
    return response


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token header."""

    target_class = "cases.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )

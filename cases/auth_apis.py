"""Token login and logout for API clients."""

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from .authentication import ExpiringTokenAuthentication, client_ip, issue_token, revoke_tokens
from .errors import InvalidInput


class LoginRateThrottle(SimpleRateThrottle):
    """Logins per client address (settings.LOGIN_RATE, read at each request)."""

    scope = "login"

    def __init__(self):
        pass  # the rate is read in allow_request, so a settings change applies at once

    def get_rate(self):
        return settings.LOGIN_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


TokenSerializer = inline_serializer(
    "Token",
    {
        "token": serializers.CharField(help_text="以“Authorization: Token <token>”请求头使用"),
        "expiry": serializers.DateTimeField(allow_null=True, help_text="令牌失效时间"),
    },
)
LogoutSerializer = inline_serializer(
    "Logout", {"revoked": serializers.IntegerField(help_text="作废的令牌数")}
)


class TokenLoginView(APIView):
    """用户名和密码换取接口令牌。连续登录失败将被暂时锁定。"""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=LoginSerializer, responses={200: TokenSerializer}, summary="登录，获取接口令牌"
    )
    def post(self, request):
        params = LoginSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        # django-axes counts failures on the Django request and flags a lockout there; its
        # middleware then answers with cases.authentication.lockout_response.
        user = authenticate(request._request, **params.validated_data)
        if user is None:
            raise InvalidInput(
                "用户名或密码错误，或账户已停用",
                fields={"non_field_errors": "无法使用提供的认证信息登录。"},
            )
        token, key = issue_token(user)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response({"token": key, "expiry": token.expiry})


class LogoutView(APIView):
    """作废当前请求使用的令牌。"""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: LogoutSerializer}, summary="退出（作废本令牌）")
    def post(self, request):
        request.auth.delete()
        return Response({"revoked": 1})


class LogoutAllView(APIView):
    """作废当前用户的全部令牌。"""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={200: LogoutSerializer}, summary="退出全部（作废本人所有令牌）"
    )
    def post(self, request):
        return Response({"revoked": revoke_tokens(request.user, reason="logout-all")})

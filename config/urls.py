from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases.auth_apis import LogoutAllView, LogoutView, TokenLoginView
from reporting.urls import appeal_urlpatterns

from . import views

admin.site.site_header = "政府信息公开申请办理系统"
admin.site.site_title = "政府信息公开申请办理"
admin.site.index_title = "办理工作台"
# "查看站点" leads to the interface documentation, in Chinese, until the clerks' desk exists.
admin.site.site_url = "/api/docs/"

urlpatterns = [
    # The clerks' desk: its login at the site's root (Django's own view, Chinese), then /desk/.
    path(
        "",
        auth_views.LoginView.as_view(
            template_name="desk/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk/", include("desk.urls")),
    path("healthz/", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("api/auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("api/auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file, so the page runs under a strict CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/reports/", include("reporting.urls")),
    # Before the cases router, whose format-suffix route would read cases/export.xlsx as case
    # "export" in format "xlsx".
    path("api/", include("ledger.urls")),
    path("api/", include("documents.urls")),
    path("api/", include(appeal_urlpatterns)),
    path("api/", include("cases.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

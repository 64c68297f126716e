from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health

api_v1 = [
    # first: lavoro's candidates/<pseudonym>/ would otherwise catch candidates/search/
    path("", include(("search.api.urls", "search"))),
    path("", include(("competenze.api.urls", "competenze"))),
    path("", include(("lavoro.api.urls", "lavoro"))),
    path("", include(("common.auth.urls", "auth"))),
]

urlpatterns = [
    # load balancers and supervisors: no login, no audit, no personal data
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", include(("portal.urls.common", "common"))),
    path("", include(("competenze.credentials.urls", "credentials"))),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include(("portal.urls.competenze", "competenze"))),
    path("", include(("portal.urls.lavoro", "lavoro"))),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from static files (drf-spectacular-sidecar), its start script a file too:
    # nothing from the network, nothing inline (Content-Security-Policy).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "common.errors.bad_request"
handler403 = "common.errors.permission_denied"
handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import health

api_v1 = [
    # first: lavoro's candidates/<pseudonym>/ would otherwise catch candidates/search/
    path("", include(("search.api.urls", "search"))),
    path("", include(("competenze.api.urls", "competenze"))),
    path("", include(("lavoro.api.urls", "lavoro"))),
]

urlpatterns = [
    # load balancers and supervisors: no login, no audit, no personal data
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", include(("common.urls", "common"))),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include(("competenze.urls", "competenze"))),
    path("", include(("lavoro.urls", "lavoro"))),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

"""The project's URLs with the search API mounted before lavoro's (as config/urls.py will)."""

from django.urls import include, path

from config.urls import api_v1, handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

api = [path("", include(("search.api.urls", "search"))), *api_v1]
urlpatterns = [
    path("api/v1/", include((api, "api"))),
    *(pattern for pattern in project_urlpatterns if str(pattern.pattern) != "api/v1/"),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

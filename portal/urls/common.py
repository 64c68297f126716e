"""Pages of namespace "common": the role's home, the programme manager's dashboard and the
accessibility statement."""

from django.urls import path

from portal.views import accessibility, dashboard, home

urlpatterns = [
    path("", home.home, name="home"),
    path("cruscotto/", dashboard.dashboard, name="dashboard"),
    path("accessibilita/", accessibility.accessibility_statement, name="accessibility"),
]

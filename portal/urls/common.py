"""Pages of namespace "common": the role's home, the programme manager's dashboard and the
accessibility statement."""

from django.urls import path

from portal.views import accessibility, dashboard, home

urlpatterns = [
    path("", home.home, name="home"),
    path("cruscotto/", dashboard.dashboard, name="dashboard"),
    path("accessibilita/", accessibility.accessibility_statement, name="accessibility"),
    path("cruscotto/tabelle.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path("cruscotto/copertura/", dashboard.dashboard_coverage, name="dashboard-coverage"),
]

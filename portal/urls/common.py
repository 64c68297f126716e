"""Pages of namespace "common": the role's home and the programme manager's dashboard."""

from django.urls import path

from portal.views import dashboard, home

urlpatterns = [
    path("", home.home, name="home"),
    path("cruscotto/", dashboard.dashboard, name="dashboard"),
    path("cruscotto/tabelle.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path("cruscotto/copertura/", dashboard.dashboard_coverage, name="dashboard-coverage"),
]

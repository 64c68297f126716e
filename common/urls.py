from django.urls import path

from common import views, web

urlpatterns = [
    path("", web.home, name="home"),
    path("cruscotto/", views.dashboard, name="dashboard"),
]

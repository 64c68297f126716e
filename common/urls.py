from django.urls import path

from common import web

urlpatterns = [
    path("", web.home, name="home"),
]

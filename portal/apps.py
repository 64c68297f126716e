from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Every server-rendered page: views, forms, presenters, templates and static files.
    No models: the pages read through the domain apps' selectors and write through their
    services."""

    name = "portal"
    verbose_name = _("Pagine del portale")

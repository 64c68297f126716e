from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Fictional demo data (seed_demo, demo_logins) and the benchmarks that seed it. On top
    of every other app: it may import them all, none imports it."""

    name = "demo"
    verbose_name = _("Dati dimostrativi")

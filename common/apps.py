from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Organizzazioni, utenti e territorio")

    def ready(self) -> None:
        from common import (
            checks,  # noqa: F401  (registers the system checks)
            lookups,
        )

        lookups.register()  # field__in_ids: many integer ids, without per-value preparation

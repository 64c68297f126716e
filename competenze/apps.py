from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenzeConfig(AppConfig):
    name = "competenze"
    verbose_name = _("Competenze e persone")

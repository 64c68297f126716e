from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LavoroConfig(AppConfig):
    name = "lavoro"
    verbose_name = _("Opportunità: lavoro, formazione, MAP/LPU")

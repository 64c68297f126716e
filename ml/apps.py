from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MlConfig(AppConfig):
    name = "ml"
    verbose_name = _("Riconoscimento delle competenze")

    def ready(self) -> None:
        from common.outbox import outbox_register
        from competenze.services.interviews import EXTRACTION_TOPIC

        outbox_register(EXTRACTION_TOPIC, handler="ml.services.answer_extract", queue="ml")

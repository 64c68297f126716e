from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Extraction requests written before the domain events existed (common.events).
LEGACY_EXTRACTION_TOPIC = "competenze.answer_extract"


class MlConfig(AppConfig):
    name = "ml"
    verbose_name = _("Riconoscimento delle competenze")

    def ready(self) -> None:
        from common.outbox import outbox_register
        from ml import receivers  # noqa: F401  (registers the receivers of domain events)

        outbox_register(LEGACY_EXTRACTION_TOPIC, handler="ml.services.answer_extract", queue="ml")

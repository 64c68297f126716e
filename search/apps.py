from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Ricerca e abbinamenti")

    def ready(self) -> None:
        from common.outbox import outbox_register
        from search import receivers  # noqa: F401  (registers the receivers of domain events)
        from search.indexing import OPPORTUNITIES_INDEX, PEOPLE_INDEX

        # search's own reindex requests (a withdrawn consent, by-hand runs; rows written
        # before the domain events existed)
        outbox_register(PEOPLE_INDEX, handler="search.indexing.people_index", queue="search")
        outbox_register(
            OPPORTUNITIES_INDEX, handler="search.indexing.opportunities_index", queue="search"
        )

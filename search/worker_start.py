"""How a rebuild's worker process starts (search.parallel): Django set up from scratch on
the settings module and the databases of the process that started it.

Imported before Django is set up, so it imports nothing of the project at module level.
The workers are spawned, not forked: a forked child would inherit the parent's database
connections (those of every thread), and closing them there would break them for the
parent.
"""

from typing import Any


def start(settings_module: str, databases: dict[str, dict[str, Any]]) -> None:
    import os

    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    # One process per core already: numpy's BLAS threads (loaded with Django below) would
    # only spin beside the other workers.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from django.conf import settings

    settings.DATABASES = databases  # the parent's, test databases included
    import django

    django.setup()

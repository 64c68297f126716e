"""Search backend: embedded by default, Elasticsearch when ELASTICSEARCH_URL is set."""

from config.env import BASE_DIR, env

ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
PONTE_SEARCH_BACKEND = env.str(
    "PONTE_SEARCH_BACKEND", default="elasticsearch" if ELASTICSEARCH_URL else "embedded"
)
PONTE_SEARCH_INDEX_PREFIX = env.str("PONTE_SEARCH_INDEX_PREFIX", default="ponte")
PONTE_SEARCH_EMBEDDED_DIR = env.path(
    "PONTE_SEARCH_EMBEDDED_DIR", default=BASE_DIR / "var" / "search"
)
# The embedded index is a folder of this host: true declares a single web host (required by
# config.settings.production with the embedded backend), false several (then only
# Elasticsearch will do). Unset: a warning when the database is shared (common/checks.py).
PONTE_SEARCH_SINGLE_HOST = env.bool("PONTE_SEARCH_SINGLE_HOST", default=None)
# The outcome-trained ranker of matches (used once there are enough outcomes).
PONTE_SEARCH_RANKER_PATH = env.path(
    "PONTE_SEARCH_RANKER_PATH", default=BASE_DIR / "var" / "models" / "search" / "ranker.json"
)
# A full rebuild refreshes a heartbeat every PONTE_SEARCH_REBUILD_HEARTBEAT seconds; one
# silent for PONTE_SEARCH_REBUILD_STALE_AFTER seconds (or whose process is gone) is dead and
# is discarded by the next rebuild or index write.
PONTE_SEARCH_REBUILD_HEARTBEAT = env.float("PONTE_SEARCH_REBUILD_HEARTBEAT", default=10.0)
PONTE_SEARCH_REBUILD_STALE_AFTER = env.float("PONTE_SEARCH_REBUILD_STALE_AFTER", default=120.0)
# Processes that read and encode a full rebuild's documents (search.parallel); unset: one
# per core. 0 or 1: the rebuilding process does it alone.
PONTE_SEARCH_REBUILD_WORKERS = env.int("PONTE_SEARCH_REBUILD_WORKERS", default=None)

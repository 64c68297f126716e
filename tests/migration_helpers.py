"""Run one migration on rows written with the schema before it (transactional tests only).

Migrations are found by name suffix, not number: numbers may change when branches merge.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Node = tuple[str, str]


def _executor() -> MigrationExecutor:
    return MigrationExecutor(connection)


def migration_node(app: str, suffix: str) -> Node:
    found = [
        key for key in _executor().loader.graph.nodes if key[0] == app and key[1].endswith(suffix)
    ]
    assert len(found) == 1, found
    return found[0]


def _migrate(targets: list[Node]) -> Apps:
    executor = _executor()
    executor.migrate(targets)
    return _executor().loader.project_state(targets).apps


@contextmanager
def around_migration(app: str, suffix: str) -> Iterator[tuple[Apps, Callable[[], Apps]]]:
    """(historical apps just before the migration, a function that applies it and returns
    the apps after); the database goes back to the latest schema on exit."""
    node = migration_node(app, suffix)
    parents = _executor().loader.graph.node_map[node].parents
    before = [parent.key for parent in parents if parent.key[0] == app]
    try:
        yield _migrate(before), lambda: _migrate([node])
    finally:
        _migrate(_executor().loader.graph.leaf_nodes())

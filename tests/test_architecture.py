"""One direction for imports (docs/architecture.md).

Layers, lowest first: common <- competenze <- lavoro <- {ml, search} <- portal, with demo
on top of everything (config included) and config free to import anything. A module may
import its own app and the apps below it, never one above or beside it; so no domain app
(common, competenze, lavoro) imports ml, search, portal or demo, and competenze never imports
lavoro. Imports inside functions count as much as the ones at the top of a module. And no
import cycles, anywhere in the project (modules that import each other, directly or through
others).

A small AST walk, no import of the project: `from package import name` depends on the
module `package.name` when there is one, else on `package`.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("common", "competenze", "lavoro", "ml", "search", "portal", "demo", "config")
# What each app may import besides itself.
ALLOWED = {
    "common": set(),
    "competenze": {"common"},
    "lavoro": {"common", "competenze"},
    "ml": {"common", "competenze", "lavoro"},
    "search": {"common", "competenze", "lavoro"},
    "portal": {"common", "competenze", "lavoro", "ml", "search"},
    "demo": {"common", "competenze", "lavoro", "ml", "search", "portal", "config"},
    "config": set(APPS) - {"config"},
}

Graph = dict[str, dict[str, int]]  # module -> imported module -> line of the first import


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = ROOT) -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found[_module_name(path, root)] = path
    return found


def _targets(node: ast.AST, here: str, known: dict[str, Path]) -> Iterator[str]:
    """The project modules an import statement depends on."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:  # relative: from the package of `here`
            package = here.rsplit(".", node.level)[0] if "." in here else here
            base = f"{package}.{node.module}" if node.module else package
        else:
            base = node.module or ""
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
            for alias in node.names
        ]
    else:
        return
    for name in names:
        while name and name not in known:  # an attribute of a module: the module
            name = name.rpartition(".")[0]
        if name and name != here:
            yield name


def import_graph(root: Path = ROOT) -> Graph:
    known = modules(root)
    graph: Graph = {}
    for name, path in known.items():
        edges: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, name, known):
                edges.setdefault(target, getattr(node, "lineno", 0))
        graph[name] = edges
    return graph


def forbidden_imports(graph: Graph, root: Path = ROOT) -> list[str]:
    known = modules(root)
    problems = []
    for module, edges in sorted(graph.items()):
        app = module.split(".")[0]
        for target, line in sorted(edges.items()):
            other = target.split(".")[0]
            if other != app and other not in ALLOWED[app]:
                where = known[module].relative_to(root)
                problems.append(f"{where}:{line}: {app} may not import {other} ({target})")
    return problems


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph()


def test_imports_go_one_way_only(graph):
    problems = forbidden_imports(graph)
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_there_are_no_import_cycles(graph):
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(group) for group in found)


# --- the checks themselves --------------------------------------------------------------------


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for app in APPS:
        (tmp_path / app).mkdir(exist_ok=True)
        (tmp_path / app / "__init__.py").touch()
    return tmp_path


def test_a_deferred_import_of_a_higher_layer_is_found(tmp_path):
    root = _project(
        tmp_path,
        {
            "search/indexing.py": "def person_changed(pk):\n    pass\n",
            "competenze/services.py": (
                "def person_save():\n    from search.indexing import person_changed\n"
            ),
            "lavoro/views.py": "import competenze.services\n",
        },
    )
    assert forbidden_imports(import_graph(root), root) == [
        "competenze/services.py:2: competenze may not import search (search.indexing)"
    ]


def test_competenze_may_not_import_lavoro_but_lavoro_may_import_competenze(tmp_path):
    root = _project(
        tmp_path,
        {
            "competenze/a.py": "from lavoro import b\n",
            "lavoro/b.py": "from competenze.a import thing\n",
        },
    )
    graph = import_graph(root)
    assert forbidden_imports(graph, root) == [
        "competenze/a.py:1: competenze may not import lavoro (lavoro.b)"
    ]
    assert cycles(graph) == [["competenze.a", "lavoro.b"]]


def test_a_cycle_through_three_modules_and_a_package_is_found(tmp_path):
    root = _project(
        tmp_path,
        {
            "search/backends/__init__.py": "from search.backends.one import One\n",
            "search/backends/one.py": "from search.backends.two import Two\n",
            "search/backends/two.py": "def f():\n    from search.backends import Pending\n",
            "search/backends/base.py": "",
        },
    )
    assert cycles(import_graph(root)) == [
        ["search.backends", "search.backends.one", "search.backends.two"]
    ]

"""Module-level user text is translated lazily.

A message built at import time with `gettext` is translated once, in whatever language was
active then, and never follows the user's language again: module and class bodies must use
`gettext_lazy` (functions may use `gettext`, they run per request). This walks every module
of the project and fails on a module- or class-level call of a non-lazy gettext function.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("common", "competenze", "lavoro", "ml", "search", "portal", "demo", "config")
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
TRANSLATION_MODULE = "django.utils.translation"


def _eager_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names bound to an eager gettext function, names bound to the translation module)."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION_MODULE:
            functions |= {a.asname or a.name for a in node.names if a.name in EAGER}
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            modules |= {a.asname or a.name for a in node.names if a.name == "translation"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == TRANSLATION_MODULE and a.asname}
    return functions, modules


def _import_time_nodes(body: list[ast.stmt]) -> list[ast.AST]:
    """Every node that runs at import: module and class bodies, not function bodies (their
    decorators and default values do run at import)."""
    found: list[ast.AST] = []
    for statement in body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            found += statement.decorator_list
            found += [d for d in statement.args.defaults + statement.args.kw_defaults if d]
        elif isinstance(statement, ast.ClassDef):
            found += statement.decorator_list + statement.bases
            found += _import_time_nodes(statement.body)
        else:
            found.append(statement)
    return found


def eager_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions, modules = _eager_names(tree)
    problems = []
    for top in _import_time_nodes(tree.body):
        for node in ast.walk(top):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            eager = (isinstance(func, ast.Name) and func.id in functions) or (
                isinstance(func, ast.Attribute)
                and func.attr in EAGER
                and isinstance(func.value, ast.Name)
                and func.value.id in modules
            )
            if eager:
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return problems


def project_modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_no_module_level_message_is_translated_at_import():
    problems = [problem for path in project_modules() for problem in eager_calls(path)]
    assert not problems, "gettext at import time (use gettext_lazy):\n" + "\n".join(problems)


def test_the_check_finds_an_eager_message(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "messages.py"
    module.write_text(
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "from django.utils import translation\n"
        "LAZY = gettext_lazy('Ciao')\n"
        "EAGER = _('Ciao')\n"
        "class Form:\n"
        "    label = translation.gettext('Nome')\n"
        "def view(message=_('Predefinito')):\n"
        "    return _('Dentro una funzione va bene')\n"
    )
    assert eager_calls(module) == ["messages.py:4", "messages.py:6", "messages.py:7"]

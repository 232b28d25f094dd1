"""The architecture the layout promises, checked on the source with `ast`:
pages and callbacks never reach the database themselves, only services/ (and the database's own
bootstrap) write, domain/ is pure rules, figures/ draw without the database, every callback is a
module-level function, and tests share helpers through tests/helpers, not through each other.

Each check names its offenders as "path:line: what"; a test beside each shows that it finds what it
looks for, so none can pass by finding nothing.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard"
TESTS = ROOT / "tests"

# Who may write to the database. services/ is the write path (the importer and the KPI series
# included); the rest is the database's own bootstrap: the engine and session (db.py), the schema
# (migrate.py, migrations/), the seed data, and the command line that creates users and restores.
WRITERS = (
    "dashboard.services",
    "dashboard.db",
    "dashboard.migrate",
    "dashboard.migrations",
    "dashboard.seed",
    "dashboard.seed_transition",
    "dashboard.seed_self_assessment",
    "dashboard.cli",
    # Sign-in throttling and sessions: a failed sign-in is recorded (and cleared on success) before
    # anyone is signed in, and a session row is started, stamped and ended by the sign-in gate itself,
    # so there is no user to give a service; the one write outside services/.
    "dashboard.auth",
)

SESSION_WRITES = {
    "add",
    "add_all",
    "delete",
    "merge",
    "flush",
    "commit",
    "bulk_save_objects",
    "bulk_insert_mappings",
    "bulk_update_mappings",
}
SQL_WRITE = re.compile(r"^\s*(insert\s+into|update\s+\S+\s+set|delete\s+from|truncate)\b", re.IGNORECASE)
CALLBACK_DECLARATIONS = {"callback", "clientside_callback", "clientside", "authorised"}
# The machinery that registers each declared callback on an app does so inside a function by design.
REGISTRATION_MACHINERY = "dashboard.callbacks"


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. dashboard.callbacks.milestones
    path: Path
    tree: ast.Module

    @property
    def where(self) -> str:
        return str(self.path.relative_to(ROOT))

    def within(self, *packages: str) -> bool:
        return any(self.name == package or self.name.startswith(package + ".") for package in packages)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def dashboard_modules() -> dict[str, Module]:
    modules = {}
    for path in sorted(DASHBOARD.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        name = _module_name(path)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return modules


def _package_of(module_name: str, path: Path) -> str:
    return module_name if path.name == "__init__.py" else module_name.rpartition(".")[0]


def imports(module_name: str, path: Path, tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """Every import anywhere in the module (inside functions too): (line, module, name imported from it).

    `from dashboard import db` gives ("dashboard", "db") and ("dashboard.db", None): a submodule
    imported by name is an import of that module."""
    found = []
    known = set(dashboard_modules())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = _package_of(module_name, path).split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([source] if source else []))
            for alias in node.names:
                found.append((node.lineno, source, alias.name))
                if f"{source}.{alias.name}" in known:
                    found.append((node.lineno, f"{source}.{alias.name}", None))
    return found


def _is_under(name: str, *roots: str) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def direct_imports_of(module: Module, *forbidden: str, names: tuple[str, ...] = ()) -> list[str]:
    """Offending imports: of a module under one of `forbidden`, or of one of `names` from anywhere."""
    return [
        f"{module.where}:{line}: imports {source}{'.' + name if name else ''}"
        for line, source, name in imports(module.name, module.path, module.tree)
        if _is_under(source, *forbidden) or name in names
    ]


def reachable_imports(start: Module, *forbidden: str) -> list[str]:
    """Offending imports of `start` or of any dashboard module it imports, however indirectly."""
    modules = dashboard_modules()
    offenders, seen, todo = [], {start.name}, [(start, start.name)]
    while todo:
        module, via = todo.pop()
        for line, source, name in imports(module.name, module.path, module.tree):
            if _is_under(source, *forbidden):
                through = "" if via == start.name else f" (reached through {via})"
                offenders.append(f"{module.where}:{line}: imports {source}{through}")
            for target in (source, f"{source}.{name}" if name else None):
                if target in modules and target not in seen:
                    seen.add(target)
                    todo.append((modules[target], f"{via} → {target}"))
    return offenders


def _call_name(node: ast.AST) -> str | None:
    """`f` for f(...), `attr` for x.attr(...), and the same for f(...)(...) (a decorator factory)."""
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def writes(where: str, tree: ast.AST) -> list[str]:
    """Ways of writing to the database: SQLAlchemy's insert/update/delete constructs, SQL text that
    writes, a session's add/delete/merge/flush/commit (one opened with `with session_scope() as db`,
    `Session(...)` or `engine.begin()`, or one handed in as a `session: Session` parameter), and an
    attribute set on a loaded row inside such a `with` block."""
    found = []
    aliases = set()  # names the sqlalchemy package is imported as (import sqlalchemy as sa)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _is_under(node.module or "", "sqlalchemy"):
            found += [
                f"{where}:{node.lineno}: imports {alias.name} from {node.module}"
                for alias in node.names
                if alias.name in ("insert", "update", "delete")
            ]
        elif isinstance(node, ast.Import):
            aliases |= {
                alias.asname or alias.name for alias in node.names if _is_under(alias.name, "sqlalchemy")
            }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("insert", "update", "delete")
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            found.append(f"{where}:{node.lineno}: uses {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call) and _call_name(node) in ("text", "execute", "exec_driver_sql"):
            first = node.args[0] if node.args else None
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and SQL_WRITE.match(first.value)
            ):
                found.append(f"{where}:{node.lineno}: runs SQL that writes: {first.value.strip()[:40]!r}")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            # A session handed in (`def load(session: Session)`): its writing calls, wherever made.
            given = {
                arg.arg
                for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if arg.arg in ("session", "db")
                or (arg.annotation is not None and ast.unparse(arg.annotation).endswith("Session"))
            }
            found += [
                f"{where}:{inner.lineno}: {inner.func.value.id}.{inner.func.attr}(…)"
                for inner in ast.walk(node)
                if isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and isinstance(inner.func.value, ast.Name)
                and inner.func.value.id in given
                and inner.func.attr in SESSION_WRITES
            ]
        elif isinstance(node, ast.With):
            for item in node.items:
                opened = _call_name(item.context_expr)
                if opened not in ("session_scope", "Session", "begin") or not isinstance(
                    item.optional_vars, ast.Name
                ):
                    continue
                session = item.optional_vars.id
                for inner in (n for statement in node.body for n in ast.walk(statement)):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Attribute)
                        and isinstance(inner.func.value, ast.Name)
                        and inner.func.value.id == session
                        and inner.func.attr in SESSION_WRITES
                    ):
                        found.append(f"{where}:{inner.lineno}: {session}.{inner.func.attr}(…)")
                    elif isinstance(inner, ast.Assign | ast.AugAssign | ast.AnnAssign):
                        targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                        found += [
                            f"{where}:{inner.lineno}: sets {ast.unparse(target)} in a session"
                            for target in targets
                            if isinstance(target, ast.Attribute)
                        ]
    return found


def nested_callbacks(where: str, tree: ast.AST, machinery: bool = False) -> list[str]:
    """Callbacks declared inside a function: a nested def decorated as a callback, or a callback
    declaration (app.callback(...)(f), authorised(...)(f), clientside_callback(...)) made in a
    function's body. `machinery` allows the latter (the code that registers declared callbacks)."""
    found = []

    def visit(node: ast.AST, enclosing: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                name = getattr(child, "name", "<lambda>")
                if enclosing is not None:
                    found.extend(
                        f"{where}:{child.lineno}: callback {name} is defined inside {enclosing}()"
                        for decorator in getattr(child, "decorator_list", [])
                        if _call_name(decorator) in CALLBACK_DECLARATIONS
                    )
                visit(child, name if enclosing is None else enclosing)
                continue
            if (
                enclosing is not None
                and not machinery
                and isinstance(child, ast.Expr | ast.Assign | ast.Return)
                and isinstance(child.value, ast.Call)
                and _call_name(child.value) in CALLBACK_DECLARATIONS
            ):
                found.append(f"{where}:{child.lineno}: a callback is declared inside {enclosing}()")
            visit(child, enclosing)

    visit(tree, None)
    return found


# The checks on today's code.


def test_pages_and_callbacks_never_reach_the_database_themselves():
    offenders = [
        offence
        for module in dashboard_modules().values()
        if module.within("dashboard.pages", "dashboard.callbacks")
        for offence in direct_imports_of(
            module, "sqlalchemy", "dashboard.db", names=("session_scope", "Session", "get_engine")
        )
    ]
    assert offenders == []


def test_only_services_and_the_database_bootstrap_write():
    offenders = [
        offence
        for module in dashboard_modules().values()
        if not module.within(*WRITERS)
        for offence in writes(module.where, module.tree)
    ]
    assert offenders == []


def test_domain_rules_import_neither_dash_nor_the_database():
    # pandas is not barred: the one missing-value rule, gathered into domain/, knows pandas' NaT and NA.
    forbidden = ("dash", "dash_bootstrap_components", "dash_ag_grid", "flask", "sqlalchemy", "alembic")
    forbidden += ("psycopg", "dashboard.db", "dashboard.models", "dashboard.queries", "dashboard.services")
    offenders = [
        offence
        for module in dashboard_modules().values()
        if module.within("dashboard.domain")
        for offence in reachable_imports(module, *forbidden)
    ]
    assert offenders == []


def test_figures_draw_without_database_code():
    forbidden = ("sqlalchemy", "alembic", "psycopg", "dashboard.db", "dashboard.models")
    forbidden += ("dashboard.queries", "dashboard.services")
    offenders = [
        offence
        for module in dashboard_modules().values()
        if module.within("dashboard.figures")
        for offence in reachable_imports(module, *forbidden)
    ]
    assert offenders == []


def test_every_callback_is_a_module_level_function():
    offenders = [
        offence
        for module in dashboard_modules().values()
        for offence in nested_callbacks(
            module.where, module.tree, machinery=module.name == REGISTRATION_MACHINERY
        )
    ]
    assert offenders == []


def imports_of_test_modules(where: str, module_name: str, path: Path, tree: ast.AST) -> list[str]:
    """Imports of conftest or of a test module (test_….py), which tests/helpers replaces."""
    found = []
    for line, source, name in imports(module_name, path, tree):
        imported = f"{source}.{name}" if name else source
        if any(part == "conftest" or part.startswith("test_") for part in imported.split(".")):
            found.append(f"{where}:{line}: imports {imported}")
    return found


def test_tests_share_helpers_through_tests_helpers_not_through_each_other():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offenders += imports_of_test_modules(str(path.relative_to(ROOT)), _module_name(path), path, tree)
    assert offenders == []


# Each check finds what it looks for.


def _module(source: str, name: str = "dashboard.pages.example") -> Module:
    return Module(name, DASHBOARD / "pages" / "example.py", ast.parse(source))


def test_the_import_check_finds_the_database_imported_each_way():
    source = (
        "import sqlalchemy as sa\n"
        "from sqlalchemy.orm import Session\n"
        "from dashboard import db\n"
        "def layout():\n"
        "    from dashboard.db import session_scope\n"
    )
    found = direct_imports_of(_module(source), "sqlalchemy", "dashboard.db", names=("session_scope",))
    assert [offence.split(": ", 1)[1] for offence in found] == [
        "imports sqlalchemy",
        "imports sqlalchemy.orm.Session",
        "imports dashboard.db",
        "imports dashboard.db.session_scope",
    ]


def test_the_reach_check_follows_imports_into_other_dashboard_modules():
    # figures/gantt.py imports ui/markup.py, which imports dash: reached, not direct.
    gantt = dashboard_modules()["dashboard.figures.gantt"]
    found = reachable_imports(gantt, "dash")
    assert any("dashboard/ui/markup.py" in offence and "reached through" in offence for offence in found)


def test_the_write_check_finds_each_way_of_writing():
    source = (
        "from sqlalchemy import delete, select\n"
        "import sqlalchemy as sa\n"
        "def change(milestone_id):\n"
        "    with session_scope() as db:\n"
        "        db.add(row)\n"
        "        db.scalars(select(Row)).one().title = 'x'\n"
        "        db.execute(text('UPDATE milestone SET title = 1'))\n"
        "        db.execute(sa.update(Row))\n"
        "    with session_scope() as db:\n"
        "        return db.scalars(select(Row)).all()\n"
        "def load(into: Session, rows):\n"
        "    into.add_all(rows)\n"
    )
    found = [offence.split(": ", 1)[1] for offence in writes("x.py", ast.parse(source))]
    assert found[0] == "imports delete from sqlalchemy"
    assert {"db.add(…)", "uses sa.update", "into.add_all(…)"} <= set(found)
    assert any(offence.startswith("sets db.scalars") for offence in found)
    assert any(offence.startswith("runs SQL that writes") for offence in found)
    assert len(found) == 6
    reads = "def read():\n    with session_scope() as db:\n        return db.execute(text('SELECT 1'))\n"
    assert writes("x.py", ast.parse(reads)) == []


def test_the_nested_callback_check_finds_callbacks_declared_in_functions():
    source = (
        "@callback(Output('a', 'children'), roles=EVERYONE)\n"
        "def shown(value):\n"
        "    def helper():\n"
        "        return value\n"
        "    return helper()\n"
        "def register(app):\n"
        "    @authorised(app, Output('b', 'children'), roles=EVERYONE)\n"
        "    def save(clicks):\n"
        "        return clicks\n"
        "    app.clientside_callback('function (x) { return x; }', Output('c', 'children'))\n"
        "    app.callback(Output('d', 'children'))(lambda x: x)\n"
    )
    found = [offence.split(": ", 1)[1] for offence in nested_callbacks("x.py", ast.parse(source))]
    assert found == [
        "callback save is defined inside register()",
        "a callback is declared inside register()",
        "a callback is declared inside register()",
    ]
    machinery = nested_callbacks("x.py", ast.parse(source), machinery=True)
    assert [offence.split(": ", 1)[1] for offence in machinery] == [
        "callback save is defined inside register()"
    ]


def test_the_test_import_check_finds_conftest_and_test_modules():
    source = (
        "from tests.conftest import DEMO_PASSWORDS\n"
        "from tests import conftest\n"
        "from tests.test_action_http import theme_areas\n"
        "from tests.helpers import login\n"
        "def later():\n"
        "    import test_hostile_text\n"
    )
    path = TESTS / "test_example.py"
    found = [
        offence.split(": ", 1)[1]
        for offence in imports_of_test_modules("x.py", "tests.test_example", path, ast.parse(source))
    ]
    assert found == [
        "imports tests.conftest.DEMO_PASSWORDS",
        "imports tests.conftest",
        "imports tests.test_action_http.theme_areas",
        "imports test_hostile_text",
    ]

"""The layering rule of the project: pages, API routes, command-line commands, the report loader and the
import reader only call selectors and services. None of them holds a permission check, a publish rule or a
database query of its own, so every front door enforces the same rules (DESIGN.md; the services check
permission first, the selectors filter what a reader may see).

The scanner reads each front-door module's syntax tree (comments and docstrings do not count) and reports:
- a permission check: a call of `check_can_*`, `check_is_*` or `role_of`, or any use of a `permissions`
  module (its predicates such as `can_manage_sessions` or its role constants);
- a publish rule: a call of `qualifies` or `criteria_met`, or a comparison with `QUALIFYING_MINIMUM`;
- an ORM query: a model manager (`.objects`, `._default_manager`) or a QuerySet method (`.filter`,
  `.select_related`, `.values_list`, …), or a raw cursor.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "buenaspracticas"

# Views, API routes, commands, the loader and the importer (paths relative to SRC).
FRONT_DOORS = (
    "*/views.py",
    "web/views*.py",
    "*/feeds.py",
    "*/api.py",
    "*/api_*.py",
    "api/*.py",
    "cli.py",
    "*/cli.py",
    "*/management/commands/*.py",
    "ingest/loader.py",
    "reports/importer.py",
)

PERMISSION_PREFIXES = ("check_can_", "check_is_")
PERMISSION_CALLS = frozenset({"role_of"})
PUBLISH_CALLS = frozenset({"qualifies", "criteria_met"})
PUBLISH_THRESHOLDS = frozenset({"QUALIFYING_MINIMUM"})
ORM_ATTRIBUTES = frozenset(
    {
        "objects",
        "_default_manager",
        "_base_manager",
        "filter",
        "exclude",
        "select_related",
        "prefetch_related",
        "values_list",
        "annotate",
        "aggregate",
        "order_by",
        "select_for_update",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "in_bulk",
        "raw",
        "cursor",
    }
)

# (module relative to SRC, finding) → why it is not a rule. Every entry must still be found (no stale ones).
ALLOWED = {
    ("api/schemas.py", "permission module: buenaspracticas.curation.permissions"): (
        "imports the workflow's transition table (TRANSITIONS) at import time to document the target "
        "states as an enum of the OpenAPI schema; nothing is checked per request (the services check)"
    ),
}


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _names(node: ast.AST) -> set[str]:
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


def _is_permissions(module: str) -> bool:
    return module.rsplit(".", 1)[-1] == "permissions"


def scan(source: str) -> list[tuple[int, str]]:
    """Return (line, finding) for each permission check, publish rule and ORM query in Python source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _called(node)
            if name.startswith(PERMISSION_PREFIXES) or name in PERMISSION_CALLS:
                found.append((node.lineno, f"permission check: {name}()"))
            elif name in PUBLISH_CALLS:
                found.append((node.lineno, f"publish rule: {name}()"))
        elif isinstance(node, ast.Compare) and _names(node) & PUBLISH_THRESHOLDS:
            found.append((node.lineno, "publish rule: comparison with QUALIFYING_MINIMUM"))
        elif isinstance(node, ast.Attribute):
            if node.attr in ORM_ATTRIBUTES:
                found.append((node.lineno, f"ORM query: .{node.attr}"))
            elif isinstance(node.value, ast.Name) and node.value.id == "permissions":
                found.append((node.lineno, f"permission rule: permissions.{node.attr}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_permissions(alias.name):
                    found.append((node.lineno, f"permission module: {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if _is_permissions(module):
                found.append((node.lineno, f"permission module: {module}"))
            elif any(alias.name == "permissions" for alias in node.names):
                found.append((node.lineno, f"permission module: {module}.permissions"))
    return sorted(found)


def front_door_modules() -> list[Path]:
    return sorted({p for pattern in FRONT_DOORS for p in SRC.glob(pattern)})


# ---------------------------------------------------------------- the scanner itself, on planted examples


def test_scanner_finds_a_permission_check_in_a_view():
    source = (
        "from buenaspracticas.curation import permissions\n"
        "def page(request):\n"
        "    permissions.check_can_edit_state(request.user, 'MX-OAX')\n"
        "    if permissions.role_of(request.user) == permissions.COORDINATOR:\n"
        "        pass\n"
        "    check_is_coordinator(request.user, 'x')\n"
    )
    found = {what for _, what in scan(source)}
    assert "permission module: buenaspracticas.curation.permissions" in found
    assert "permission check: check_can_edit_state()" in found
    assert "permission check: role_of()" in found
    assert "permission rule: permissions.COORDINATOR" in found
    assert "permission check: check_is_coordinator()" in found
    assert (3, "permission check: check_can_edit_state()") in scan(source)


def test_scanner_finds_a_permission_predicate_imported_by_name():
    assert scan("from buenaspracticas.coordination.permissions import can_manage_sessions\n") == [
        (1, "permission module: buenaspracticas.coordination.permissions")
    ]
    assert scan("import buenaspracticas.curation.permissions as p\n") == [
        (1, "permission module: buenaspracticas.curation.permissions")
    ]


def test_scanner_finds_a_publish_rule():
    source = (
        "def page(p):\n"
        "    ok = p['criteria_met'] >= QUALIFYING_MINIMUM\n"
        "    return criteria_met(p) or selectors.qualifies(p)\n"
    )
    assert scan(source) == [
        (2, "publish rule: comparison with QUALIFYING_MINIMUM"),
        (3, "publish rule: criteria_met()"),
        (3, "publish rule: qualifies()"),
    ]


def test_scanner_finds_an_orm_query():
    source = (
        "from buenaspracticas.catalog.models import Practice\n"
        "def serve():\n"
        "    if not Practice.objects.exists():\n"
        "        pass\n"
        "    qs = selectors.practice_queryset().filter(state__code='MX-OAX')\n"
    )
    assert scan(source) == [(3, "ORM query: .objects"), (5, "ORM query: .filter")]


def test_scanner_passes_a_thin_view():
    source = (
        '"""A page: it calls check_can_view through the selector; Practice.objects is not read here."""\n'
        "from buenaspracticas.curation import page_data, selectors\n"
        "def history(request, practice_id):\n"
        "    # no role_of(request.user) here\n"
        "    page = page_data.history_page(user=request.user, practice_id=practice_id)\n"
        "    return render(request, 'curation/history.html', {**page, 'minimum': QUALIFYING_MINIMUM})\n"
    )
    assert scan(source) == []


# ---------------------------------------------------------------- the source tree


def test_the_front_doors_are_found():
    names = {str(p.relative_to(SRC)) for p in front_door_modules()}
    for expected in (
        "curation/views.py",
        "coordination/views.py",
        "evidence/views.py",
        "recommend/views.py",
        "web/views.py",
        "curation/api.py",
        "api/routes.py",
        "cli.py",
        "ingest/loader.py",
        "reports/importer.py",
    ):
        assert expected in names


@pytest.mark.parametrize("path", front_door_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_front_door_holds_no_rule_of_its_own(path: Path):
    relative = str(path.relative_to(SRC))
    found = [
        f"{relative}:{line}: {what}"
        for line, what in scan(path.read_text(encoding="utf-8"))
        if (relative, what) not in ALLOWED
    ]
    assert found == [], "move these into the app's selectors or services:\n" + "\n".join(found)


def test_every_allowance_is_still_needed():
    for (relative, what), reason in ALLOWED.items():
        assert reason
        found = {w for _, w in scan((SRC / relative).read_text(encoding="utf-8"))}
        assert what in found, f"{relative} no longer has «{what}»: remove it from ALLOWED"

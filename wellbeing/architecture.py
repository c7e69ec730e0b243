"""Which of our packages may import which: the house, one way down.

This table is the rule; tests/wellbeing/test_architecture.py reads every module's imports and
fails on any that points upwards against it. Change the rule here, and nowhere else.

A lower app never imports a higher one. Where a lower app's page shows something a higher one
knows (the coach's dashboard shows open recruitment), the higher app registers with a registry in
the lower one from its AppConfig.ready().
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each part of the house, and the parts it may import (besides itself). A module belongs to the
# part whose name is the longest prefix of its own.
ALLOWED: dict[str, frozenset[str]] = {
    # The bottom floor: no imports of ours at all.
    "wellbeing.errors": frozenset(),
    "wellbeing.links": frozenset(),
    "wellbeing.charts": frozenset(),
    "wellbeing.notifications": frozenset(),
    "wellbeing.accounts": frozenset(
        {"wellbeing.notifications", "wellbeing.links", "wellbeing.errors"}
    ),
    # The rest of the project package: settings, navigation, demo and the other registries.
    "wellbeing": frozenset(
        {
            "wellbeing.accounts",
            "wellbeing.notifications",
            "wellbeing.links",
            "wellbeing.charts",
            "wellbeing.errors",
        }
    ),
    "values": frozenset({"wellbeing"}),
    "teams": frozenset({"values", "wellbeing"}),
    "recruitment": frozenset({"teams", "values", "wellbeing"}),
    "outcomes": frozenset({"teams", "wellbeing"}),
    "blog": frozenset({"wellbeing"}),
}
# The composition root may import every app: the URLs, and the home page that routes each user.
COMPOSITION_ROOT = frozenset({"wellbeing.urls", "wellbeing.views"})
APPS = ("wellbeing", "values", "teams", "recruitment", "outcomes", "blog")


def part_of(module: str) -> str | None:
    """The part of the house a dotted module name belongs to, or None if it is not ours."""
    for part in sorted(ALLOWED, key=len, reverse=True):
        if module == part or module.startswith(f"{part}."):
            return part
    return None


def may_import(importer: str, imported: str) -> bool:
    """Whether part `importer` may import part `imported`: itself, what the table allows, and
    everything below a part it allows (allowing "wellbeing" allows all of the project package)."""
    if importer == imported:
        return True
    return any(
        imported == allowed or imported.startswith(f"{allowed}.") for allowed in ALLOWED[importer]
    )


def _in_composition_root(module: str) -> bool:
    return any(module == root or module.startswith(f"{root}.") for root in COMPOSITION_ROOT)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imported_modules(module: str, source: str, *, is_package: bool = False) -> Iterable[str]:
    """Every module `source` imports, relative imports resolved, including those inside
    functions and `if TYPE_CHECKING:` blocks (a lazy import is still a dependency)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from wellbeing import demo` imports the module wellbeing.demo.
            submodules = [f"{target}.{alias.name}" for alias in node.names]
            found = [name for name in submodules if _is_module(name)]
            yield from found or [target]


def upward_imports(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """The imports in `source` (the text of `module`) that break the table."""
    if module in COMPOSITION_ROOT:
        return []
    importer = part_of(module)
    if importer is None:
        return []
    wrong = []
    for imported in imported_modules(module, source, is_package=is_package):
        if _in_composition_root(imported):
            # It imports every app: whatever imports it depends on the whole house.
            wrong.append(f"{module} imports {imported} (only the composition root may)")
            continue
        part = part_of(imported)
        if part is not None and not may_import(importer, part):
            wrong.append(f"{module} imports {imported} ({importer} may not import {part})")
    return wrong


def house_violations() -> list[str]:
    """Every upward import in our apps' modules (tests and tools are not part of the house)."""
    wrong = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            wrong += upward_imports(
                module_name(path), path.read_text(), is_package=path.name == "__init__.py"
            )
    return wrong

"""The folders show the pipeline, and no step reaches forward into a later one.

toolkit/ is layered in the order a register travels: core tools, declarations, the
register, validation (with the pandera schemas in validators/), the reports, the Word
and HTML layouts, the build, editions, then the two front ends (web, cli). A module may
import from its own layer and the layers before it, never after: that is what keeps a
new rule kind, column kind or layout element in one place. Every import counts, also
the ones inside a function or under TYPE_CHECKING, and no two modules import each other
in a circle.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "core",
    "declarations",
    "register",
    "validation",
    "report",
    "layouts",
    "build",
    "editions",
    "web",
    "cli",
]
#: the top-level validators/ folder is imported as toolkit.validators (validation layer)
FOLDERS = {"toolkit": ROOT / "toolkit", "toolkit.validators": ROOT / "validators"}


def _modules() -> dict[str, Path]:
    found = {}
    for prefix, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([prefix, *parts])] = path
    return found


MODULES = _modules()


def layer(module: str) -> int | None:
    """The layer of a toolkit module; None for the package root (its version only)."""
    parts = module.split(".")
    if module == "toolkit.validators" or module.startswith("toolkit.validators."):
        return LAYERS.index("validation")
    if len(parts) < 2 or parts[1] in ("__main__",):
        return None
    name = "cli" if parts[1] in ("cli", "clitext") else parts[1]
    return LAYERS.index(name) if name in LAYERS else -1


def imports(module: str) -> set[str]:
    """Every toolkit module that module imports anywhere in its file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (
                importlib.util.resolve_name("." * node.level + (node.module or ""), package)
                if node.level
                else node.module or ""
            )
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


def test_every_module_has_a_layer() -> None:
    assert not [m for m in MODULES if layer(m) == -1]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_later_layer(module: str) -> None:
    own = layer(module)
    if own is None:
        return
    later = sorted(name for name in imports(module) if (layer(name) or 0) > own)
    assert not later, f"{module} ({LAYERS[own]}) importeert een latere laag: {later}"


def test_no_import_cycles() -> None:
    graph = {module: imports(module) for module in MODULES}
    # a package's __init__ that only documents the folder imports nothing; a module that
    # imports its own package (toolkit.x -> toolkit) is not a cycle worth naming
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt == "toolkit":
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)

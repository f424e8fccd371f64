"""House rules on imports, read from the source with ``ast`` (and one real import in a subprocess).

The layers, each importing only those before it:

    engine ``nnviz/`` <- figures ``nnviz/figures/`` <- app models ``nnviz/app/``
    <- ``nnviz/ui/`` <- ``pages/`` <- ``app.py``

Only ``nnviz/ui/`` (and the pages and ``app.py`` above it) import streamlit; the
engine imports none of plotly, graphviz, streamlit or pandas, so ``import nnviz``
stays light in a notebook. The nnviz package has no import cycle.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import nnviz

PACKAGE = Path(nnviz.__file__).resolve().parent
ROOT = PACKAGE.parent
LAYERS = ("engine", "figures", "app", "ui", "pages", "app.py")
HEAVY = ("plotly", "graphviz", "streamlit", "pandas")
#: Third-party packages a layer may not import (nor any layer below it).
FORBIDDEN = {"engine": set(HEAVY), "figures": {"streamlit", "pandas"}, "app": {"streamlit", "pandas"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _project_files() -> dict[str, Path]:
    files = [*sorted(PACKAGE.rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    return {_module_name(p): p for p in files}


FILES = _project_files()


def layer_of(module: str) -> str:
    """The layer of a project module name ("nnviz.figures.graph" -> "figures", "app" -> "app.py")."""
    parts = module.split(".")
    if parts[0] == "pages":
        return "pages"
    if parts == ["app"]:
        return "app.py"
    return parts[1] if len(parts) > 1 and parts[1] in ("figures", "app", "ui") else "engine"


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at any depth (lazy imports in functions count too).

    ``from a.b import c`` names ``a.b.c`` when that is a project module, else ``a.b``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = _module_name(path).split(".")
                package = here if path.name == "__init__.py" else here[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in FILES]
            found += subs if len(subs) == len(node.names) else [base, *subs]
    return found


def _project_imports(path: Path) -> list[str]:
    return [m for m in _imports(path) if m in FILES]


def test_the_layers_are_recognised() -> None:
    seen = {layer_of(m) for m in FILES}
    assert seen == set(LAYERS)
    assert layer_of("nnviz.kernel") == "engine" and layer_of("nnviz.app.scenes") == "app"
    assert layer_of("nnviz") == "engine" and layer_of("pages.why") == "pages"
    assert "nnviz.app.scenes" in _project_imports(FILES["nnviz.ui.scenes_panel"])  # the parser sees imports


def test_each_layer_imports_only_the_layers_below_it() -> None:
    rank = {name: k for k, name in enumerate(LAYERS)}
    offenders = [
        f"{module} ({layer_of(module)}) imports {imported} ({layer_of(imported)})"
        for module, path in FILES.items()
        for imported in _project_imports(path)
        if rank[layer_of(imported)] > rank[layer_of(module)]
    ]
    assert offenders == []


def test_no_layer_imports_a_library_of_a_layer_above_it() -> None:
    offenders = [
        f"{module} ({layer_of(module)}) imports {imported}"
        for module, path in FILES.items()
        for imported in _imports(path)
        if imported.split(".")[0] in FORBIDDEN.get(layer_of(module), set())
    ]
    assert offenders == []


def _cycle(graph: dict[str, list[str]]) -> list[str]:
    """One import cycle of ``graph`` as a list of modules (first repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for node in graph:
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_nnviz_package_has_no_import_cycle() -> None:
    graph = {m: sorted(set(_project_imports(p)) - {m}) for m, p in FILES.items() if m.startswith("nnviz")}
    # A package's own __init__ is not an edge of its submodules ("from nnviz import presets" names nnviz.presets).
    assert _cycle(graph) == []
    assert _cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]  # the finder finds one


#: Engine modules that need a benchmark-only package (requirements-bench.txt), which `make test` does not install.
BENCH_ONLY = {"nnviz.bench_torch": "torch"}


def _installed(module: str) -> bool:
    """False for a benchmark-only module whose package is not installed here (it is checked where it is)."""
    need = BENCH_ONLY.get(module)
    return need is None or importlib.util.find_spec(need) is not None


@pytest.mark.parametrize(
    ("modules", "absent"),
    [
        (["nnviz"], HEAVY),
        ([m for m in FILES if layer_of(m) == "engine" and not m.endswith("__main__") and _installed(m)], HEAVY),
        ([m for m in FILES if layer_of(m) in ("figures", "app")], ("streamlit", "pandas")),
    ],
    ids=["import nnviz", "every engine module", "every figures and app module"],
)
def test_importing_loads_none_of_the_heavy_libraries(modules: list[str], absent: tuple[str, ...]) -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print([m for m in {list(absent)!r} if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", modules

"""House rules on size, read with ``ast``: functions of at most 80 lines, modules of at most 400,
and a docstring saying what each module is for (in ``nnviz/``, ``pages/`` and ``app.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

import nnviz

ROOT = Path(nnviz.__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 400


def _sources() -> list[Path]:
    return [*sorted((ROOT / "nnviz").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]


def long_functions(path: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``"file:function (n lines)"`` for each function or method of ``path`` longer than ``limit`` lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > limit
    ]


def test_the_scan_sees_every_source_and_counts_lines() -> None:
    names = {str(p.relative_to(ROOT)) for p in _sources()}
    assert {"app.py", "pages/why.py", "nnviz/engine.py", "nnviz/figures/graph.py", "nnviz/ui/state.py"} <= names
    assert long_functions(ROOT / "nnviz" / "engine.py", limit=5)  # a scan that can find something


def test_no_function_is_longer_than_80_lines() -> None:
    assert [f for p in _sources() for f in long_functions(p)] == []


def test_no_module_is_longer_than_400_lines() -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in _sources()}
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_every_module_says_what_it_is_for() -> None:
    missing = [
        str(p.relative_to(ROOT))
        for p in _sources()
        if p.read_text(encoding="utf-8").strip() and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert missing == []

"""House rule: nothing in nnviz outside nnviz/ui/ imports streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nnviz

PACKAGE = Path(nnviz.__file__).resolve().parent


def _non_ui_modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "ui" not in p.relative_to(PACKAGE).parts[:-1]]


def _streamlit_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "streamlit"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "streamlit":
                found.append(node.module)
        elif isinstance(node, ast.Call):
            func = getattr(node.func, "attr", getattr(node.func, "id", ""))
            dynamic = [a for a in node.args if isinstance(a, ast.Constant) and str(a.value).startswith("streamlit")]
            if func in ("import_module", "__import__") and dynamic:
                found.append("dynamic import of streamlit")
    return found


def test_no_module_outside_ui_imports_streamlit_statically():
    modules = _non_ui_modules()
    assert PACKAGE / "engine.py" in modules and PACKAGE / "network.py" in modules
    offenders = {str(p.relative_to(PACKAGE)): imp for p in modules if (imp := _streamlit_imports(p))}
    assert offenders == {}


def test_importing_every_non_ui_module_does_not_load_streamlit():
    names = []
    for p in _non_ui_modules():
        rel = p.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print('streamlit' in sys.modules, any(m.startswith('streamlit') for m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"], names

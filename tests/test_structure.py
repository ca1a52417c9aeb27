"""The package's structure: imports point one way (no cycle), and no module grows past 800 lines.

The import graph is read statically from every ``framing`` module, function-local
imports included, so an import moved into a function to dodge a cycle still counts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "framing"
MAX_LINES = 800
PROJECT_ROOT = PACKAGE.parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, known: set[str]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """``module -> modules of framing it imports`` (anywhere in the file)."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                found = _resolve(target, known) if target.startswith("framing") else None
                # a module may import its own package (its face); that is not a cycle
                if found and found != module and not module.startswith(found + "."):
                    graph[module].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_relative_and_function_local_imports():
    graph = import_graph()
    assert "framing.text" in graph["framing.features.base"]
    assert "framing.tracking.runs" not in graph["framing.tracking"]  # handed on lazily, by name
    assert "framing.models" in graph["framing.tasks.si"]


def test_no_import_cycle_among_framing_modules():
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_is_over_800_lines(module):
    lines = len(_modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: a module that long has more than one job"


#: The layers of README.md's "Layout", bottom first: a module imports only from its own layer or below.
LAYERS = [
    "framing.errors", "framing.compat", "framing.resources", "framing.config", "framing.tables", "framing.data",
    "framing.text", "framing.language", "framing.encoders", "framing.lexicons", "framing.features", "framing.evaluate", "framing.models", "framing.tasks",
    "framing.significance", "framing.crf", "framing.report", "framing.tracking", "framing.run_artifacts",
    "framing.sweep", "framing.experiment", "framing.papers", "framing.reproduce", "framing.analyze", "framing.analyze_cli", "framing.cli",
]
#: Stubs of moved modules (they forward to the new place for one release).
STUBS = {"framing.highlight", "framing.features.lexicon", "framing.features.external", "framing.features.inflection"}


def _layer(module: str) -> int | None:
    found = [i for i, name in enumerate(LAYERS) if module == name or module.startswith(name + ".")]
    return found[-1] if found else None


def test_every_module_has_a_layer_and_imports_point_down():
    graph = import_graph()
    unplaced = sorted(m for m in graph if _layer(m) is None and m not in STUBS | {"framing"})
    assert not unplaced, f"modules without a layer in LAYERS (and README's Layout): {unplaced}"
    upward = [f"{m} -> {d}" for m, deps in graph.items() if m not in STUBS for d in deps
              if _layer(d) is not None and _layer(m) is not None and _layer(d) > _layer(m)]
    assert not upward, f"imports that point up the layers: {upward}"


def test_only_the_tracking_package_imports_mlflow():
    outside = []
    for module, path in _modules().items():
        if module.startswith("framing.tracking"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            outside += [f"{module}: {n}" for n in names if n == "mlflow" or n.startswith("mlflow.")]
    assert not outside, outside


def test_readme_sections_that_pyproject_points_to_exist():
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    headings = {line.lstrip("#").strip() for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
                .splitlines() if line.startswith("#")}
    pointers = re.findall(r'README(?:\.md)?, (?:section )?"([^"\n]+)"', pyproject)  # (see README, "X")
    assert pointers, "pyproject.toml names no README section any more: drop this test"
    assert not [p for p in pointers if p not in headings], headings


def test_no_tracked_file_is_gitignored():
    import shutil
    import subprocess

    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout (or no git): nothing to compare .gitignore with")
    done = subprocess.run(["git", "-C", str(PROJECT_ROOT), "ls-files", "--cached", "--ignored", "--exclude-standard"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], "tracked files that .gitignore lists (remove them from .gitignore)"

"""No import cycles in tracker/, between modules or between packages: every import that runs
counts, those inside functions too (imports under `if TYPE_CHECKING:` never run, so they do
not)."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"

def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _run_time_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of `tree` except those under `if TYPE_CHECKING:`, which never run."""
    nodes: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            test = child.test if isinstance(child, ast.If) else None
            if test is not None and "TYPE_CHECKING" in ast.unparse(test):
                stack.extend(child.orelse)
                continue
            stack.append(child)
    return nodes


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The tracker modules `name` imports anywhere in its body (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _run_time_nodes(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in modules else base)
    return {t for t in targets if t in modules and t != name}


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    # Parsed once for the tests of this module; none of them changes it.
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]
    real = import_graph()
    assert "tracker.ingest.analyze" in real["tracker.ingest.pipeline"]
    assert "tracker.extract.securities" in real["tracker.ingest.analyze"]
    # Lazy: imported inside a function.
    assert "tracker.sentiment.registry" in real["tracker.config"]
    # Typing only: never imported at run time.
    assert "tracker.sentiment.base" not in real["tracker.sentiment.registry"]


def test_no_import_cycles() -> None:
    cycles = _cycles(import_graph())
    assert cycles == [], "import cycle(s): " + "; ".join(" <-> ".join(sorted(c)) for c in cycles)


def _package(module: str) -> str:
    """tracker.X for tracker.X and everything under it; `tracker` itself (the public API)."""
    return ".".join(module.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph folded onto packages: tracker.X.* -> tracker.Y.* edges, X != Y."""
    folded: dict[str, set[str]] = {}
    for module, targets in graph.items():
        package = _package(module)
        folded.setdefault(package, set()).update(
            _package(t) for t in targets if _package(t) != package)
    return folded


def _edges(graph: dict[str, set[str]], cycle: frozenset[str]) -> list[str]:
    return sorted(f"{m} -> {t}" for m, targets in graph.items() for t in targets
                  if _package(m) in cycle and _package(t) in cycle
                  and _package(m) != _package(t))


def test_the_package_graph_folds_modules_onto_their_packages() -> None:
    graph = {"tracker.a.x": {"tracker.b.y"}, "tracker.b.y": {"tracker.a.z"},
             "tracker.a.z": set(), "tracker.c": {"tracker.a.x"}}
    assert package_graph(graph) == {"tracker.a": {"tracker.b"}, "tracker.b": {"tracker.a"},
                                    "tracker.c": {"tracker.a"}}
    assert _cycles(package_graph(graph)) == [frozenset({"tracker.a", "tracker.b"})]


def test_no_package_cycles() -> None:
    # The stages stack: config assembles every stage's settings and checks them against
    # the stages' own vocabularies, so the stages below it (extract, sources, sentiment,
    # store, reports) import it for types only; ingest and the CLI sit above it.
    graph = import_graph()
    cycles = _cycles(package_graph(graph))
    assert cycles == [], "package cycle(s): " + "; ".join(
        " <-> ".join(sorted(c)) + " (" + ", ".join(_edges(graph, c)) + ")" for c in cycles)


# Layers by the data's path: a stage never imports one that runs after it on a post's way.
FORBIDDEN = {
    "tracker.store": ("tracker.ingest", "tracker.cli"),
    "tracker.ingest": ("tracker.cli",),
    "tracker.reports": ("tracker.cli",),
}


def test_lower_layers_do_not_import_later_stages() -> None:
    graph = import_graph()
    wrong = sorted(f"{module} -> {target}" for module, targets in graph.items()
                   for layer, banned in FORBIDDEN.items()
                   if module == layer or module.startswith(layer + ".")
                   for target in targets if target.startswith(banned))
    assert wrong == []


def test_at_most_twelve_entries_at_the_top_of_the_package() -> None:
    # A newcomer reads the stages off tracker/ in one look; a new module belongs in the
    # stage whose data it handles, not beside them.
    entries = sorted(p.name for p in PACKAGE.iterdir()
                     if p.name != "__pycache__" and (p.suffix == ".py" or p.is_dir()))
    assert len(entries) <= 12, entries

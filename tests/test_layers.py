"""Imports point one way only (ARCHITECTURE.md): _core < _driver < _bridge < _api < leaves,
and the sans-IO core imports no asyncio, time, threading, subprocess or socket."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "src" / "webext_runtime"
LAYERS = ["_core", "_driver", "_bridge", "_api"]
LEAVES = {"pytest_plugin", "_cli", "__main__", "testing", "compare", "native"}
FORBIDDEN_IN_CORE = {"asyncio", "time", "threading", "subprocess", "socket", "os", "selectors"}


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "webext_runtime" or len(parts) < 2:
        return None
    return parts[1]


def _imports(path: Path) -> list[str]:
    rel = path.relative_to(PKG.parent).with_suffix("")
    pkg_parts = list(rel.parts[:-1])
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg_parts[: len(pkg_parts) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append(mod)
            out += [f"{mod}.{a.name}" for a in node.names]
    return out


def _files() -> list[Path]:
    return sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(PKG)))
def test_imports_point_down(path: Path) -> None:
    own = path.relative_to(PKG).parts[0].removesuffix(".py")
    if own not in LAYERS:
        return
    rank = LAYERS.index(own)
    for mod in _imports(path):
        layer = _layer_of(mod)
        if layer is None or layer not in LAYERS + list(LEAVES):
            continue
        assert layer not in LEAVES, f"{path.name} imports leaf module {mod}"
        assert LAYERS.index(layer) <= rank, f"{path.name} ({own}) imports upward: {mod}"


@pytest.mark.parametrize(
    "path", [p for p in _files() if p.relative_to(PKG).parts[0] == "_core"], ids=lambda p: p.name
)
def test_core_is_sans_io(path: Path) -> None:
    for mod in _imports(path):
        top = mod.split(".")[0]
        assert top not in FORBIDDEN_IN_CORE, f"_core/{path.name} imports {mod}"

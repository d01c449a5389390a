"""Imports point down only: the layers of design.md, checked on every module.

From bottom to top::

    common, wordlists       leaf: import nothing of ours (wordlists: data + tiny loaders)
    detectors               rules: pages and snapshots in, findings out
    storage                 models, sessions, lifecycle
    crawler, reports        crawler feeds detectors + storage; reports read storage
    govwatch, sample_portal the app: cli, config, scan runner, demo, the sample portal

Every import of every module is read with :mod:`ast` (module level, inside functions,
under ``if TYPE_CHECKING``, ``import x.y``, ``from x import y``, relative imports, and
``importlib.import_module("literal")``), plus the ``cimport``/``import`` lines of Cython
sources. A failure lists each offending ``module:line -> imported module``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_BELOW_APP = frozenset({"common", "wordlists", "detectors", "storage", "crawler", "reports"})

# For each package: the project packages it may import (besides itself). Anything of
# ours that is not listed is a forbidden arrow.
ALLOWED: dict[str, frozenset[str]] = {
    "common": frozenset(),
    "wordlists": frozenset(),
    "detectors": frozenset({"common", "wordlists"}),
    "storage": frozenset({"common", "wordlists", "detectors"}),
    "crawler": frozenset({"common", "wordlists", "detectors", "storage"}),
    "reports": frozenset({"common", "wordlists", "detectors", "storage"}),
    "govwatch": _BELOW_APP | {"sample_portal"},
    "sample_portal": _BELOW_APP | {"govwatch"},
}
# Top-level directories of the repository that are ours but belong to no layer: no
# layered package may import them.
NOT_LAYERED = frozenset({"tests", "bench", "examples"})
PROJECT = frozenset(ALLOWED) | NOT_LAYERED


@dataclass(frozen=True)
class Import:
    line: int
    module: str  # absolute dotted name of what is imported


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} -> {self.imported}"


def _is_package_dir(path: Path) -> bool:
    return (path / "__init__.py").is_file()


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    """``from <level dots><name> import …`` inside ``module``, as an absolute name."""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]  # a plain module's package
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, name] if name else parts)


def _submodule(base: str, name: str, root: Path) -> str:
    """``base.name`` when ``from base import name`` imports a module of ours, else ``base``."""
    path = root.joinpath(*base.split("."), name)
    if path.with_suffix(".py").is_file() or _is_package_dir(path):
        return f"{base}.{name}"
    return base


def imports_of(
    source: str, module: str, *, is_package: bool = False, root: Path = ROOT
) -> list[Import]:
    """Every module that ``source`` (the text of ``module``) imports, wherever it does."""
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(Import(node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(module, is_package, node.level, node.module)
            else:
                base = node.module or ""
            for alias in node.names:
                name = base if alias.name == "*" else _submodule(base, alias.name, root)
                found.append(Import(node.lineno, name))
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in ("import_module", "__import__")
                )
            )
        ):
            found.append(Import(node.lineno, node.args[0].value))
    return sorted(set(found), key=lambda i: (i.line, i.module))


_CYTHON_IMPORT_RE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+c?import\b|c?import\s+([\w.]+))")


def cython_imports_of(source: str) -> list[Import]:
    """``import``/``cimport`` lines of a ``.pyx`` file (which :mod:`ast` cannot parse)."""
    found = []
    for number, text in enumerate(source.splitlines(), 1):
        match = _CYTHON_IMPORT_RE.match(text)
        if match:
            found.append(Import(number, match.group(1) or match.group(2)))
    return found


def violations(module: str, imports: list[Import]) -> list[Violation]:
    """The imports of ``module`` that break the layer rules."""
    package = module.split(".", 1)[0]
    allowed = ALLOWED[package] | {package}
    return [
        Violation(module, imp.line, imp.module)
        for imp in imports
        if (top := imp.module.split(".", 1)[0]) in PROJECT and top not in allowed
    ]


def source_files(package: str, root: Path = ROOT) -> Iterator[Path]:
    for path in sorted((root / package).rglob("*")):
        if path.suffix in (".py", ".pyx") and "__pycache__" not in path.parts:
            yield path


def package_violations(package: str, root: Path = ROOT) -> list[Violation]:
    found: list[Violation] = []
    for path in source_files(package, root):
        module = module_name(path, root)
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".pyx":
            imports = cython_imports_of(source)
        else:
            imports = imports_of(source, module, is_package=path.name == "__init__.py", root=root)
        found.extend(violations(module, imports))
    return found


# -- the walker finds what it must ---------------------------------------------------------

SYNTHETIC = '''
"""A detector that reaches up, in every way an import can be written."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import storage.db
from common.urls import url_key
from . import base
from .terms import lexicon
from crawler import items

if TYPE_CHECKING:
    from reports.weekly import Weekly


def check(page):
    from govwatch.config import parse_config
    import importlib
    return importlib.import_module("sample_portal.traps")
'''


def _tree(root: Path, *files: str) -> Path:
    """A fake repository with these (empty) modules."""
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    return root


def test_the_walker_finds_every_kind_of_forbidden_import(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        "detectors/__init__.py",
        "detectors/base.py",
        "detectors/terms/__init__.py",
        "detectors/terms/lexicon.py",
        "crawler/__init__.py",
        "crawler/items.py",
    )
    imports = imports_of(SYNTHETIC, "detectors.fake", root=root)
    assert [str(v) for v in violations("detectors.fake", imports)] == [
        "detectors.fake:8 -> storage.db",
        "detectors.fake:12 -> crawler.items",
        "detectors.fake:15 -> reports.weekly",
        "detectors.fake:19 -> govwatch.config",
        "detectors.fake:21 -> sample_portal.traps",
    ]
    # Relative imports resolve inside the package (to the submodule when it is one).
    assert Import(10, "detectors.base") in imports
    assert Import(11, "detectors.terms.lexicon") in imports
    assert Import(9, "common.urls") in imports  # an attribute, not a module: the module


def test_relative_imports_resolve_from_a_package_and_from_a_module(tmp_path: Path) -> None:
    source = "from .. import urls\nfrom ..spiders import portal\nfrom . import x\n"
    assert imports_of(source, "crawler.new_media", is_package=True, root=tmp_path) == [
        Import(1, "crawler"),
        Import(2, "crawler.spiders"),
        Import(3, "crawler.new_media"),
    ]
    assert imports_of("from .. import items\n", "crawler.spiders.portal", root=tmp_path) == [
        Import(1, "crawler")
    ]
    assert imports_of("from .weekly import W\n", "reports.notices", root=tmp_path) == [
        Import(1, "reports.weekly")
    ]


def test_leaf_packages_may_import_nothing_of_ours_and_tests_belong_to_no_layer() -> None:
    assert [str(v) for v in violations("common.urls", [Import(3, "wordlists")])] == [
        "common.urls:3 -> wordlists"
    ]
    assert [str(v) for v in violations("govwatch.cli", [Import(4, "tests.local_site")])] == [
        "govwatch.cli:4 -> tests.local_site"
    ]
    assert violations("common.urls", [Import(1, "urllib.parse"), Import(2, "lxml")]) == []


def test_cython_sources_are_read_line_by_line(tmp_path: Path) -> None:
    source = "from libc.stdlib cimport free\ncimport cython\nfrom crawler.items import PageItem\n"
    assert cython_imports_of(source) == [
        Import(1, "libc.stdlib"),
        Import(2, "cython"),
        Import(3, "crawler.items"),
    ]
    (tmp_path / "detectors").mkdir()
    (tmp_path / "detectors" / "__init__.py").write_text("")
    (tmp_path / "detectors" / "_fast.pyx").write_text(source)
    assert [str(v) for v in package_violations("detectors", tmp_path)] == [
        "detectors._fast:3 -> crawler.items"
    ]


# -- the repository ------------------------------------------------------------------------


def test_every_top_level_package_has_a_layer() -> None:
    packages = {
        path.name
        for path in ROOT.iterdir()
        if _is_package_dir(path) and not path.name.startswith(".")
    }
    assert packages - PROJECT == set(), "add the new package to ALLOWED with its layer"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_down_only(package: str) -> None:
    if not (ROOT / package).is_dir():
        pytest.skip(f"no top-level {package}/ in this checkout")
    assert any(source_files(package)), f"no modules found under {package}/"
    found = package_violations(package)
    allowed = ", ".join(sorted(ALLOWED[package])) or "nothing of ours"
    assert not found, f"{package} may import only {allowed}; found:\n" + "\n".join(map(str, found))

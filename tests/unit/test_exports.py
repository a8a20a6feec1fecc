"""The lazily exported names of the package and of ``models/`` are listed three times, each for
its reader: the ``TYPE_CHECKING`` imports (type checkers), ``_LAZY`` (the module ``__getattr__``
imports a name's module on first use) and ``__all__`` (a literal list: mypy reads no other form).
These tests keep the three in step, and each name in the ``__all__`` of the module it comes from."""

from __future__ import annotations

import ast
import importlib
import inspect
from types import ModuleType

import pytest

import pysophoscentralapi
import pysophoscentralapi.models


def _type_checking_imports(package: ModuleType) -> dict[str, str]:
    tree = ast.parse(inspect.getsource(package))
    imports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                assert statement.module is not None
                for alias in statement.names:
                    imports[alias.name] = statement.module
    return imports


@pytest.mark.parametrize("package", [pysophoscentralapi, pysophoscentralapi.models])
def test_the_type_checking_imports_are_the_lazy_table(package: ModuleType) -> None:
    assert _type_checking_imports(package) == package._LAZY


@pytest.mark.parametrize("package", [pysophoscentralapi, pysophoscentralapi.models])
def test_every_lazy_name_is_exported_and_comes_from_its_module(package: ModuleType) -> None:
    assert set(package._LAZY) <= set(package.__all__)
    for name, module_name in package._LAZY.items():
        module = importlib.import_module(module_name)
        assert getattr(package, name) is getattr(module, name)
        if hasattr(module, "__all__"):
            assert name in module.__all__, f"{module_name}.__all__ lacks {name}"


def test_the_models_package_exports_exactly_its_lazy_names() -> None:
    assert pysophoscentralapi.models.__all__ == sorted(pysophoscentralapi.models._LAZY)


def test_every_name_of_the_package_resolves() -> None:
    for name in pysophoscentralapi.__all__:
        assert getattr(pysophoscentralapi, name) is not None

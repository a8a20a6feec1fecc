"""The examples in the package's docstrings run and print what they show.

The public surface documents itself with ``>>>`` examples; this keeps them true as the code
changes (the generated ``_sync`` twin repeats the ``_async`` examples and is left out).
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil

import pytest

import pysophoscentralapi


def _modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(pysophoscentralapi.__path__, "pysophoscentralapi."):
        if "._sync" in info.name or info.name.endswith(".pytest_plugin"):
            continue
        spec = importlib.util.find_spec(info.name)
        origin = spec.origin if spec else None
        if origin and origin.endswith(".py"):
            with open(origin, encoding="utf-8") as source:
                if ">>> " in source.read():
                    names.append(info.name)
    return names


MODULES = _modules_with_examples()


def test_the_package_has_examples() -> None:
    assert len(MODULES) > 20


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.usefixtures("isolated_env")  # no real config, cache or OS keyring touched
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"

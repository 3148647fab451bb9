"""The package list of pyproject.toml names every package under tb/: a package
left out works in the editable install (`make setup`) and is missing from any
other install."""
from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_under_tb_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    tb = REPO / "tb"
    found = {".".join(("hypsim",) + p.parent.relative_to(tb).parts) for p in tb.rglob("__init__.py")}
    assert found == listed, (f"pyproject.toml [tool.setuptools] packages: missing {sorted(found - listed)}, "
                             f"not a package under tb/ {sorted(listed - found)}")

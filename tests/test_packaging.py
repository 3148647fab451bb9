"""hypsim as an installed package: the package list of pyproject.toml names every
package under tb/ (a package left out works in the editable install of `make setup`
and is missing from any other install), and a non-editable install imports every
package and finds the source tree it simulates (hypsim.simulator.find_repo)."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _packages() -> list[str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]


def test_every_package_under_tb_is_listed_in_pyproject() -> None:
    listed = set(_packages())
    tb = REPO / "tb"
    found = {".".join(("hypsim",) + p.parent.relative_to(tb).parts) for p in tb.rglob("__init__.py")}
    assert found == listed, (f"pyproject.toml [tool.setuptools] packages: missing {sorted(found - listed)}, "
                             f"not a package under tb/ {sorted(listed - found)}")


def test_non_editable_install_imports_every_package_and_finds_the_source_tree(tmp_path: Path) -> None:
    site = tmp_path / "site"
    res = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                          "--disable-pip-version-check", "--target", str(site), str(REPO)],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, f"pip install --target (non-editable) failed:\n{res.stdout}\n{res.stderr}"
    env = {k: v for k, v in os.environ.items() if k != "HYPSIM_REPO"}
    env["PYTHONPATH"] = str(site)
    probe = ("import importlib, hypsim, hypsim.simulator as s\n"
             f"for p in {_packages()!r}: importlib.import_module(p)\n"
             "print(hypsim.__file__); print(s.REPO)")

    def where(cwd: Path, **extra: str) -> list[str]:
        out = subprocess.run([sys.executable, "-c", probe], cwd=cwd, env={**env, **extra},
                             capture_output=True, text=True, check=False)
        assert out.returncode == 0, f"importing the installed packages failed:\n{out.stderr}"
        return out.stdout.split()

    installed, repo = where(REPO / "firmware")          # inside the checkout: that is the source tree
    assert Path(installed).is_relative_to(site), f"imported {installed}, not the non-editable install"
    assert Path(repo) == REPO
    assert Path(where(tmp_path, HYPSIM_REPO=str(REPO))[1]) == REPO
    # outside any checkout, hypsim says what to do
    run = subprocess.run([sys.executable, "-m", "hypsim.cli", "run", "prog.elf"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "not a hypsim source tree" in run.stderr and "HYPSIM_REPO" in run.stderr, (
        f"exit {run.returncode}: {run.stderr}")

"""Headless chromium (Debian's `chromium`): the report's screenshot, and the
rendered DOM for tests/test_report.py. A fresh profile directory per call lets
parallel calls (pytest -n 2) run side by side."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 90
WINDOW = "1280,2000"


def find() -> str | None:
    """The chromium executable, or None (HYPSIM_CHROMIUM overrides the name)."""
    return shutil.which(os.environ.get("HYPSIM_CHROMIUM", "chromium"))


def _run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = find()
    if exe is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="hypsim-chromium-") as profile:
        return subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-extensions", f"--user-data-dir={profile}", *args,
                               page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


def dump_dom(page: Path) -> str:
    """The DOM chromium renders for a page (its serialised <html>)."""
    r = _run(page, "--dump-dom")
    if r.returncode != 0 or "<html" not in r.stdout:
        raise RuntimeError(f"chromium --dump-dom {page} failed (exit {r.returncode}): {r.stderr[-500:]}")
    return r.stdout


def screenshot(page: Path, png: Path) -> None:
    """A PNG of the page's first WINDOW pixels, written to png whole (temp, then rename)."""
    png.parent.mkdir(parents=True, exist_ok=True)
    tmp = png.with_name(f".{png.name}.tmp.png")
    tmp.unlink(missing_ok=True)
    r = _run(page, f"--screenshot={tmp.resolve()}", f"--window-size={WINDOW}", "--hide-scrollbars")
    if r.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"chromium --screenshot of {page} failed (exit {r.returncode}): {r.stderr[-500:]}")
    os.replace(tmp, png)

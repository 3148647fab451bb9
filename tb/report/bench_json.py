"""`make bench`'s figures (build/reports/bench.json), whatever keys it has: the
page renders the JSON generically, so figures added to hypsim.bench appear
without a change here."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import HypsimError


def load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise HypsimError(f"report: {path} is not valid JSON ({e}); rerun `make bench`") from None
    except OSError as e:
        raise HypsimError(f"report: cannot read {path}: {e.strerror}") from None
    if not isinstance(data, dict):
        raise HypsimError(f"report: {path}: expected a JSON object of figures, got {type(data).__name__}")
    return data

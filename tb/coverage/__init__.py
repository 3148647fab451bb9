"""Functional coverage in one database (issue 11).

- xmldb: cocotb-coverage XML databases as plain data (read, write atomically)
- merge: `read_bins(paths)` and `merge(paths, out_xml)`: hits summed per
  (cover item, bin label) into build/coverage/merged.xml and merged.json;
  `python -m hypsim.coverage merge [-o OUT.xml] [FILES...]`
- record: one database per test from the pytest process, with fresh
  cocotb-coverage items (coverage_db is process-global; see record.py)
- core: the core-level covergroups (Hyp traps, the random A32 mix, the MMU
  programs' aborts) and their bin definitions
"""
from . import merge                      # the module: hypsim.coverage.merge.read_bins(...)
from .merge import read_bins
from .record import Cross, Point, record

__all__ = ["merge", "read_bins", "record", "Point", "Cross"]

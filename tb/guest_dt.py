"""The guest's device tree: ``firmware/dts/guest-virt.dts`` compiled to a DTB.

The DTS describes the machine a hypsim guest sees (``ARCHITECTURE.md``,
"Guest contract"): QEMU's 32-bit virt board without virtualization, with RAM
at 0x4000_0000, a GICv2 (distributor and CPU interface only), the architected
timer, a PL011 and PSCI 0.2 over HVC. It is parameterised with C-preprocessor
macros (``GUEST_MEM``, ``NCPUS``, ``BOOTARGS``) and built the way Linux builds
its DTBs::

    cpp -nostdinc -undef -x assembler-with-cpp -P -DGUEST_MEM=... -DNCPUS=...
        -DBOOTARGS="..." guest-virt.dts -o <out>.pre.dts
    dtc -I dts -O dtb -o <out> <out>.pre.dts

Note: QEMU given this DTB with ``-dtb`` rewrites ``/memory`` (to its ``-m``
size) and replaces ``/psci`` with its own node (compatible "arm,psci-1.0",
same function ids and method); ``hypsim.qemu_native`` runs guests that way.
Nothing here imports cocotb.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import EXIT_TOOL_FAILED, HypsimError
from .simulator import REPO

#: the DTS in the repository
DTS = REPO / "firmware" / "dts" / "guest-virt.dts"

MIB = 1 << 20
MIN_MEM = 4 * MIB
MAX_MEM = 256 * MIB
MAX_CPUS = 8


def _check_inputs(mem_bytes: int, ncpus: int, bootargs: str) -> None:
    if isinstance(mem_bytes, bool) or not isinstance(mem_bytes, int):
        raise HypsimError(f"guest memory size must be an integer number of bytes, not {mem_bytes!r}")
    if mem_bytes % MIB:
        raise HypsimError(f"guest memory size {mem_bytes} is not a multiple of 1 MiB")
    if not MIN_MEM <= mem_bytes <= MAX_MEM:
        raise HypsimError(f"guest memory size {mem_bytes >> 20} MiB is out of range: "
                          f"it must be {MIN_MEM >> 20} to {MAX_MEM >> 20} MiB")
    if isinstance(ncpus, bool) or not isinstance(ncpus, int) or not 1 <= ncpus <= MAX_CPUS:
        raise HypsimError(f"guest CPU count {ncpus!r} is out of range: it must be 1 to {MAX_CPUS}")
    for ch, name in (('"', "double quote"), ("\\", "backslash")):
        if ch in bootargs:
            raise HypsimError(f"guest bootargs {bootargs!r} contain a {name} ({ch}), "
                              f"which the device tree source string cannot carry")
    bad = [c for c in bootargs if not " " <= c <= "~"]
    if bad:
        raise HypsimError(f"guest bootargs {bootargs!r} contain a non-printable or non-ASCII "
                          f"character ({bad[0]!r})")


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise HypsimError(f"{name} not found on PATH: run `make setup` "
                          f"(Debian package {package})")
    return path


def build_dtb(out: Path, mem_bytes: int = 16 << 20, ncpus: int = 1, bootargs: str = "",
              dts: Path = DTS) -> Path:
    """Compile the guest DTS into ``out`` (a DTB) for this RAM size, CPU count and
    command line; the preprocessed source is kept next to it as ``<out>.pre.dts``.
    Returns ``out``.  Raises :class:`HypsimError` for invalid inputs, a missing
    ``cpp``/``dtc`` or a failing compilation."""
    _check_inputs(mem_bytes, ncpus, bootargs)
    out = Path(out)
    if not dts.is_file():
        raise HypsimError(f"guest device tree source {dts} not found")
    dtc = _tool("dtc", "device-tree-compiler")
    cpp = _tool("cpp", "cpp")
    out.parent.mkdir(parents=True, exist_ok=True)
    pre = out.with_name(out.name + ".pre.dts")
    cpp_cmd = [cpp, "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-P",
               f"-DGUEST_MEM={mem_bytes:#x}", f"-DNCPUS={ncpus}", f'-DBOOTARGS="{bootargs}"',
               str(dts), "-o", str(pre)]
    dtc_cmd = [dtc, "-I", "dts", "-O", "dtb", "-o", str(out), str(pre)]
    for cmd in (cpp_cmd, dtc_cmd):
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise HypsimError(f"{Path(cmd[0]).name} failed to run: {exc}", EXIT_TOOL_FAILED) from exc
        if res.returncode != 0:
            detail = (res.stderr or res.stdout).strip().splitlines()
            raise HypsimError(f"{Path(cmd[0]).name} failed on {cmd[-1] if cmd is dtc_cmd else dts}"
                              f" (exit {res.returncode}): {detail[-1] if detail else 'no message'}",
                              EXIT_TOOL_FAILED)
    return out

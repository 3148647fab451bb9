"""The host <-> VMM interface, read from its one source: firmware/include/vmm_abi.h.

Every ``#define NAME <integer>`` line of the header becomes an entry of
:data:`ABI` (and an attribute of :data:`A`: ``A.RUN_VM``); nothing is
repeated here. On top of that this module knows the *shape* of the two
in-memory structures the header describes, so the VMM (tb/vmm.py) and the
RAM composer (tb/run_guest.py) never compute an offset themselves:

* :func:`decode_run` turns the words of a ``struct hypsim_run`` into a dict
  whose keys are the ``RUN_*`` names without the prefix, lower case
  (``exit_reason``, ``vm``, ``mmio_addr``, ... ``mmio_data`` as one 64-bit
  little-endian integer, ``irq`` as a list of ``(irq, level)`` pairs);
* :func:`encode_answer` turns the VMM's answer (``mmio_data``, ``hc_ret``,
  ``irq``) into ``{byte offset: word}`` to write back;
* :func:`bootinfo_bytes` builds the boot-info block from ``BI_*`` fields.

No cocotb here: pytest imports it without a simulator.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .simulator import REPO

HEADER = REPO / "firmware/include/vmm_abi.h"
_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b")


def parse_header(text: str) -> dict[str, int]:
    """Every ``#define NAME <int>`` of a C header (hex or decimal); other lines are ignored."""
    out: dict[str, int] = {}
    for line in text.splitlines():
        m = _DEFINE.match(line)
        if m:
            out[m.group(1)] = int(m.group(2), 0)
    return out


@lru_cache(maxsize=1)
def load_abi(path: Path = HEADER) -> dict[str, int]:
    return parse_header(path.read_text())


ABI: dict[str, int] = load_abi()


class _Names:
    """``A.NAME`` for ``ABI["NAME"]``, with a clear error for a name the header lacks."""

    def __getattr__(self, name: str) -> int:
        try:
            return ABI[name]
        except KeyError:
            raise AttributeError(f"{name} is not #defined in {HEADER}") from None


A = _Names()

# ---- struct hypsim_run ---------------------------------------------------------------
# Words that are not plain u32 scalars: the 8-byte MMIO data and the IRQ array.
_RUN_NOT_SCALAR = {"RUN_BYTES", "RUN_IRQ_MAX", "RUN_MMIO_DATA", "RUN_IRQ"}
#: {key: byte offset} of every u32 scalar of struct hypsim_run
RUN_SCALARS: dict[str, int] = {n[4:].lower(): v for n, v in ABI.items()
                               if n.startswith("RUN_") and n not in _RUN_NOT_SCALAR}
#: the names of everything the VMM reads or writes (tests check the header has them)
USED_NAMES = (
    "HYPSIM_RAM_PA", "HYPSIM_RAM_BYTES", "HYPSIM_IMAGE_PA", "HYPSIM_IMAGE_MAX", "HYPSIM_DTB_PA",
    "HYPSIM_DTB_MAX", "HYPSIM_BOOTINFO_PA", "HYPSIM_DOORBELL_PA", "HYPSIM_GUEST_RAM_IPA",
    "HYPSIM_GUEST_ENTRY_IPA", "HYPSIM_GUEST_UART_IPA",
    "HYPSIM_BOOTINFO_MAGIC", "HYPSIM_BOOTINFO_VERSION", "BI_MAGIC", "BI_VERSION", "BI_FLAGS", "BI_NR_VMS",
    "BI_GUEST_MEM", "BI_IMAGE_PA", "BI_IMAGE_SIZE", "BI_IMAGE_IPA", "BI_ENTRY_IPA", "BI_DTB_PA",
    "BI_DTB_SIZE", "BI_DTB_IPA", "BI_SEQ_RUNS", "BI_TIMESLICE", "BI_VMID_BITS", "BI_NR_VCPUS", "KVM_MAX_VCPUS", "BI_BYTES", "HYPSIM_BI_F_VMM",
    "RUN_EXIT_REASON", "RUN_VM", "RUN_VCPU", "RUN_GUEST_PC", "RUN_MMIO_ADDR", "RUN_MMIO_LEN",
    "RUN_MMIO_IS_WRITE", "RUN_MMIO_DATA", "RUN_HC_NR", "RUN_HC_ARG0", "RUN_HC_ARG1", "RUN_HC_ARG2",
    "RUN_HC_ARG3", "RUN_HC_RET", "RUN_SYSTEM_EVENT", "RUN_FAIL_HSR", "RUN_FAIL_FAR", "RUN_FAIL_HPFAR",
    "RUN_FAIL_CODE", "RUN_IRQ_COUNT", "RUN_IRQ", "RUN_IRQ_MAX", "RUN_BYTES",
    "KVM_EXIT_UNKNOWN", "KVM_EXIT_HYPERCALL", "KVM_EXIT_MMIO", "KVM_EXIT_INTERNAL_ERROR",
    "KVM_EXIT_SYSTEM_EVENT", "KVM_EXIT_ARM_NISV", "KVM_SYSTEM_EVENT_SHUTDOWN", "KVM_SYSTEM_EVENT_RESET",
    "HYPSIM_ERR_UNKNOWN_EXIT", "HYPSIM_ERR_NO_MEMORY", "HYPSIM_ERR_DEADLOCK", "HYPSIM_ERR_BAD_BOOTINFO",
    "HYPSIM_ERR_NO_DEVICE", "KVM_ARM_IRQ_TYPE_SHIFT", "KVM_ARM_IRQ_VCPU_SHIFT", "KVM_ARM_IRQ_TYPE_SPI",
    "HYPSIM_HC_BASE", "HYPSIM_HC_LAST", "HYPSIM_HC_VM_INDEX", "HYPSIM_HC_XOR",
)


def run_words() -> int:
    return ABI["RUN_BYTES"] // 4


def decode_run(words: Iterable[int]) -> dict:
    """The fields of one struct hypsim_run from its RUN_BYTES/4 little-endian words."""
    w = list(words)
    if len(w) < run_words():
        raise ValueError(f"a struct hypsim_run has {run_words()} words, got {len(w)}")
    run: dict = {key: w[off // 4] for key, off in RUN_SCALARS.items()}
    d = ABI["RUN_MMIO_DATA"] // 4
    run["mmio_data"] = w[d] | (w[d + 1] << 32)
    base = ABI["RUN_IRQ"] // 4
    n = min(run.get("irq_count", 0), ABI["RUN_IRQ_MAX"])
    run["irq"] = [(w[base + 2 * i], w[base + 2 * i + 1]) for i in range(n)]
    return run


def encode_answer(fields: Mapping) -> dict[int, int]:
    """``{byte offset: word}`` for the fields the VMM writes back.

    ``mmio_data`` (int, 8 bytes little-endian), ``hc_ret`` (u32) and ``irq``
    (a list of at most RUN_IRQ_MAX ``(irq, level)`` pairs; RUN_IRQ_COUNT is
    written with it, 0 for an empty list). Unknown keys are an error.
    """
    out: dict[int, int] = {}
    for key, value in fields.items():
        if key == "mmio_data":
            off = ABI["RUN_MMIO_DATA"]
            out[off] = value & 0xFFFF_FFFF
            out[off + 4] = (value >> 32) & 0xFFFF_FFFF
        elif key == "irq":
            pairs = list(value)
            if len(pairs) > ABI["RUN_IRQ_MAX"]:
                raise ValueError(f"{len(pairs)} IRQ line changes in one answer; RUN_IRQ_MAX is "
                                 f"{ABI['RUN_IRQ_MAX']}")
            out[ABI["RUN_IRQ_COUNT"]] = len(pairs)
            for i, (irq, level) in enumerate(pairs):
                out[ABI["RUN_IRQ"] + 8 * i] = irq & 0xFFFF_FFFF
                out[ABI["RUN_IRQ"] + 8 * i + 4] = level & 0xFFFF_FFFF
        elif key in ("hc_ret",):
            out[RUN_SCALARS[key]] = value & 0xFFFF_FFFF
        else:
            raise KeyError(f"the VMM does not write {key!r} into struct hypsim_run")
    return out


def encode_run(fields: Mapping) -> bytes:
    """A whole struct hypsim_run as bytes (for tests and self-test programs)."""
    words = [0] * run_words()
    for key, value in fields.items():
        if key in RUN_SCALARS:
            words[RUN_SCALARS[key] // 4] = value & 0xFFFF_FFFF
    for off, value in encode_answer({k: v for k, v in fields.items() if k in ("mmio_data", "irq")}).items():
        words[off // 4] = value
    return b"".join(w.to_bytes(4, "little") for w in words)


def bootinfo_bytes(fields: Mapping[str, int]) -> bytes:
    """The boot-info block: ``{"BI_FLAGS": 1, ...}``; BI_MAGIC/BI_VERSION filled in, the rest 0."""
    words = [0] * (ABI["BI_BYTES"] // 4)
    words[ABI["BI_MAGIC"] // 4] = ABI["HYPSIM_BOOTINFO_MAGIC"]
    words[ABI["BI_VERSION"] // 4] = ABI["HYPSIM_BOOTINFO_VERSION"]
    for name, value in fields.items():
        if not name.startswith("BI_") or name not in ABI or name == "BI_BYTES":
            raise KeyError(f"{name} is not a boot-info field of {HEADER.name}")
        words[ABI[name] // 4] = value & 0xFFFF_FFFF
    return b"".join(w.to_bytes(4, "little") for w in words)


def kvm_irq(irq_type: int, vcpu: int, number: int) -> int:
    """KVM_IRQ_LINE's irq word: irq_type[27:24] | vcpu_index[23:16] | irq_number[15:0]."""
    return ((irq_type & 0xF) << ABI["KVM_ARM_IRQ_TYPE_SHIFT"]) | ((vcpu & 0xFF) << ABI["KVM_ARM_IRQ_VCPU_SHIFT"]) \
        | (number & 0xFFFF)

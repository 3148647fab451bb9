"""The sequences a run may name (tb/sequences/system_*.py)."""
from __future__ import annotations

from hypsim.sequences.system_base import RunConfig, SystemVmmSeq
from hypsim.sequences.system_churn import SystemChurnSeq
from hypsim.sequences.system_irq import SystemIrqStormSeq
from hypsim.sequences.system_mixed import SystemMixedSeq
from hypsim.sequences.system_mmio import SystemMmioSeq
from hypsim.sequences.system_psci import SystemPsciSeq
from hypsim.vmm import Vmm

SEQUENCES: dict[str, type[SystemVmmSeq]] = {
    "default": SystemVmmSeq, "mmio": SystemMmioSeq, "irq": SystemIrqStormSeq, "psci": SystemPsciSeq,
    "churn": SystemChurnSeq, "mixed": SystemMixedSeq,
}


def sequence_class(name: str) -> type[SystemVmmSeq]:
    try:
        return SEQUENCES[name]
    except KeyError:
        raise ValueError(f"unknown system sequence {name!r}: one of {', '.join(SEQUENCES)}") from None


def run_config(name: str, seed: int) -> RunConfig | None:
    return sequence_class(name).run_config(seed)


def make_sequence(name: str, vmm: Vmm, seed: int, max_delay: int, n_ops: int) -> SystemVmmSeq:
    cls = sequence_class(name)
    if cls is SystemVmmSeq:
        return SystemVmmSeq(name, vmm, seed, max_delay)
    return cls(name, vmm, seed, max_delay, n_ops)  # type: ignore[call-arg]

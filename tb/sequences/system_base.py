"""Base sequences of the system env's VMM agent (tb/envs/system).

:class:`SystemVmmSeq` is the default: every exit served by tb/vmm.py's Vmm,
answered at once, so a run under the env prints exactly what ``hypsim
run-guest`` prints. :class:`SystemDeviceSeq` adds the testbench device that
firmware/guests/mmiorand.c drives (vmm_abi.h HYPSIM_GUEST_TBDEV_IPA and the
hypercalls HYPSIM_HC_TBDEV/HYPSIM_HC_STEP): a subclass chooses each op the
guest does (:meth:`next_op`), the values the device's loads return, the
interrupt lines raised in answers and each answer's response delay. Every
choice comes from one ``random.Random(seed)``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from pyuvm import uvm_sequence

from hypsim.envs.system.items import AnswerItem, ExitItem
from hypsim.vmm import Vmm, VmmStop
from hypsim.vmm_abi import A, kvm_irq

from . import system_ops as ops


@dataclass(frozen=True)
class RunConfig:
    """What a sequence needs from the run (the boot-info block): the guest and the VM arrangement."""
    guest: str = "mmiorand"
    vms: int = 1
    seq_runs: int = 0
    vmid_bits: int = 0


def line_irq(line: int) -> int:
    """KVM_IRQ_LINE's irq word for a line: 0x10000 | n a CPU line, 16-31 a PPI, 32- an SPI (vCPU 0)."""
    if line & ops.CPU_ACK:
        return kvm_irq(A.KVM_ARM_IRQ_TYPE_CPU, 0, line & 0xFF)
    if line < 32:
        return kvm_irq(A.KVM_ARM_IRQ_TYPE_PPI, 0, line)
    return kvm_irq(A.KVM_ARM_IRQ_TYPE_SPI, 0, line)


class SystemVmmSeq(uvm_sequence):
    """Serve every exit with tb/vmm.py's behaviour; ``max_delay`` > 0 answers after a random delay."""

    #: run arrangement this sequence wants (None: whatever the runner was given)
    config: RunConfig | None = None

    def __init__(self, name: str, vmm: Vmm, seed: int, max_delay: int = 0) -> None:
        super().__init__(name)
        self.vmm = vmm
        self.seed = seed
        self.rng = random.Random(seed)
        self.max_delay = max_delay

    @classmethod
    def run_config(cls, seed: int) -> RunConfig | None:
        """The run arrangement for ``seed`` (before the run: it goes into the boot-info block)."""
        return cls.config

    def delay(self) -> int:
        if not self.max_delay:
            return 0
        r = self.rng.random()
        return 0 if r < 0.3 else self.rng.randint(1, 8) if r < 0.7 else self.rng.randint(9, self.max_delay)

    async def body(self) -> None:
        while True:
            req = ExitItem("exit")
            await self.start_item(req)
            await self.finish_item(req)
            if not req.run:                       # the driver stopped the run (bad doorbell)
                return
            ans = self.serve(req)
            await self.start_item(ans)
            await self.finish_item(ans)
            if ans.stop is not None:
                return

    def serve(self, req: ExitItem) -> AnswerItem:
        try:
            fields = self.vmm.handle(req.run)
        except VmmStop as stop:
            return AnswerItem("stop", stop=(stop.exit_code, stop.message))
        return AnswerItem("answer", fields, self.delay())


class SystemDeviceSeq(SystemVmmSeq):
    """The testbench device and the op protocol of mmiorand.c; subclasses give :meth:`next_op`
    and may raise lines (:meth:`lines_with`)."""

    config = RunConfig("mmiorand")

    def __init__(self, name: str, vmm: Vmm, seed: int, max_delay: int = 300, n_ops: int = 40) -> None:
        super().__init__(name, vmm, seed, max_delay)
        self.n_ops = n_ops
        self.issued = 0
        self.high: set[int] = set()        # level lines up (GIC IDs; 0x10000 | n CPU lines)
        self.latched: set[int] = set()     # edge pulses not acknowledged yet

    # ---- what a subclass chooses --------------------------------------------------------
    def next_op(self) -> int:
        return ops.END

    def lines_with(self, op: int) -> list[tuple[int, int]]:
        """KVM_IRQ_LINE requests to send with the answer that hands out ``op``."""
        return []

    def load_value(self) -> int:
        """The 8 data bytes a load of the device's data region returns."""
        return self.rng.getrandbits(64)

    # ---- serving -----------------------------------------------------------------------------
    def serve(self, req: ExitItem) -> AnswerItem:
        run = req.run
        reason = run["exit_reason"]
        if reason == A.KVM_EXIT_HYPERCALL and run["hc_nr"] == A.HYPSIM_HC_TBDEV:
            self.vmm.exits["KVM_EXIT_HYPERCALL"] += 1
            return AnswerItem("tbdev", {"hc_ret": ops.TBDEV, "irq": []}, self.delay())
        if reason == A.KVM_EXIT_HYPERCALL and run["hc_nr"] == A.HYPSIM_HC_STEP:
            self.vmm.exits["KVM_EXIT_HYPERCALL"] += 1
            op = self.next_op() if self.issued < self.n_ops else self.drain_op()
            self.issued += 1
            return AnswerItem("step", {"hc_ret": op, "irq": self.lines_with(op)}, self.delay())
        if reason == A.KVM_EXIT_MMIO and ops.TBDEV <= run["mmio_addr"] < ops.TBDEV + ops.TBDEV_SIZE:
            self.vmm.exits["KVM_EXIT_MMIO"] += 1
            return AnswerItem("tbdev-mmio", self.device(run), self.delay())
        return super().serve(req)

    def drain_op(self) -> int:
        """After the ops: IRQ windows until every raised line was acknowledged, then END."""
        if (self.high or self.latched) and self.issued < self.n_ops + 40:
            return ops.irq_window(32, wfi=False)
        return ops.END

    def device(self, run: dict) -> dict:
        off, write = run["mmio_addr"] - ops.TBDEV, bool(run["mmio_is_write"])
        irq: list[tuple[int, int]] = []
        if off < A.TBDEV_DATA_END or off == A.TBDEV_MODE:
            return {"irq": irq} if write else {"mmio_data": self.load_value(), "irq": irq}
        if off == A.TBDEV_ACK and write:
            line = run["mmio_data"] & 0xFFFFFFFF
            self.latched.discard(line)
            if line in self.high:
                self.high.discard(line)
                irq.append((line_irq(line), 0))
            return {"irq": irq}
        if off == A.TBDEV_CPU_LINES and not write:
            return {"mmio_data": sum(1 << n for n in (0, 1) if ops.CPU_ACK | n in self.high), "irq": irq}
        return {"irq": irq} if write else {"mmio_data": 0, "irq": irq}

    def raise_line(self, line: int) -> list[tuple[int, int]]:
        """Requests that make ``line`` pending: a level raised (once), or an edge pulse."""
        if line in ops.EDGE_SPIS:
            self.latched.add(line)
            return [(line_irq(line), 1), (line_irq(line), 0)]
        if line in self.high:
            return []
        self.high.add(line)
        return [(line_irq(line), 1)]

"""Scoreboard: replays every transaction on the reference model (tb/models/vgic.py)
and compares every read (IAR, HPPIR, RPR and all other registers) and, after each
transaction, every output line: irq/fiq/virq/vfiq per CPU and the maintenance
interrupt. Coverage samples go out on ``ap`` (to coverage.GicCoverage): they are
of the model's view of each transaction (LR state, preemption depth, SGI targets,
trigger mode)."""
from __future__ import annotations

from pyuvm import uvm_analysis_port, uvm_subscriber

from hypsim.models.gic_regs import (MISR_NAMES, SPURIOUS, Frame, Gicc, Gicd, Gich, lr_eoi, lr_hw,
                                    lr_state, register_name)
from hypsim.models.vgic import GicModel

from .. import results
from .coverage import CovSample
from .items import BusItem, Observed, PinItem

CHECKED_READS = {(Frame.GICC, Gicc.IAR): "IAR", (Frame.GICC, Gicc.HPPIR): "HPPIR",
                 (Frame.GICC, Gicc.RPR): "RPR", (Frame.GICV, Gicc.IAR): "GICV_IAR",
                 (Frame.GICV, Gicc.HPPIR): "GICV_HPPIR", (Frame.GICV, Gicc.RPR): "GICV_RPR"}
OUTPUTS = ("irq", "fiq", "virq", "vfiq", "maint")


class GicScoreboard(uvm_subscriber):
    def build_phase(self) -> None:
        from pyuvm import ConfigDB
        self.ncpu: int = ConfigDB().get(self, "", "NCPU")
        self.model = GicModel(self.ncpu, ConfigDB().get(self, "", "NIRQ"))
        self.mismatches: list[results.Mismatch] = []
        self.corrupt = results.Corruptor()
        self.ap = uvm_analysis_port("ap", self)
        self.transactions = 0
        self.reads_checked = 0
        self.line_changes = 0
        self.acks = {"phys": 0, "virt": 0}
        self.pin_events = 0
        self.sgis = 0
        self._last = {name: 0 for name in OUTPUTS}

    @property
    def events(self) -> int:
        """Interrupt events: acknowledges, pin changes, SGIs and output-line changes."""
        return self.acks["phys"] + self.acks["virt"] + self.pin_events + self.sgis + self.line_changes

    def _mismatch(self, what: str, expected: int, seen: int, obs: Observed) -> None:
        msg = results.Mismatch(f"{obs.time_ns} ns", f"{what} after {obs.item}", f"{expected:#x}", f"{seen:#x}")
        self.mismatches.append(msg)
        if len(self.mismatches) <= 20:
            self.logger.error(str(msg))
        if len(self.mismatches) == 1:
            self.logger.error("model state at the first mismatch:\n%s", self.describe())

    def describe(self) -> str:
        """The model's view of each CPU interface, for debugging a mismatch."""
        m, lines = self.model, []
        for c in range(self.ncpu):
            ci, v = m.dist.cpuif[c], m.virt[c]
            lines.append(f"cpu{c}: hppi={m.dist.highest_pending(c)} ctlr={ci.ctlr:#x} pmr={ci.pmr:#x} "
                         f"bpr={ci.bpr} apr={ci.apr:#x} rpr={ci.running_priority():#x}; "
                         f"lrs={[hex(x) for x in v.lrs]} hcr={v.hcr:#x} vctlr={v.ctlr:#x} "
                         f"vpmr={v.pmr:#x} vbpr={v.bpr} vapr={v.apr:#x}")
        return "\n".join(lines)

    def write(self, obs: Observed) -> None:
        m, item = self.model, obs.item
        self.transactions += 1
        if isinstance(item, BusItem):
            name = register_name(item.frame, item.off)
            if name:
                self.ap.write(CovSample("register", (name, "W" if item.write else "R")))
            if item.write:
                self._before_write(item)
                m.write(item.frame, item.cpu, item.off, item.data, item.be)
            else:
                expected = m.read(item.frame, item.cpu, item.off)
                self.reads_checked += 1
                assert item.rdata is not None
                compared = expected ^ 1 if self.corrupt.due() else expected
                if item.rdata != compared:
                    self._mismatch(f"cpu{item.cpu} {name or hex(item.off)} read", compared, item.rdata, obs)
                self._after_read(item, expected)
        else:
            self._pin(item)
        exp = m.outputs()
        for k, name in enumerate(OUTPUTS):
            exp_bits = sum(int(v) << c for c, v in enumerate(getattr(exp, name)))
            seen = getattr(obs, name)
            if seen != exp_bits:
                self._mismatch(f"{name}_o", exp_bits, seen, obs)
            glitch = (obs.mid[k] ^ self._last[name]) & (obs.mid[k] ^ exp_bits)
            if glitch:
                self._mismatch(f"{name}_o one cycle before settling (glitch)", self._last[name],
                               obs.mid[k], obs)
            self.line_changes += bin(seen ^ self._last[name]).count("1")
            self._last[name] = seen

    def _pin(self, item: PinItem) -> None:
        m = self.model
        self.pin_events += 1
        if item.spi:
            self.ap.write(CovSample("pin", (m.dist.spi_edge[item.n], item.level)))
            m.set_spi(item.n, item.level)
        else:
            m.set_ppi(item.cpu, item.n, item.level)

    def _before_write(self, item: BusItem) -> None:
        if item.frame == Frame.GICH and Gich.LR0 <= item.off < Gich.LR0 + 16:
            self.ap.write(CovSample("lr", (int(lr_state(item.data)), lr_hw(item.data), lr_eoi(item.data))))
        elif item.frame == Frame.GICD and item.off == Gicd.SGIR:
            for t in self.model.dist.sgi_targets(item.cpu, item.data):
                self.ap.write(CovSample("sgi", (item.cpu, t)))
                self.sgis += 1

    def _after_read(self, item: BusItem, value: int) -> None:
        if item.off == Gicc.IAR and item.frame in (Frame.GICC, Frame.GICV) and value & 0x3FF != SPURIOUS:
            if item.frame == Frame.GICC:
                self.acks["phys"] += 1
                self.ap.write(CovSample("phys_depth", (bin(self.model.dist.cpuif[item.cpu].apr).count("1"),)))
            else:
                self.acks["virt"] += 1
                self.ap.write(CovSample("virt_depth", (bin(self.model.virt[item.cpu].apr).count("1"),)))
        elif item.frame == Frame.GICH and item.off == Gich.MISR:
            for bit, cause in enumerate(MISR_NAMES):
                if value >> bit & 1:
                    self.ap.write(CovSample("misr", (cause,)))

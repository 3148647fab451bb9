"""Functional coverage of the GIC block: GicCoverage, a uvm_subscriber of the
scoreboard's samples (CovSample: a cover point's name and arguments).

Cover points (cocotb-coverage): every register read and written; LR state x HW
x EOI on every GICH_LR write; every MISR cause seen on MISR reads; physical and
virtual preemption depth at acknowledge; SGI source x target on GICD_SGIR
writes; trigger mode x pin edge on SPI pin changes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cocotb_coverage.coverage import CoverCross, CoverPoint
from pyuvm import ConfigDB, uvm_subscriber

from hypsim.models.gic_regs import MISR_NAMES, all_registers
from .. import coverage_report

REG_BINS = [(name, rw) for _, _, name in all_registers() for rw in ("R", "W")]
MAX_DEPTH = 4


@CoverPoint("gic.reg.access", xf=lambda name, rw: (name, rw), bins=REG_BINS)
def sample_register(name: str, rw: str) -> None:
    """A register access (name from gic_regs.register_name)."""


@CoverPoint("gic.lr.state", xf=lambda st, hw, eoi: st, bins=[0, 1, 2, 3])
@CoverPoint("gic.lr.hw", xf=lambda st, hw, eoi: hw, bins=[False, True])
@CoverPoint("gic.lr.eoi", xf=lambda st, hw, eoi: eoi, bins=[False, True])
@CoverCross("gic.lr.state_x_hw_x_eoi", items=["gic.lr.state", "gic.lr.hw", "gic.lr.eoi"],
            ign_bins=[(None, True, True)])
def sample_lr(st: int, hw: bool, eoi: bool) -> None:
    """An LR value written by the hypervisor (EOI is meaningless with HW=1)."""


@CoverPoint("gic.misr.cause", xf=lambda cause: cause, bins=list(MISR_NAMES))
def sample_misr(cause: str) -> None:
    """One maintenance cause seen set in GICH_MISR."""


@CoverPoint("gic.preempt.phys_depth", xf=lambda d: min(d, MAX_DEPTH), bins=list(range(1, MAX_DEPTH + 1)))
def sample_phys_depth(d: int) -> None:
    """Number of active priorities after a physical acknowledge."""


@CoverPoint("gic.preempt.virt_depth", xf=lambda d: min(d, MAX_DEPTH), bins=list(range(1, MAX_DEPTH + 1)))
def sample_virt_depth(d: int) -> None:
    """Number of active virtual priorities after a virtual acknowledge."""


def make_sgi_points(ncpu: int):
    @CoverPoint("gic.sgi.source", xf=lambda s, t: s, bins=list(range(ncpu)))
    @CoverPoint("gic.sgi.target", xf=lambda s, t: t, bins=list(range(ncpu)))
    @CoverCross("gic.sgi.source_x_target", items=["gic.sgi.source", "gic.sgi.target"])
    def sample_sgi(s: int, t: int) -> None:
        """An SGI sent from CPU s to CPU t."""
    return sample_sgi


@CoverPoint("gic.pin.trigger", xf=lambda edge, level: "edge" if edge else "level", bins=["edge", "level"])
@CoverPoint("gic.pin.level", xf=lambda edge, level: level, bins=[False, True])
@CoverCross("gic.pin.trigger_x_level", items=["gic.pin.trigger", "gic.pin.level"])
def sample_pin(edge: bool, level: bool) -> None:
    """An SPI pin change with its configured trigger mode."""


@dataclass(frozen=True)
class CovSample:
    point: str          # register, pin, lr, sgi, phys_depth, virt_depth, misr
    args: tuple


class GicCoverage(uvm_subscriber):
    def build_phase(self) -> None:
        self.points: dict[str, Callable[..., None]] = {
            "register": sample_register, "pin": sample_pin, "lr": sample_lr,
            "sgi": make_sgi_points(ConfigDB().get(self, "", "NCPU")),
            "phys_depth": sample_phys_depth, "virt_depth": sample_virt_depth, "misr": sample_misr}

    def write(self, s: CovSample) -> None:
        self.points[s.point](*s.args)


def summary() -> tuple[int, int, list[str]]:
    """(bins hit, bins total, cover items with missed bins) of this block."""
    return coverage_report.summary("gic.")


export = coverage_report.export

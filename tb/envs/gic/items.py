"""Transactions of the GIC environment: bus accesses and interrupt-pin changes."""
from __future__ import annotations

from dataclasses import dataclass

from pyuvm import uvm_sequence_item

from hypsim.models.gic_regs import Frame, register_name


class BusItem(uvm_sequence_item):
    """One access on the GIC slave port; ``rdata`` is filled in by the driver."""

    def __init__(self, name: str = "bus", frame: Frame = Frame.GICD, cpu: int = 0, off: int = 0,
                 write: bool = False, data: int = 0, be: int = 0xF) -> None:
        super().__init__(name)
        self.frame, self.cpu, self.off, self.write, self.data, self.be = frame, cpu, off, write, data, be
        self.rdata: int | None = None

    def __str__(self) -> str:
        kind = f"W {self.data:#010x} be={self.be:x}" if self.write else f"R -> {self.rdata}"
        return f"cpu{self.cpu} {register_name(self.frame, self.off) or hex(self.off)}@{self.off:#x} {kind}"


class PinItem(uvm_sequence_item):
    """Drive one interrupt pin: SPI pin ``n`` (ID 32+n) or PPI pin ``n`` (ID 16+n) of ``cpu``."""

    def __init__(self, name: str = "pin", spi: bool = True, n: int = 0, cpu: int = 0,
                 level: bool = False) -> None:
        super().__init__(name)
        self.spi, self.n, self.cpu, self.level = spi, n, cpu, level

    def __str__(self) -> str:
        where = f"SPI pin {self.n} (ID {32 + self.n})" if self.spi else \
            f"cpu{self.cpu} PPI pin {self.n} (ID {16 + self.n})"
        return f"{where} <- {int(self.level)}"


@dataclass(frozen=True)
class Observed:
    """What the driver saw after one transaction settled."""
    item: BusItem | PinItem
    irq: int            # bit c = irq_o[c]
    fiq: int
    virq: int
    vfiq: int
    maint: int
    time_ns: int
    # the same five outputs one cycle earlier (between drive and settle): each
    # bit must show either the value before or the value after the transaction
    mid: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

"""Functional coverage of the MMU block (cocotb-coverage): stage x level x fault
type, S1PTW faults, block/page sizes of both stages, TLB hit/miss/evict, every
TLBI operation, VMID/ASID switches, privilege x access kind x operation.

MmuCoverage is a uvm_subscriber: the scoreboard publishes each monitored
operation with the model's prediction for it (XlatSample, TlbiSample,
SetContext), since the bins are of the predicted response (fault type, block
size, eviction) which the harness's result word does not carry."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from cocotb_coverage.coverage import CoverCross, CoverPoint
from pyuvm import uvm_subscriber

from hypsim.models.mmu_faults import FaultType
from hypsim.models.mmu_model import Response
from hypsim.models.tlb import TlbiOp, tlbi_name
from hypsim.models.translation import Request
from hypsim.sequences.mmu_items import SetContext
from .. import coverage_report

FAULT_TYPES = [t.name for t in FaultType]
TLBI_NAMES = [tlbi_name(int(op) | s) for s in (0, 8) for op in TlbiOp]


def _fault(resp: Response) -> Optional[tuple[int, int, str, bool]]:
    f = resp.fault
    return None if f is None else (f.stage, f.level, f.type.name, f.s1ptw)


@CoverPoint("mmu.fault.stage", xf=lambda q, r, ev: (_fault(r) or (0,))[0], bins=[1, 2])
@CoverPoint("mmu.fault.level", xf=lambda q, r, ev: (_fault(r) or (0, 0))[1], bins=[1, 2, 3])
@CoverPoint("mmu.fault.type", xf=lambda q, r, ev: (_fault(r) or (0, 0, ""))[2], bins=FAULT_TYPES)
@CoverCross("mmu.fault.stage_level_type", items=["mmu.fault.stage", "mmu.fault.level",
                                                 "mmu.fault.type"])
@CoverPoint("mmu.fault.s1ptw", xf=lambda q, r, ev: (_fault(r)[2] if _fault(r) and _fault(r)[3]
                                                   else None), bins=FAULT_TYPES)
@CoverPoint("mmu.size.s1", xf=lambda q, r, ev: r.s1level if r.fault is None else None,
            bins=[0, 1, 2, 3], bins_labels=["off", "1GB", "2MB", "4KB"])
@CoverPoint("mmu.size.s2", xf=lambda q, r, ev: r.s2level if r.fault is None else None,
            bins=[0, 1, 2, 3], bins_labels=["off", "1GB", "2MB", "4KB"])
@CoverCross("mmu.size.s1_x_s2", items=["mmu.size.s1", "mmu.size.s2"])
@CoverPoint("mmu.tlb", xf=lambda q, r, ev: ("hit" if r.tlb_hit else
                                           "evict" if ev else
                                           "miss" if q.op == 0 else None),
            bins=["hit", "miss", "evict"])
@CoverPoint("mmu.access.pl", xf=lambda q, r, ev: q.pl, bins=[0, 1, 2])
@CoverPoint("mmu.access.kind", xf=lambda q, r, ev: int(q.kind), bins=[0, 1, 2],
            bins_labels=["load", "store", "fetch"])
@CoverPoint("mmu.access.op", xf=lambda q, r, ev: q.op, bins=[0, 1, 2],
            bins_labels=["access", "ATS1", "ATS12NSO"])
def _sample_xlat(req: Request, resp: Response, evicted: bool) -> None:
    pass


@CoverPoint("mmu.tlbi", xf=lambda name: name, bins=TLBI_NAMES)
def _sample_tlbi(name: str) -> None:
    pass


@CoverPoint("mmu.switch", xf=lambda c: "vmid" if c.vmid_switch else "asid" if c.asid_switch else None,
            bins=["vmid", "asid"])
def _sample_ctx(ctx: SetContext) -> None:
    pass


@dataclass(frozen=True)
class XlatSample:
    req: Request
    resp: Response        # the model's prediction
    evicted: bool         # the fill evicted a valid TLB entry


@dataclass(frozen=True)
class TlbiSample:
    name: str


class MmuCoverage(uvm_subscriber):
    def write(self, t: Union[XlatSample, TlbiSample, SetContext]) -> None:
        if isinstance(t, XlatSample):
            _sample_xlat(t.req, t.resp, t.evicted)
        elif isinstance(t, TlbiSample):
            _sample_tlbi(t.name)
        else:
            _sample_ctx(t)

    @staticmethod
    def export(path: Path) -> tuple[int, int, list[str]]:
        """Write the XML database; return (bins hit, bins, cover items with missed bins)."""
        coverage_report.export(path)
        return coverage_report.summary("mmu.")

"""Lockstep comparison of the RTL retire trace with QEMU's per-instruction states.

For every retired instruction i the RTL state before it (rebuilt from the
retire port by hypsim.trace.replay) must equal QEMU's state before its
instruction i: PC, R0-R15 and the CPSR. The first difference stops the
comparison and is reported with both states and the last instructions.

Width-aware (A32 and T32): a state's instruction set is its CPSR.T, which is
part of the compared CPSR, so a T32 step is compared like an A32 one (QEMU
prints R15 = the instruction's own address in both states, and the RTL's PC is
its retire PC). What differs is the report: a T32 instruction (``RetireTxn.instr``
holds hw1:hw2 for a 32-bit one, the halfword for a 16-bit one) is shown with
its width and disassembled as T32, and a PC difference right after a T32
instruction names the width the RTL retired against the step QEMU took.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .disasm import disassemble
from .models import t32
from .models.arm_state import CPSR_T, ArchState, format_cpsr
from .qemu import CpuState
from .trace import StepState, read_trace, replay

HISTORY = 20


@dataclass
class Divergence:
    index: int                      # instruction number (0 = first)
    cycle: int
    what: str                       # e.g. "R3", "CPSR", "PC", "length"
    rtl: StepState | None
    qemu: CpuState | None
    history: list[StepState] = field(default_factory=list)
    rtl_pc_override: int | None = None   # RTL PC when `rtl` is the state after its last event

    def report(self) -> str:
        lines = [f"DIVERGENCE at instruction #{self.index} (cycle {self.cycle}): {self.what} differs"]
        if self.rtl is not None and self.qemu is not None:
            lines.append(f"  {'':6} {'RTL':>10} {'QEMU':>10}")
            for n in range(16):
                r, q = self.rtl.regs[n], self.qemu.regs[n]
                if n == 15 and self.rtl_pc_override is not None:
                    r = self.rtl_pc_override
                mark = "  <--" if r != q else ""
                lines.append(f"  {'R%d' % n:6} {r:#010x} {q:#010x}{mark}")
            mark = "  <--" if self.rtl.cpsr != self.qemu.cpsr else ""
            lines.append(f"  {'CPSR':6} {format_cpsr(self.rtl.cpsr)} | {format_cpsr(self.qemu.cpsr)}{mark}")
            if self.rtl_pc_override is not None:
                lines.append(f"  the RTL is at pc={self.rtl_pc_override:#010x} (after an exception entry); "
                             f"QEMU executes pc={self.qemu.pc:#010x} next")
        elif self.rtl is None and self.qemu is not None:
            lines.append(f"  the RTL stopped; QEMU goes on at pc={self.qemu.pc:#010x}")
        elif self.rtl is not None:
            lines.append(f"  QEMU stopped; the RTL goes on at pc={self.rtl.txn.pc:#010x}")
        rtl_thumb = self.rtl is not None and bool(self.rtl.cpsr & CPSR_T)
        if self.qemu is not None and self.qemu.cpsr & CPSR_T and not rtl_thumb:
            lines.append(f"  QEMU is in Thumb state and the RTL in ARM state at pc={self.qemu.pc:#010x}: the RTL "
                         "missed a switch to Thumb (an interworking branch to an odd address: BX/BLX/POP/LDR "
                         "to PC, or an exception return with SPSR.T set)")
        elif self.qemu is not None and rtl_thumb and not self.qemu.cpsr & CPSR_T:
            lines.append(f"  the RTL is in Thumb state and QEMU in ARM state at pc={self.qemu.pc:#010x}: "
                         "an interworking branch (BX/BLX/POP/LDR to PC) took the wrong instruction set")
        width_note = _width_note(self)
        if width_note:
            lines.append(width_note)
        lines.append(f"  last {len(self.history)} instructions (RTL, state before each is shown as the next line's):")
        for st in self.history:
            t = st.txn
            lines.append(f"    {t.cycle:>9}  {t.pc:08x}: {_format_instr(t.instr, t.pc, bool(st.cpsr & CPSR_T))}"
                         + ("" if t.cond_pass else "   (condition failed)"))
        return "\n".join(lines)


def t32_size(instr: int) -> int:
    """Bytes of a retired T32 instruction in the trace's form (hw1:hw2 or the halfword)."""
    return 4 if instr > 0xFFFF and t32.is_32bit(instr >> 16) else 2


def _format_instr(instr: int, pc: int, thumb: bool) -> str:
    """``e5910004  ldr r0, [r1, #4]`` (A32); ``    4770  bx lr`` / ``f3af8003  wfi.w`` (T32)."""
    if not thumb:
        return f"{instr:08x}  {disassemble(instr, pc)}"
    text = f"{instr:08x}" if instr > 0xFFFF else f"    {instr:04x}"
    return f"{text}  {disassemble(instr, pc, thumb=True)}"


def _width_note(div: Divergence) -> str | None:
    """After a T32 instruction, a PC difference of the other width's size says the RTL and
    QEMU disagree on the instruction's width (or the RTL's next PC)."""
    if div.what != "PC" or div.qemu is None or len(div.history) < 2:
        return None
    prev = div.history[-2]
    if not prev.cpsr & CPSR_T or div.rtl is None:
        return None
    size = t32_size(prev.txn.instr)
    rtl_step = (div.rtl.txn.pc - prev.txn.pc) & 0xFFFF_FFFF
    qemu_step = (div.qemu.pc - prev.txn.pc) & 0xFFFF_FFFF
    if {rtl_step, qemu_step} == {2, 4}:
        return (f"  the T32 instruction at {prev.txn.pc:#010x} was retired as {8 * size}-bit; the RTL went on "
                f"{rtl_step} bytes later, QEMU {qemu_step}: an instruction-width disagreement")
    return None


@dataclass
class CompareResult:
    compared: int
    divergence: Divergence | None

    @property
    def ok(self) -> bool:
        return self.divergence is None


def _first_difference(rtl: StepState, q: CpuState) -> str | None:
    if rtl.txn.pc != q.pc:
        return "PC"
    for n in range(15):
        if rtl.regs[n] != q.regs[n]:
            return f"R{n}"
    if rtl.cpsr != q.cpsr:
        return "CPSR"
    return None


def compare_steps(rtl_steps: Iterable[StepState], qemu_states: Sequence[CpuState],
                  rtl_complete: bool = True, final: ArchState | None = None) -> CompareResult:
    """Compare in lockstep. `rtl_complete` is False when the RTL run was cut short:
    then running out of RTL instructions is not itself a divergence, but the
    RTL's state after its last event (`final`) must still be where QEMU went next."""
    history: deque[StepState] = deque(maxlen=HISTORY)
    i = -1
    for i, st in enumerate(rtl_steps):
        history.append(st)
        if i >= len(qemu_states):
            return CompareResult(i, Divergence(i, st.txn.cycle, "length", st, None, list(history)))
        what = _first_difference(st, qemu_states[i])
        if what is not None:
            return CompareResult(i, Divergence(i, st.txn.cycle, what, st, qemu_states[i], list(history)))
    n = i + 1
    if not rtl_complete and final is not None and n < len(qemu_states) and history:
        q = qemu_states[n]
        tail = StepState(history[-1].txn, final.regs(), final.cpsr)
        if final.pc != q.pc or final.regs()[:15] != q.regs[:15] or final.cpsr != q.cpsr:
            what = "PC" if final.pc != q.pc else "state"
            div = Divergence(n, history[-1].txn.cycle, f"{what} after the RTL's last retired instruction",
                             None, q, list(history))
            div.rtl = tail
            div.rtl_pc_override = final.pc
            return CompareResult(n, div)
    if rtl_complete and n < len(qemu_states):
        last_cycle = history[-1].txn.cycle if history else 0
        return CompareResult(n, Divergence(n, last_cycle, "length", None, qemu_states[n], list(history)))
    return CompareResult(n, None)


def compare_trace(trace: Path, qemu_states: Sequence[CpuState], rtl_complete: bool = True,
                  entry: int = 0) -> CompareResult:
    final = ArchState.at_entry(entry)
    return compare_steps(replay(read_trace(trace), final), qemu_states, rtl_complete, final)

"""Seeded random programs that exercise the traps to Hyp mode.

Each program runs a series of blocks. A block picks random trap controls
(HCR trap bits, HSTR, HCPTR.TCP10/11), sets them through the program's own
hypervisor (``hvc #0`` with r0 = HCR, r1 = HSTR, r3 = HCPTR, as KVM's host
uses the Hyp ABI), moves
to a random PL1 or PL0 mode (``svc #1`` with r2 = the mode, served by the
program's PL1 SVC handler), and executes random trappable instructions:
CP15 MCR/MRC across the registers each control covers, MCRR/MRRC of the
64-bit registers, generic-timer accesses (CNTHCTL toggled too), VFP transfers
(VMRS/VMOV, with CPACR granting PL0 and PL1 and FPEXC.EN set), WFI/WFE and SMC
(an SMC that HCR.TSC does not trap is a PSCI call from Hyp or PL1, as QEMU's virt
machine answers it: the SoC's soc_psci puts the answer in r0, which holds the HCR
value or an earlier answer, never a PSCI id; from User mode it is UNDEFINED),
some conditional with flags the generator set itself, so both the
condition-passed and the condition-failed cases occur.

Some blocks run in Hyp mode itself (``hvc #2``), where nothing traps but
UNDEFINED instructions, SVC and HVC are taken to the Hyp vectors; every block,
in every mode, also gets instructions that take an exception wherever they run:
UDF, accesses to the unallocated coprocessors 4-7 and SVCs (hsr.hyp_mode_exception
predicts them in Hyp mode, the scoreboard checks vector, ELR_hyp, SPSR_hyp, HSR).

The Hyp trap handler skips every trapped instruction (ELR_hyp += 4, or 2 for a
16-bit T32 one by HSR.IL, ERET), the
Hyp Undefined handler every UNDEFINED one in Hyp mode, the Hyp SVC/HVC handler
returns (or switches mode for ``svc #1``); the PL1 Undefined handler skips
UNDEFINED ones (e.g. a PL0 access to a PL1-only register, an SMC in User mode),
the PL1 SVC handler returns from every SVC but ``svc #1``. WFI is only emitted where it traps or fails its
condition, so no program waits for an interrupt. CP15 writes only go to
registers whose contents cannot change the run (thread IDs, fault and
translation-table registers with the MMU off, TLB and cache maintenance).

The run is scored by hypsim.hyp_scoreboard against the HSR model, not
compared with QEMU, which leaves several of these traps out (see
tb/models/hsr.py). hyptrap.c is the QEMU-compared program for the rest.

T32 (issue 13, ``HypGenConfig(thumb=...)``): that fraction of the PL1/PL0 blocks
interworks into a Thumb region (``blx`` in, ``adr``/``bx`` out) and runs its
trapping instructions as T32 code: WFI/WFE (16- and 32-bit), CP15 MCR/MRC/MCRR/
MRRC, VFP transfers, HVC, SMC, SVC and UDF, many inside IT blocks (with a second
instruction in the block, so the ITSTATE saved and restored around a trap shows).
Such programs are QEMU-safe (``qemu=True``): no Hyp-mode blocks, only registers
whose values QEMU and the core agree on (no counters, ID or IMPLEMENTATION
DEFINED registers), so they run in lockstep with QEMU (``--compare-qemu``, the
core's qemu_compat_i). The handlers skip a trapped T32 instruction by HSR.IL
(2 or 4 bytes) and do ITAdvance on SPSR_hyp -- except for WFI/WFE, whose SPSR_hyp
QEMU 7.2 (and the core under qemu_compat_i) saves already advanced; the PL1
Undefined handler steps a 32-bit T32 instruction's LR (address + 2) past it.
Instructions that can be UNDEFINED in the block's mode are never put in IT blocks
(the PL1 handler does no ITAdvance).
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..models.arm_state import Mode
from ..models.hsr import HCR, UNALLOCATED_COPROCS

# HCR bits a block may set: every CP15/instruction trap control (B4.1.65).
TRAP_BITS: tuple[HCR, ...] = (HCR.TWI, HCR.TWE, HCR.TID0, HCR.TID1, HCR.TID2, HCR.TID3, HCR.TSC,
                              HCR.TIDCP, HCR.TAC, HCR.TSW, HCR.TPC, HCR.TPU, HCR.TTLB, HCR.TVM)
MODES: tuple[Mode, ...] = (Mode.USR, Mode.SVC, Mode.SYS, Mode.ABT, Mode.UND, Mode.IRQ, Mode.FIQ)
#: Blocks that run in Hyp mode itself (entered by hvc #2): nothing traps there, but
#: UNDEFINED instructions, SVC and HVC are taken to the Hyp vectors (HVBAR+0x04/0x08)
HYP_BLOCK_PROBABILITY = 0.2
#: Instructions that take an exception in every mode (UDF, unallocated coprocessors, SVC)
EXCEPTION_FRACTION = 0.08
CONDS = ("eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "")

# (opc1, crn, crm, opc2) that are safe to read anywhere (values never matter)
READS: tuple[tuple[int, int, int, int], ...] = (
    (0, 0, 0, 0), (0, 0, 0, 1), (0, 0, 0, 2), (0, 0, 0, 3), (0, 0, 0, 5), (0, 0, 0, 6),
    (0, 0, 1, 0), (0, 0, 1, 4), (0, 0, 2, 0), (0, 0, 2, 5), (0, 0, 3, 0),
    (1, 0, 0, 0), (1, 0, 0, 1), (1, 0, 0, 7), (2, 0, 0, 0),
    (0, 1, 0, 0), (0, 1, 0, 1), (0, 1, 0, 2), (0, 2, 0, 0), (0, 2, 0, 2), (0, 3, 0, 0),
    (0, 5, 0, 0), (0, 6, 0, 2), (0, 10, 2, 0), (0, 12, 0, 0),
    (0, 13, 0, 1), (0, 13, 0, 2), (0, 13, 0, 3), (0, 13, 0, 4),
    (1, 9, 0, 2), (0, 11, 0, 0), (0, 10, 0, 0),           # IMPLEMENTATION DEFINED space
)
# (opc1, crn, crm, opc2) that are safe to write with any value while the MMU is off
WRITES: tuple[tuple[int, int, int, int], ...] = (
    (0, 2, 0, 0), (0, 2, 0, 1), (0, 3, 0, 0), (0, 5, 0, 0), (0, 5, 0, 1), (0, 6, 0, 0),
    (0, 6, 0, 2), (0, 10, 2, 0), (0, 10, 2, 1), (0, 10, 3, 0), (0, 13, 0, 1), (0, 13, 0, 2),
    (0, 13, 0, 3), (0, 13, 0, 4), (2, 0, 0, 0),
    (0, 7, 5, 0), (0, 7, 5, 1), (0, 7, 1, 0), (0, 7, 11, 1), (0, 7, 6, 1), (0, 7, 6, 2),
    (0, 7, 10, 1), (0, 7, 10, 2), (0, 7, 14, 1), (0, 7, 14, 2), (0, 7, 10, 4), (0, 7, 10, 5),
    (0, 8, 7, 0), (0, 8, 7, 1), (0, 8, 7, 2), (0, 8, 7, 3), (0, 8, 3, 0), (0, 8, 3, 1),
)

_RUNTIME = """\
\t.arm
\t.syntax unified
\t.text
\t.global _start
_start:
\tmsr APSR_nzcvq, #0
\tldr sp, =hyp_stack_top
\tldr r0, =hyp_vectors
\tmcr p15, 4, r0, c12, c0, 0        @ HVBAR
\tldr r0, =pl1_vectors
\tmcr p15, 0, r0, c12, c0, 0        @ VBAR
\tmrc p15, 0, r0, c1, c0, 0
\tbic r0, r0, #(1 << 13)            @ SCTLR.V = 0
\tmcr p15, 0, r0, c1, c0, 0
\tmov r0, #(0xf << 20)              @ CPACR: cp10/cp11 full access
\tmcr p15, 0, r0, c1, c0, 2
\tisb
\tmov r0, #(1 << 30)                @ FPEXC.EN
\tvmsr fpexc, r0
\tmovw r0, #0x303                   @ CNTKCTL: PL0 may use both counters and timers
\tmcr p15, 0, r0, c14, c1, 0
\tldr r0, =svc_stack_top
\tmsr SP_svc, r0
\tldr r0, =und_stack_top
\tmsr SP_und, r0
\tmov r0, #0x1d3                    @ SVC, A I F masked
\tmsr SPSR_cxsf, r0
\tldr r0, =body
\tmsr ELR_hyp, r0
\teret

\t.balign 32
hyp_vectors:
\tb .
\tb hyp_undef
\tb hyp_svc_hvc
\tb .
\tb .
\tb hyp_trap
\tb .
\tb .
hyp_undef:                           @ UNDEFINED in Hyp mode (HVBAR+0x04): skip it
\tpush {r10}
\tmrs r10, ELR_hyp
\tadd r10, r10, #4
\tmsr ELR_hyp, r10
\tpop {r10}
\teret
hyp_svc_hvc:                         @ SVC or HVC in Hyp mode (HVBAR+0x08): ELR_hyp is the next
                                     @ instruction; svc #1 continues in mode r2
\tpush {r10, r11}
\tmrc p15, 4, r10, c5, c2, 0        @ HSR
\tlsr r11, r10, #26
\tcmp r11, #0x11
\tbne 1f
\tubfx r11, r10, #0, #16
\tcmp r11, #1
\tbne 1f
\tmrs r10, SPSR
\tbic r10, r10, #0x1f
\torr r10, r10, r2
\tmsr SPSR_cxsf, r10
1:\tpop {r10, r11}
\teret
hyp_trap:                            @ HVC #0: r0 HCR, r1 HSTR, r3 HCPTR, r4 CNTHCTL;
                                     @ HVC #2: continue in Hyp mode; other HVCs return;
                                     @ other traps: skip (HSR.IL: 4 or 2 bytes)
\tpush {r10, r11}
\tmrc p15, 4, r10, c5, c2, 0        @ HSR
\tlsr r11, r10, #26
\tcmp r11, #0x12
\tbeq 1f
\ttst r10, #(1 << 25)
\tmrs r10, ELR_hyp
\taddne r10, r10, #4
\taddeq r10, r10, #2
\tmsr ELR_hyp, r10
\tmrs r10, SPSR
\ttst r10, #0x20                    @ T32: ITAdvance on SPSR_hyp, but not after WFI/WFE
\tcmpne r11, #0x01                  @ (saved advanced by QEMU and qemu_compat_i)
\tbeq 3f
\tpush {r8, r9}
\tubfx r11, r10, #25, #2
\tubfx r9, r10, #10, #6
\torr r11, r11, r9, lsl #2          @ IT[7:0]
\ttst r11, #7
\tmoveq r11, #0
\tandne r9, r11, #0xe0
\tandne r11, r11, #0x0f
\torrne r11, r9, r11, lsl #1
\tbic r10, r10, #(3 << 25)
\tbic r10, r10, #(0x3f << 10)
\tand r9, r11, #3
\torr r10, r10, r9, lsl #25
\tlsr r9, r11, #2
\torr r10, r10, r9, lsl #10
\tmsr SPSR_cxsf, r10
\tpop {r8, r9}
3:\tpop {r10, r11}
\teret
1:\tubfx r11, r10, #0, #16
\tcmp r11, #2
\tbne 2f
\tmrs r10, SPSR
\torr r10, r10, #0x1f
\tbic r10, r10, #0x05               @ mode 0x1a: Hyp
\tmsr SPSR_cxsf, r10
\tpop {r10, r11}
\teret
2:\tcmp r11, #0                      @ HVC #imm16 != 0: no command, just return
\tpopne {r10, r11}
\teretne
\tmcr p15, 4, r0, c1, c1, 0         @ HCR
\tmcr p15, 4, r1, c1, c1, 3         @ HSTR
\tmcr p15, 4, r3, c1, c1, 2         @ HCPTR
\tmcr p15, 4, r4, c14, c1, 0        @ CNTHCTL
\tisb
\tpop {r10, r11}
\teret

\t.balign 32
pl1_vectors:
\tb .
\tb pl1_undef
\tb pl1_svc
\tb .
\tb .
\tb .
\tb .
\tb .
pl1_undef:                           @ skip the UNDEFINED instruction (T32: LR = address + 2)
\tpush {r10}
\tmrs r10, SPSR
\ttst r10, #0x20
\tbeq 1f
\tldrh r10, [lr, #-2]               @ hw1 of the T32 instruction
\tcmp r10, #0xe800
\taddhs lr, lr, #2                  @ 32-bit: past its second halfword
1:\tpop {r10}
\tmovs pc, lr
pl1_svc:                             @ svc #1: continue in mode r2 (A I F masked); others return
\tpush {r10}
\tmrs r10, SPSR
\ttst r10, #0x20                    @ from T32 code: no mode switch, return
\tpopne {r10}
\tmovsne pc, lr
\tldr r10, [lr, #-4]
\tbic r10, r10, #0xff000000
\tcmp r10, #1
\tpopne {r10}
\tmovsne pc, lr
\tmrs r10, SPSR
\tbic r10, r10, #0x1f
\torr r10, r10, r2
\tmsr SPSR_cxsf, r10
\tpop {r10}
\tmovs pc, lr
\t.ltorg
"""

_DATA = """\
\t.bss
\t.balign 8
\t.space 256
hyp_stack_top:
\t.space 256
svc_stack_top:
\t.space 256
und_stack_top:
"""


@dataclass
class HypGenConfig:
    blocks: int = 40
    insns_per_block: int = 12
    #: fraction of the PL1/PL0 blocks that run as T32 code (0: the A32 programs as before)
    thumb: float = 0.0
    #: QEMU-safe programs (lockstep with --compare-qemu): see the module docstring
    qemu: bool = False


# QEMU-safe CP15 accesses (opc1, crn, crm, opc2): registers whose values QEMU 7.2 and
# the core agree on with the MMU off (thread IDs, fault and translation-table
# registers, DACR, SCTLR, CPACR), TLB and cache maintenance (NOPs or traps)
SAFE_READS: tuple[tuple[int, int, int, int], ...] = (
    (0, 13, 0, 1), (0, 13, 0, 2), (0, 13, 0, 3), (0, 13, 0, 4), (0, 6, 0, 0), (0, 6, 0, 2),
    (0, 5, 0, 0), (0, 5, 0, 1), (0, 2, 0, 0), (0, 2, 0, 1), (0, 3, 0, 0), (0, 1, 0, 0), (0, 1, 0, 2),
)
SAFE_WRITES: tuple[tuple[int, int, int, int], ...] = (
    (0, 13, 0, 1), (0, 13, 0, 2), (0, 13, 0, 3), (0, 13, 0, 4), (0, 6, 0, 0), (0, 6, 0, 2),
    (0, 5, 0, 0), (0, 5, 0, 1), (0, 2, 0, 0), (0, 2, 0, 1), (0, 3, 0, 0),
    (0, 8, 7, 0), (0, 8, 7, 1), (0, 8, 7, 2), (0, 8, 3, 0), (0, 7, 5, 0), (0, 7, 5, 1),
    (0, 7, 10, 1), (0, 7, 14, 1), (0, 7, 6, 2),
)
#: PL0-accessible CP15 registers (TPIDRURW read/write, TPIDRURO read: hsr.pl0_accessible)
PL0_OK = {((0, 13, 0, 2), False), ((0, 13, 0, 2), True), ((0, 13, 0, 3), True)}
INVERSE = {"eq": "ne", "ne": "eq", "cs": "cc", "cc": "cs", "mi": "pl", "pl": "mi", "vs": "vc", "vc": "vs",
           "hi": "ls", "ls": "hi", "ge": "lt", "lt": "ge", "gt": "le", "le": "gt"}


def _safe_insn(rng: random.Random, thumb: bool, mode: Mode) -> tuple[str | None, str, bool]:
    """One QEMU-safe trapping (or trappable) instruction for a PL1/PL0 block: (set-up
    line or None, the instruction with ``{c}`` for its condition and, for WFI/WFE,
    ``{wfx}`` for the mnemonic, whether it may be UNDEFINED in ``mode``)."""
    usr = mode == Mode.USR
    kind = rng.random()
    if kind < 0.2:
        # WFI/WFE: the caller picks WFI only where it traps or its condition fails
        return None, "{wfx}{c}" + (".w" if thumb and rng.random() < 0.4 else ""), False
    if kind < 0.6:
        write = rng.random() < 0.5
        reg = rng.choice(SAFE_WRITES if write else SAFE_READS)
        opc1, crn, crm, opc2 = reg
        setup = f"mov r3, #0x{rng.randrange(256):x}" if write else None
        return (setup, f"{'mcr' if write else 'mrc'}{{c}} p15, {opc1}, r3, c{crn}, c{crm}, {opc2}",
                usr and (reg, not write) not in PL0_OK)
    if kind < 0.7:
        op, crm = rng.choice((("mcrr", 2), ("mrrc", 2), ("mrrc", 7)))
        opc1 = rng.randrange(2) if crm == 2 else 0
        return None, f"{op}{{c}} p15, {opc1}, r3, r4, c{crm}", usr
    if kind < 0.8:
        return None, rng.choice(("vmrs{c} r3, fpscr", f"vmov{{c}} s{rng.randrange(32)}, r3",
                                 f"vmov{{c}} r3, s{rng.randrange(32)}")), False
    if kind < 0.85 and not usr:
        return None, "vmrs{c} r3, fpexc", False
    if kind < 0.9:
        return None, f"svc{{c}} #{rng.randrange(2, 0xab)}", False     # not 1 (mode switch), not 0xab
    # HVC (UNDEFINED in User mode), SMC (trapped, a PSCI call or UNDEFINED in User mode), UDF: unconditional
    insn = rng.choice((f"hvc #{_hvc_imm(rng)}", "smc #0",
                       f"udf #{rng.randrange(256)}" if thumb else f"udf #{rng.randrange(0x10000)}",
                       f"udf.w #{rng.randrange(0x10000)}" if thumb else "udf #0"))
    return None, insn, True


def _safe_slot(rng: random.Random, thumb: bool, mode: Mode, hcr: int) -> list[str]:
    """Flags, then one QEMU-safe instruction (T32: inside an IT block when conditional and
    never UNDEFINED there, sometimes with a second instruction, ``add r6``, in the block)."""
    nzcv = rng.randrange(16)
    cond = rng.choice(CONDS)
    setup, insn, may_undef = _safe_insn(rng, thumb, mode)
    if may_undef and thumb:
        cond = ""
    passes = _cond_passes(cond, nzcv)
    wfx = "wfi" if (not passes or hcr & HCR.TWI) else "wfe"
    text = insn.format(c=cond, wfx=wfx)
    if not thumb:
        lines = [f"msr APSR_nzcvq, #0x{nzcv << 28:08x}"]
        return [f"\t{x}" for x in lines + ([setup] if setup else []) + [text]]
    lines = [f"mov.w r5, #0x{nzcv << 28:x}", "msr APSR_nzcvq, r5"] + ([setup] if setup else [])
    if not cond:
        return [f"\t{x}" for x in lines + [text]]
    # QEMU 7.2 leaves a stale ITSTATE in its CPU state after a CP15 access that is the
    # last instruction of an IT block (it syncs the IT state before the access check and
    # does not write the cleared state back at the end of the TB): the next instruction
    # runs with the block's condition. So a CP15 access always has a second instruction
    # after it in its block
    if rng.random() < 0.5 and not insn.startswith(("mcr", "mrc", "mrrc")):
        return [f"\t{x}" for x in lines + [f"it {cond}", text]]
    second = rng.choice(("t", "e"))
    cond2 = cond if second == "t" else INVERSE[cond]
    return [f"\t{x}" for x in lines + [f"it{second} {cond}", text, f"add{cond2} r6, r6, #1"]]


def _cp15(rng: random.Random, write: bool) -> str:
    opc1, crn, crm, opc2 = rng.choice(WRITES if write else READS)
    op = "mcr" if write else "mrc"
    return f"{op}{{cond}} p15, {opc1}, r3, c{crn}, c{crm}, {opc2}"


def _flags_for(rng: random.Random) -> tuple[int, str]:
    """A random NZCV value and the MSR that sets it."""
    nzcv = rng.randrange(16)
    return nzcv, f"\tmsr APSR_nzcvq, #0x{nzcv << 28:08x}"


def _cond_passes(cond: str, nzcv: int) -> bool:
    n, z, c, v = (nzcv >> 3) & 1, (nzcv >> 2) & 1, (nzcv >> 1) & 1, nzcv & 1
    return {
        "eq": z == 1, "ne": z == 0, "cs": c == 1, "cc": c == 0, "mi": n == 1, "pl": n == 0,
        "vs": v == 1, "vc": v == 0, "hi": c == 1 and z == 0, "ls": c == 0 or z == 1,
        "ge": n == v, "lt": n != v, "gt": z == 0 and n == v, "le": z == 1 or n != v, "": True,
    }[cond]


def _hvc_imm(rng: random.Random) -> int:
    """An HVC immediate with no command meaning (0: set the controls, 2: go to Hyp mode)."""
    return rng.choice((1, rng.randrange(3, 0x10000)))


def _exception_insn(rng: random.Random, cond: str) -> str:
    """An instruction that takes an exception in every mode: UDF, an access to an
    unallocated coprocessor (UNDEFINED; both AL only, hsr.is_known_undefined), or
    an SVC other than the mode-switch svc #1 and semihosting."""
    kind = rng.random()
    if kind < 0.35:
        return f"udf #{rng.randrange(0x10000)}"
    if kind < 0.6:
        cp = rng.choice(UNALLOCATED_COPROCS)
        return rng.choice((f"mrc p{cp}, {rng.randrange(8)}, r3, c{rng.randrange(16)}, c{rng.randrange(16)}, "
                           f"{rng.randrange(8)}",
                           f"mcr p{cp}, {rng.randrange(8)}, r3, c{rng.randrange(16)}, c{rng.randrange(16)}, "
                           f"{rng.randrange(8)}",
                           f"mrrc p{cp}, {rng.randrange(16)}, r3, r4, c{rng.randrange(16)}",
                           f"cdp p{cp}, {rng.randrange(16)}, c{rng.randrange(16)}, c{rng.randrange(16)}, "
                           f"c{rng.randrange(16)}, {rng.randrange(8)}"))
    return f"svc{cond} #{rng.randrange(2, 0x1000000) if rng.random() < 0.5 else rng.randrange(2, 0x10000)}"


def generate(seed: int, cfg: HypGenConfig | None = None) -> str:
    """Assembly source of one random Hyp-trap program."""
    cfg = cfg or HypGenConfig()
    rng = random.Random(seed)
    body = ["body:"]
    for block in range(cfg.blocks):
        hcr = 0
        for bit in TRAP_BITS:
            if rng.random() < 0.35:
                hcr |= bit
        hstr = 0
        for n in range(16):
            if n not in (4, 14) and rng.random() < 0.2:
                hstr |= 1 << n
        hcptr = rng.choice((0, 0, 1 << 10, 1 << 11, (1 << 10) | (1 << 11)))
        cnthctl = rng.randrange(4)          # PL1PCTEN, PL1PCEN
        if cfg.qemu and hcptr:
            hcptr = (1 << 10) | (1 << 11)   # QEMU traps on TCP10 alone (different values: UNPREDICTABLE)
        in_hyp = rng.random() < HYP_BLOCK_PROBABILITY and not cfg.qemu
        mode = Mode.HYP if in_hyp else rng.choice(MODES)
        thumb = cfg.thumb > 0 and not in_hyp and rng.random() < cfg.thumb
        body += [f"\tmovw r0, #0x{hcr & 0xFFFF:x}", f"\tmovt r0, #0x{hcr >> 16:x}",
                 f"\tmovw r1, #0x{hstr:x}", f"\tmovw r3, #0x{hcptr:x}",
                 f"\tmov r4, #{cnthctl}", "\thvc #0"]
        body += ["\thvc #2"] if in_hyp else [f"\tmov r2, #0x{int(mode):x}", "\tsvc #1"]
        if cfg.qemu:
            # QEMU-safe instructions; a T32 block interworks into a Thumb region and back
            if thumb:
                body += [f"\tblx t{block}_in", "\t.thumb", f"t{block}_in:"]
            for _ in range(cfg.insns_per_block):
                body += _safe_slot(rng, thumb, mode, hcr)
            if thumb:
                body += [f"\tadr.w r12, t{block}_out", "\tbx r12", "\t.balign 4", "\t.arm", f"t{block}_out:"]
            body += ["\tmov r2, #0x13", "\tsvc #1"]
            continue
        for _ in range(cfg.insns_per_block):
            nzcv, set_flags = _flags_for(rng)
            cond = rng.choice(CONDS)
            passes = _cond_passes(cond, nzcv)
            kind = rng.random()
            if kind < EXCEPTION_FRACTION:
                body += [set_flags, f"\t{_exception_insn(rng, cond)}"]
                continue
            kind = rng.random()
            if kind < 0.12:
                # WFI only where it cannot wait: it traps (never in Hyp mode), or its condition fails
                if not passes or (hcr & HCR.TWI and not in_hyp):
                    insn = f"wfi{cond}"
                else:
                    insn = f"wfe{cond}"
            elif kind < 0.2:
                insn = f"wfe{cond}"
            elif kind < 0.3:
                insn = f"smc{cond} #0"
            elif kind < 0.36:
                # 64-bit accesses: TTBR0, TTBR1, PAR (HSTR.T2/T7, HCR.TVM)
                op, crm = rng.choice((("mcrr", 2), ("mrrc", 2), ("mcrr", 7), ("mrrc", 7)))
                opc1 = rng.randrange(2) if crm == 2 else 0
                insn = f"{op}{cond} p15, {opc1}, r3, r4, c{crm}"
            elif kind < 0.42:
                # the generic timer: counters, physical and virtual timer registers
                insn = rng.choice((f"mrrc{cond} p15, 0, r3, r4, c14", f"mrrc{cond} p15, 1, r3, r4, c14",
                                   f"mrrc{cond} p15, 2, r3, r4, c14", f"mrc{cond} p15, 0, r3, c14, c2, 1",
                                   f"mrc{cond} p15, 0, r3, c14, c2, 0", f"mrc{cond} p15, 0, r3, c14, c3, 1",
                                   f"mrc{cond} p15, 0, r3, c14, c0, 0"))
            elif kind < 0.47:
                # from every PL1 mode and Hyp mode (UNDEFINED in User)
                body += [set_flags, f"\thvc #{_hvc_imm(rng)}"]
                continue
            elif kind < 0.5:
                insn = rng.choice((f"vmrs{cond} r3, fpscr", f"vmov{cond} s{rng.randrange(32)}, r3",
                                   f"vmov{cond} r3, s{rng.randrange(32)}", f"vmrs{cond} r3, fpexc",
                                   f"vmrs{cond} r3, fpsid", f"vmrs{cond} r3, mvfr0",
                                   f"vmrs{cond} r3, mvfr1"))
            else:
                write = rng.random() < 0.5
                insn = _cp15(rng, write).format(cond=cond)
                if write:
                    body.append(f"\tmov r3, #0x{rng.randrange(256):x}")
            body += [set_flags, f"\t{insn}"]
        body += ["\tmov r2, #0x13", "\tsvc #1"]
    body += ["\tmov r0, #0", "\tmov r1, #0", "\tmov r3, #0", "\tmov r4, #3", "\thvc #0",
             "\tmov r0, #0x18", "\tmovw r1, #0x26", "\tmovt r1, #0x2", "\tsvc 0x123456", "\tb ."]
    return (f"@ random Hyp-trap program, seed {seed}, {cfg.blocks} blocks x {cfg.insns_per_block}\n"
            "\t.fpu vfpv3\n"
            + _RUNTIME + "\n".join(body) + "\n" + _DATA)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hypsim.sequences.random_hyp",
                                 description="Generate a seeded random Hyp-trap program.")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--blocks", type=int, default=HypGenConfig.blocks)
    ap.add_argument("--thumb", type=float, default=0.0,
                    help="fraction of PL1/PL0 blocks in T32 (implies --qemu)")
    ap.add_argument("--qemu", action="store_true", help="QEMU-safe program (lockstep with --compare-qemu)")
    ap.add_argument("-o", "--output", type=Path, required=True, help="assembly output (.S)")
    args = ap.parse_args(argv)
    cfg = HypGenConfig(blocks=args.blocks, thumb=args.thumb, qemu=args.qemu or args.thumb > 0)
    args.output.write_text(generate(args.seed, cfg))
    return 0


if __name__ == "__main__":
    sys.exit(main())

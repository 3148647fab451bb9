"""The op words the system env's sequences give firmware/guests/mmiorand.c
(hypercall HYPSIM_HC_STEP) and what the guest reports back: one encoding,
shared by the sequences (tb/sequences/system_*.py) and the checkers
(tb/envs/system/checkers.py). Plain Python.

    [3:0] code; LOAD/STORE [6:4] kind, [11:8] Rt, [23:12] device offset;
    PSCI [8:4] function number, [9] SMC64 form, [17:10] r1, [18] r2;
    IRQ_WINDOW [4] WFI first, [15:8] NOPs; MODE [8:4] CPSR mode; VFP [31:4] pattern
"""
from __future__ import annotations

from dataclasses import dataclass

from hypsim.models import psci
from hypsim.vmm_abi import A

END, LOAD, STORE, PSCI_HVC, PSCI_SMC, IRQ_WINDOW, MODE, VFP = range(8)
OP_NAMES = ("END", "LOAD", "STORE", "PSCI_HVC", "PSCI_SMC", "IRQ_WINDOW", "MODE", "VFP")
# kind: (mnemonic, bytes, signed)
LOAD_KINDS = {0: ("LDRB", 1, False), 1: ("LDRSB", 1, True), 2: ("LDRH", 2, False), 3: ("LDRSH", 2, True),
              4: ("LDR", 4, False)}
STORE_KINDS = {0: ("STRB", 1, False), 2: ("STRH", 2, False), 4: ("STR", 4, False)}
RTS = tuple(range(13)) + (14,)          # r0-r12, lr (the guest has a routine for each)
MODES = {0x10: "USR", 0x11: "FIQ", 0x12: "IRQ", 0x13: "SVC", 0x17: "ABT", 0x1B: "UND", 0x1F: "SYS"}

TBDEV = A.HYPSIM_GUEST_TBDEV_IPA
TBDEV_SIZE = 0x1000
# PSCI function numbers a run may call: not CPU_OFF, SYSTEM_OFF, SYSTEM_RESET (32-bit forms), which end the VM
PSCI_NUMBERS = tuple(n for n in range(0x20) if n not in (2, 8, 9))
# interrupt lines the storm raises, by the guest's configuration (mmiorand.c): SPIs 48-63 edge, the rest level;
# SPI 33 is the PL011's (tb/vmm.py), PPIs 25-27 and 30 the maintenance, Hyp timer, virtual and physical timers
LEVEL_SPIS = tuple(range(34, 48))
EDGE_SPIS = tuple(range(48, 64))
PPIS = tuple(range(16, 25)) + (28, 29, 31)
CPU_ACK = 0x10000                        # TBDEV_ACK value 0x10000 | n: CPU line n (0 IRQ, 1 FIQ)


def load(kind: int, rt: int, off: int) -> int:
    return LOAD | kind << 4 | rt << 8 | off << 12


def store(kind: int, rt: int, off: int) -> int:
    return STORE | kind << 4 | rt << 8 | off << 12


def psci_op(number: int, smc64: bool, a1: int, a2: int, smc: bool = False) -> int:
    return (PSCI_SMC if smc else PSCI_HVC) | number << 4 | int(smc64) << 9 | (a1 & 0xFF) << 10 | (a2 & 1) << 18


def irq_window(nops: int, wfi: bool) -> int:
    return IRQ_WINDOW | int(wfi) << 4 | (nops & 0xFF) << 8


def mode_op(mode: int) -> int:
    return MODE | mode << 4


def vfp_op(pattern: int) -> int:
    return VFP | (pattern & 0x0FFFFFFF) << 4


@dataclass(frozen=True)
class Access:
    """A LOAD/STORE op decoded."""
    mnemonic: str
    size: int
    signed: bool
    write: bool
    rt: int
    offset: int

    @property
    def ipa(self) -> int:
        return TBDEV + self.offset


def access(op: int) -> Access:
    code, kind = op & 0xF, (op >> 4) & 7
    mnem, size, signed = (LOAD_KINDS if code == LOAD else STORE_KINDS)[kind]
    return Access(mnem, size, signed, code == STORE, (op >> 8) & 0xF, (op >> 12) & 0xFFF)


def psci_call(op: int) -> tuple[int, int, int]:
    """(function id, r1, r2) the guest passes for a PSCI op (FEATURES gets a function id in r1)."""
    number, a1, a2 = (op >> 4) & 0x1F, (op >> 10) & 0xFF, (op >> 18) & 1
    fn = 0x84000000 | number | (psci.SMC64 if op & 0x200 else 0)
    if fn == psci.FEATURES:
        a1 = 0x84000000 | (a1 & 0x1F) | ((a1 & 0x80) << 23)
    return fn, a1, a2


def extend(value: int, size: int, signed: bool) -> int:
    """A load's register value from the data the VMM served: the low `size` bytes, sign- or zero-extended."""
    bits = 8 * size
    v = value & ((1 << bits) - 1)
    if signed and v >> (bits - 1):
        v |= (0xFFFFFFFF << bits) & 0xFFFFFFFF
    return v


def vfp_expected(op: int) -> int:
    """mmiorand's VFP op: D0 = (op >> 4, ~op) and back, the two words XORed."""
    return ((op >> 4) ^ ~op) & 0xFFFFFFFF


def describe(op: int) -> str:
    code = op & 0xF
    if code in (LOAD, STORE):
        a = access(op)
        return f"{a.mnemonic} {'lr' if a.rt == 14 else f'r{a.rt}'}, [0x{a.ipa:08x}]"
    if code in (PSCI_HVC, PSCI_SMC):
        fn, a1, a2 = psci_call(op)
        return f"PSCI {psci.name(fn)} (0x{fn:08x}, r1 0x{a1:x}, r2 {a2}) via {'SMC' if code == PSCI_SMC else 'HVC'}"
    if code == IRQ_WINDOW:
        return f"IRQ window ({(op >> 8) & 0xFF} NOPs{', WFI first' if op & 0x10 else ''})"
    if code == MODE:
        return f"mode tour {MODES.get((op >> 4) & 0x1F, hex((op >> 4) & 0x1F))}"
    return OP_NAMES[code] if code < len(OP_NAMES) else f"op 0x{op:08x}"

"""The testbench's VMM: QEMU's userspace role for the hypervisor firmware.

The host firmware hands every exit it does not handle itself to the VMM: it
fills a ``struct hypsim_run`` (firmware/include/vmm_abi.h) and stores the
struct's PA to the doorbell (rtl/soc/soc_vmm_port.sv); the core stalls on
that store until the VMM has answered. The cocotb side (tb/cocotb_top.py)
wakes only on the doorbell, reads the struct through the RAM backdoor, calls
:meth:`Vmm.handle`, writes the answer back and acks. This module is the pure
logic, plain Python, unit-tested without a simulator (tests/test_vmm.py).

What the VMM serves, per VM (VM index = RUN_VM, creation order):

* ``KVM_EXIT_MMIO`` to the guest's PL011 at IPA 0x0900_0000 (4 KiB), the same
  register subset as rtl/soc/soc_pl011.sv and QEMU: DR write -> that VM's
  console, DR read -> 0 (nothing received), FR = TXFE|RXFE (0x90), ILPR,
  IBRD, FBRD, LCR_H, CR (reset 0x300), IFLS (reset 0x12), IMSC and DMACR
  read back what was written (at their register widths), RIS/MIS with TXRIS
  set by every DR write (the transmitter empties at once, as QEMU's), ICR
  clears, the PrimeCell IDs 0xFE0-0xFFC = 0x11 0x10 0x14 0x00 0x0d 0xf0 0x05
  0xb1, everything else reads 0 and ignores writes. Byte and halfword
  accesses select lanes of the 32-bit register (reads shift, writes merge into
  the current value). Whenever (RIS & IMSC) != 0 changes, the answer carries
  a KVM_IRQ_LINE request for SPI 1 (GIC ID 33): ``(SPI << 24) | 33`` with
  level 1 or 0. An MMIO exit to any other IPA stops the run (exit 1).
* ``KVM_EXIT_SYSTEM_EVENT``: SHUTDOWN powers the VM off; once every VM the
  boot-info block announced (``seq_runs`` if set, else ``nr_vms``) is off the
  run ends with exit 0. RESET ends it with exit 1.
* ``KVM_EXIT_HYPERCALL`` (SMCCC vendor-specific hypervisor range
  HYPSIM_HC_BASE..HYPSIM_HC_LAST): :data:`HC_VM_INDEX` returns the VM index,
  :data:`HC_XOR` returns ``arg0 ^ arg1``; every other number returns
  0xffffffff (SMCCC NOT_SUPPORTED, -1), as KVM does for calls it does not know,
  among them :data:`HC_TBDEV` and :data:`HC_STEP`, which only the system env's
  sequences serve (tb/envs/system, tb/sequences/system_base.py).
* ``KVM_EXIT_ARM_NISV``, ``KVM_EXIT_INTERNAL_ERROR`` (RUN_FAIL_CODE =
  HYPSIM_ERR_*) and any other reason stop the run (exit 1) with a message.

A stop is a :class:`VmmStop` exception (exit code and message): the glue ends
the simulation without acking.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .vmm_abi import A, kvm_irq

#: Hypercalls the VMM implements (r0 = nr, r1-r4 = arg0-arg3, result in r0).
HC_VM_INDEX = A.HYPSIM_HC_VM_INDEX   # -> the calling VM's index
HC_XOR = A.HYPSIM_HC_XOR             # -> arg0 ^ arg1
HC_NOT_SUPPORTED = 0xFFFF_FFFF       # SMCCC_RET_NOT_SUPPORTED (-1)
#: served only by the system env's sequences (tb/envs/system): the plain VMM answers NOT_SUPPORTED,
#: so firmware/guests/mmiorand.c finds no testbench device and has nothing to do
HC_TBDEV = A.HYPSIM_HC_TBDEV
HC_STEP = A.HYPSIM_HC_STEP

UART_IPA = A.HYPSIM_GUEST_UART_IPA
UART_SIZE = 0x1000
UART_INTID = 33                       # SPI 1: ../shared/ARCHITECTURE.md "Memory map"
UART_IRQ = kvm_irq(A.KVM_ARM_IRQ_TYPE_SPI, 0, UART_INTID)

PL011_TXRIS = 1 << 5
PL011_ID = {0xFE0: 0x11, 0xFE4: 0x10, 0xFE8: 0x14, 0xFEC: 0x00,
            0xFF0: 0x0D, 0xFF4: 0xF0, 0xFF8: 0x05, 0xFFC: 0xB1}
# read/write registers: offset -> (name, width mask, reset value)
PL011_RW = {0x020: ("ILPR", 0xFF, 0), 0x024: ("IBRD", 0xFFFF, 0), 0x028: ("FBRD", 0x3F, 0),
            0x02C: ("LCR_H", 0xFF, 0), 0x030: ("CR", 0xFFFF, 0x300), 0x034: ("IFLS", 0x3F, 0x12),
            0x038: ("IMSC", 0x7FF, 0), 0x048: ("DMACR", 0x7, 0)}

EXIT_NAMES = {A.KVM_EXIT_UNKNOWN: "KVM_EXIT_UNKNOWN", A.KVM_EXIT_HYPERCALL: "KVM_EXIT_HYPERCALL",
              A.KVM_EXIT_MMIO: "KVM_EXIT_MMIO", A.KVM_EXIT_INTERNAL_ERROR: "KVM_EXIT_INTERNAL_ERROR",
              A.KVM_EXIT_SYSTEM_EVENT: "KVM_EXIT_SYSTEM_EVENT", A.KVM_EXIT_ARM_NISV: "KVM_EXIT_ARM_NISV"}


class VmmStop(Exception):
    """The run ends here: ``exit_code`` (0 all VMs powered off, 1 anything else) and why."""

    def __init__(self, exit_code: int, message: str) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.message = message


class Pl011:
    """One VM's PL011 (see the module docstring); registers are 32-bit words."""

    def __init__(self) -> None:
        self.regs = {off: reset for off, (_, _, reset) in PL011_RW.items()}
        self.ris = 0

    @property
    def line(self) -> bool:
        return bool(self.ris & self.regs[0x038])

    def read_reg(self, off: int) -> int:
        if off in PL011_RW:
            return self.regs[off]
        if off == 0x018:
            return 0x90                     # FR: TXFE | RXFE
        if off == 0x03C:
            return self.ris
        if off == 0x040:
            return self.ris & self.regs[0x038]
        return PL011_ID.get(off, 0)         # DR, RSR, ICR (write-only) and the rest: 0

    def write_reg(self, off: int, value: int, lanes: int) -> bytes:
        """Write the 32-bit ``value`` (only byte ``lanes`` bits were written); return TX bytes."""
        if off == 0x000:
            if lanes & 1:
                self.ris |= PL011_TXRIS
                return bytes([value & 0xFF])
        elif off == 0x044:
            self.ris &= ~value & 0x7FF
        elif off in PL011_RW:
            self.regs[off] = value & PL011_RW[off][1]
        return b""

    def access(self, offset: int, size: int, is_write: bool, data: int) -> tuple[int, bytes]:
        """One access of ``size`` bytes at ``offset``: (read value, bytes transmitted)."""
        reg, shift = offset & ~3, 8 * (offset & 3)
        mask = (1 << (8 * size)) - 1
        cur = self.read_reg(reg)
        if not is_write:
            return (cur >> shift) & mask, b""
        lanes = ((1 << size) - 1) << (offset & 3)
        if reg in (0x000, 0x044):
            cur = 0                            # write-only: no stale bits to merge
        value = (cur & ~(mask << shift)) | ((data & mask) << shift)
        return 0, self.write_reg(reg, value, lanes)


@dataclass
class Vmm:
    """The VMM of one run: ``nr_vms`` VMs at once, ``seq_runs`` rounds (0 = once).

    ``console(vm, data)`` receives every byte a VM transmits; the bytes are also
    kept in :attr:`consoles`.
    """

    nr_vms: int = 1
    seq_runs: int = 0
    console: Callable[[int, bytes], None] | None = None
    uarts: dict[int, Pl011] = field(default_factory=dict)
    irq_level: dict[int, bool] = field(default_factory=dict)
    consoles: dict[int, bytearray] = field(default_factory=dict)
    powered_off: list[int] = field(default_factory=list)
    pages: dict[int, tuple[int, int]] = field(default_factory=dict)   # vm -> (mapped, dirty) at power-off
    exits: Counter = field(default_factory=Counter)

    @property
    def expected_vms(self) -> int:
        """VMs the host creates in all: BI_SEQ_RUNS of them when set (VM after VM,
        nr_vms at a time), else nr_vms (firmware/host/main.c maybe_start_next)."""
        return self.seq_runs or self.nr_vms

    def handle(self, run: dict) -> dict:
        """Serve one exit (a dict from hypsim.vmm_abi.decode_run); return the fields to write.

        Raises :class:`VmmStop` when the run must end.
        """
        reason = run["exit_reason"]
        self.exits[EXIT_NAMES.get(reason, reason)] += 1
        if reason == A.KVM_EXIT_MMIO:
            return self._mmio(run)
        if reason == A.KVM_EXIT_HYPERCALL:
            return {"hc_ret": self._hypercall(run), "irq": []}
        if reason == A.KVM_EXIT_SYSTEM_EVENT:
            return self._system_event(run)
        if reason == A.KVM_EXIT_ARM_NISV:
            raise VmmStop(1, f"guest vm {run['vm']}: an MMIO access without a valid syndrome "
                             f"(HSR 0x{run['fail_hsr']:08x}) at IPA 0x{_fault_ipa(run):08x} "
                             f"PC 0x{run['guest_pc']:08x}: hypsim's host, like KVM, cannot emulate it")
        if reason == A.KVM_EXIT_INTERNAL_ERROR:
            raise VmmStop(1, _internal_error(run))
        raise VmmStop(1, f"unknown exit reason {reason} (guest vm {run['vm']} vcpu {run['vcpu']}, "
                         f"guest PC 0x{run['guest_pc']:08x}): the host handed the VMM an exit it does not know")

    # ---- exits -------------------------------------------------------------------
    def _mmio(self, run: dict) -> dict:
        vm, addr, size, write = run["vm"], run["mmio_addr"], run["mmio_len"], bool(run["mmio_is_write"])
        rw = "write" if write else "read"
        if not UART_IPA <= addr < UART_IPA + UART_SIZE:
            raise VmmStop(1, f"guest vm {vm} accessed IPA 0x{addr:08x} ({rw}, {size} bytes) with no memory "
                             f"and no device at guest PC 0x{run['guest_pc']:08x}")
        off = addr - UART_IPA
        if size not in (1, 2, 4) or (off & (size - 1)):
            raise VmmStop(1, f"guest vm {vm}: a {size}-byte {rw} of the PL011 at IPA 0x{addr:08x} (guest PC "
                             f"0x{run['guest_pc']:08x}): the VMM serves aligned 1, 2 and 4-byte accesses only")
        uart = self.uarts.setdefault(vm, Pl011())
        value, tx = uart.access(off, size, write, run["mmio_data"])
        if tx:
            self.consoles.setdefault(vm, bytearray()).extend(tx)
            if self.console is not None:
                self.console(vm, tx)
        answer: dict = {"irq": self._irq_changes(vm, uart)}
        if not write:
            answer["mmio_data"] = value
        return answer

    def _irq_changes(self, vm: int, uart: Pl011) -> list[tuple[int, int]]:
        level = uart.line
        if level == self.irq_level.get(vm, False):
            return []
        self.irq_level[vm] = level
        return [(UART_IRQ, int(level))]

    def _hypercall(self, run: dict) -> int:
        nr = run["hc_nr"]
        if nr == HC_VM_INDEX:
            return run["vm"]
        if nr == HC_XOR:
            return run["hc_arg0"] ^ run["hc_arg1"]
        return HC_NOT_SUPPORTED

    def _system_event(self, run: dict) -> dict:
        vm, event = run["vm"], run["system_event"]
        if event == A.KVM_SYSTEM_EVENT_SHUTDOWN:
            self.pages[vm] = (run["mapped_pages"], run["dirty_pages"])
            if vm not in self.powered_off:
                self.powered_off.append(vm)
            if len(self.powered_off) >= self.expected_vms:
                n = len(self.powered_off)
                raise VmmStop(0, f"{'the guest' if n == 1 else f'all {n} guest VMs'} powered off "
                                 f"(PSCI SYSTEM_OFF)")
            return {"irq": []}
        if event == A.KVM_SYSTEM_EVENT_RESET:
            raise VmmStop(1, f"guest vm {vm} asked for a reset (PSCI SYSTEM_RESET) at guest PC "
                             f"0x{run['guest_pc']:08x}: hypsim does not reboot guests")
        raise VmmStop(1, f"guest vm {vm}: unknown system event {event} at guest PC 0x{run['guest_pc']:08x}")


def read_events(path: Path | None) -> list[dict]:
    """The exchanges a run logged to vmm-events.jsonl (tb/cocotb_top.py, the system env), in order;
    [] without a log. A run killed mid-line leaves a torn last line: the rest is lost, not wrong."""
    if path is None or not Path(path).exists():
        return []
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    break
    return out


def _fault_ipa(run: dict) -> int:
    """The faulting IPA: HPFAR[31:4] = IPA[39:12], the page offset from HDFAR/HIFAR."""
    if run["fail_hpfar"]:
        return ((run["fail_hpfar"] >> 4) << 12) | (run["fail_far"] & 0xFFF)
    return run["mmio_addr"]


def _internal_error(run: dict) -> str:
    vm, pc, hsr, code = run["vm"], run["guest_pc"], run["fail_hsr"], run["fail_code"]
    where = f"guest vm {vm} vcpu {run['vcpu']} at guest PC 0x{pc:08x}"
    if code == A.HYPSIM_ERR_UNKNOWN_EXIT:
        return (f"host internal error HYPSIM_ERR_UNKNOWN_EXIT: {where} exited with HSR EC 0x{hsr >> 26:02x} "
                f"(HSR 0x{hsr:08x}), which the host has no handler for")
    if code == A.HYPSIM_ERR_NO_MEMORY:
        return f"host internal error HYPSIM_ERR_NO_MEMORY: the host's page pool is exhausted ({where})"
    if code == A.HYPSIM_ERR_DEADLOCK:
        return (f"host internal error HYPSIM_ERR_DEADLOCK: deadlock, every vCPU waits for an interrupt that cannot "
                f"come (last: {where})")
    if code == A.HYPSIM_ERR_BAD_BOOTINFO:
        return "host internal error HYPSIM_ERR_BAD_BOOTINFO: the host rejected the boot-info block"
    if code == A.HYPSIM_ERR_NO_DEVICE:
        return (f"host internal error HYPSIM_ERR_NO_DEVICE: {where} accessed IPA 0x{_fault_ipa(run):08x} "
                f"with no memory and no device (HSR 0x{hsr:08x})")
    return f"host internal error with unknown code {code} ({where}, HSR 0x{hsr:08x})"

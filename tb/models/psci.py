"""What the hypervisor's PSCI (firmware/host/psci.c) answers a guest: QEMU
7.2's PSCI 1.1 as a guest on `-M virt` sees it (ARM DEN 0022).
Plain Python: the system env's checker compares the guest's r0 with it.

vCPUs: ``on[i]`` says whether vCPU i is powered on; vCPU i's affinity
(VMPIDR[23:0]) is i, and a target must equal it exactly, as QEMU's
arm_get_cpu_by_id compares it (0x80000001 names no CPU). A secondary
started by CPU_ON enters with :func:`cpu_on_state` (measured on QEMU 7.2
-smp 2 by firmware/guests/smp.c).
"""
from __future__ import annotations

VERSION, CPU_SUSPEND, CPU_OFF, CPU_ON, AFFINITY_INFO = 0x84000000, 0x84000001, 0x84000002, 0x84000003, 0x84000004
MIGRATE, MIGRATE_INFO_TYPE, MIGRATE_INFO_UP_CPU = 0x84000005, 0x84000006, 0x84000007
SYSTEM_OFF, SYSTEM_RESET, FEATURES = 0x84000008, 0x84000009, 0x8400000A
SMC64 = 0x40000000

NAMES = {VERSION: "VERSION", CPU_SUSPEND: "CPU_SUSPEND", CPU_OFF: "CPU_OFF", CPU_ON: "CPU_ON",
         AFFINITY_INFO: "AFFINITY_INFO", MIGRATE: "MIGRATE", MIGRATE_INFO_TYPE: "MIGRATE_INFO_TYPE",
         MIGRATE_INFO_UP_CPU: "MIGRATE_INFO_UP_CPU", SYSTEM_OFF: "SYSTEM_OFF", SYSTEM_RESET: "SYSTEM_RESET",
         FEATURES: "FEATURES"}
IMPLEMENTED = {VERSION, CPU_SUSPEND, CPU_OFF, CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF,
               SYSTEM_RESET, FEATURES}

SUCCESS, NOT_SUPPORTED, INVALID_PARAMETERS, ALREADY_ON = 0, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFC
VERSION_1_1 = 0x00010001
MIGRATION_NOT_REQUIRED = 2
AFFINITY_ON, AFFINITY_OFF = 0, 1
#: CPSR of a secondary entering after CPU_ON: SVC, A/I/F masked, Z set (QEMU 7.2 -smp 2, measured)
CPU_ON_CPSR = 0x400001D3
PSR_T = 1 << 5


def is_psci(fn: int) -> bool:
    """The function ids the host's PSCI takes (the SMC32 and SMC64 ranges), psci.c kvm_is_psci_call."""
    return fn & 0xBFFFFFE0 == 0x84000000


def name(fn: int) -> str:
    """VERSION, CPU_ON, ... ; SMC64 forms "<name>_64"; others "unknown"."""
    if fn & SMC64 and fn & ~SMC64 in NAMES:
        return NAMES[fn & ~SMC64] + "_64"
    return NAMES.get(fn, "unknown")


def target(a1: int, nr_vcpus: int) -> int | None:
    """The vCPU whose affinity is exactly ``a1``, or None."""
    return a1 if 0 <= a1 < nr_vcpus else None


def result(fn: int, a1: int, a2: int, vcpu: int = 0, on: tuple[bool, ...] | None = None) -> int:
    """r0 after the call by vCPU ``vcpu`` (CPU_OFF, SYSTEM_OFF and SYSTEM_RESET end the vCPU or
    VM instead); ``on``: which vCPUs of the VM are on (default: one vCPU, the caller)."""
    if on is None:
        on = tuple(i == vcpu for i in range(vcpu + 1))
    if fn == VERSION:
        return VERSION_1_1
    if fn == CPU_SUSPEND:
        return SUCCESS
    if fn == CPU_ON:
        t = target(a1, len(on))
        return INVALID_PARAMETERS if t is None else ALREADY_ON if on[t] else SUCCESS
    if fn == AFFINITY_INFO:
        if a2 != 0:                 # QEMU: every affinity level above 0 is ON (measured, guests/smp.c)
            return AFFINITY_ON
        t = target(a1, len(on))
        if t is None:
            return INVALID_PARAMETERS
        return AFFINITY_ON if on[t] else AFFINITY_OFF
    if fn == MIGRATE_INFO_TYPE:
        return MIGRATION_NOT_REQUIRED
    if fn == FEATURES:
        return SUCCESS if a1 in IMPLEMENTED else NOT_SUPPORTED
    return NOT_SUPPORTED


def cpu_on_state(entry: int, context_id: int) -> dict[str, int]:
    """The registers CPU_ON gives the target (the rest as at reset): pc, cpsr, r0-r3, SP_svc."""
    return {"pc": entry & ~1, "cpsr": CPU_ON_CPSR | (PSR_T if entry & 1 else 0),
            "r0": context_id, "r1": 0, "r2": 0, "r3": 0, "sp_svc": 0}

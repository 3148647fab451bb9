"""What the hypervisor's PSCI (firmware/host/psci.c) answers a guest with one
vCPU: QEMU 7.2's PSCI 1.1 as a guest on `-M virt` sees it (ARM DEN 0022).
Plain Python: the system env's checker compares the guest's r0 with it.
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


def is_psci(fn: int) -> bool:
    """The function ids the host's PSCI takes (the SMC32 and SMC64 ranges), psci.c kvm_is_psci_call."""
    return fn & 0xBFFFFFE0 == 0x84000000


def name(fn: int) -> str:
    """VERSION, CPU_ON, ... ; SMC64 forms "<name>_64"; others "unknown"."""
    if fn & SMC64 and fn & ~SMC64 in NAMES:
        return NAMES[fn & ~SMC64] + "_64"
    return NAMES.get(fn, "unknown")


def result(fn: int, a1: int, a2: int, vcpu: int = 0) -> int:
    """r0 after the call (CPU_OFF, SYSTEM_OFF and SYSTEM_RESET end the VM instead)."""
    if fn == VERSION:
        return VERSION_1_1
    if fn == CPU_SUSPEND:
        return SUCCESS
    if fn == CPU_ON:
        return ALREADY_ON if a1 & 0xFF == vcpu else INVALID_PARAMETERS
    if fn == AFFINITY_INFO:
        return 0 if a1 & 0xFF == vcpu and a2 == 0 else INVALID_PARAMETERS
    if fn == MIGRATE_INFO_TYPE:
        return MIGRATION_NOT_REQUIRED
    if fn == FEATURES:
        return SUCCESS if a1 in IMPLEMENTED else NOT_SUPPORTED
    return NOT_SUPPORTED

"""The VMM model (tb/vmm.py) and the ABI parse (tb/vmm_abi.py), without a simulator."""
from __future__ import annotations

import pytest

from hypsim.vmm import HC_NOT_SUPPORTED, HC_VM_INDEX, HC_XOR, UART_IRQ, Vmm, VmmStop
from hypsim.vmm_abi import (ABI, HEADER, RUN_SCALARS, USED_NAMES, A, bootinfo_bytes, decode_run, encode_answer,
                            encode_run, kvm_irq, parse_header, run_words)

UART = 0x0900_0000


def run(**fields) -> dict:
    base = {k: 0 for k in RUN_SCALARS}
    base.update(mmio_data=0, irq=[])
    base.update(fields)
    return base


def mmio(vm: int, off: int, size: int = 4, data: int | None = None, pc: int = 0x40010000) -> dict:
    return run(exit_reason=A.KVM_EXIT_MMIO, vm=vm, guest_pc=pc, mmio_addr=UART + off, mmio_len=size,
               mmio_is_write=int(data is not None), mmio_data=data or 0)


def read(vmm: Vmm, off: int, size: int = 4, vm: int = 0) -> int:
    return vmm.handle(mmio(vm, off, size))["mmio_data"]


# ---- ABI ------------------------------------------------------------------------------

def test_every_name_the_vmm_uses_is_defined_in_the_header() -> None:
    missing = [n for n in USED_NAMES if n not in ABI]
    assert not missing, f"{HEADER} lacks {missing}"


def test_header_parse_reads_hex_and_decimal_and_ignores_the_rest() -> None:
    text = "#define A 0x10\n#  define B 7   /* c */\n#define C(x) (x)\n#define D FOO\n#ifndef E\n#define F 12u\n"
    assert parse_header(text) == {"A": 16, "B": 7, "F": 12}


def test_struct_layout_is_consistent() -> None:
    assert A.RUN_IRQ + 8 * A.RUN_IRQ_MAX <= A.RUN_BYTES
    offs = sorted(RUN_SCALARS.values())
    assert all(o + 4 <= A.RUN_BYTES and not A.RUN_IRQ <= o < A.RUN_IRQ + 8 * A.RUN_IRQ_MAX for o in offs)
    assert len(offs) == len(set(offs)) and all(o % 4 == 0 for o in offs)
    assert A.BI_BYTES % 4 == 0 and A.HYPSIM_BOOTINFO_PA + A.BI_BYTES <= A.HYPSIM_RAM_PA + A.HYPSIM_RAM_BYTES
    # the boot-info fields (BI_NR_VCPUS among them): distinct words inside the block
    from hypsim.vmm_abi import ABI
    bi = [v for n, v in ABI.items() if n.startswith("BI_") and n != "BI_BYTES"]
    assert len(bi) == len(set(bi)) and all(o % 4 == 0 and o + 4 <= A.BI_BYTES for o in bi)
    assert A.BI_NR_CPUS + 4 == A.BI_BYTES and A.KVM_MAX_VCPUS == 2 and A.HYPSIM_HOST_MAX_CPUS == 2


def test_decode_encode_round_trip() -> None:
    raw = encode_run({"exit_reason": 6, "vm": 2, "mmio_addr": UART, "mmio_data": 0x1122334455667788,
                      "irq": [(UART_IRQ, 1)]})
    words = [int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw), 4)]
    assert len(words) == run_words()
    r = decode_run(words)
    assert (r["exit_reason"], r["vm"], r["mmio_addr"]) == (6, 2, UART)
    assert r["mmio_data"] == 0x1122334455667788 and r["irq"] == [(UART_IRQ, 1)]
    ans = encode_answer({"mmio_data": 0x90, "hc_ret": 5, "irq": []})
    assert ans == {A.RUN_MMIO_DATA: 0x90, A.RUN_MMIO_DATA + 4: 0, A.RUN_HC_RET: 5, A.RUN_IRQ_COUNT: 0}
    with pytest.raises(KeyError):
        encode_answer({"vm": 1})


def test_kvm_irq_line_encoding() -> None:
    assert UART_IRQ == (1 << 24) | 33 == kvm_irq(A.KVM_ARM_IRQ_TYPE_SPI, 0, 33)


def test_bootinfo_block() -> None:
    data = bootinfo_bytes({"BI_FLAGS": A.HYPSIM_BI_F_VMM, "BI_NR_VMS": 3})
    assert len(data) == A.BI_BYTES
    word = lambda off: int.from_bytes(data[off:off + 4], "little")  # noqa: E731
    assert word(A.BI_MAGIC) == 0x73707968 and data[:4] == b"hyps"
    assert (word(A.BI_VERSION), word(A.BI_FLAGS), word(A.BI_NR_VMS), word(A.BI_SEQ_RUNS)) == (1, 1, 3, 0)
    with pytest.raises(KeyError):
        bootinfo_bytes({"RUN_VM": 1})


# ---- PL011 ----------------------------------------------------------------------------

def test_dr_write_goes_to_that_vms_console() -> None:
    seen: list[tuple[int, bytes]] = []
    vmm = Vmm(nr_vms=2, console=lambda vm, b: seen.append((vm, b)))
    vmm.handle(mmio(0, 0x000, 4, ord("h")))
    vmm.handle(mmio(1, 0x000, 1, ord("X")))
    vmm.handle(mmio(0, 0x000, 1, 0x100 | ord("i")))   # only the low byte is data
    assert seen == [(0, b"h"), (1, b"X"), (0, b"i")]
    assert vmm.consoles == {0: bytearray(b"hi"), 1: bytearray(b"X")}
    assert read(vmm, 0x000) == 0


def test_flags_ids_and_reset_values() -> None:
    vmm = Vmm()
    assert read(vmm, 0x018) == 0x90
    assert read(vmm, 0x030) == 0x300 and read(vmm, 0x034) == 0x12
    ids = [read(vmm, off) for off in range(0xFE0, 0x1000, 4)]
    assert ids == [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]
    assert read(vmm, 0x03C) == 0 and read(vmm, 0x040) == 0 and read(vmm, 0x800) == 0


@pytest.mark.parametrize("off,value,back", [(0x024, 0x1234, 0x1234), (0x028, 0x3F, 0x3F), (0x02C, 0x70, 0x70),
                                            (0x030, 0x301, 0x301), (0x034, 0x2D, 0x2D), (0x038, 0x50, 0x50),
                                            (0x024, 0xFFFF_FFFF, 0xFFFF)])
def test_registers_read_back(off: int, value: int, back: int) -> None:
    vmm = Vmm()
    vmm.handle(mmio(0, off, 4, value))
    assert read(vmm, off) == back


def test_byte_and_halfword_accesses_select_lanes() -> None:
    vmm = Vmm()
    vmm.handle(mmio(0, 0x024, 4, 0xABCD))
    assert read(vmm, 0x024, 1) == 0xCD and read(vmm, 0x025, 1) == 0xAB and read(vmm, 0x024, 2) == 0xABCD
    vmm.handle(mmio(0, 0x025, 1, 0x12))
    assert read(vmm, 0x024) == 0x12CD
    assert read(vmm, 0xFE0, 1) == 0x11


def test_tx_interrupt_raises_and_lowers_spi1() -> None:
    vmm = Vmm()
    assert vmm.handle(mmio(0, 0x000, 4, ord("a")))["irq"] == []          # TXRIS set but masked
    assert read(vmm, 0x03C) & 0x20 and read(vmm, 0x040) == 0
    assert vmm.handle(mmio(0, 0x038, 4, 0x20))["irq"] == [(UART_IRQ, 1)]  # unmask: line up
    assert read(vmm, 0x040) == 0x20
    assert vmm.handle(mmio(0, 0x000, 4, ord("b")))["irq"] == []          # still up: no change
    assert vmm.handle(mmio(0, 0x044, 4, 0x20))["irq"] == [(UART_IRQ, 0)]  # ICR: line down
    assert read(vmm, 0x03C) == 0
    assert vmm.handle(mmio(0, 0x000, 4, ord("c")))["irq"] == [(UART_IRQ, 1)]
    assert vmm.handle(mmio(0, 0x038, 4, 0))["irq"] == [(UART_IRQ, 0)]    # mask: line down


def test_each_vm_has_its_own_uart() -> None:
    vmm = Vmm(nr_vms=2)
    vmm.handle(mmio(0, 0x038, 4, 0x20))
    assert read(vmm, 0x038, vm=1) == 0
    assert vmm.handle(mmio(1, 0x000, 4, 0x41))["irq"] == []
    assert vmm.handle(mmio(0, 0x000, 4, 0x41))["irq"] == [(UART_IRQ, 1)]


def test_unmapped_ipa_stops_with_the_access() -> None:
    with pytest.raises(VmmStop) as e:
        Vmm().handle(run(exit_reason=A.KVM_EXIT_MMIO, vm=1, guest_pc=0x40010040, mmio_addr=0x0A00_0000,
                         mmio_len=2, mmio_is_write=1))
    assert e.value.exit_code == 1
    assert e.value.message == ("guest vm 1 accessed IPA 0x0a000000 (write, 2 bytes) with no memory and no device "
                               "at guest PC 0x40010040")


def test_bad_access_size_stops() -> None:
    with pytest.raises(VmmStop, match="3-byte read"):
        Vmm().handle(mmio(0, 0x000, 3))
    with pytest.raises(VmmStop, match="aligned"):
        Vmm().handle(mmio(0, 0x001, 2))


# ---- hypercalls, system events, errors -------------------------------------------------

def hc(nr: int, *args: int, vm: int = 0) -> dict:
    a = list(args) + [0] * (4 - len(args))
    return run(exit_reason=A.KVM_EXIT_HYPERCALL, vm=vm, hc_nr=nr, hc_arg0=a[0], hc_arg1=a[1], hc_arg2=a[2],
               hc_arg3=a[3])


def test_hypercalls() -> None:
    vmm = Vmm(nr_vms=3)
    assert HC_VM_INDEX == 0x8600_0000 and HC_XOR == 0x8600_0001
    assert vmm.handle(hc(HC_VM_INDEX, vm=2)) == {"hc_ret": 2, "irq": []}
    assert vmm.handle(hc(HC_XOR, 0xF0F0_0000, 0x0FF0_1234))["hc_ret"] == 0xFF00_1234
    assert vmm.handle(hc(A.HYPSIM_HC_BASE + 7))["hc_ret"] == HC_NOT_SUPPORTED == 0xFFFF_FFFF
    assert vmm.handle(hc(A.HYPSIM_HC_LAST))["hc_ret"] == HC_NOT_SUPPORTED


def shutdown(vm: int) -> dict:
    return run(exit_reason=A.KVM_EXIT_SYSTEM_EVENT, vm=vm, system_event=A.KVM_SYSTEM_EVENT_SHUTDOWN)


def test_run_ends_when_every_vm_is_off() -> None:
    vmm = Vmm(nr_vms=2)
    assert vmm.handle(shutdown(1)) == {"irq": []}
    with pytest.raises(VmmStop) as e:
        vmm.handle(shutdown(0))
    assert e.value.exit_code == 0 and "all 2 guest VMs powered off" in e.value.message


def test_sequential_runs_count_every_vm() -> None:
    vmm = Vmm(nr_vms=1, seq_runs=3)
    vmm.handle(shutdown(0))
    vmm.handle(shutdown(1))
    with pytest.raises(VmmStop) as e:
        vmm.handle(shutdown(2))
    assert e.value.exit_code == 0


def test_single_vm_shutdown_ends_the_run() -> None:
    with pytest.raises(VmmStop) as e:
        Vmm().handle(shutdown(0))
    assert e.value.exit_code == 0 and "the guest powered off" in e.value.message


def test_reset_stops_with_exit_1() -> None:
    with pytest.raises(VmmStop) as e:
        Vmm().handle(run(exit_reason=A.KVM_EXIT_SYSTEM_EVENT, vm=0, system_event=A.KVM_SYSTEM_EVENT_RESET))
    assert e.value.exit_code == 1 and "asked for a reset" in e.value.message


def test_nisv_message() -> None:
    with pytest.raises(VmmStop) as e:
        Vmm().handle(run(exit_reason=A.KVM_EXIT_ARM_NISV, vm=0, guest_pc=0x40010010, fail_hsr=0x9000_0046,
                         fail_far=0x0900_0018, fail_hpfar=0x0009_0000))
    assert e.value.exit_code == 1
    assert e.value.message == ("guest vm 0: an MMIO access without a valid syndrome (HSR 0x90000046) at IPA "
                               "0x09000018 PC 0x40010010: hypsim's host, like KVM, cannot emulate it")


@pytest.mark.parametrize("code,words", [
    ("HYPSIM_ERR_UNKNOWN_EXIT", ["HSR EC 0x3f", "0x40010020", "no handler"]),
    ("HYPSIM_ERR_NO_MEMORY", ["page pool is exhausted"]),
    ("HYPSIM_ERR_DEADLOCK", ["deadlock", "every vCPU waits"]),
    ("HYPSIM_ERR_BAD_BOOTINFO", ["boot-info"]),
    ("HYPSIM_ERR_NO_DEVICE", ["no memory and no device", "0x0a001004"]),
])
def test_internal_errors_name_the_code(code: str, words: list[str]) -> None:
    with pytest.raises(VmmStop) as e:
        Vmm().handle(run(exit_reason=A.KVM_EXIT_INTERNAL_ERROR, vm=0, guest_pc=0x40010020, fail_hsr=0xFC00_0000,
                         fail_code=ABI[code], fail_far=0x0A00_1004, fail_hpfar=0x000A_0010))
    assert e.value.exit_code == 1 and code in e.value.message
    for w in words:
        assert w in e.value.message


def test_unknown_internal_error_code_and_unknown_exit_reason() -> None:
    with pytest.raises(VmmStop, match="unknown code 99"):
        Vmm().handle(run(exit_reason=A.KVM_EXIT_INTERNAL_ERROR, fail_code=99))
    with pytest.raises(VmmStop, match="unknown exit reason 42"):
        Vmm().handle(run(exit_reason=42))
    with pytest.raises(VmmStop, match="unknown exit reason 0"):
        Vmm().handle(run(exit_reason=A.KVM_EXIT_UNKNOWN))

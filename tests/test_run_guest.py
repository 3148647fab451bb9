"""`hypsim run-guest`: bad input, the RAM composition, and the VMM doorbell on both simulators.

None of this needs the hypervisor firmware: the doorbell test runs
tests/data/vmm_selftest.S, which rings the doorbell itself in Hyp mode.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hypsim import run_guest as rg
from hypsim.elf_image import load_elf
from hypsim.run import EXIT_OK, RunOptions, SimJob, run_elf, run_job
from hypsim.vmm_abi import A

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "hypsim.cli", "run-guest", *args], capture_output=True, timeout=600)


def one_error(p: subprocess.CompletedProcess[bytes]) -> str:
    assert p.returncode == 2, p.stderr.decode()
    assert p.stdout == b""
    lines = [ln for ln in p.stderr.decode().splitlines() if ln.startswith("hypsim: error:")]
    assert len(lines) == 1, p.stderr.decode()
    return lines[0]


def build(tmp: Path, src: Path | str, name: str, ttext: int = 0x4000_0000) -> Path:
    if isinstance(src, str):
        s = tmp / f"{name}.S"
        s.write_text(".arm\n.global _start\n_start:\n" + src)
        src = s
    elf = tmp / f"{name}.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-march=armv7ve", "-nostdlib", f"-Ttext=0x{ttext:x}",
                    f"-I{REPO / 'firmware/include'}", str(src), "-o", str(elf)], check=True)
    return elf


def flat(tmp: Path, data: bytes, name: str = "g.bin") -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


ARM_WORDS = bytes.fromhex("feffffea") * 4          # b . (an ARM branch to itself)


# ---- bad input: exit 2, one line, nothing written --------------------------------------

@pytest.mark.parametrize("make,args,words", [
    (lambda t: t / "nope.bin", [], ["nope.bin", "no such file"]),
    (lambda t: flat(t, b""), [], ["is empty"]),
    (lambda t: flat(t, b"#!/bin/sh\necho hi\n"), [], ["'#!'", "script"]),
    (lambda t: flat(t, b"hello world, this is text\n" * 8), [], ["looks like text"]),
    (lambda t: flat(t, b"\x01\x02"), [], ["too short"]),
    (lambda t: flat(t, ARM_WORDS), ["--guest-mem", "3"], ["--guest-mem 3", "4 to 256"]),
    (lambda t: flat(t, ARM_WORDS), ["--guest-mem", "512"], ["--guest-mem 512"]),
    (lambda t: flat(t, ARM_WORDS), ["--vms", "0"], ["--vms 0", "1 to 4"]),
    (lambda t: flat(t, ARM_WORDS), ["--vms", "5"], ["--vms 5"]),
    (lambda t: flat(t, ARM_WORDS), ["--vcpus", "0"], ["--vcpus 0", "1 to 2 vCPUs", "KVM_MAX_VCPUS"]),
    (lambda t: flat(t, ARM_WORDS), ["--vcpus", "3"], ["--vcpus 3", "1 to 2 vCPUs"]),
    (lambda t: flat(t, ARM_WORDS), ["--smp", "3"], ["--smp 3", "1 to 2 physical cores", "HYPSIM_HOST_MAX_CPUS"]),
    (lambda t: flat(t, ARM_WORDS), ["--seq-runs", "-1"], ["--seq-runs -1"]),
    (lambda t: flat(t, ARM_WORDS * (A.HYPSIM_IMAGE_MAX // 16 + 1)), ["--guest-mem", "64"], ["HYPSIM_IMAGE_MAX"]),
    (lambda t: flat(t, ARM_WORDS * ((4 << 20) // 16)), ["--guest-mem", "4"], ["4194304 bytes", "HYPSIM_IMAGE_MAX"]),
    (lambda t: flat(t, ARM_WORDS), ["--hypervisor", "/nonexistent/hyp.elf"], ["not found", "make -C firmware"]),
])
def test_bad_input_is_exit_2_with_one_line(tmp_path: Path, make, args: list[str], words: list[str]) -> None:
    image = make(tmp_path)
    wd = tmp_path / "wd"
    err = one_error(cli(str(image), "--work-dir", str(wd), *args))
    for w in words:
        assert w in err, err
    assert not wd.exists()


def test_elf_guest_outside_guest_ram_is_exit_2(tmp_path: Path) -> None:
    elf = build(tmp_path, "  b _start\n", "high", ttext=0x4100_0000)   # above 16 MiB of guest RAM
    err = one_error(cli(str(elf), "--hypervisor", str(elf)))
    assert "outside RAM" in err


def test_elf_guest_is_flattened_from_its_lowest_segment(tmp_path: Path) -> None:
    src = tmp_path / "two.S"
    src.write_text(".arm\n.global _start\n.section .text\n_start:\n  b _start\n"
                   ".section .far,\"aw\"\n.word 0x11223344\n")
    elf = tmp_path / "two.elf"
    subprocess.run(["arm-none-eabi-gcc", "-marm", "-nostdlib", "-Ttext=0x40010000",
                    "-Wl,--section-start=.far=0x40012000", str(src), "-o", str(elf)], check=True)
    img = rg.load_guest_image(elf, 16 << 20)
    assert (img.ipa, img.entry, img.kind) == (0x4001_0000, 0x4001_0000, "ELF")
    assert len(img.blob) == 0x2004 and img.blob[:4] == bytes.fromhex("feffffea")
    assert img.blob[0x2000:] == bytes.fromhex("44332211") and img.blob[4:0x2000] == bytes(0x1FFC)


# ---- the RAM composition ---------------------------------------------------------------

def read_hex(path: Path) -> dict[int, int]:
    """{byte address: word} of a $readmemh file relative to RAM."""
    words, idx = {}, 0
    for line in path.read_text().split():
        if line.startswith("@"):
            idx = int(line[1:], 16)
        else:
            words[0x4000_0000 + 4 * idx] = int(line, 16)
            idx += 1
    return words


@pytest.mark.parametrize("compare", [False, True])
def test_ram_preload_and_bootinfo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compare: bool) -> None:
    hyp = build(tmp_path, "  b _start\n", "hyp")
    guest = flat(tmp_path, ARM_WORDS + bytes.fromhex("78563412"))
    dtb = b"\xd0\x0d\xfe\xed" + bytes(60)
    seen: dict = {}
    monkeypatch.setattr(rg, "_build_dtb",
                        lambda mem, cmdline, ncpus=1: seen.update(mem=mem, cmdline=cmdline, ncpus=ncpus) or dtb)
    monkeypatch.setattr(rg, "run_job", lambda job, opts, *a, **k: seen.update(job=job) or "ran")
    monkeypatch.setattr(rg, "_score_guest_run", lambda res, run, ncores: None)
    opts = rg.GuestOptions(sim="icarus", work_dir=tmp_path / "wd", hypervisor=hyp, guest_mem_mib=32, vms=2,
                           vcpus=2, smp=2, seq_runs=3, cmdline="console=ttyAMA0", compare_qemu=compare)
    monkeypatch.setattr("hypsim.qemu.find_qemu", lambda: "qemu-system-arm")
    assert rg.run_guest(guest, opts) == "ran"
    assert seen["mem"] == 32 << 20 and seen["cmdline"] == "console=ttyAMA0"
    assert seen["ncpus"] == 2                     # the guest's DT lists one cpu per vCPU
    job: SimJob = seen["job"]
    assert job.entry == 0x4000_0000 and job.qemu_kernel == hyp
    assert (job.vmm is None) == compare
    if not compare:
        assert job.vmm == {"nr_vms": 2, "seq_runs": 3}
    ram = read_hex(job.image_hex)
    assert ram[0x4000_0000] == 0xEAFFFFFE                                   # the hypervisor
    assert ram[A.HYPSIM_IMAGE_PA] == 0xEAFFFFFE and ram[A.HYPSIM_IMAGE_PA + 16] == 0x12345678
    assert ram[A.HYPSIM_DTB_PA] == 0xEDFE0DD0
    bi = {name: ram[A.HYPSIM_BOOTINFO_PA + off] for name, off in
          (("magic", A.BI_MAGIC), ("ver", A.BI_VERSION), ("flags", A.BI_FLAGS), ("vms", A.BI_NR_VMS),
           ("mem", A.BI_GUEST_MEM), ("ipa", A.BI_IMAGE_IPA), ("pa", A.BI_IMAGE_PA), ("size", A.BI_IMAGE_SIZE),
           ("entry", A.BI_ENTRY_IPA), ("dtb_pa", A.BI_DTB_PA), ("dtb_size", A.BI_DTB_SIZE),
           ("dtb_ipa", A.BI_DTB_IPA), ("seq", A.BI_SEQ_RUNS), ("vcpus", A.BI_NR_VCPUS), ("cpus", A.BI_NR_CPUS))}
    assert bi == {"magic": 0x73707968, "ver": 1, "flags": 0 if compare else A.HYPSIM_BI_F_VMM, "vms": 2,
                  "mem": 32 << 20, "ipa": 0x4001_0000, "pa": A.HYPSIM_IMAGE_PA, "size": 20,
                  "entry": 0x4001_0000, "dtb_pa": A.HYPSIM_DTB_PA, "dtb_size": 64,
                  "dtb_ipa": 0x4000_0000 + (16 << 20), "seq": 3, "vcpus": 2, "cpus": 2}
    # QEMU gets the same three blobs through -device loader
    wd = tmp_path / "wd"
    assert job.qemu_loaders == ((wd / "guest.bin", A.HYPSIM_IMAGE_PA), (wd / "guest.dtb", A.HYPSIM_DTB_PA),
                                (wd / "bootinfo.bin", A.HYPSIM_BOOTINFO_PA))
    assert (wd / "bootinfo.bin").read_bytes()[A.BI_FLAGS] == (0 if compare else 1)


def test_dtb_ipa_is_qemus_choice() -> None:
    assert rg.dtb_ipa(16 << 20) == 0x4080_0000
    assert rg.dtb_ipa(256 << 20) == 0x4800_0000


def test_hypervisor_overlapping_the_guest_area_is_refused(tmp_path: Path) -> None:
    hyp = load_elf(build(tmp_path, f"  b _start\n.space {A.HYPSIM_IMAGE_PA - A.HYPSIM_RAM_PA:#x}\n", "big"))
    img = rg.GuestImage(ARM_WORDS, 0x4001_0000, 0x4001_0000, "flat binary")
    with pytest.raises(rg.HypsimError, match="overlaps the guest image"):
        rg.compose_ram(hyp, img, b"\xd0\x0d\xfe\xed", bytes(A.BI_BYTES))


def test_qemu_command_has_the_loaders(tmp_path: Path) -> None:
    from hypsim.qemu import qemu_command
    cmd = qemu_command(tmp_path / "h.elf", tmp_path, "/dev/null", qemu="qemu-system-arm",
                       loaders=[(tmp_path / "g.bin", 0x4080_0000)])
    i = cmd.index("-device")
    assert cmd[i + 1] == f"loader,file={tmp_path / 'g.bin'},addr=0x40800000,force-raw=on"


# ---- the doorbell on the RTL ------------------------------------------------------------

def test_vmm_doorbell_selftest(sim: str, tmp_path: Path) -> None:
    """tests/data/vmm_selftest.S rings the doorbell for an MMIO write of 'A', a read of
    FR, an IMSC write that raises SPI 1 and a hypercall, and checks each answer."""
    elf = build(tmp_path, DATA / "vmm_selftest.S", "vmm_selftest")
    image = load_elf(elf)
    hexfile = image.write_readmemh(tmp_path / "ram.hex")
    host: list[bytes] = []
    res = run_job(SimJob(image.entry, hexfile, tmp_path, elf, vmm={"nr_vms": 1, "seq_runs": 0}),
                  RunOptions(sim=sim, max_cycles=200_000), host_sink=host.append)
    assert res.exit_code == EXIT_OK, res.message
    assert res.console == b"A"                         # the VMM's console of vm 0
    assert b"".join(host) == b"vmm ok\n"               # the program's own semihosting output
    assert "KVM_EXIT_MMIO 3" in " ".join(res.notes) and "KVM_EXIT_HYPERCALL 1" in " ".join(res.notes)


def test_no_vmm_means_no_doorbell_as_on_qemu(sim: str, tmp_path: Path) -> None:
    """Without a VMM the doorbell page is a bus error, matching QEMU instruction by instruction."""
    elf = build(tmp_path, DATA / "vmm_nodoorbell.S", "vmm_nodoorbell")
    res = run_elf(elf, RunOptions(sim=sim, max_cycles=100_000, compare_qemu=True, work_dir=tmp_path / "wd"))
    assert res.exit_code == EXIT_OK, res.message
    assert res.compare is not None and res.compare.ok and res.compare.compared > 5


def test_cmdline_the_dt_builder_rejects_is_exit_2(tmp_path: Path) -> None:
    hyp = build(tmp_path, "  b _start\n", "hyp")
    err = one_error(cli(str(flat(tmp_path, ARM_WORDS)), "--hypervisor", str(hyp), "--cmdline", 'a"b',
                        "--work-dir", str(tmp_path / "wd")))
    assert "double quote" in err
    assert not (tmp_path / "wd").exists()


@pytest.mark.parametrize("vms", [1, 2])
def test_run_guest_end_to_end_with_a_stand_in_hypervisor(sim: str, tmp_path: Path, vms: int) -> None:
    """The whole run-guest path (preload, boot-info, VMM, consoles) with
    tests/data/fake_hypervisor.S in place of firmware/build/hypervisor.elf."""
    hyp = build(tmp_path, DATA / "fake_hypervisor.S", "fake_hyp")
    wd = tmp_path / "wd"
    p = cli(str(flat(tmp_path, ARM_WORDS)), "--hypervisor", str(hyp), "--sim", sim, "--vms", str(vms),
            "--work-dir", str(wd), "--max-cycles", "100000")
    err = p.stderr.decode()
    assert p.returncode == 0, err
    if vms == 1:
        assert p.stdout == b"a!\n"
        assert "the guest powered off" in err
    else:
        assert p.stdout == b"\n--- hypsim vm 0 console ---\na!\n\n--- hypsim vm 1 console ---\nb!\n"
        assert (wd / sim / "console-vm1.txt").read_bytes() == b"b!\n"
        assert f"guest consoles: {wd / sim / 'console-vm0.txt'}, {wd / sim / 'console-vm1.txt'}" in err
        assert "all 2 guest VMs powered off" in err


def test_run_guest_compare_qemu_gives_both_the_bootinfo_without_the_vmm(sim: str, tmp_path: Path) -> None:
    hyp = build(tmp_path, DATA / "fake_hypervisor.S", "fake_hyp")
    p = cli(str(flat(tmp_path, ARM_WORDS)), "--hypervisor", str(hyp), "--sim", sim, "--compare-qemu",
            "--max-cycles", "100000")
    err = p.stderr.decode()
    assert p.returncode == 0, err
    assert p.stdout == b"no vmm\n"
    assert "instructions match QEMU" in err


def test_run_guest_max_cycles_reports_both_modes(sim: str, tmp_path: Path) -> None:
    hyp = build(tmp_path, "  ldr r0, =svc\n  msr ELR_hyp, r0\n  mov r0, #0x1d3\n  msr SPSR_cxsf, r0\n"
                "  eret\nsvc:\n  add r1, r1, #1\n  b svc\n", "spin_hyp")
    p = cli(str(flat(tmp_path, ARM_WORDS)), "--hypervisor", str(hyp), "--sim", sim, "--max-cycles", "3000")
    err = p.stderr.decode()
    assert p.returncode == 4, err
    assert "last 10 instructions retired outside Hyp mode" in err and "last 10 instructions retired in Hyp mode" in err
    assert "add r1, r1, #1" in err and "eret" in err


def test_smp_option_checked_without_files() -> None:
    """run-guest --smp: 1 (default) to HYPSIM_HOST_MAX_CPUS (2, vmm_abi.h) physical cores."""
    from hypsim.errors import HypsimError
    assert rg.MAX_CPUS == A.HYPSIM_HOST_MAX_CPUS == 2
    for n in (1, 2):
        rg.check_guest_options(rg.GuestOptions(smp=n))
    for bad in (0, 3, 8):
        with pytest.raises(HypsimError, match=r"--smp .*: the hypervisor runs on 1 to 2 physical cores"):
            rg.check_guest_options(rg.GuestOptions(smp=bad))


def test_vcpus_option_checked_without_files() -> None:
    """--vcpus: 1 (default) to KVM_MAX_VCPUS (2, firmware/include/vmm_abi.h), a HypsimError naming it otherwise."""
    from hypsim.errors import HypsimError
    assert rg.MAX_VCPUS == A.KVM_MAX_VCPUS == 2
    for n in (1, 2):
        rg.check_guest_options(rg.GuestOptions(vcpus=n))
    for bad in (0, 3, -1, True):
        with pytest.raises(HypsimError, match=r"--vcpus .*: give 1 to 2 vCPUs per VM"):
            rg.check_guest_options(rg.GuestOptions(vcpus=bad))

"""Verilator code coverage (tb/codecov.py, the HYPSIM_CODE_COVERAGE knob in
tb/simulator.py): a short coverage run of the generic timer block env leaves a
coverage.dat; codecov merges it into summary.json with line and toggle figures
for the timer and renders genhtml's reports. Broken inputs (no dats, an empty,
a foreign or a truncated dat, no genhtml) each stop it with a message naming
the fault and the fix, and leave no summary behind."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from hypsim import codecov, simulator
from hypsim.simulator import TIMER_BLOCK as TIMER
from hypsim.simulator import CocotbRun, failed_tests, run_cocotb


def test_knob_is_verilator_only_and_builds_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(simulator.CODE_COVERAGE_ENV, "1")
    assert simulator.code_coverage("verilator") and not simulator.code_coverage("icarus")
    assert not simulator.code_coverage("verilator", False)
    assert simulator.build_dir("verilator", False, TIMER).name == "verilator-cov"
    assert simulator.build_dir("icarus", False, TIMER).name == "icarus"
    monkeypatch.setenv(simulator.CODE_COVERAGE_ENV, "0")
    assert simulator.build_dir("verilator", True, TIMER).name == "verilator-waves"


def test_timer_coverage_run_gives_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dat_dir = tmp_path / "dat"
    monkeypatch.setenv(simulator.CODE_COVERAGE_DIR_ENV, str(dat_dir))
    wd = tmp_path / "run"
    xml = run_cocotb(CocotbRun("verilator", TIMER, "hypsim.envs.timer.cocotb_timer", wd, extra_env=(
        ("HYPSIM_TIMER_SEED", "1"), ("HYPSIM_TIMER_ACCESSES", "200"),
        ("HYPSIM_TIMER_RESULT", str(wd / "timer_result.json")),
        ("HYPSIM_TIMER_COVERAGE", str(tmp_path / "timer-func.xml"))), code_coverage=True))
    assert not failed_tests(xml), f"the timer block env failed; see {wd / 'sim.log'}"
    dats = list(dat_dir.glob("timer-*.dat"))
    assert len(dats) == 1, f"expected one coverage.dat in {dat_dir}, found {dats}"

    out, html = tmp_path / "out", tmp_path / "html"
    assert codecov.main(["--dat-dir", str(dat_dir), "--out", str(out), "--html", str(html)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["runs"] == 1
    timer = summary["modules"]["arm_generic_timer"]
    assert timer["file"] == "rtl/timer/arm_generic_timer.sv"
    for kind in ("line", "toggle"):
        hit, total = timer[kind]
        assert 0 < hit <= total, f"arm_generic_timer {kind} coverage {hit}/{total}: expected some hit"
        assert summary["total"][kind] == [hit, total]   # the only RTL module of this design
    index = (html / "index.html").read_text()
    assert f'headerCovTableEntry">{timer["line"][0]}<' in index   # the HTML's total is summary.json's
    assert (html / "toggle/index.html").exists() and 'href="toggle/index.html"' in index
    page = (html / "rtl/timer/arm_generic_timer.sv.gcov.html").read_text()
    assert "always_ff" in page or "assign" in page   # the source resolved from the repository
    assert (out / "merged.dat").read_text().startswith(codecov.DAT_HEADER)


@pytest.mark.parametrize("content, fault", [
    ("", "empty coverage.dat"),
    ("hello world\n", "not a Verilator coverage.dat"),
    (codecov.DAT_HEADER + "\nC '\x01f\x02rtl/timer/arm_generic_timer.sv\x01l\x0212", "malformed coverage point"),
    (codecov.DAT_HEADER + "\n", "without coverage points"),
])
def test_broken_dat_is_named(tmp_path: Path, content: str, fault: str) -> None:
    (tmp_path / "dat").mkdir()
    bad = tmp_path / "dat" / "soc-1-0-abc.dat"
    bad.write_text(content)
    with pytest.raises(codecov.CodecovError, match=fault) as exc:
        codecov.report(tmp_path / "dat", tmp_path / "out", tmp_path / "html")
    assert str(bad) in str(exc.value) and "delete it" in str(exc.value)
    assert not (tmp_path / "out" / "summary.json").exists()


def test_no_dats_says_how_to_make_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert codecov.main(["--dat-dir", str(tmp_path / "none"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "no coverage.dat files" in err and "HYPSIM_CODE_COVERAGE=1" in err


def test_missing_genhtml_says_make_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dat").mkdir()
    (tmp_path / "dat" / "t.dat").write_text(
        codecov.DAT_HEADER + "\nC '\x01f\x02rtl/timer/arm_generic_timer.sv\x01l\x0242\x01n\x021\x01t\x02line"
        "\x01page\x02v_line/arm_generic_timer\x01o\x02block\x01h\x02arm_generic_timer' 3\n")
    real_which = codecov.shutil.which
    monkeypatch.setattr(codecov.shutil, "which", lambda name: None if name == "genhtml" else real_which(name))
    with pytest.raises(codecov.CodecovError, match=r"genhtml not found: run `make setup`"):
        codecov.report(tmp_path / "dat", tmp_path / "out", tmp_path / "html")
    assert not (tmp_path / "out" / "summary.json").exists()

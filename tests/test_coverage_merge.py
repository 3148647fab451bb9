"""The functional-coverage merger (hypsim.coverage): databases written by real
cocotb-coverage covergroups merge to the per-bin sum with nothing lost, a
broken merger is caught by the same check, bad inputs are refused with the
file named, and per-test recording does not leak hits between tests. Fast,
no simulator."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from cocotb_coverage.coverage import CoverCross, CoverPoint, coverage_db, merge_coverage

from hypsim.coverage import merge as merge_mod
from hypsim.coverage.__main__ import main as cli
from hypsim.coverage.core import hyp_trap_bins, record_hyp_traps, record_random_a32
from hypsim.coverage.merge import merge, read_bins
from hypsim.coverage.record import Cross, Point, record
from hypsim.coverage.xmldb import CoverageFileError, parse


def _export(path: Path, defs, values) -> None:
    """Define cover items with cocotb-coverage itself in an empty coverage_db,
    sample ``values`` and write them with coverage_db.export_to_xml."""
    saved = dict(coverage_db)
    coverage_db.clear()
    try:
        sample = defs()
        for v in values:
            sample(v)
        coverage_db.export_to_xml(filename=str(path))
    finally:
        coverage_db.clear()
        coverage_db.update(saved)


def _defs_a():
    @CoverPoint("t.x", xf=lambda v: v[0], bins=[1, 2, 3])
    @CoverPoint("t.y", xf=lambda v: v[1], bins=["p", "q"])
    @CoverCross("t.x_y", items=["t.x", "t.y"])
    def sample(v):  # type: ignore[no-untyped-def]
        pass
    return sample


def _defs_b():
    @CoverPoint("t.x", xf=lambda v: v[0], bins=[1, 2, 3])
    @CoverPoint("t.z", xf=lambda v: v[1], bins=["p", "q"])     # only in this database
    def sample(v):  # type: ignore[no-untyped-def]
        pass
    return sample


def _independent_sum(paths: list[Path]) -> dict[str, Counter]:
    """Per (item, bin label) sum straight from the XML, independent of hypsim.coverage."""
    out: dict[str, Counter] = defaultdict(Counter)
    for p in paths:
        for el in ET.parse(p).getroot().iter():
            for b in el:
                if "bin" in b.attrib:
                    out[el.attrib["abs_name"].removeprefix("top.")][b.attrib["bin"]] += int(b.attrib["hits"])
    return out


def assert_merged_is_sum(paths: list[Path], merged_xml: Path) -> None:
    """The merged XML, merged.json and read_bins all equal the per-bin sum of
    ``paths``: every item and every bin of every input, hits added."""
    want = _independent_sum(paths)
    doc = json.loads((merged_xml.parent / "merged.json").read_text())
    views = {"read_bins": read_bins(paths), "merged.json": doc["items"],
             "merged XML": {k: v.bins for k, v in parse(merged_xml).items()}}
    for what, got in views.items():
        for item, bins in want.items():
            assert item in got, f"{what}: cover item {item} lost"
            for label, hits in bins.items():
                assert label in got[item], f"{what}: bin {item}[{label}] lost"
                assert got[item][label] == hits, (
                    f"{what}: bin {item}[{label}] has {got[item][label]} hits, the inputs sum to {hits}")
        extra = set(got) - set(want)
        assert not extra, f"{what}: items in no input: {sorted(extra)}"
    assert doc["sources"] == [str(p.resolve()) for p in paths]


@pytest.fixture
def two_dbs(tmp_path: Path) -> list[Path]:
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    _export(a, _defs_a, [(1, "p"), (1, "p"), (2, "q")])
    _export(b, _defs_b, [(1, "q"), (3, "p")])          # t.x bin 3 hit only here
    return [a, b]


def test_merge_of_cocotb_databases_is_the_per_bin_sum(two_dbs: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out" / "merged.xml"
    merge(two_dbs, out)
    assert_merged_is_sum(two_dbs, out)
    bins = read_bins(two_dbs)
    assert bins["t.x"] == {"1": 3, "2": 1, "3": 1}
    assert bins["t.z"] == {"p": 1, "q": 1}                                   # only in b: kept
    assert bins["t.x_y"]["(1, 'p')"] == 2                                   # only in a: kept
    root = ET.parse(out).getroot()
    assert root.tag == "top" and int(root.attrib["size"]) == 3 + 2 + 6 + 2
    # cocotb-coverage's own merger agrees on these (same bins in the same order)
    merge_coverage(lambda _: None, str(tmp_path / "cocotb.xml"), *map(str, two_dbs))
    theirs = parse(tmp_path / "cocotb.xml")
    assert {k: v.bins for k, v in theirs.items()} == bins
    assert ET.parse(tmp_path / "cocotb.xml").getroot().attrib["coverage"] == root.attrib["coverage"]


def test_a_broken_merger_is_caught(two_dbs: list[Path], tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge_mod, "_combine", max)
    out = tmp_path / "merged.xml"
    merge(two_dbs, out)
    with pytest.raises(AssertionError, match=r"bin t\.x\[1\] has 2 hits, the inputs sum to 3"):
        assert_merged_is_sum(two_dbs, out)


def test_bins_are_matched_by_label_not_position(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    record(a, [Point("t.w", [1, 2])], [1])
    record(b, [Point("t.w", [2, 1, 9])], [1, 9])        # other order, a new bin
    assert read_bins([a, b])["t.w"] == {"1": 2, "2": 0, "9": 1}
    merge([a, b], tmp_path / "merged.xml")
    assert_merged_is_sum([a, b], tmp_path / "merged.xml")


def test_bad_inputs_name_the_file_and_write_nothing(two_dbs: list[Path], tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text('<testsuites><testsuite name="x"/></testsuites>')
    text = tmp_path / "notes.xml"
    text.write_text("hello")
    out = tmp_path / "out" / "merged.xml"
    for bad in (junit, text, tmp_path / "missing.xml"):
        with pytest.raises(CoverageFileError, match=bad.name):
            merge(two_dbs + [bad], out)
    assert not out.parent.exists() or not any(out.parent.iterdir())
    assert cli(["merge", "-o", str(out), str(two_dbs[0]), str(junit)]) == 2
    assert not out.exists()
    with pytest.raises(CoverageFileError, match="no coverage databases"):
        merge([], out)


def test_cli_merges_and_prints_figures(two_dbs: list[Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "merged.xml"
    assert cli(["merge", "-o", str(out), *map(str, two_dbs)]) == 0
    printed = capsys.readouterr().out
    assert "t.x: 3/3" in printed and "total: " in printed
    assert (tmp_path / "merged.json").exists()
    assert_merged_is_sum(two_dbs, out)


def test_default_inputs_skip_merged_outputs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "code").mkdir()
    for name in ("a.xml", "sub/b.xml", "merged.xml", "merged-x.xml", "system-merged.xml",
                 ".tmp.xml", "code/cobertura.xml"):
        (tmp_path / name).write_text("")
    assert [p.relative_to(tmp_path).as_posix() for p in merge_mod.default_inputs(tmp_path)] == [
        "a.xml", "sub/b.xml"]


def test_record_gives_each_test_its_own_database(tmp_path: Path) -> None:
    group = [Point("t.r.v", [1, 2, 3]), Point("t.r.w", ["a", "b"], lambda s: "a" if s < 3 else "b"),
             Cross("t.r.v_w", ["t.r.v", "t.r.w"])]
    first = record(tmp_path / "1.xml", group, [1, 1, 2])
    second = record(tmp_path / "2.xml", group, [3, 7])
    assert read_bins([tmp_path / "1.xml"])["t.r.v"] == {"1": 2, "2": 1, "3": 0}
    assert read_bins([tmp_path / "2.xml"])["t.r.v"] == {"1": 0, "2": 0, "3": 1}   # no leak from the first
    assert second.misses == {"t.r.v": [7]}                                          # 7 is in no bin
    assert first.hit == 2 + 1 + 2 and not first.misses
    assert not [n for n in coverage_db if n.startswith("t.r")], "items left in coverage_db"


def test_hyp_trap_bins_report_unknown_scoreboard_bins(tmp_path: Path) -> None:
    bins = hyp_trap_bins()
    assert ("HVC", "HVC", "SVC", True) in bins and ("none", "untrapped", "USR", False) in bins
    assert ("SMC", "TSC", "USR", True) not in bins          # SMC is UNDEFINED at PL0
    db = record_hyp_traps(Counter({("HVC", "HVC", "SVC", True): 3, ("BOGUS", "HVC", "SVC", True): 1}),
                          "test", tmp_path / "h.xml")
    assert "core.hyp_trap.ec_control_mode_cond" in db.misses
    assert db.items["core.hyp_trap.ec_control_mode_cond"].bins["HVC/HVC/SVC/pass"] == 3


def test_random_a32_bins_come_from_the_generator(tmp_path: Path) -> None:
    from hypsim.sequences.random_a32 import CONDITIONS, GenConfig, GenStats, generate
    cfg = GenConfig()
    stats = GenStats()
    generate(5, 300, cfg, stats)
    db = record_random_a32(stats, cfg, tmp_path / "a.xml")
    assert not db.misses
    classes = db.items["core.random_a32.classes"].bins
    assert "parallel" not in classes and "exception" not in classes      # weight 0: cannot occur
    assert set(db.items["core.random_a32.conditions"].bins) == set(CONDITIONS)
    assert sum(db.items["core.random_a32.mnemonics"].bins.values()) == sum(stats.mnemonics.values())


def test_mmu_program_aborts_are_read_from_the_trace(tmp_path: Path) -> None:
    from hypsim.coverage.core import mmu_faults, record_mmu_program
    trace = tmp_path / "trace.txt"
    trace.write_text("\n".join([
        "X 10 4 8 10 197 0",              # data abort to Abort mode (PL1 stage 1) ...
        "R 11 10 e3a00000 197 1",         # ... an unrelated instruction first
        "W 0 a07",                        # ... then MRC DFSR: LPAE | WnR | Translation L3
        "R 12 14 ee150f10 197 1",
        "X 20 7 1000 14 1a 920000ce",     # stage-2 data abort: S1PTW, WnR, Permission L2
        "X 30 7 1004 10 1a 86000015",     # Hyp-regime prefetch abort: ext. abort on walk L1
        ""]))
    assert mmu_faults(trace) == [
        {"regime": "s1", "type": "TRANSLATION", "level": 3, "access": "store", "s1ptw": False},
        {"regime": "s2", "type": "PERMISSION", "level": 2, "access": "store", "s1ptw": True},
        {"regime": "hyp", "type": "EXT_ABORT_WALK", "level": 1, "access": "fetch", "s1ptw": False}]
    db = record_mmu_program(trace, "test", "isa-x", tmp_path / "m.xml")
    assert not db.misses
    cross = db.items["core.mmu_prog.regime_x_type_x_level"].bins
    assert cross["('s2', 'PERMISSION', 2)"] == 1 and sum(cross.values()) == 3 and len(cross) == 36
    assert db.items["core.mmu_prog.s2_s1ptw"].bins == {"stage-1 walk": 1, "access": 0}

"""hypsim.report (make report): the dashboard page from small fixture inputs written
here, rendered by headless chromium (its DOM checked: the failing test's rerun
command, the bin counts, the module rows; its screenshot kept as
build/reports/report-fixture.png), and the gates: totals equal the per-item sums,
a malformed input is a clear error that keeps the previous page, stale waivers,
--strict on an open bin."""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hypsim.report import main
from hypsim.errors import HypsimError
from hypsim.report import browser, functional, junit

REPO = Path(__file__).resolve().parent.parent

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="12.5">
<testcase classname="tests.test_models" name="test_adds" time="0.010"/>
<testcase classname="tests.test_random_programs" name="test_random_stream_matches_qemu[verilator-3]" time="7.250">
<failure message="AssertionError: r3 differs at 0x80001234">def test_random_stream_matches_qemu(sim, seed):
&gt;       assert rtl == qemu
E       AssertionError: r3 differs at 0x80001234</failure></testcase>
<testcase classname="tests.test_hypervisor" name="test_long_run" time="0.000">
<skipped type="pytest.skip" message="make sim only (HYPSIM_ALL_GUESTS=1)">skip</skipped></testcase>
<testcase classname="tests.test_block.TestGic" name="test_env[icarus]" time="5.000">
<properties><property name="sim" value="icarus"/><property name="seed" value="42"/>
<property name="rerun" value="make regress JOB=gic-icarus-42"/></properties>
<error message="cocotb crashed">Traceback ...</error></testcase>
</testsuite></testsuites>
"""
MERGED = {"sources": ["build/coverage/a.xml", "build/coverage/b.xml"],
          "items": {"blk.grp.a": {"x": 3, "y": 0, "z": 0},
                    "blk.grp.b": {"p": 1, "q": 0},
                    "blk.c": {"(1, 'r')": 0}}}
WAIVERS = """
[[waiver]]
item = "blk.grp.a"
bin = "y"
kind = "unreachable"
reason = "y needs a register the RTL ties to 0"

[[waiver]]
item = "blk.c"
whole_item = true
kind = "not-yet-hit"
reason = "long runs only"
"""
SUMMARY = {"runs": 3, "html": "build/reports/code/index.html",
           "total": {"line": [150, 200], "toggle": [30, 120]},
           "modules": {"arm_core": {"line": [100, 120], "toggle": [20, 80]},
                       "gic_top": {"line": [50, 80], "toggle": [10, 40]}}}
BENCH = {"elf": "workload.elf", "verilator_over_icarus": 29.08,
         "simulators": {"icarus": {"cycles": 473769, "cps": 4171.6},
                        "verilator": {"cycles": 473769, "cps": 121327.7}},
         "a_figure_added_later": {"depth": {"value": 7}}}


class Tables(HTMLParser):
    """Every <table id=...> as rows of cell texts; data-count cells by table id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.links: dict[str, str] = {}
        self.ids: set[str] = set()
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._count: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "table":
            self._table = a.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
            self._count = a.get("data-count")
        elif tag == "a" and a.get("id"):
            self.links[a["id"] or ""] = a.get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            text = " ".join("".join(self._cell).split())
            self.tables[self._table][-1].append(text)
            if self._count:
                self.counts.setdefault(self._table, {})[self._count] = int(text.replace(",", ""))
            self._cell = None
        elif tag == "table":
            self._table = None


def parse(html: str) -> Tables:
    t = Tables()
    t.feed(html)
    return t


def inputs(tmp: Path, merged: dict | None = None, waivers: str = WAIVERS) -> list[str]:
    (tmp / "junit.xml").write_text(JUNIT)
    (tmp / "merged.json").write_text(json.dumps(merged or MERGED))
    (tmp / "waivers.toml").write_text(waivers)
    (tmp / "summary.json").write_text(json.dumps(SUMMARY))
    (tmp / "bench.json").write_text(json.dumps(BENCH))
    return ["--junit", str(tmp / "junit.xml"), "--functional", str(tmp / "merged.json"),
            "--waivers", str(tmp / "waivers.toml"), "--code", str(tmp / "summary.json"),
            "--bench", str(tmp / "bench.json"), "-o", str(tmp / "build/reports/index.html")]


def build(tmp: Path, monkeypatch: pytest.MonkeyPatch, *extra: str, **kw) -> tuple[int, Path]:
    monkeypatch.chdir(tmp)        # relative paths of the inputs (the genhtml link) are from here
    rc = main([*inputs(tmp, **kw), "--no-screenshot", *extra])
    return rc, tmp / "build/reports/index.html"


def test_report_renders_in_chromium_with_the_right_tables(tmp_path: Path, monkeypatch) -> None:
    if browser.find() is None:
        pytest.skip("chromium is not installed (make setup installs it: APT_PACKAGES)")
    (tmp_path / "build/reports/code").mkdir(parents=True)
    (tmp_path / "build/reports/code/index.html").write_text("<html>genhtml</html>")
    rc, page = build(tmp_path, monkeypatch)
    assert rc == 0
    png = REPO / "build/reports/report-fixture.png"
    browser.screenshot(page, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = browser.dump_dom(page)
    t = parse(dom)
    assert t.counts["regress-totals"] == {"tests": 4, "passed": 1, "failure": 1, "error": 1, "skipped": 1}
    fail_text = " ".join(" ".join(r) for r in t.tables["failures"])
    assert ("rerun: HYPSIM_SIMS=verilator HYPSIM_SEED=3 tools/venv-env.sh .venv/bin/python -m pytest "
            "'tests/test_random_programs.py::test_random_stream_matches_qemu[verilator-3]'") in fail_text
    assert "AssertionError: r3 differs at 0x80001234" in fail_text
    assert "rerun: make regress JOB=gic-icarus-42" in fail_text          # the writer's own command
    heads = [r for r in t.tables["failures"] if len(r) == 5 and r[1] in ("failure", "error")]
    assert [(r[0].removesuffix(str(tmp_path / "junit.xml")), r[2], r[3]) for r in heads] == [
        ("tests/test_block.py::TestGic::test_env[icarus]", "icarus", "42"),
        ("tests/test_random_programs.py::test_random_stream_matches_qemu[verilator-3]", "verilator", "3")]
    assert t.counts["func-totals"] == {"total": 6, "covered": 2, "waived": 2, "open": 2}
    assert t.tables["open-bins"][1:] == [["blk.grp.a", "z"], ["blk.grp.b", "q"]]
    waived = {r[0]: r for r in t.tables["waived-bins"][1:]}
    assert waived["blk.grp.a"][2:] == ["y", "unreachable", "y needs a register the RTL ties to 0"]
    assert waived["blk.c"][1] == "1"
    mods = {r[0]: r[1:] for r in t.tables["code-modules"][1:]}
    assert mods == {"arm_core": ["100 / 120", "83.3%", "20 / 80", "25.0%"],
                    "gic_top": ["50 / 80", "62.5%", "10 / 40", "25.0%"],
                    "total": ["150 / 200", "75.0%", "30 / 120", "25.0%"]}
    assert t.links["genhtml"] == "code/index.html"        # relative to build/reports/index.html
    assert ["verilator", "473,769", "121,327.7"] in t.tables["bench-simulators"]
    assert ["depth", "7"] in t.tables["bench-a_figure_added_later"]   # a key the page never heard of
    assert "not run" not in dom


def test_missing_inputs_say_not_run_with_the_command(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    rc = main(["-o", "out/index.html", "--no-screenshot"])
    assert rc == 0
    html = (tmp_path / "out/index.html").read_text()
    for how in ("not run: make test", "not run: make sim or make regress, then python -m hypsim.coverage merge",
                "not run: make coverage", "not run: make bench"):
        assert how in html
    assert "<script" not in html and "http" not in html.split("<body>")[0]


def test_totals_equal_the_sums_of_the_items(tmp_path: Path, monkeypatch) -> None:
    items = {f"g{i % 3}.sub{i % 2}.item{i}": {f"b{j}": (j * i) % 3 for j in range(i + 1)} for i in range(9)}
    waivers = '[[waiver]]\nitem = "g1.sub1.item7"\nglob = "b[0-5]"\nkind = "not-yet-hit"\nreason = "r"\n'
    rc, page = build(tmp_path, monkeypatch, merged={"sources": [], "items": items}, waivers=waivers)
    assert rc == 0
    t = parse(page.read_text())
    rows = [r for r in t.tables["func-items"][1:] if not r[0].startswith("total")]
    rows = [r[-6:] for r in rows]                        # the group cell spans rows
    sums = [sum(int(r[k] or 0) for r in rows) for k in (1, 2, 3, 4)]
    tot = t.counts["func-totals"]
    assert sums == [tot["covered"], tot["waived"], tot["open"], tot["total"]]
    assert tot["total"] == sum(len(b) for b in items.values())
    assert tot["covered"] == sum(1 for b in items.values() for h in b.values() if h)
    assert tot["waived"] > 0
    total_row = next(r for r in t.tables["func-items"] if r[0].startswith("total"))
    assert [int(x) for x in total_row[1:5]] == sums


def test_malformed_junit_is_a_clear_error_and_keeps_the_old_page(tmp_path: Path, monkeypatch, capsys) -> None:
    rc, page = build(tmp_path, monkeypatch)
    assert rc == 0
    old = page.read_text()
    (tmp_path / "junit.xml").write_text(JUNIT[:300])          # cut short, as by a killed job
    args = inputs(tmp_path)
    (tmp_path / "junit.xml").write_text(JUNIT[:300])
    assert main([*args, "--no-screenshot"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'junit.xml'} is not well-formed XML" in err and "left as it was" in err
    assert page.read_text() == old
    assert sorted(p.name for p in page.parent.iterdir()) == ["index.html"]     # no temp file left
    (tmp_path / "junit.xml").write_text("<coverage><x/></coverage>")
    assert main([*args, "--no-screenshot"]) == 2
    assert "is not JUnit XML: its root element is <coverage>" in capsys.readouterr().err
    assert page.read_text() == old


def test_malformed_coverage_and_waivers_name_file_and_fault(tmp_path: Path, monkeypatch, capsys) -> None:
    bad = {"sources": [], "items": {"blk.a": {"x": -1}}}
    rc, _ = build(tmp_path, monkeypatch, merged=bad)
    assert rc == 2 and "merged.json: item 'blk.a' bin 'x' has hits=-1" in capsys.readouterr().err
    rc, _ = build(tmp_path, monkeypatch, waivers='[[waiver]]\nitem = "blk.c"\nbin = "m"\nkind = "not-yet-hit"\n')
    assert rc == 2 and "waiver #1 (blk.c): needs a non-empty reason" in capsys.readouterr().err
    rc, _ = build(tmp_path, monkeypatch, waivers='[[waiver]]\nitem = "blk.c"\nkind = "later"\nreason = "r"\n'
                                                  'whole_item = true\n')
    assert rc == 2 and "kind = 'later'; must be one of" in capsys.readouterr().err
    rc, _ = build(tmp_path, monkeypatch, waivers='[[waiver]]\nitem = "blk.c"\nkind = "unreachable"\nreason = "r"\n')
    assert rc == 2 and "give exactly one of bin, bins, glob, whole_item" in capsys.readouterr().err


STALE = """
[[waiver]]
item = "blk.grp.a"
bin = "x"
kind = "not-yet-hit"
reason = "x was hard"

[[waiver]]
item = "blk.grp.b"
bins = ["q", "nosuch"]
kind = "not-yet-hit"
reason = "typo in one"

[[waiver]]
item = "blk.renamed"
whole_item = true
kind = "unreachable"
reason = "item renamed since"

[[waiver]]
item = "blk.grp.a"
glob = "x*"
kind = "not-yet-hit"
reason = "glob over hit bins only"
"""


def test_stale_waivers_warn_and_fail_strict(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "w.toml").write_text(STALE)
    _, stale = functional.classify(MERGED["items"], functional.load_waivers(tmp_path / "w.toml"))
    assert stale == [
        "waiver #1 (blk.grp.a: bin 'x'): bin 'x' is hit (3 times); remove it from the waiver",
        "waiver #2 (blk.grp.b: bins ['q', 'nosuch']): item blk.grp.b has no bin 'nosuch'",
        "waiver #3 (blk.renamed: the whole item): no cover item 'blk.renamed' in the database",
        "waiver #4 (blk.grp.a: glob 'x*'): every bin it matches (1) is hit; remove the waiver"]
    merged = {"sources": [], "items": {"blk.grp.a": {"x": 3}, "blk.grp.b": {"p": 1, "q": 0}}}
    rc, page = build(tmp_path, monkeypatch, merged=merged, waivers=STALE)
    assert rc == 0                                   # a warning without --strict
    t = parse(page.read_text())
    assert "stale-waivers" in t.ids and "item blk.grp.b has no bin 'nosuch'" in html.unescape(page.read_text())
    assert "report: warning: stale waiver #1" in capsys.readouterr().err
    rc, _ = build(tmp_path, monkeypatch, "--strict", merged=merged, waivers=STALE)
    err = capsys.readouterr().err
    assert rc == 1 and "--strict: stale waiver #3 (blk.renamed: the whole item)" in err
    assert "open functional coverage bin" not in err     # q is waived (by #2): nothing open


def test_strict_fails_on_an_open_bin(tmp_path: Path, monkeypatch, capsys) -> None:
    rc, _ = build(tmp_path, monkeypatch, "--strict")
    err = capsys.readouterr().err
    assert rc == 1 and "--strict: 2 open functional coverage bin(s)" in err and "blk.grp.a: z" in err
    closing = WAIVERS + '\n[[waiver]]\nitem = "blk.grp.a"\nbin = "z"\nkind = "not-yet-hit"\nreason = "r"\n' \
                        '\n[[waiver]]\nitem = "blk.grp.b"\nbin = "q"\nkind = "not-yet-hit"\nreason = "r"\n'
    rc, _ = build(tmp_path, monkeypatch, "--strict", waivers=closing)
    assert rc == 0, capsys.readouterr().err


def test_node_ids_and_parameters() -> None:
    assert junit.node_id("tests.test_x", "test_y[a-1]") == "tests/test_x.py::test_y[a-1]"
    assert junit.node_id("tests.test_x.TestC", "test_y") == "tests/test_x.py::TestC::test_y"
    assert junit._param_sim_seed("t[verilator-3]") == ("verilator", "3")
    assert junit._param_sim_seed("t[icarus]") == ("icarus", "")
    assert junit._param_sim_seed("test_build_dtb_cpu_counts[8]") == ("", "")      # not a seed
    assert junit._param_sim_seed("t[verilator-irq]") == ("verilator", "")


def test_the_repository_waiver_file_is_well_formed() -> None:
    waivers = functional.load_waivers(REPO / "sim/coverage_waivers.toml")
    assert waivers and all(w.reason and w.kind in functional.KINDS for w in waivers)
    assert not re.search(r"\s{2,}", " ".join(w.reason for w in waivers))    # line continuations joined


def test_strict_fails_without_a_coverage_database(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["-o", "index.html", "--no-screenshot", "--strict"]) == 1
    assert "--strict: no functional coverage database" in capsys.readouterr().err
    assert (tmp_path / "index.html").is_file()          # the page is still written


def test_junit_from_directories_globs_and_the_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for job in ("gic-icarus-1", "gic-icarus-2"):
        (tmp_path / "build/regress" / job).mkdir(parents=True)
        (tmp_path / "build/regress" / job / "junit.xml").write_text(JUNIT)
    reg = junit.load(["build/regress"], junit.DEFAULT_GLOB)
    assert reg is not None and len(reg.files) == 2 and len(reg.results) == 8
    reg = junit.load(["build/regress/*/junit.xml", "build/regress/gic-icarus-1"], junit.DEFAULT_GLOB)
    assert reg is not None and len(reg.files) == 2                  # the same file once
    with pytest.raises(HypsimError, match="--junit nothing/\\*.xml: no such file"):
        junit.load(["nothing/*.xml"], junit.DEFAULT_GLOB)
    assert junit.load(None, junit.DEFAULT_GLOB) is None            # nothing there: "not run"
    (tmp_path / "build/reports").mkdir(parents=True)
    (tmp_path / "build/reports/junit.xml").write_text(JUNIT)
    (tmp_path / "build/reports/other.xml").write_text("<coverage/>")
    reg = junit.load(None, junit.DEFAULT_GLOB)
    assert reg is not None and [f.name for f in reg.files] == ["junit.xml"]
    assert reg.skipped_files == [(Path("build/reports/other.xml"), "root element <coverage>, not JUnit")]


def test_malformed_code_summary_and_bench_name_file_and_fault(tmp_path: Path, monkeypatch, capsys) -> None:
    args = inputs(tmp_path)
    bad = {**SUMMARY, "modules": {"arm_core": {"line": [5, 3]}}}
    (tmp_path / "summary.json").write_text(json.dumps(bad))
    monkeypatch.chdir(tmp_path)
    assert main([*args, "--no-screenshot"]) == 2
    assert "summary.json: modules.arm_core.line is [5, 3], expected [hit, total]" in capsys.readouterr().err
    (tmp_path / "summary.json").write_text(json.dumps(SUMMARY))
    (tmp_path / "bench.json").write_text("[1, 2]")
    assert main([*args, "--no-screenshot"]) == 2
    assert "bench.json: expected a JSON object of figures, got list" in capsys.readouterr().err
    assert not (tmp_path / "build/reports/index.html").exists()       # nothing half-written


def test_regress_job_properties_give_rerun_and_log_link(tmp_path: Path, monkeypatch) -> None:
    """The regress helper's per-job JUnit: sim/seed/rerun/log properties on every testcase,
    and its own testcase (classname regress.<test>) for a job that died."""
    (tmp_path / "run/junit").mkdir(parents=True)
    (tmp_path / "run/logs").mkdir()
    (tmp_path / "run/logs/gic-verilator-7.log").write_text("boom\n")
    props = ('<properties><property name="job" value="gic-verilator-7"/><property name="sim" value="verilator"/>'
             '<property name="seed" value="7"/><property name="host" value="vm"/>'
             '<property name="log" value="run/logs/gic-verilator-7.log"/>'
             '<property name="rerun" value="HYPSIM_GIC_SEED=7 tools/venv-env.sh .venv/bin/python -m pytest '
             'tests/test_gic_block.py"/></properties>')
    (tmp_path / "run/junit/gic-verilator-7.xml").write_text(
        f'<testsuites><testsuite name="regress.gic">{props}<testcase classname="regress.gic" '
        f'name="gic-verilator-7 exit status" time="3">{props}<error message="exit status 1">boom</error>'
        f'</testcase></testsuite></testsuites>')
    monkeypatch.chdir(tmp_path)
    assert main(["--junit", "run/junit", "-o", "run/index.html", "--no-screenshot"]) == 0
    page = (tmp_path / "run/index.html").read_text()
    t = parse(page)
    assert t.tables["failures"][1][0].startswith("regress.gic::gic-verilator-7 exit status")
    assert t.tables["failures"][1][2:4] == ["verilator", "7"]
    assert "rerun: HYPSIM_GIC_SEED=7 tools/venv-env.sh .venv/bin/python -m pytest tests/test_gic_block.py" \
        in t.tables["failures"][2][0]
    assert '<a href="logs/gic-verilator-7.log">run/logs/gic-verilator-7.log</a>' in page
    assert "host: vm" in page

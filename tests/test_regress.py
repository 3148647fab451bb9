"""`make regress` (tb/regress.py, tb/regress_merge.py) on a tiny job list: the
stand-in test tests/data/regress_selftest.py, five seeds, run by GNU parallel through
an sshloginfile of two local workers (`2/:`, ':' = this machine without ssh), seed 3
failing on purpose and seed 4 dying without its JUnit. Every job must run, both bad
seeds be reported with their exact rerun commands (which reproduce the failures), the
merge keep every job's result, and the exit status be non-zero. ~10 s."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

import pytest

from hypsim.envs.system.runner import REGRESSION
from hypsim.simulator import REPO

pytestmark = pytest.mark.skipif(shutil.which("parallel") is None,
                                reason="GNU parallel not installed: run `make setup`")


def regress(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hypsim.regress", *args], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120, check=False)


def bash(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def run_name() -> Iterator[str]:
    name = f"pytest-{os.getpid()}"
    yield name
    shutil.rmtree(REPO / "build/regress" / name, ignore_errors=True)
    latest = REPO / "build/regress/latest"
    if latest.is_symlink() and os.readlink(latest) == name:
        latest.unlink()


def props(el: ET.Element) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in el.findall("properties/property")}


def test_failing_seeds_are_reported_with_their_rerun_commands(tmp_path: Path, run_name: str) -> None:
    slf = tmp_path / "sshlogins"
    slf.write_text("# two jobs at once on this machine\n2/:\n")
    r = regress("--tests", "selftest", "--seeds", "5", "--sims", "icarus", "--run", run_name,
                "--sshloginfile", str(slf), env={"HYPSIM_SELFTEST_FAIL": "3", "HYPSIM_SELFTEST_CRASH": "4"})
    run = REPO / "build/regress" / run_name
    assert r.returncode == 1, f"exit status {r.returncode}, want 1 (two seeds failed)\n{r.stdout}\n{r.stderr}"
    jobs = json.loads((run / "jobs.json").read_text())["jobs"]
    assert [j["seed"] for j in jobs] == [1, 2, 3, 4, 5]
    joblog = (run / "joblog.tsv").read_text().splitlines()[1:]
    assert sorted(int(line.split("\t")[0]) for line in joblog) == [1, 2, 3, 4, 5], "not every job ran"
    assert "done" in r.stderr and "FAILED selftest-icarus-s3" in r.stderr     # progress on stderr

    # the summary names both failed seeds with their exact rerun commands
    cmd = {j["seed"]: j["command"] for j in jobs}
    assert "2 failed" in r.stdout and "3 passed" in r.stdout, r.stdout
    for seed, why in ((3, "the deliberate failure"), (4, "exit status 3; the job wrote no JUnit report")):
        assert f"FAILED selftest-icarus-s{seed}: seed {seed} on icarus" in r.stdout, r.stdout
        assert f"rerun: {cmd[seed]}" in r.stdout and why in r.stdout, r.stdout
    summary = json.loads((run / "summary.json").read_text())
    assert [(f["seed"], f["rerun"]) for f in summary["failed"]] == [(3, cmd[3]), (4, cmd[4])]

    # the merge keeps every job: one testsuite each in results.xml, with sim, seed and rerun
    merged = ET.parse(run / "results.xml").getroot()
    suites = {props(s)["seed"]: s for s in merged.findall("testsuite")}
    assert sorted(suites) == ["1", "2", "3", "4", "5"]
    assert merged.get("tests") == "5" and merged.get("failures") == "2"
    for seed, s in suites.items():
        p = props(s)
        assert p["sim"] == "icarus" and p["rerun"] == cmd[int(seed)]
        assert p["status"] == ("failed" if seed in ("3", "4") else "passed")
        assert all(props(c)["seed"] == seed for c in s.iter("testcase"))

    # coverage stays per job (no job overwrote another's); the passing jobs' go to the merge
    assert all((run / "cov" / f"selftest-icarus-s{n}" / "selftest-icarus.xml").is_file() for n in range(1, 6))
    assert [Path(f).parent.name for j in summary["jobs"] for f in j["coverage"]] == \
        ["selftest-icarus-s1", "selftest-icarus-s2", "selftest-icarus-s5"]
    if importlib.util.find_spec("hypsim.coverage") is None:
        assert "skipped, hypsim.coverage is not installed" in r.stdout
    else:
        items = json.loads((run / "merged.json").read_text())["items"]
        assert sum(items["selftest.seed_mod4"].values()) == 3, items
    if importlib.util.find_spec("hypsim.report") is None:
        assert "report: skipped, hypsim.report is not installed" in r.stdout
    else:
        assert (run / "index.html").is_file()

    # the rerun command reproduces the failure on its own, and a passing seed's passes
    again = bash(cmd[3])
    assert again.returncode == 1 and "selftest seed 3 on icarus: the deliberate failure" in again.stdout
    assert bash(cmd[5]).returncode == 0

    # a job the regression never finished (interrupted) is listed too, and merging twice adds nothing twice
    (run / "joblog.tsv").write_text("\n".join(line for line in (run / "joblog.tsv").read_text().splitlines()
                                              if not line.startswith("5\t")) + "\n")
    r2 = regress("--merge", str(run.relative_to(REPO)))
    assert r2.returncode == 1 and "NOT RUN selftest-icarus-s5: seed 5 on icarus" in r2.stdout, r2.stdout
    assert f"rerun: {cmd[5]}" in r2.stdout
    s5 = ET.parse(run / "junit/selftest-icarus-s5.xml").getroot().find("testsuite")
    assert [p.get("name") for p in s5.findall("properties/property")].count("seed") == 1


def test_list_prints_one_runnable_command_per_job(run_name: str) -> None:
    r = regress("--seeds", "2", "--first-seed", "7", "--run", run_name, "--list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # 7 tests (a32, a32-mmu-hyp, a32-mmu-guest, hyp, gic, mmu, timer) x 2 sims + the system env's
    # long runs on Verilator only, x 2 seeds
    assert len(lines) == (7 * 2 + len(REGRESSION)) * 2, r.stdout
    assert sum("HYPSIM_GIC_SEED=8 " in ln and "HYPSIM_SIMS=icarus " in ln for ln in lines) == 1
    assert sum("--seq mmio --seed 7 " in ln and "--sim verilator " in ln for ln in lines) == 1
    assert not any("--sim icarus" in ln for ln in lines if "hypsim.envs.system.runner" in ln)
    # each line runs as it is (here: the stand-in, one seed)
    one = regress("--tests", "selftest", "--seeds", "1", "--first-seed", "2", "--sims", "verilator",
                  "--run", run_name, "--list").stdout.splitlines()
    assert len(one) == 1 and bash(one[0]).returncode == 0
    junit = ET.parse(REPO / "build/regress" / run_name / "junit/selftest-verilator-s2.xml").getroot()
    assert [c.get("name") for c in junit.iter("testcase")] == ["test_selftest[verilator]"]


def test_bad_arguments_say_what_to_fix(tmp_path: Path) -> None:
    r = regress("--tests", "a32,nosuch", "--list")
    assert r.returncode == 2 and "unknown test 'nosuch'" in r.stderr and "a32, a32-mmu-hyp" in r.stderr
    r = regress("--seeds", "0", "--list")
    assert r.returncode == 2 and "--seeds/SEEDS must be at least 1" in r.stderr
    r = regress("--sims", "icarus,vcs", "--list")
    assert r.returncode == 2 and "unknown simulator vcs" in r.stderr
    r = regress("--tests", "selftest", "--sshloginfile", str(tmp_path / "missing"))
    assert r.returncode == 2 and "no such file" in r.stderr
    r = regress("--merge", str(tmp_path))
    assert r.returncode == 2 and "no readable jobs.json" in r.stderr

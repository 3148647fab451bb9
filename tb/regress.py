"""Regressions with many seeds: every random test x simulator x seed is one job, run
by GNU parallel on this machine (-j JOBS) or on several (--sshloginfile FILE), then
merged (hypsim.regress_merge): per-job JUnit with the job's sim, seed and rerun
command as properties, one results.xml, the failed jobs with their seeds and rerun
commands, the functional coverage (python -m hypsim.coverage merge) and the HTML
report (python -m hypsim.report), all under build/regress/<run>/.

    python -m hypsim.regress --seeds 20 [--jobs 2] [--sims icarus,verilator] [--tests a32,gic]
                             [--first-seed 1|random] [--sshloginfile FILE] [--run NAME] [--keep-work]
    python -m hypsim.regress --seeds 3 --list        # the job commands, one per line, nothing run
    python -m hypsim.regress --merge build/regress/<run>   # merge a run again (e.g. after Ctrl-C)

Every job is ONE shell command, run from the repository root, that reruns exactly
that job (its seed, simulator and output paths are in it). Exit status: 0 when every
job passed, 1 when a job failed or did not run, 2 on bad arguments.

Each job gets its own coverage directory through $HYPSIM_COVERAGE_DIR (honoured by
hypsim.simulator.coverage_dir(), where the coverage databases are written), so that
seeds of one test running at once do not overwrite each other's database.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .fileio import atomic_write
from .simulator import REPO, SIMULATORS

REGRESS_DIR = Path("build/regress")          # relative to REPO: job commands run from the repo root
#: env vars a job line sets itself; any other HYPSIM_* of the caller's environment is
#: copied into every job line (e.g. HYPSIM_GIC_EVENTS), so a rerun is exact on any worker
_JOB_SET = {"HYPSIM_VENV", "HYPSIM_SIMS", "HYPSIM_SEED", "HYPSIM_COVERAGE_DIR", "HYPSIM_RANDOM_SEEDS",
            "HYPSIM_HYP_SEEDS", "HYPSIM_HYP_SEED", "HYPSIM_MMU_STREAM_SEED", "HYPSIM_GIC_SEED",
            "HYPSIM_MMU_SEED", "HYPSIM_TIMER_SEED", "HYPSIM_SYSTEM_SEED"}


class RegressError(Exception):
    """Bad arguments or a missing tool: the message says what and how to fix it."""


@dataclass(frozen=True)
class RandomTest:
    """A seeded test: a pytest node taking its seed from ``seed_env`` (``node`` may use
    {sim} and {seed}), or (system env) a hypsim.envs.system.runner sequence."""
    name: str
    seed_env: str = ""
    node: str = ""
    system: tuple[str, str | None, int] | None = None     # (sequence, guest, ops)
    hidden: bool = False                                   # only by name (--tests)


_A32 = "tests/test_random_programs.py::test_random_stream"
PYTEST_TESTS = (
    RandomTest("a32", "HYPSIM_SEED", f"{_A32}_matches_qemu"),
    RandomTest("a32-mmu-hyp", "HYPSIM_MMU_STREAM_SEED", f"{_A32}_with_mmu_matches_qemu[{{sim}}-{{seed}}-hyp]"),
    RandomTest("a32-mmu-guest", "HYPSIM_MMU_STREAM_SEED", f"{_A32}_with_mmu_matches_qemu[{{sim}}-{{seed}}-guest]"),
    RandomTest("hyp", "HYPSIM_HYP_SEED", "tests/test_random_hyp.py::test_random_hyp_traps_match_the_hsr_model"),
    RandomTest("gic", "HYPSIM_GIC_SEED", "tests/test_gic_block.py::test_gic_block_matches_model"),
    RandomTest("mmu", "HYPSIM_MMU_SEED", "tests/test_mmu_block.py::test_mmu_matches_translation_model"),
    RandomTest("timer", "HYPSIM_TIMER_SEED", "tests/test_timer_block.py::test_timer_block_matches_model"),
    # random T32 streams (tests/test_random_t32.py); by name only: make regress TESTS=t32
    RandomTest("t32", "HYPSIM_T32_SEED", "tests/test_random_t32.py::test_random_t32_stream_matches_qemu",
               hidden=True),
    # tests/test_regress.py's stand-in: cheap, fails on purpose for the seeds it is told
    RandomTest("selftest", "HYPSIM_SEED", "tests/data/regress_selftest.py::test_selftest", hidden=True),
)
SYSTEM_MAX_CYCLES = 60_000_000      # as the runner's --regress
SYSTEM_MAX_DELAY = 300


def system_tests() -> tuple[RandomTest, ...]:
    """The system env's long runs (runner.REGRESSION), one random test per entry."""
    from .envs.system.runner import REGRESSION     # imports cocotb: only when asked for
    return tuple(RandomTest(f"system-{seq}-{guest}" if guest else f"system-{seq}", "", system=(seq, guest, ops))
                 for seq, guest, ops in REGRESSION)


@dataclass(frozen=True)
class Job:
    """One random test on one simulator with one seed; ``command`` reruns it from the repo root."""
    name: str
    test: str
    kind: str           # pytest (writes its JUnit) | system (the merge writes it from the exit status)
    sim: str
    seed: int
    command: str
    junit: str          # repo-relative paths
    coverage: str
    log: str
    work: str


def _venv_python() -> str:
    """This Python (the venv's), relative to the repository when it lies inside it."""
    exe = Path(sys.executable)
    return str(exe.relative_to(REPO)) if exe.is_relative_to(REPO) else str(exe)


def passthrough_env() -> list[tuple[str, str]]:
    """The caller's HYPSIM_* knobs (sizes, code coverage, ...) that go into every job line, and
    HYPSIM_VENV when the venv is not the repository's .venv (tools/venv-env.sh's default)."""
    venv = os.environ.get("HYPSIM_VENV")
    keep = [("HYPSIM_VENV", venv)] if venv and Path(venv).resolve() != (REPO / ".venv").resolve() else []
    return keep + sorted((k, v) for k, v in os.environ.items() if k.startswith("HYPSIM_") and k not in _JOB_SET)


def make_job(test: RandomTest, sim: str, seed: int, run_dir: Path, extra_env: list[tuple[str, str]]) -> Job:
    name = f"{test.name}-{sim}-s{seed}"
    junit, cov = run_dir / "junit" / f"{name}.xml", run_dir / "cov" / name
    log, work = run_dir / "logs" / f"{name}.log", run_dir / "work" / name
    env = ([] if test.system else [("HYPSIM_SIMS", sim), (test.seed_env, str(seed))]) \
        + [("HYPSIM_COVERAGE_DIR", str(cov))] + extra_env
    words = [f"{k}={shlex.quote(v)}" for k, v in env] + ["tools/venv-env.sh", _venv_python()]
    if test.system:
        seq, guest, ops = test.system
        words += ["-m", "hypsim.envs.system.runner", "--seq", seq] + (["--guest", guest] if guest else []) \
            + ["--seed", str(seed), "--ops", str(ops), "--max-delay", str(SYSTEM_MAX_DELAY), "--sim", sim,
               "--max-cycles", str(SYSTEM_MAX_CYCLES), "--work-dir", str(work)]
    else:
        node = test.node.format(sim=sim, seed=seed)
        words += ["-m", "pytest", "-p", "no:cacheprovider", "-q", f"--basetemp={work}", f"--junitxml={junit}",
                  shlex.quote(node)]
    # pytest's --basetemp and the runner's work dir need their parent
    command = f"mkdir -p {work.parent} && " + " ".join(words)
    return Job(name, test.name, "system" if test.system else "pytest", sim, seed, command, str(junit), str(cov),
               str(log), str(work))


def select_tests(names: str | None) -> list[RandomTest]:
    """--tests a32,gic,system (system = every system-* entry); None: every visible test."""
    known = list(PYTEST_TESTS)
    want = [n.strip() for n in names.split(",") if n.strip()] if names else None
    if want is None or any(n.startswith("system") for n in want):
        known += system_tests()
    if want is None:
        return [t for t in known if not t.hidden]
    by_name = {t.name: t for t in known}
    out: list[RandomTest] = []
    for n in want:
        group = [t for t in known if t.name.startswith("system-")] if n == "system" else \
            [by_name[n]] if n in by_name else None
        if group is None:
            raise RegressError(f"unknown test {n!r} in --tests/TESTS: choose from "
                               f"{', '.join(t.name for t in known if not t.hidden)}, system")
        out += [t for t in group if t not in out]
    return out


def job_list(tests: list[RandomTest], sims: list[str], seeds: list[int], run_dir: Path) -> list[Job]:
    """Every test x simulator x seed; the system env's runs on Verilator only (Icarus runs them
    at ~3 k cycles/s: hours each) unless Icarus is the only simulator asked for."""
    extra = passthrough_env()
    system_sims = ["verilator"] if "verilator" in sims else sims
    return [make_job(t, sim, seed, run_dir, extra)
            for t in tests for sim in (system_sims if t.system else sims) for seed in seeds]


def check_parallel() -> str:
    exe = shutil.which("parallel")
    if exe is None:
        raise RegressError("GNU parallel not found: run `make setup` (apt-get install parallel)")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout
    if "GNU parallel" not in out:
        raise RegressError(f"{exe} is not GNU parallel (moreutils' parallel?): apt-get install parallel")
    return exe


def parallel_command(exe: str, run_dir: Path, jobs: int, sshloginfile: Path | None, keep_work: bool) -> list[str]:
    """GNU parallel over jobs.tsv (name TAB command): each job's output to logs/<job>.log,
    its exit status and time in joblog.tsv; a passing job's work dir removed unless keep_work.
    On remote workers (--sshloginfile) the job runs in this repository's path there and its
    JUnit, coverage and log come back with --return (a no-op on a shared filesystem)."""
    rd = str(run_dir)
    wrapper = (f"mkdir -p {rd}/logs {rd}/junit {rd}/cov/{{1}} && eval {{2}} > {rd}/logs/{{1}}.log 2>&1; rc=$?; "
               + ("" if keep_work else f"[ $rc -ne 0 ] || rm -rf {rd}/work/{{1}}; ") + "exit $rc")
    cmd = [exe, "--will-cite", "--halt", "never", "--joblog", f"{rd}/joblog.tsv", "--colsep", "\t",
           "-j", str(jobs)]
    if sshloginfile is not None:
        cmd += ["--sshloginfile", str(sshloginfile), "--workdir", str(REPO)]
        if not all_local(sshloginfile):        # on a shared filesystem the rsync back changes nothing
            for ret in (f"{rd}/junit/{{1}}.xml", f"{rd}/cov/{{1}}", f"{rd}/logs/{{1}}.log"):
                cmd += ["--return", ret]
    return cmd + [wrapper, "::::", f"{rd}/jobs.tsv"]


def all_local(sshloginfile: Path) -> bool:
    """Every sshlogin of the file is ':' (this machine, no ssh), with or without an N/ prefix."""
    logins = [ln.strip() for ln in sshloginfile.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    return all(re.sub(r"^(@[^/]+/)?(\d+/)?", "", ln) == ":" for ln in logins)


def read_joblog(path: Path) -> dict[int, dict]:
    """GNU parallel's joblog: {seq (1-based job index): {host, start, runtime, exit, signal}};
    only complete lines (the file grows while parallel runs)."""
    out: dict[int, dict] = {}
    if not path.exists():
        return out
    text = path.read_text(errors="replace")
    for line in text.splitlines(keepends=True)[1:]:
        f = line.rstrip("\n").split("\t")
        if not line.endswith("\n") or len(f) < 8 or not f[0].isdigit():
            continue
        out[int(f[0])] = {"host": f[1], "start": float(f[2]), "runtime": float(f[3]),
                          "exit": int(f[6]), "signal": int(f[7])}
    return out


class Progress(threading.Thread):
    """Reads the joblog and the log files at most once a second and prints, on stderr, what
    runs and how many jobs are done and failed (a line when that changes, else every minute);
    a failed job's rerun command at once."""

    def __init__(self, run_dir: Path, jobs: list[Job]) -> None:
        super().__init__(daemon=True)
        self.run_dir, self.jobs = run_dir, jobs
        self.stop = threading.Event()
        self.t0 = time.monotonic()

    def poll(self, last: tuple, last_t: float, reported: set[int]) -> tuple[tuple, float]:
        done = read_joblog(REPO / self.run_dir / "joblog.tsv")
        for seq, rec in sorted(done.items()):
            if (rec["exit"] or rec["signal"]) and seq not in reported and 0 < seq <= len(self.jobs):
                reported.add(seq)
                j = self.jobs[seq - 1]
                print(f"regress: FAILED {j.name} (seed {j.seed}, exit {rec['exit']}); rerun: {j.command}",
                      file=sys.stderr, flush=True)
        running = [j.name for i, j in enumerate(self.jobs, 1) if i not in done and (REPO / j.log).exists()]
        state = (len(done), len(reported), tuple(running))
        now = time.monotonic()
        if state != last or now - last_t >= 60:
            shown = ", ".join(running[:6]) + (f" +{len(running) - 6}" if len(running) > 6 else "")
            print(f"regress [{int(now - self.t0)} s]: {len(done)}/{len(self.jobs)} done, {len(reported)} failed"
                  f"{f'; running: {shown}' if running else ''}", file=sys.stderr, flush=True)
            return state, now
        return last, last_t

    def run(self) -> None:
        last: tuple = ()
        last_t = 0.0
        reported: set[int] = set()
        while not self.stop.wait(1.0):
            last, last_t = self.poll(last, last_t, reported)
        self.poll(last, last_t, reported)


def write_run_files(run_dir: Path, jobs: list[Job], meta: dict) -> None:
    """jobs.tsv (GNU parallel's input) and jobs.json (the merge's), each written then renamed."""
    d = REPO / run_dir
    d.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "junit", "cov", "work"):
        (d / sub).mkdir(exist_ok=True)
    for name, text in (("jobs.tsv", "".join(f"{j.name}\t{j.command}\n" for j in jobs)),
                       ("jobs.json", json.dumps({**meta, "jobs": [asdict(j) for j in jobs]}, indent=1))):
        atomic_write(d / name, text)
    latest = REPO / REGRESS_DIR / "latest"
    if latest.is_symlink() or not latest.exists():
        latest.unlink(missing_ok=True)
        latest.symlink_to(run_dir.name)


def seeds_from(first: str, n: int) -> list[int]:
    if n < 1:
        raise RegressError(f"--seeds/SEEDS must be at least 1, not {n}")
    if first == "random":
        base = random.randrange(1, 1_000_000)
    elif first.isdigit():
        base = int(first)
    else:
        raise RegressError(f"--first-seed/SEED must be a number or 'random', not {first!r}")
    return list(range(base, base + n))


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m hypsim.regress", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3, metavar="N", help="seeds per test and simulator (default 3)")
    ap.add_argument("--first-seed", default="1", metavar="S|random", help="seeds S..S+N-1 (default 1)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="M",
                    help="jobs at once (per worker without an N/ in the sshloginfile; default: CPUs here)")
    ap.add_argument("--sims", default="icarus,verilator", metavar="LIST")
    ap.add_argument("--tests", default=None, metavar="LIST",
                    help="comma-separated random tests (default: all; 'system' = every system-* run)")
    ap.add_argument("--sshloginfile", type=Path, default=None, metavar="FILE",
                    help="GNU parallel's sshlogins (':' is this machine): the workers need this repository, "
                         "set up, at the same path")
    ap.add_argument("--run", default=None, metavar="NAME", help="build/regress/NAME (default: the date and time)")
    ap.add_argument("--keep-work", action="store_true", help="keep passing jobs' work dirs (failing ones are kept)")
    ap.add_argument("--list", action="store_true", help="print the job commands, one per line, and stop")
    ap.add_argument("--merge", type=Path, default=None, metavar="RUN_DIR", help="merge a run again and stop")
    return ap


def main(argv: list[str] | None = None) -> int:
    a = _parser().parse_args(argv)
    from .regress_merge import merge_run
    os.chdir(REPO)                      # job commands and paths are relative to the repository root
    try:
        if a.merge is not None:
            return merge_run(a.merge)
        sims = [s for s in a.sims.split(",") if s]
        bad = [s for s in sims if s not in SIMULATORS]
        if bad or not sims:
            raise RegressError(f"unknown simulator {','.join(bad) or '(none)'} in --sims/SIM: "
                               f"use {','.join(SIMULATORS)} or one of them")
        if a.jobs < 1:
            raise RegressError(f"--jobs/JOBS must be at least 1, not {a.jobs}")
        if a.run is not None and (not re.fullmatch(r"[A-Za-z0-9._-]+", a.run) or a.run in (".", "..", "latest")):
            raise RegressError(f"--run {a.run!r}: use letters, digits, '.', '_' and '-'")
        seeds = seeds_from(a.first_seed, a.seeds)
        run_dir = REGRESS_DIR / (a.run or time.strftime("%Y%m%d-%H%M%S"))
        jobs = job_list(select_tests(a.tests), sims, seeds, run_dir)
        if a.list:
            print("\n".join(j.command for j in jobs))
            return 0
        exe = check_parallel()
        slf = a.sshloginfile
        if slf is not None and not slf.is_file():
            raise RegressError(f"--sshloginfile {slf}: no such file (one sshlogin a line, ':' = this machine)")
        if (REPO / run_dir / "jobs.json").exists():
            raise RegressError(f"{run_dir} exists: choose another --run/RUN name, or merge it again with "
                               f"--merge {run_dir}")
    except RegressError as exc:
        print(f"regress: {exc}", file=sys.stderr)
        return 2
    meta = {"run": run_dir.name, "seeds": seeds, "sims": sims, "tests": sorted({j.test for j in jobs}),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "sshloginfile": str(slf) if slf else None}
    write_run_files(run_dir, jobs, meta)
    extra = passthrough_env()
    print(f"regress: {len(jobs)} jobs ({len(meta['tests'])} tests x {','.join(sims)} x seeds "
          f"{seeds[0]}..{seeds[-1]}) in {run_dir}, {a.jobs} at once"
          + (f" on the workers of {slf}" if slf else "")
          + (f"; every job gets {' '.join(f'{k}={v}' for k, v in extra)}" if extra else ""), file=sys.stderr)
    cmd = parallel_command(exe, run_dir, a.jobs, slf, a.keep_work)
    progress = Progress(run_dir, jobs)
    progress.start()
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "PARALLEL_SHELL": "/bin/bash"})
    try:
        prc = proc.wait()
    except KeyboardInterrupt:          # parallel got the SIGINT too: let it stop its jobs, then merge
        print("regress: interrupted; merging the jobs that finished", file=sys.stderr)
        prc = proc.wait()
    progress.stop.set()
    progress.join()
    if prc > 101:       # 1-100: that many jobs failed, 101: more; above: parallel itself failed
        print(f"regress: GNU parallel ended with status {prc} ({' '.join(map(shlex.quote, cmd))})", file=sys.stderr)
    return max(merge_run(run_dir), 1 if prc > 101 else 0)


if __name__ == "__main__":
    sys.exit(main())

"""The merge of a regression run (build/regress/<run>/, laid out by hypsim.regress):

- every job's JUnit (junit/<job>.xml) gets <property>s job, test, sim, seed, status,
  exit, host, log and rerun (the one shell command that reruns the job) on its
  testsuites and testcases; a job that wrote none (a system-env run, a crash, a job
  the regression never started) gets one written from GNU parallel's joblog and the
  tail of its log, so that no job, above all no failing seed, is missing;
- results.xml: all of them in one <testsuites>; summary.json: every job's verdict,
  the failed ones with seed and rerun command (also printed);
- the functional coverage of the passing jobs (cov/<job>/**/*.xml) merged by
  `python -m hypsim.coverage merge -o merged.xml FILES...` (merged.json beside it),
  and index.html by `python -m hypsim.report`; either tool missing is said and skipped.

    python -m hypsim.regress --merge build/regress/<run>     # again, e.g. after Ctrl-C

Exit status 1 when a job failed or did not run, or a merge tool failed; else 0.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .fileio import atomic_write
from .simulator import REPO

LOG_TAIL_LINES = 60
MESSAGE_CHARS = 300


@dataclass
class JobResult:
    name: str
    test: str
    sim: str
    seed: int
    status: str                 # passed | failed | skipped | not run
    rerun: str
    log: str
    junit: str
    exit: int | None = None
    signal: int | None = None
    runtime_s: float | None = None
    host: str | None = None
    message: str = ""           # the first failure's message, or why the job counts as failed
    coverage: list[str] = field(default_factory=list)


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    if not path.exists():
        return f"(no log: {shown})"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) or f"(empty log: {shown})"


def _write_xml(root: ET.Element, path: Path) -> None:
    """Write, then rename: never a half-written report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.indent(root)
    tmp = path.with_name(f".{path.name}.tmp")
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    tmp.replace(path)


def _read_junit(path: Path) -> tuple[ET.Element | None, str]:
    """The job's JUnit as a <testsuites> root, or None and why not."""
    if not path.exists():
        return None, "the job wrote no JUnit report"
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return None, f"its JUnit report {path} does not parse ({exc})"
    if root.tag == "testsuite":
        wrapped = ET.Element("testsuites")
        wrapped.append(root)
        root = wrapped
    return root, ""


def _set_properties(el: ET.Element, props: dict[str, str]) -> None:
    """Replace this tool's properties in el's <properties> (first child), keep the others."""
    holder = el.find("properties")
    if holder is None:
        holder = ET.Element("properties")
        el.insert(0, holder)
    for p in [p for p in holder.findall("property") if p.get("name") in props]:
        holder.remove(p)
    for k, v in props.items():
        ET.SubElement(holder, "property", name=k, value=v)


def _synthesize(job: dict, kind: str, message: str, runtime: float | None, log: Path) -> ET.Element:
    """A <testsuites> with one testcase for a job without (usable) JUnit of its own."""
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name=f"regress.{job['test']}", tests="1",
                          failures="1" if kind == "failure" else "0",
                          errors="1" if kind == "error" else "0", skipped="0", time=f"{runtime or 0:.3f}")
    case = ET.SubElement(suite, "testcase", classname=f"regress.{job['test']}", name=job["name"],
                         time=f"{runtime or 0:.3f}")
    if kind != "pass":
        ET.SubElement(case, kind, message=message).text = _tail(log)
    return root


def finish_job(job: dict, rec: dict | None) -> JobResult:
    """The job's verdict from its joblog record and JUnit; its JUnit completed with the
    properties (or written from scratch) in place."""
    res = JobResult(job["name"], job["test"], job["sim"], job["seed"], "passed", job["command"], job["log"],
                    job["junit"])
    junit, log = REPO / job["junit"], REPO / job["log"]
    if rec is not None:
        res.exit, res.signal, res.runtime_s, res.host = rec["exit"], rec["signal"], rec["runtime"], rec["host"]
    root, why = _read_junit(junit)
    if rec is None:
        res.status, res.message = "not run", "the job never finished (the regression was interrupted or parallel failed)"
        root = _synthesize(job, "error", res.message, None, log)
    elif root is None:
        if res.exit or res.signal:
            res.status = "failed"
            res.message = f"exit status {res.exit}" + (f", signal {res.signal}" if res.signal else "") \
                + (f"; {why}" if job.get("kind") == "pytest" else "")
        elif job.get("kind") == "pytest":
            res.status, res.message = "failed", f"exit status 0 but {why}"
        root = _synthesize(job, "failure" if res.status == "failed" else "pass", res.message, res.runtime_s, log)
    else:
        cases = list(root.iter("testcase"))
        bad = [c.find("failure") if c.find("failure") is not None else c.find("error") for c in cases]
        bad = [b for b in bad if b is not None]
        if bad:
            res.status = "failed"
            res.message = (bad[0].get("message") or (bad[0].text or "").strip()).strip()
        if res.exit or res.signal:
            res.status = "failed"
            if not bad:     # the process failed after (or without) its tests failing: say so in the JUnit
                res.message = f"exit status {res.exit}" + (f", signal {res.signal}" if res.signal else "") \
                    + (" with no test collected" if not cases else " although no test failed")
                suite = root.find("testsuite")
                if suite is None:
                    suite = ET.SubElement(root, "testsuite", name=f"regress.{job['test']}")
                case = ET.SubElement(suite, "testcase", classname=f"regress.{job['test']}",
                                     name=f"{job['name']} exit status")
                ET.SubElement(case, "error", message=res.message).text = _tail(log)
                suite.set("errors", str(int(suite.get("errors", "0")) + 1))
                suite.set("tests", str(int(suite.get("tests", "0")) + 1))
        elif not bad and cases and all(c.find("skipped") is not None for c in cases):
            res.status = "skipped"
            sk = cases[0].find("skipped")
            res.message = (sk.get("message") or "") if sk is not None else ""
    res.message = res.message[:MESSAGE_CHARS]
    props = {"job": job["name"], "test": job["test"], "sim": job["sim"], "seed": str(job["seed"]),
             "status": res.status, "exit": "" if res.exit is None else str(res.exit), "host": res.host or "",
             "log": job["log"], "rerun": job["command"]}
    for el in [*root.iter("testsuite"), *root.iter("testcase")]:
        _set_properties(el, props)
    _write_xml(root, junit)
    if res.status == "passed":
        res.coverage = sorted(str(p.relative_to(REPO)) for p in (REPO / job["coverage"]).rglob("*.xml"))
    return res


def _module_present(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _tool(module: str, args: list[str], what: str, owner: str) -> tuple[bool, str]:
    """Run `python -m module args`; (ok, one line saying what happened). A missing module is
    not a failure (another part of the project); a failing one is."""
    if not _module_present(module):
        return True, f"{what}: skipped, {module} is not installed ({owner}; this branch predates it)"
    p = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True, check=False)
    if p.returncode != 0:
        detail = (p.stderr.strip() or p.stdout.strip()).splitlines()[-5:]
        return False, f"{what}: FAILED (python -m {module} {' '.join(args[:3])} ... exit {p.returncode}): " \
            + " | ".join(detail)
    return True, f"{what}: {args[args.index('-o') + 1]}"


def merge_run(run_dir: Path) -> int:
    from .regress import read_joblog
    d = run_dir if run_dir.is_absolute() else REPO / run_dir
    try:
        meta = json.loads((d / "jobs.json").read_text())
    except (OSError, ValueError) as exc:
        print(f"regress: cannot merge {run_dir}: no readable jobs.json ({exc}); give a directory "
              f"python -m hypsim.regress made (build/regress/<run>)", file=sys.stderr)
        return 2
    rel = d.relative_to(REPO) if d.is_relative_to(REPO) else d
    log = read_joblog(d / "joblog.tsv")
    results = [finish_job(j, log.get(i)) for i, j in enumerate(meta["jobs"], 1)]

    merged = ET.Element("testsuites", name=f"regress {meta['run']}")
    for r in results:
        root, _ = _read_junit(REPO / r.junit)
        for suite in root.iter("testsuite") if root is not None else ():
            merged.append(suite)
    for attr in ("tests", "failures", "errors", "skipped"):
        merged.set(attr, str(sum(int(s.get(attr, "0")) for s in merged.findall("testsuite"))))
    _write_xml(merged, d / "results.xml")

    counts = {s: sum(r.status == s for r in results) for s in ("passed", "failed", "not run", "skipped")}
    lines = [f"regress {rel}: {len(results)} jobs: " + ", ".join(f"{n} {s}" for s, n in counts.items())]
    for r in results:
        if r.status in ("failed", "not run"):
            where = f", {r.runtime_s:.0f} s on {r.host}" if r.runtime_s is not None else ""
            lines += [f"{r.status.upper()} {r.name}: seed {r.seed} on {r.sim}"
                      + (f", exit {r.exit}" if r.exit is not None else "") + where,
                      f"    {r.message.splitlines()[0] if r.message else ''}",
                      f"    log:   {r.log}",
                      f"    rerun: {r.rerun}"]
    if counts["skipped"]:
        lines.append("skipped: " + ", ".join(f"{r.name} ({r.message})" for r in results if r.status == "skipped"))

    tools_ok = True
    cov_files = [f for r in results for f in r.coverage]
    if cov_files:
        ok, msg = _tool("hypsim.coverage", ["merge", "-o", str(rel / "merged.xml"), *cov_files],
                        f"functional coverage of {len(cov_files)} databases", "helper COV's part")
        tools_ok &= ok
    else:
        msg = "functional coverage: no coverage database from the passing jobs of this run"
    lines.append(msg)
    ok, msg = _tool("hypsim.report", ["--junit", str(rel / "junit"), "--functional", str(rel / "merged.json"),
                                      "-o", str(rel / "index.html")], "report", "helper REPORT's part")
    tools_ok &= ok
    lines += [msg, f"results: {rel / 'results.xml'} (every job's JUnit), summary: {rel / 'summary.json'}"]

    summary = {**{k: v for k, v in meta.items() if k != "jobs"}, "counts": counts,
               "failed": [asdict(r) for r in results if r.status in ("failed", "not run")],
               "jobs": [asdict(r) for r in results]}
    atomic_write(d / "summary.json", json.dumps(summary, indent=1))
    print("\n".join(lines), flush=True)
    return 1 if counts["failed"] or counts["not run"] or not tools_ok else 0

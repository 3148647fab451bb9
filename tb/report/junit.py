"""Regression results from JUnit XML (pytest's --junitxml, the regress jobs' files).

Each <testcase> becomes a :class:`TestResult`: outcome, simulator, seed, wall
time, the failure text and the exact command that reruns it. The simulator and
seed come from the test's (or its suite's) <property name="sim"/"seed"> when
the writer added them, else from the parametrize id: a component that names a
simulator is the simulator, and an integer component next to it ("[verilator-3]")
is the seed (a lone integer, "[8]", is some other parameter). A <property
name="rerun"> replaces the derived command.
"""
from __future__ import annotations

import glob
import re
import shlex
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HypsimError

SIMULATORS = ("icarus", "verilator")
RERUN_PREFIX = "tools/venv-env.sh .venv/bin/python -m pytest"
#: where each outcome sorts in the page: problems first
OUTCOME_ORDER = {"error": 0, "failure": 1, "skipped": 2, "passed": 3}
EXCERPT_LINES = 20
DEFAULT_GLOB = "build/reports/*.xml"


@dataclass
class TestResult:
    """One <testcase> of one JUnit file."""
    source: Path
    classname: str
    name: str
    outcome: str                 # passed | failure | error | skipped
    time: float
    sim: str = ""
    seed: str = ""
    message: str = ""            # the failure/error/skip message attribute
    text: str = ""               # the traceback (last EXCERPT_LINES lines)
    rerun: str = ""
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def nodeid(self) -> str:
        return node_id(self.classname, self.name)


@dataclass
class Regression:
    files: list[Path]
    results: list[TestResult]
    skipped_files: list[tuple[Path, str]]     # found by a default glob but not JUnit

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in OUTCOME_ORDER}
        for r in self.results:
            out[r.outcome] += 1
        return out

    @property
    def wall(self) -> float:
        return sum(r.time for r in self.results)


def node_id(classname: str, name: str) -> str:
    """pytest's node id from a JUnit classname ("tests.test_x" or "tests.test_x.TestCls").

    The module path ends at the last dotted component that is not a class
    name (classes start with an upper-case letter, pytest's "Test*" rule). A
    classname that is no test module (a job the regress helper reports itself)
    stays as it is: "classname::name"."""
    parts = classname.split(".") if classname else []
    n = len(parts)
    while n > 1 and parts[n - 1][:1].isupper():
        n -= 1
    module = "/".join(parts[:n]) + ".py" if n else ""
    if not module:
        return name
    if parts[0] != "tests" and not Path(module).is_file():     # not a pytest module (a regress job)
        return f"{classname}::{name}"
    return "::".join([module, *parts[n:], name])


def _param_sim_seed(name: str) -> tuple[str, str]:
    m = re.search(r"\[(.*)\]$", name)
    if not m:
        return "", ""
    comps = m.group(1).split("-")
    sims = [c for c in comps if c in SIMULATORS]
    if not sims:
        return "", ""
    seeds = [c for c in comps if re.fullmatch(r"\d+", c)]
    return sims[0], (seeds[0] if len(seeds) == 1 else "")


def rerun_command(nodeid: str, sim: str, seed: str, make_sim: bool) -> str:
    """The shell command, from the repository root, that runs this one test again.

    HYPSIM_SIMS keeps the run to the one simulator, HYPSIM_SEED puts the seed in
    the parametrized seed list (tests/test_random_programs.py), and a test from
    `make sim`'s file gets HYPSIM_ALL_GUESTS=1 as make sim sets it."""
    env = []
    if sim:
        env.append(f"HYPSIM_SIMS={sim}")
    if seed:
        env.append(f"HYPSIM_SEED={seed}")
    if make_sim:
        env.append("HYPSIM_ALL_GUESTS=1")
    return " ".join([*env, RERUN_PREFIX, shlex.quote(nodeid)])


def _props(el: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for props in el.findall("properties"):
        for p in props.findall("property"):
            if p.get("name"):
                out[p.get("name", "")] = p.get("value", p.text or "")
    return out


def _excerpt(text: str) -> str:
    lines = text.rstrip().splitlines()
    if len(lines) > EXCERPT_LINES:
        lines = [f"... ({len(lines) - EXCERPT_LINES} lines above)", *lines[-EXCERPT_LINES:]]
    return "\n".join(lines)


def parse_file(path: Path) -> list[TestResult]:
    """Every test case of one JUnit file; HypsimError naming the file if it is not one."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise HypsimError(f"report: {path} is not well-formed XML ({e}); rerun the tests that "
                          f"write it or delete it") from None
    except OSError as e:
        raise HypsimError(f"report: cannot read JUnit file {path}: {e.strerror}") from None
    if root.tag == "testsuite":
        suites = [root]
    elif root.tag == "testsuites":
        suites = list(root.iter("testsuite"))
    else:
        raise HypsimError(f"report: {path} is not JUnit XML: its root element is <{root.tag}>, "
                          f"expected <testsuites> or <testsuite>")
    make_sim = path.name.startswith("sim-junit")
    results = []
    for suite in suites:
        suite_props = _props(suite)
        for i, tc in enumerate(suite.findall("testcase")):
            name = tc.get("name")
            if not name:
                raise HypsimError(f"report: {path}: <testcase> #{i + 1} of suite "
                                  f"{suite.get('name', '?')!r} has no name attribute")
            try:
                t = float(tc.get("time", "0") or 0)
            except ValueError:
                raise HypsimError(f"report: {path}: test {name!r} has time={tc.get('time')!r}, "
                                  f"not a number of seconds") from None
            outcome, message, text = "passed", "", ""
            for tag in ("failure", "error", "skipped"):
                el = tc.find(tag)
                if el is not None:
                    outcome, message, text = tag, el.get("message", ""), el.text or ""
                    break
            props = {**suite_props, **_props(tc)}
            psim, pseed = _param_sim_seed(name)
            r = TestResult(source=path, classname=tc.get("classname", ""), name=name,
                           outcome=outcome, time=t, sim=props.get("sim", psim),
                           seed=props.get("seed", pseed), message=message,
                           text=_excerpt(text), properties=props)
            r.rerun = props.get("rerun") or rerun_command(r.nodeid, r.sim, r.seed, make_sim)
            results.append(r)
    return results


def find_files(specs: list[str]) -> list[Path]:
    """Files from paths, directories (every *.xml below) and globs; sorted, unique.
    A spec that matches nothing is an error (a typo should not look like "not run")."""
    out: list[Path] = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            found = sorted(p.rglob("*.xml"))
        elif p.is_file():
            found = [p]
        else:
            found = [Path(f) for f in sorted(glob.glob(spec, recursive=True)) if Path(f).is_file()]
        if not found:
            raise HypsimError(f"report: --junit {spec}: no such file, directory or matching file")
        out.extend(found)
    seen: set[Path] = set()
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def load(specs: list[str] | None, default_glob: str) -> Regression | None:
    """The regression from the given specs, or from default_glob (None when it matches nothing).

    Files found by the default glob that are well-formed XML but not JUnit (another
    tool's XML in build/reports/) are listed as skipped; given files must be JUnit."""
    if specs:
        files = find_files(specs)
        return Regression(files, [r for f in files for r in parse_file(f)], [])
    files = [Path(f) for f in sorted(glob.glob(default_glob))]
    if not files:
        return None
    used, skipped, results = [], [], []
    for f in files:
        try:
            root_tag = ET.parse(f).getroot().tag
        except ET.ParseError:
            root_tag = None          # parse_file raises the clear error
        if root_tag not in (None, "testsuite", "testsuites"):
            skipped.append((f, f"root element <{root_tag}>, not JUnit"))
            continue
        results.extend(parse_file(f))
        used.append(f)
    return Regression(used, results, skipped) if used else None

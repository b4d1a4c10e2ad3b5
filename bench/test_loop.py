"""Where `make test`'s time goes, and the least it could take on this machine.

Runs `make test`'s three test lanes as it does (the PostgreSQL suite without the
browser tests and the SQLite suite side by side, the browser tests on the core
that frees first), each with pytest's ``--durations=0``, then prints for
each lane its wall time and how its tests' time divides between set-up (fixtures,
the test database's creation included), the tests' own work and tear-down.

Last, the floor: what `make test`'s three lanes would take on two cores if every
set-up and tear-down cost nothing and the lanes packed perfectly. Removing
repeated set-up can bring `make test` no lower than that; lanes side by side
also run slower than each alone, so the real floor is higher still.

    .venv/bin/python bench/test_loop.py             # about as long as make test
    .venv/bin/python bench/test_loop.py --log FILE  # an earlier run's output

It runs ``make test`` itself (pytest reads ``--durations`` from
``PYTEST_ADDOPTS``); the output goes to build/test-loop.log.
A lane's wall time is pytest's own count of it. Not part of `make test`: it
prints figures, it asserts nothing.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORES = 2
LANES = 3  # `make test`'s: PostgreSQL without the browser tests, SQLite, browser
DURATIONS = "--durations=0 --durations-min=0"
# With -O, make prints each lane's output whole, starting with its pytest command.
PYTEST_COMMAND = re.compile(r"^(?P<env>.*?)\S*/pytest (?P<marks>.*)$")
DURATION = re.compile(r"^(\d+\.\d+)s (setup|call|teardown)\s+(\S+)")
# pytest's last line: "== 2891 passed, 59 skipped ... in 761.50s (0:12:41) =="
SUMMARY = re.compile(r"\b(?:passed|failed|error)\b.* in (\d+\.\d+)s\b")


@dataclass
class Lane:
    name: str
    wall: float = 0.0  # pytest's own count, from its summary line
    longest: dict = field(default_factory=dict)  # {(test id, phase): seconds}

    def add(self, test, phase, seconds):
        # A test with subtests is listed once per subtest under the same id and
        # phase, and once whole: the longest entry is the whole test, so each
        # (id, phase) counts once, at its longest.
        key = (test, phase)
        self.longest[key] = max(self.longest.get(key, 0.0), seconds)

    @property
    def phases(self):
        """{"setup": seconds, "call": ..., "teardown": ...}"""
        phases = collections.Counter()
        for (_test, phase), seconds in self.longest.items():
            phases[phase] += seconds
        return phases

    @property
    def modules(self):
        modules = collections.Counter()
        for (test, _phase), seconds in self.longest.items():
            modules[test.split("::")[0]] += seconds
        return modules

    @property
    def floor(self):
        """Wall time less set-up and tear-down: what removing set-up leaves."""
        phases = self.phases
        return self.wall - phases["setup"] - phases["teardown"]


def lane_name(command):
    if "-u DATABASE_URL" in command["env"]:
        return "sqlite"
    return "browser" if command["marks"] == "-m browser" else "postgresql"


def parse(text):
    """The lanes in `make test`'s output, each with its tests' times by phase."""
    lanes, lane = [], None
    for line in text.splitlines():
        command = PYTEST_COMMAND.match(line)
        if command:
            lane = Lane(lane_name(command))
            lanes.append(lane)
        elif lane is not None:
            duration = DURATION.match(line)
            if duration:
                lane.add(duration[3], duration[2], float(duration[1]))
            elif summary := SUMMARY.search(line):
                lane.wall = float(summary[1])
    return lanes


def run_lanes(log):
    """`make test` itself, with pytest's durations (pytest reads PYTEST_ADDOPTS)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTEST_ADDOPTS": DURATIONS}
    with log.open("w") as out:
        completed = subprocess.run(
            ["make", "--no-print-directory", "test"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return completed.returncode


def minutes(seconds):
    return f"{int(seconds // 60)}:{round(seconds % 60):02d}"


def report(lanes, top):
    print()
    print("| lane | wall | set-up | tests' own work | tear-down | wall less both |")
    print("|---|---|---|---|---|---|")
    for lane in lanes:
        phases = lane.phases
        print(
            f"| {lane.name} | {minutes(lane.wall)} "
            f"| {phases['setup']:.0f} s | {phases['call']:.0f} s "
            f"| {phases['teardown']:.0f} s | {minutes(lane.floor)} |"
        )
    total = sum(lane.floor for lane in lanes)
    # Two cores, three lanes: no schedule ends before the longest lane does, nor
    # before the cores have done all of the work between them.
    floor = max(max(lane.floor for lane in lanes), total / CORES)
    print()
    print(
        f"Wall time less set-up and tear-down, all lanes: {minutes(total)} of work; "
        f"on {CORES} cores, perfectly packed, at least {minutes(floor)}."
    )
    print(
        "That floor leaves out installing, linting and checking, and that lanes "
        "side by side run slower than alone."
    )
    for lane in lanes:
        print(f"\n{lane.name}: the {top} modules that take longest (seconds)")
        for module, seconds in lane.modules.most_common(top):
            print(f"  {seconds:7.1f}  {module}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--log", type=Path, help="read this output of an earlier run instead"
    )
    parser.add_argument("--top", type=int, default=8, help="modules shown per lane")
    options = parser.parse_args()
    log = options.log or ROOT / "build" / "test-loop.log"
    status = 0 if options.log else run_lanes(log)
    lanes = parse(log.read_text(errors="replace"))
    if len(lanes) != LANES:
        sys.exit(f"{log}: found {len(lanes)} lanes, not {LANES}")
    report(lanes, options.top)
    if status:
        sys.exit(f"make ended with status {status}: a lane failed ({log})")


if __name__ == "__main__":
    main()

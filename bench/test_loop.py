"""Where `make test`'s time goes, and the least it could take on this machine.

Runs the three test lanes as `make test` schedules them (the PostgreSQL suite
without the browser tests and the SQLite suite side by side, the browser tests on
the core that frees first), each with pytest's ``--durations=0``, then prints for
each lane its wall time and how its tests' time divides between set-up (fixtures,
the test database's creation included), the tests' own work and tear-down.

Last, the floor: what `make test`'s three lanes would take on two cores if every
set-up and tear-down cost nothing and the lanes packed perfectly. Removing
repeated set-up can bring `make test` no lower than that; lanes side by side
also run slower than each alone, so the real floor is higher still.

    .venv/bin/python bench/test_loop.py              # about as long as make test
    .venv/bin/python bench/test_loop.py --logs DIR   # the logs of an earlier run

Logs go to build/test-loop/ (one per lane). Not part of `make test`: it prints
figures, it asserts nothing.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = ROOT / ".venv" / "bin" / "pytest"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/newsroom")
CORES = 2

# As the Makefile's test-postgres-other, test-sqlite and test-postgres-browser; the
# first two start together.
LANES = {
    "postgresql": ({"DATABASE_URL": PG_URL}, ["-m", "not browser"]),
    "sqlite": ({"DATABASE_URL": None}, ["-m", "not browser"]),
    "browser": ({"DATABASE_URL": PG_URL}, ["-m", "browser"]),
}
DURATION = re.compile(r"^(\d+\.\d+)s (setup|call|teardown)\s+(\S+)")
WALL = re.compile(r"^@wall (\d+\.\d+)$", re.MULTILINE)


@dataclass
class Lane:
    name: str
    wall: float
    phases: dict = field(default_factory=dict)  # {"setup": seconds, ...}
    modules: collections.Counter = field(default_factory=collections.Counter)

    @property
    def fixed(self):
        """Set-up and tear-down: what removing repeated set-up could save at most."""
        return self.phases.get("setup", 0.0) + self.phases.get("teardown", 0.0)

    @property
    def floor(self):
        return self.wall - self.fixed


def parse(name, text):
    """A lane's log: its wall time and, per phase, the sum of its tests' times.

    A test with subtests is listed once per subtest under the same id and phase,
    and once whole: the longest entry is the whole test, so each (id, phase)
    counts once, at its longest.
    """
    longest = {}
    for line in text.splitlines():
        match = DURATION.match(line)
        if match:
            key = (match[3], match[2])
            longest[key] = max(longest.get(key, 0.0), float(match[1]))
    lane = Lane(name, wall=float(WALL.search(text)[1]))
    phases = collections.Counter()
    for (test, phase), seconds in longest.items():
        phases[phase] += seconds
        lane.modules[test.split("::")[0]] += seconds
    lane.phases = dict(phases)
    return lane


def command(name):
    overrides, marks = LANES[name]
    env = dict(os.environ)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    # As the Makefile: bytecode is written, so no lane compiles the project again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    args = [str(PYTEST), *marks, "-q", "-p", "no:cacheprovider"]
    return [*args, "--durations=0", "--durations-min=0"], env


def run_lanes(folder):
    """Run the lanes as make test does; write each one's log with its wall time."""
    folder.mkdir(parents=True, exist_ok=True)
    waiting = list(LANES)
    running = {}
    failed = []

    def start(name):
        args, env = command(name)
        log = (folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        running[name] = (process, log, time.monotonic())
        print(f"started {name}", flush=True)

    while waiting or running:
        while waiting and len(running) < CORES:
            start(waiting.pop(0))
        time.sleep(1)
        for name, (process, log, started) in list(running.items()):
            if process.poll() is None:
                continue
            wall = time.monotonic() - started
            log.write(f"\n@wall {wall:.1f}\n")
            log.close()
            del running[name]
            print(f"{name} ended in {minutes(wall)} (exit {process.returncode})")
            if process.returncode != 0:
                failed.append(name)
    return failed


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
            f"| {phases.get('setup', 0):.0f} s | {phases.get('call', 0):.0f} s "
            f"| {phases.get('teardown', 0):.0f} s | {minutes(lane.floor)} |"
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
        "--logs", type=Path, help="read these logs instead of running the lanes"
    )
    parser.add_argument("--top", type=int, default=8, help="modules shown per lane")
    options = parser.parse_args()
    folder = options.logs or ROOT / "build" / "test-loop"
    failed = [] if options.logs else run_lanes(folder)
    lanes = []
    for name in LANES:
        path = folder / f"{name}.log"
        if not path.exists():
            sys.exit(f"{path} is missing: run without --logs first")
        lanes.append(parse(name, path.read_text(errors="replace")))
    report(lanes, options.top)
    if failed:
        sys.exit(f"lanes with failing tests: {', '.join(failed)}")


if __name__ == "__main__":
    main()

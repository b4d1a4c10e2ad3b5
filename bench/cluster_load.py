"""Readers against one node, then against two nodes behind nginx, while an
editor publishes; every publish is then checked on the public site.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_cluster \\
    DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/newsroom_cluster \\
        .venv/bin/python bench/cluster_load.py --seconds 10

Starts the set with scripts/cluster.sh (and stops it), reads with wrk. Prints
requests per second for each run and their ratio, failures, and the writes
verified; exits non-zero on any failed request or lost write. On two cores the
nodes share the same CPUs, so the ratio shows the cost of the extra hop and
processes, not the gain of a second machine.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
os.environ.setdefault(
    "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
)

from bench.cluster_ops import prepare, publish  # noqa: E402  (sets Django up)

NGINX, NODE1 = 8800, 8801
PATHS = ["/news/", "/news/feed/", "/api/v2/releases/", "/news/sectors/energy/"]
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def cluster(*args):
    subprocess.run(["scripts/cluster.sh", *args], cwd=ROOT, check=True)


def wrk(port, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in PATHS))
    output = subprocess.run(
        # A render after each publish takes seconds on two busy cores: wrk's
        # default 2 s timeout would count slowness as failure.
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "15s"]
        + ["-s", script.name]
        + [f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    return {
        "rate": rate,
        "requests": requests,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sockets.group(1).strip() if sockets else "",
    }


class Editor(threading.Thread):
    """Publishes a new release every ``pause`` seconds until stopped."""

    def __init__(self, pause):
        super().__init__()
        self.pause, self.done, self.published = pause, threading.Event(), []

    def run(self):
        from django.db import connection

        try:
            while not self.done.is_set():
                title = f"Cluster load release {uuid.uuid4().hex[:10]}"
                self.published.append((title, publish(title)))
                self.done.wait(self.pause)
        finally:
            connection.close()


def loaded_run(port, seconds, connections, pause):
    editor = Editor(pause)
    editor.start()
    try:
        result = wrk(port, seconds, connections)
    finally:
        editor.done.set()
        editor.join()
    result["published"] = editor.published
    return result


def verify(published, deadline_seconds=5):
    """Every release is public through nginx (replica caught up) with its title."""
    lost = []
    for title, path in published:
        deadline = time.monotonic() + deadline_seconds
        while True:
            try:
                with urlopen(f"http://127.0.0.1:{NGINX}{path}", timeout=10) as page:
                    if title in page.read().decode():
                        break
            except HTTPError:
                pass
            if time.monotonic() > deadline:
                lost.append(path)
                break
            time.sleep(0.1)
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--publish-every", type=float, default=1.0)
    args = parser.parse_args()
    prepare()
    cluster("start")
    try:
        for port in (NODE1, NODE1 + 1):  # both nodes' workers warm, alike
            for path in PATHS:
                urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
        runs = {}
        for name, port in (("one node", NODE1), ("two nodes via nginx", NGINX)):
            runs[name] = loaded_run(
                port, args.seconds, args.connections, args.publish_every
            )
        published = [p for run in runs.values() for p in run["published"]]
        lost = verify(published)
    finally:
        cluster("stop")
    for name, run in runs.items():
        print(
            f"{name}: {run['rate']:.1f} requests/s ({run['requests']} requests), "
            f"non-2xx/3xx: {run['non_2xx']}, "
            f"socket errors: {run['socket_errors'] or 'none'}, "
            f"releases published meanwhile: {len(run['published'])}"
        )
    one, two = runs["one node"]["rate"], runs["two nodes via nginx"]["rate"]
    print(f"two nodes / one node: {two / one:.2f}")
    print(f"writes verified: {len(published) - len(lost)}, lost: {len(lost)}")
    for path in lost:
        print(f"  not public: {path}")
    failed = any(run["non_2xx"] or run["socket_errors"] for run in runs.values())
    if failed or lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

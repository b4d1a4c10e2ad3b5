"""How fast import_releases takes an archive: N synthetic records (the shape of
bench/make_import_file.py), imported into the database of DATABASE_URL, which
must be migrated and should be a scratch one. Prints records/s, the total time,
the importing process's CPU time (the database server's is not in it) and the
load average, since the wall-clock figure depends on what else the machine runs.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/nr_bulk_bench \\
  .venv/bin/python bench/import_rate.py --records 10000
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def time_import(path, bulk=True):
    """Run ``import_releases`` on the file at ``path``: (seconds, CPU seconds of
    this process, the command's summary)."""
    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        call_command(
            "import_releases",
            path,
            *(["--bulk"] if bulk else []),
            stdout=out,
            stderr=err,
        )
    except CommandError:  # some synthetic records name an official twice
        refused = err.getvalue().splitlines()[-1]
        out.write(f"{refused.split(':', 1)[-1].strip()} (refused by line)")
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return seconds, cpu, out.getvalue().strip().replace("\n", " ")


def report(records):
    """For bench/run.py: ``records`` synthetic records imported with ``--bulk``
    into the benchmark's archive, in a transaction rolled back after, so the
    archive the pages were timed on stays as it was."""
    from django.db import transaction

    from bench.make_import_file import write_records

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
        write_records(records, file)
    try:
        with transaction.atomic():
            seconds, cpu, _summary = time_import(file.name)
            transaction.set_rollback(True)
    finally:
        os.unlink(file.name)
    print(
        f"\nArchive import (import_releases --bulk, {records} records, rolled back):"
        f"\n{'records/s':32} {records / seconds:9.1f}"
        f"\n{'10,000 records would take':32} {10_000 * seconds / records:9.0f} s"
        f" ({cpu / seconds:.0%} of it this process's CPU)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="time the per-record path (without --bulk) instead",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="import the same file a second time and time that too (idempotence)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom_site.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from bench.make_import_file import write_records
    from newsroom.models import PressReleasePage

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
        write_records(args.records, file)
    before = PressReleasePage.objects.count()
    path = "one by one" if args.one_by_one else "--bulk"
    print(f"{connection.vendor}, {args.records} records, {path}")
    runs = ["first run", "second run"] if args.again else ["first run"]
    try:
        for run in runs:
            load = os.getloadavg()[0]
            seconds, cpu, summary = time_import(file.name, bulk=not args.one_by_one)
            print(
                f"{run}: {seconds:.1f} s, {args.records / seconds:.1f} records/s, "
                f"{cpu:.1f} s of this process's CPU time "
                f"(load average {load:.2f} before, {os.getloadavg()[0]:.2f} after); "
                + summary
            )
    finally:
        os.unlink(file.name)
    print(f"releases: {before} before, {PressReleasePage.objects.count()} after")


if __name__ == "__main__":
    main()

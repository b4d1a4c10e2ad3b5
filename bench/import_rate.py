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
    from django.core.management import CommandError, call_command
    from django.db import connection

    from bench.make_import_file import write_records
    from newsroom.models import PressReleasePage

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
        write_records(args.records, file)
    options = [] if args.one_by_one else ["--bulk"]
    before = PressReleasePage.objects.count()
    path = "one by one" if args.one_by_one else "--bulk"
    print(f"{connection.vendor}, {args.records} records, {path}")
    runs = ["first run", "second run"] if args.again else ["first run"]
    try:
        for run in runs:
            load = os.getloadavg()[0]
            out = io.StringIO()
            started, cpu = time.perf_counter(), time.process_time()
            err = io.StringIO()
            try:
                call_command(
                    "import_releases", file.name, *options, stdout=out, stderr=err
                )
            except CommandError:  # some synthetic records name an official twice
                refused = err.getvalue().splitlines()[-1]
                out.write(f"{refused.split(':', 1)[-1].strip()} (refused by line)")
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            print(
                f"{run}: {seconds:.1f} s, {args.records / seconds:.1f} records/s, "
                f"{cpu:.1f} s of this process's CPU time "
                f"(load average {load:.2f} before, {os.getloadavg()[0]:.2f} after); "
                + out.getvalue().strip().replace("\n", " ")
            )
    finally:
        os.unlink(file.name)
    print(f"releases: {before} before, {PressReleasePage.objects.count()} after")


if __name__ == "__main__":
    main()

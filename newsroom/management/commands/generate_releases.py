import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from newsroom.channels.page_cache import content_changed
from newsroom.loading.generation import analyse, generate_releases


class Command(BaseCommand):
    help = "Create N synthetic live releases in bulk (for benchmarks and load tests)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, count, seed, batch_size, **options):
        started = time.perf_counter()
        with tqdm(total=count, unit="release", file=self.stderr._out) as progress:
            generate_releases(
                count, seed=seed, batch_size=batch_size, progress=progress
            )
        analyse()
        content_changed()
        self.stdout.write(
            f"Generated {count} releases in {time.perf_counter() - started:.1f} s."
        )

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import reset_queries

from tiketti.operations.bench_data import BenchDataRefused, generate


class Command(BaseCommand):
    help = (
        "Fill the database with realistic fi/pl/en tickets and messages for benchmarks "
        "(bulk inserts; refuses a database with real tickets unless --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, required=True, help="How many tickets.")
        parser.add_argument(
            "--messages-per-ticket", type=int, default=3, help="Messages in each (default 3)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument("--chunk-size", type=int, default=2000, help="Tickets per transaction.")
        parser.add_argument(
            "--force", action="store_true", help="Add to a database that has real tickets."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tickets, per_ticket = options["tickets"], options["messages_per_ticket"]
        if tickets < 1 or per_ticket < 1 or options["chunk_size"] < 1:
            raise CommandError("--tickets, --messages-per-ticket and --chunk-size must be ≥ 1.")
        try:
            for progress in generate(
                tickets,
                messages_per_ticket=per_ticket,
                seed=options["seed"],
                chunk_size=options["chunk_size"],
                force=options["force"],
            ):
                reset_queries()  # with DEBUG on, Django keeps every statement: memory stays flat
                rate = progress.done / max(progress.seconds, 1e-6)
                self.stdout.write(
                    f"bench-data: {progress.done} / {progress.total} tickets, "
                    f"{progress.done * per_ticket} messages, {rate:.0f} tickets/s"
                )
        except BenchDataRefused:
            raise CommandError(
                "the database already has tickets that are not bench data; "
                "use an empty database or add --force"
            ) from None
        self.stdout.write(f"bench-data: done in {progress.seconds:.1f} s.")

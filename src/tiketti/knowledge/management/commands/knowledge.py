"""`tiketti knowledge reindex` and `tiketti knowledge unanswered`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tiketti.knowledge.index import rebuild_index
from tiketti.knowledge.services import unanswered_searches


class Command(BaseCommand):
    help = "Help center: rebuild the search index, or list searches that found nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("reindex", help="Rebuild the search index from the articles.")
        unanswered = actions.add_parser(
            "unanswered", help="Searches that found nothing, most frequent first."
        )
        unanswered.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            count = rebuild_index()
            self.stdout.write(f"indexed {count} documents")
            return
        since = timezone.now() - timedelta(days=options["days"])
        for row in unanswered_searches(since=since):
            self.stdout.write(f"{row.count}\t{row.language}\t{row.query}")

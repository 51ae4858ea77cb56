"""When tickets merge, the work logged on them and their quotes go with the matter."""

from typing import Any

from tiketti.tickets.signals import ticket_merging

from .models import Quote, TimeEntry


def move_to_survivor(sender: object, *, merged_id: int, survivor_id: int, **kwargs: Any) -> None:
    TimeEntry.objects.filter(ticket_id=merged_id).update(ticket_id=survivor_id)
    Quote.objects.filter(ticket_id=merged_id).update(ticket_id=survivor_id)


def connect() -> None:
    ticket_merging.connect(move_to_survivor, dispatch_uid="contracts.move_to_survivor")

"""Ticket events that other parts react to (notifications, later SLA and webhooks).

Sent only after the transaction commits, so a receiver never sees rolled-back rows.
Receivers get primary keys, not objects.
"""

from django.dispatch import Signal

# sender=Ticket, ticket_id=int, message_id=int, acknowledge=bool
ticket_created = Signal()
# sender=Message, ticket_id=int, message_id=int
message_posted = Signal()
# sender=Ticket, ticket_id=int: its status, assignee, team, category or priority changed
# (once per transaction, however many services changed it)
ticket_updated = Signal()
# sender=SlaAlert, alert_id=int: a deadline is close, or passed
sla_alert_raised = Signal()
# sender=Ticket, ticket_id=int: the ticket moved to solved (the satisfaction survey goes out)
ticket_solved = Signal()
# sender=Ticket, ticket_id=int, assignee_id=int: someone gave the ticket to another staff
# member (not sent when an agent takes it, or routing assigned it on arrival)
ticket_assigned = Signal()
# sender=Idea, idea_id=int, old_status=str: a development idea's status changed
idea_status_changed = Signal()
# sender=Ticket, ticket_id=int: closed as out of scope; the requester gets its answer
ticket_out_of_scope = Signal()
# sender=Ticket, merged_id=int, survivor_id=int: sent INSIDE the merge's transaction, so
# other apps move what they keep per ticket (time entries, quotes) in the same commit
ticket_merging = Signal()
# sender=Ticket, ticket_id=int, survivor_id=int: a ticket was merged into another (after
# commit); its requester is told where the matter goes on
ticket_merged = Signal()

from django.tasks import task

from . import delivery, inbound, notifications, staff_notices


@task()
def deliver_email(email_id: int) -> None:
    """Send the mail due now, `email_id` (the mail that queued the task) among them, in
    batches over one connection (`delivery.deliver_due`). At most PER_TASK mails, so a
    worker told to stop stops soon; a full batch has queued the next task already."""
    delivery.deliver_due(limit=delivery.PER_TASK)


@task()
def notify_ticket_created(ticket_id: int, message_id: int) -> None:
    notifications.acknowledge_ticket(ticket_id, message_id)


@task()
def notify_out_of_scope(ticket_id: int) -> None:
    notifications.explain_out_of_scope(ticket_id)


@task()
def notify_ticket_merged(ticket_id: int, survivor_id: int) -> None:
    notifications.announce_merge(ticket_id, survivor_id)


@task()
def notify_message_posted(ticket_id: int, message_id: int) -> None:
    notifications.announce_message(ticket_id, message_id)


@task()
def send_password_reset(email: str) -> None:
    notifications.mail_password_reset(email)


@task()
def notify_sla_alert(alert_id: int) -> None:
    notifications.announce_sla_alert(alert_id)


@task()
def explain_held_message(inbound_id: int, reason: str, language: str = "") -> None:
    notifications.explain_held_message(inbound_id, reason, language)


@task()
def warn_about_personal_data(ticket_id: int) -> None:
    notifications.warn_about_personal_data(ticket_id)


# Intake has a queue of its own: a backlog of notifications never delays it (and a
# worker can be given to it alone).
INTAKE_QUEUE = "intake"


@task(queue_name=INTAKE_QUEUE)
def process_inbound_messages(inbound_ids: list[int]) -> None:
    """Messages stored in one commit (an LMTP group, an IMAP poll): processed with every
    other message waiting when the task starts, oldest first, in batches. Groups stored
    while it waits to start queue no task of their own (`inbound.queue_processing`)."""
    inbound.process_pending(limit=None)


@task()
def notify_quote(quote_id: int) -> None:
    notifications.announce_quote(quote_id)


@task()
def notify_quota(notice_id: int) -> None:
    notifications.announce_quota(notice_id)


@task()
def notify_staff_of_ticket(ticket_id: int) -> None:
    staff_notices.announce_new_ticket(ticket_id)


@task()
def notify_assignment(ticket_id: int, assignee_id: int) -> None:
    staff_notices.announce_assignment(ticket_id, assignee_id)


@task()
def notify_idea_status(idea_id: int) -> None:
    notifications.announce_idea_status(idea_id)

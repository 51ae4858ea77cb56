"""Who may see what. Every view and API endpoint asks here; nothing else decides.

Customers see only tickets they may see, and never internal notes or their attachments;
anything else is a 404, so nothing leaks about what exists.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from tiketti.accounts.models import User

from .models import Attachment, Message, Ticket, TicketQuerySet


def visible_tickets(user: User) -> TicketQuerySet:
    tickets: TicketQuerySet = Ticket.objects.all()
    if not user.is_active:
        return tickets.none()
    if user.is_agent:
        return tickets
    if user.is_main_user and user.organisation_id is not None:
        return tickets.filter(organisation_id=user.organisation_id)
    return tickets.filter(Q(requester=user) | Q(cc=user)).distinct()


def get_ticket_for_user(user: User, number: str) -> Ticket:
    ticket = visible_tickets(user).filter(number=number.upper()).first()
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def get_ticket_for_agent(user: User, number: str) -> Ticket:
    if not user.is_agent:
        raise Http404("No such ticket.")
    return get_ticket_for_user(user, number)


def visible_messages(user: User, ticket: Ticket) -> QuerySet[Message]:
    messages = ticket.messages.select_related("author").prefetch_related("attachments")
    return messages if user.is_agent else messages.filter(is_internal=False)


def get_message_for_user(user: User, ticket: Ticket, message_id: int) -> Message:
    message = visible_messages(user, ticket).filter(pk=message_id).first()
    if message is None:
        raise Http404("No such message.")
    return message


def get_attachment_for_user(user: User, key: UUID) -> Attachment:
    """An attachment by its public key (never its sequential id), if `user` may see it."""
    attachment = Attachment.objects.select_related("message", "ticket").filter(key=key).first()
    if attachment is None or attachment.is_blocked:  # a blocked file is nobody's to download
        raise Http404("No such attachment.")
    if not visible_tickets(user).filter(pk=attachment.ticket_id).exists():
        raise Http404("No such attachment.")
    if attachment.message.is_internal and not user.is_agent:
        raise Http404("No such attachment.")
    return attachment


def may_read_whole_email(user: User, message: Message) -> bool:
    """Whether `user` may read the whole text of a reply stored without its quote. Staff
    may; a customer only a customer's reply (staff answering by e-mail may have quoted
    what only staff see)."""
    if user.is_agent:
        return True
    return not message.is_internal and not message.is_from_staff


def may_download_original_mail(user: User, message: Message) -> bool:
    """The e-mail as it arrived holds every file it carried: when the file type policy
    kept one out of the ticket, only an admin may download the original."""
    if not user.is_agent:
        return False
    return user.is_admin or not message.attachments.exclude(blocked_type="").exists()

"""Which of our mailboxes a message reached, which ticket numbers are ours, and which
language its sender declared: what inbound mail reads from addresses and headers."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings

from tiketti.accounts.models import normalize_email
from tiketti.fulltext import guess_language
from tiketti.reference_data import ReferenceData

from .models import InboundMessage, Mailbox
from .parsing import ParsedEmail, find_ticket_numbers


def _load_mailboxes() -> tuple[Mailbox, ...]:
    return tuple(Mailbox.objects.select_related("team", "category__team"))


# All mailboxes, in their order, with their team and category: every message needs them
# (routing, our own addresses) and admins rarely change them.
mailboxes = ReferenceData(
    _load_mailboxes, watch=("mail.Mailbox", "accounts.Team", "tickets.Category")
)


def own_addresses() -> frozenset[str]:
    """Addresses that are ours: mail from them to us is a loop."""
    addresses = {normalize_email(mailbox.address) for mailbox in mailboxes.get()}
    from_address = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
    addresses.add(normalize_email(from_address))
    return frozenset(addresses)


def mailbox_of(inbound: InboundMessage) -> Mailbox | None:
    if inbound.mailbox_id is None:
        return None
    return _known_mailbox(lambda mailbox: mailbox.pk == inbound.mailbox_id)


def mailbox_at(address: str) -> Mailbox | None:
    """The active mailbox `address` reaches (a plus address counts as its base)."""
    base = _base_address(address)
    return _known_mailbox(lambda m: m.is_active and normalize_email(m.address) == base)


def mailbox_for(parsed: ParsedEmail, envelope_recipient: str) -> Mailbox | None:
    """The mailbox the message was sent to (plus addresses count as their base address)."""
    candidates = [envelope_recipient, *(a.address for a in (*parsed.to, *parsed.cc))]
    bases = {_base_address(c) for c in candidates if c}
    return _known_mailbox(lambda m: m.is_active and normalize_email(m.address) in bases)


def _known_mailbox(wanted: Callable[[Mailbox], bool]) -> Mailbox | None:
    """The first mailbox that is `wanted`; read them again if none is (perhaps it was
    added in another process since)."""
    found = next((mailbox for mailbox in mailboxes.get() if wanted(mailbox)), None)
    if found is None:
        mailboxes.forget()
        found = next((mailbox for mailbox in mailboxes.get() if wanted(mailbox)), None)
    return found


def _base_address(address: str) -> str:
    local, _, domain = normalize_email(address).partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def our_prefix() -> str:
    """Only our own ticket numbers count: `UTF-8` or another helpdesk's `AB-12` do not.
    People and mail programs change case (`[tk-1009]`): match it ignoring case."""
    return re.escape(settings.TIKETTI_TICKET_PREFIX)


def plus_numbers(address: str) -> list[str]:
    local = address.partition("@")[0]
    tag = local.partition("+")[2]
    return find_ticket_numbers(tag, our_prefix(), ignore_case=True) if tag else []


def declared_language(parsed: ParsedEmail) -> str:
    """The sender's language as their mail program declared it (Content-Language, else
    Accept-Language), if it is one of ours."""
    for name in ("content-language", "accept-language"):
        for value in parsed.headers.get(name, ()):
            code = value.strip().lower()[:2]
            if code in ("fi", "pl", "en"):
                return code
    return ""


def sender_language(parsed: ParsedEmail) -> str:
    """The language the sender wrote in: as declared, else a guess from what they wrote
    (subject and new text, not the quoted history); "" when unclear."""
    return declared_language(parsed) or guess_language(
        f"{parsed.subject}\n{parsed.reply_text or parsed.body_text}"
    )

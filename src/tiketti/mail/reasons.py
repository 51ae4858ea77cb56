"""Words for staff: what the stored reason codes of received mail mean.

`InboundMessage.reason` holds stable, machine-friendly codes (`unknown_requester`,
`auto-reply`, `held not_main_user`, …): logs, the admin and `tiketti mail ingest` show
them as they are (see `inbound.describe`). Staff pages show the translated label instead;
a code not listed here is shown as it is.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import InboundMessage

Status = InboundMessage.Status

REASON_LABELS: dict[str, Promise] = {
    # Held for review: the intake refused the message (`IntakeRefused` codes).
    "unknown_requester": _("unknown sender"),
    "requester_missing": _("no sender address"),
    "sender_not_on_ticket": _("the sender is not part of the ticket"),
    "requester_inactive": _("the sender's account is disabled"),
    "requester_is_staff": _("sent by a staff member"),
    "not_a_customer": _("no support contract"),
    "priority_not_allowed": _("only main users may file priority tickets"),
    # A ticket waiting for acceptance (stored as "held not_main_user").
    "not_main_user": _("not from a main user"),
    # Failed: an error while processing (shown with the message's error).
    "processing-failed": _("processing failed"),
    # Dropped: a machine wrote it (`classify`).
    "loop": _("mail loop"),
    "bounce": _("delivery failure report"),
    "auto-reply": _("automatic reply"),
    "mailing-list": _("mailing list"),
    "bulk": _("bulk mail"),
    # Processed.
    "created": _("new ticket"),
    "appended": _("added to the ticket"),
    "duplicate": _("received already"),
    "quote approved": _("quote approved by e-mail"),
    "quote declined": _("quote declined by e-mail"),
    "quote forbidden": _("quote decision not from a main user"),
    "quote quote_decided": _("quote decided already"),
    "quote quote_expired": _("quote had expired"),
    "personal data removed": _("personal data removed"),
}

DISCARDED_BY = "discarded by "


def reason_label(reason: str) -> str:
    """The translated label of a stored reason; an unknown code as it is."""
    if reason.startswith("held "):
        return reason_label(reason.removeprefix("held "))
    if reason.startswith(DISCARDED_BY):
        return gettext("discarded by %(email)s") % {"email": reason.removeprefix(DISCARDED_BY)}
    label = REASON_LABELS.get(reason)
    return str(label) if label is not None else reason


def status_label(inbound: InboundMessage) -> str:
    """The message's status in words; a failed one says whether the worker tries again by
    itself (the database was locked or away) or an admin must act (a bug, unreadable)."""
    if inbound.will_retry:
        assert inbound.next_attempt_at is not None
        when = formats.date_format(
            timezone.localtime(inbound.next_attempt_at), "SHORT_DATETIME_FORMAT"
        )
        return gettext("will retry at %(time)s") % {"time": when}
    if inbound.status == Status.FAILED:
        return gettext("failed: needs an admin")
    return str(inbound.get_status_display())


def describe_for_staff(inbound: InboundMessage) -> str:
    """What became of a message, in the reader's language: `inbound.describe` for people
    (that one is the CLI's stable output and stays in codes)."""
    reason = inbound.reason
    label = reason_label(reason) if reason else inbound.get_status_display()
    ticket = inbound.ticket
    if reason.startswith("held ") and ticket is not None:
        return gettext("%(number)s waits for acceptance – %(reason)s") % {
            "number": ticket.number,
            "reason": label,
        }
    if inbound.status in (Status.PROCESSED, Status.DUPLICATE) and ticket is not None:
        return gettext("%(number)s – %(reason)s") % {"number": ticket.number, "reason": label}
    if inbound.status == Status.DROPPED:
        return gettext("dropped – %(reason)s") % {"reason": label}
    if inbound.will_retry:
        return gettext("%(reason)s – %(status)s") % {
            "reason": label,
            "status": status_label(inbound),
        }
    if inbound.status == Status.FAILED:
        return gettext("%(reason)s – needs an admin") % {"reason": label}
    if inbound.status == Status.STORED:
        return label
    return gettext("held – %(reason)s") % {"reason": label}

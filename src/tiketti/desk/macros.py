"""Macros: canned replies written in each language, filled in for one ticket.

The text is chosen in the REQUESTER's language, whatever the agent's interface speaks, and
its placeholders are filled for the ticket; the agent reviews it in the reply box and
sends it. Sending applies the macro's status, category and priority through
`tickets.services` and records in the history that the macro was used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import User
from tiketti.knowledge.models import Article
from tiketti.reference_data import ReferenceData
from tiketti.tickets import services
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.models import Message, Ticket, TicketEvent

from .models import Macro

PLACEHOLDERS = {
    "requester_name": _("the requester's name"),
    "ticket_number": _("the ticket number"),
    "agent_name": _("your name"),
    "articles": _("links to the macro's help-center articles"),
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace each `{name}` with its value; anything else in braces stays as written."""
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)


def unknown_placeholders(text: str) -> list[str]:
    """The `{names}` in `text` that are not placeholders, in order, once each."""
    names = dict.fromkeys(_PLACEHOLDER.findall(text))
    return [name for name in names if name not in PLACEHOLDERS]


def article_links(articles: Sequence[Article], language: str) -> str:
    """Each public article's title in `language` (or the nearest) and its address in the
    help center, in that language: `Title: URL`, or a list when there are several."""
    links = []
    for article in articles:
        text = article.translation_for(language)
        if text is None or not article.is_public:
            continue
        path = reverse("knowledge:article", args=[article.slug])
        links.append(f"{text.title}: {settings.TIKETTI_BASE_URL}{path}?lang={text.language}")
    if len(links) == 1:
        return links[0]
    return "".join(f"\n- {link}" for link in links)


def macro_text(macro: Macro, *, ticket: Ticket, agent: User) -> str:
    """The macro's text for this ticket, in its requester's language, placeholders filled."""
    language = ticket.requester.language
    articles = list(macro.articles.prefetch_related("translations"))
    values = {
        "requester_name": ticket.requester.get_short_name(),
        "ticket_number": ticket.number,
        "agent_name": agent.get_full_name(),
        "articles": article_links(articles, language),
    }
    return fill_placeholders(macro.body_for(language), values).strip()


def _load_macros() -> dict[str, Macro]:
    macros: dict[str, Macro] = {}
    for macro in Macro.objects.all():
        macros.setdefault(macro.name, macro)
    return macros


# Read by the history of every ticket page that used a macro; admins rename them rarely.
_macros = ReferenceData(_load_macros, watch=("desk.Macro",))


def macro_name(name: str) -> str:
    """A macro's name as history stores it (its default name), in the active language."""
    macro = _macros.get().get(name)
    return macro.localized_name() if macro else name


def reply_with_macro(
    *,
    ticket: Ticket,
    agent: User,
    macro: Macro,
    body_text: str,
    is_internal: bool = False,
    files: Sequence[IncomingFile] = (),
    new_status: str | None = None,
    expected_version: int | None = None,
) -> Message:
    """Send the reply an agent wrote from a macro (as they edited it), then set what the
    macro sets; all or nothing, with the macro's use in the history."""
    with transaction.atomic():
        message = services.post_message(
            ticket=ticket,
            author=agent,
            body_text=body_text,
            channel=Ticket.Channel.PORTAL,
            is_internal=is_internal,
            files=files,
            new_status=new_status or macro.status or None,
            expected_version=expected_version,
        )
        current = Ticket.objects.get(pk=ticket.pk)
        if macro.category_id is not None or macro.priority:
            current = services.classify_ticket(
                ticket=current,
                actor=agent,
                category=macro.category if macro.category_id is not None else current.category,
                priority=macro.priority or current.priority,
            )
        services.record_event(current, agent, TicketEvent.Kind.MACRO, "", macro.name)
    return message

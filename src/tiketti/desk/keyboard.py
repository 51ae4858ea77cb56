"""The desk's keyboard shortcuts: one registry, read by desk.js and by the `?` help overlay.

A shortcut is data: the key, what it does in words, and one of a few actions desk.js knows
(focus an element, move through a list, click a button, go to a page, open the help). To add
one for a new desk action, add an entry to SHORTCUTS; no JavaScript changes are needed.

Single-character shortcuts can be turned off per person (WCAG 2.1.4): the setting is
`User.uses_keyboard_shortcuts`, changed on the profile page or in the overlay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tiketti.accounts.models import User

from .views import staff_required

Action = Literal["focus", "next", "previous", "click", "go", "help"]


@dataclass(frozen=True)
class Shortcut:
    key: str  # KeyboardEvent.key: one character
    label: Promise  # what it does, shown in the overlay
    action: Action
    # focus/click: a CSS selector; next/previous: the selector of the list's links;
    # go: a URL name; help: unused. The key does nothing on pages without the target.
    target: str = ""
    where: Promise | None = None  # the page it works on, when not everywhere

    def as_data(self) -> dict[str, str]:
        target = reverse(self.target) if self.action == "go" else self.target
        return {"key": self.key, "action": self.action, "target": target}


QUEUE = _("queue")
TICKET = _("ticket page")

SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("?", _("show the keyboard shortcuts"), "help"),
    Shortcut("/", _("search"), "focus", "#id_q", where=QUEUE),
    Shortcut("j", _("next ticket"), "next", ".queue-row .ticket-link", where=QUEUE),
    Shortcut("k", _("previous ticket"), "previous", ".queue-row .ticket-link", where=QUEUE),
    Shortcut(
        "x", _("select the ticket"), "click", ".queue-row:focus-within .select-ticket", where=QUEUE
    ),
    Shortcut("r", _("write a reply"), "focus", "#id_body", where=TICKET),
    Shortcut("m", _("choose a macro"), "focus", "#id_macro", where=TICKET),
    Shortcut("g", _("back to the queue"), "go", "desk:queue"),
)


def shortcut_data() -> list[dict[str, str]]:
    """What desk.js reads (as JSON) to bind the keys."""
    return [shortcut.as_data() for shortcut in SHORTCUTS]


@staff_required
@require_POST
def shortcut_setting(request: HttpRequest) -> HttpResponse:
    """Turn the single-key shortcuts on or off for the signed-in staff member. The overlay
    posts here by fetch (JSON answer); without script the form posts and comes back."""
    user = request.user
    assert isinstance(user, User)
    user.uses_keyboard_shortcuts = request.POST.get("enabled") == "on"
    user.save(update_fields=["uses_keyboard_shortcuts"])
    done = (
        gettext("Single-key shortcuts are on.")
        if user.uses_keyboard_shortcuts
        else gettext("Single-key shortcuts are off.")
    )
    if request.headers.get("Accept") == "application/json":
        answer: dict[str, Any] = {"enabled": user.uses_keyboard_shortcuts, "message": done}
        return JsonResponse(answer)
    messages.success(request, done)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("desk:queue")
    return HttpResponseRedirect(target)

"""`{% keyboard_help %}`: the desk's shortcut registry for desk.js and its `?` help overlay.
`{% keyboard_help_button %}`: the button that opens the overlay without a key."""

from __future__ import annotations

from typing import Any

from django import template

from ..keyboard import SHORTCUTS, shortcut_data

register = template.Library()


@register.inclusion_tag("desk/keyboard_help.html", takes_context=True)
def keyboard_help(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    return {
        "shortcuts": SHORTCUTS,
        "shortcut_data": {
            "enabled": request.user.uses_keyboard_shortcuts,
            "shortcuts": shortcut_data(),
        },
        "enabled": request.user.uses_keyboard_shortcuts,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }

"""What a browser says about itself, as a customer would write it on an error report:
"Windows 10", "Firefox 133". Only pre-fills answers; the customer can change them."""

from __future__ import annotations

from ua_parser import parse

from tiketti.tickets.models import CategoryField

Prefill = CategoryField.Prefill


def _named(family: str | None, major: str | None) -> str:
    if not family or family == "Other":
        return ""
    return f"{family} {major}" if major else family


def prefill_from_user_agent(user_agent: str) -> dict[str, str]:
    """Answers by `CategoryField.prefill` key; empty where the browser does not tell."""
    if not user_agent:
        return {}
    result = parse(user_agent[:1000])  # the parser's cost grows with the header's length
    answers = {
        Prefill.OPERATING_SYSTEM: _named(
            result.os.family if result.os else None, result.os.major if result.os else None
        ),
        Prefill.BROWSER: _named(
            result.user_agent.family if result.user_agent else None,
            result.user_agent.major if result.user_agent else None,
        ),
    }
    return {key: value for key, value in answers.items() if value}

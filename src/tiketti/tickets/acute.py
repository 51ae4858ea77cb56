"""Acute incidents (MISSION R14): the customer's site is down or under attack.

The portal and the API ask (a checkbox, `acute`); a mail says so in its subject, in
words of any of our languages (`mentions_acute`). Intake marks the ticket, the customer
is given the on-call phone number of their plan at once, and on-call staff are told.
"""

from __future__ import annotations

from .routing import Facts, parse_keywords

# Matched as routing keywords are: every word of a phrase, inflected or not.
ACUTE_PHRASES = parse_keywords(
    "\n".join(
        [
            # Finnish
            "sivusto alhaalla",
            "sivu alhaalla",
            "palvelu alhaalla",
            "sivusto ei toimi",
            "kauppa ei toimi",
            "palvelunestohyökkäys",
            "hyökkäyksen kohteena",
            "hakkeroitu",
            # Polish
            "strona nie działa",
            "sklep nie działa",
            "strona leży",
            "atak ddos",
            "pod atakiem",
            "włamanie",
            # English
            "site down",
            "website down",
            "shop is down",
            "under attack",
            "ddos",
            "hacked",
            "outage",
        ]
    )
)


def mentions_acute(subject: str) -> bool:
    """Whether a mail's subject says the site is down or under attack. Only the
    subject: a quoted thread or a signature would mention anything."""
    facts = Facts(text=subject)
    return any(facts.mentions(phrase) for phrase in ACUTE_PHRASES)

"""Every route, walked from the URL resolver: private answers carry `Cache-Control: no-store`.

A new route is swept as soon as it is added; only the help center's public pages, seen by a
visitor who is not logged in, may be kept by caches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.knowledge.tests.factories import ArticleFactory
from tiketti.tickets.intake import IntakeRequest, submit_request

# Routes an anonymous visitor may receive with caching allowed: the public help center.
PUBLIC_ROUTES = {
    "knowledge:home",
    "knowledge:search",
    "knowledge:article",
    "knowledge:section",
    "knowledge:assistant",
    "knowledge:context",
    "status:page",
    "privacy:page",
}


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def named_routes() -> list[Route]:
    """Every named route, with the names of its parameters, from the live URL resolver."""
    found: list[Route] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str, params: tuple) -> None:
        for entry in patterns:
            regex = entry.pattern.regex.pattern
            names = params + tuple(re.findall(r"\?P<(\w+)>", regex))
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, names)
            elif entry.name:
                found.append(Route(f"{namespace}{entry.name}", names))

    walk(get_resolver().url_patterns, "", ())
    return found


@pytest.fixture
def values(main_user, agent):
    """One real object per kind of URL parameter."""
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Kassa", body_text="Hei")
    ).ticket
    article = ArticleFactory()
    return {
        "number": ticket.number,
        "message_id": str(ticket.messages.first().pk),
        "slug": article.slug,
        "section": article.section.slug,
        "app_label": "accounts",
        "model_name": "user",
        "object_id": str(main_user.pk),
        "content_type_id": "1",
        "uidb64": "MQ",
        "token": "set-password",
        "filename": "file.txt",
        "key": "00000000-0000-4000-8000-000000000000",  # an attachment's public key
    }


def url_of(route: Route, values: dict[str, str]) -> str:
    kwargs = {name: values.get(name, "1") for name in route.params}
    if route.name == "knowledge:section":
        kwargs["slug"] = values["section"]
    return reverse(route.name, kwargs=kwargs)


ROUTES = named_routes()


def test_the_sweep_sees_every_part_of_the_site():
    names = {route.name for route in ROUTES}
    for expected in ("desk:queue", "portal:ticket-list", "accounts:login", "admin:index"):
        assert expected in names
    assert any(name.startswith("api-") for name in names)
    assert names >= PUBLIC_ROUTES


@pytest.mark.parametrize("persona", ["agent", "admin", "customer"])
def test_every_route_a_logged_in_person_reaches_is_not_stored(client, values, persona, main_user):
    people = {
        "agent": lambda: UserFactory(agent=True),
        "admin": lambda: UserFactory(agent=True, admin=True),
        "customer": lambda: main_user,
    }
    client.force_login(people[persona]())
    missing = []
    for route in ROUTES:
        response = client.get(url_of(route, values))
        if response.headers.get("Cache-Control") != "no-store":
            missing.append(f"{route.name} ({response.status_code})")
    assert missing == []


def test_only_public_help_pages_are_cacheable_for_visitors(client, values):
    wrong = []
    for route in ROUTES:
        response = client.get(url_of(route, values))
        stored = response.headers.get("Cache-Control") == "no-store"
        public = route.name in PUBLIC_ROUTES
        if stored == public or (public and response.status_code not in (200, 302)):
            wrong.append(f"{route.name} ({response.status_code})")
    assert wrong == []


def test_api_answers_are_not_stored_with_a_token_or_without(client, main_user):
    from tiketti.api.models import ApiToken

    _, token = ApiToken.issue(user=main_user)
    assert client.get("/api/v1/tickets").headers["Cache-Control"] == "no-store"
    answer = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"

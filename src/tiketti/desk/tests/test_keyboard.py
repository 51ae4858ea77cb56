"""The desk's keyboard shortcuts: one registry given to the page as data, a per-person
switch (WCAG 2.1.4) kept on the server, and a ticket page whose ids are unique so every
field has its own label (WCAG 1.3.1, 4.1.2)."""

import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tiketti.desk.keyboard import SHORTCUTS, shortcut_data
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import CategoryField, ScopeAnswer

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    """Every id on a page, and the `for` of every label."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_for: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        if tag == "label" and attributes.get("for"):
            self.label_for[attributes["for"]] += 1


def parse(html: str) -> Ids:
    parser = Ids()
    parser.feed(html)
    return parser


def shortcuts_on(page: str) -> dict:
    found = re.search(r'<script id="desk-shortcuts" type="application/json">(.*?)</script>', page)
    assert found, "the page has no shortcut registry"
    return json.loads(found.group(1))


def test_the_registry_has_one_single_character_key_per_shortcut():
    keys = [shortcut.key for shortcut in SHORTCUTS]
    assert all(len(key) == 1 for key in keys)
    assert len(set(keys)) == len(keys)
    assert "?" in keys  # the overlay itself is reachable by a key


@pytest.mark.parametrize("shortcut", SHORTCUTS, ids=lambda shortcut: shortcut.key)
def test_every_shortcut_has_an_action_desk_js_knows_and_a_target(shortcut):
    assert shortcut.action in {"focus", "next", "previous", "click", "go", "help"}
    if shortcut.action == "go":
        assert reverse(shortcut.target).startswith("/")
    elif shortcut.action != "help":
        assert shortcut.target, shortcut.key


def test_the_page_gives_desk_js_the_registry_and_the_persons_setting(client, agent):
    client.force_login(agent)
    page = client.get(reverse("desk:queue")).content.decode()
    assert shortcuts_on(page) == {"enabled": True, "shortcuts": shortcut_data()}
    assert {"key": "g", "action": "go", "target": "/desk/"} in shortcut_data()
    assert 'id="keyboard-help"' in page and "Pikanäppäimet" in page  # in the agent's language
    agent.uses_keyboard_shortcuts = False
    agent.save()
    assert shortcuts_on(client.get(reverse("desk:queue")).content.decode())["enabled"] is False


def test_customers_get_no_shortcuts_and_cannot_use_the_switch(client, main_user):
    client.force_login(main_user)
    assert 'id="desk-shortcuts"' not in client.get(reverse("portal:ticket-list")).content.decode()
    response = client.post(reverse("desk:keyboard-shortcuts"), {"enabled": "on"})
    assert response.status_code == 404


def test_the_overlay_switch_answers_json_and_stores_the_setting(client, agent):
    client.force_login(agent)
    response = client.post(reverse("desk:keyboard-shortcuts"), {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "enabled": False,
        "message": "Yhden näppäimen pikanäppäimet ovat pois käytöstä.",
    }
    agent.refresh_from_db()
    assert agent.uses_keyboard_shortcuts is False
    client.post(
        reverse("desk:keyboard-shortcuts"), {"enabled": "on"}, HTTP_ACCEPT="application/json"
    )
    agent.refresh_from_db()
    assert agent.uses_keyboard_shortcuts is True


@pytest.mark.parametrize(
    ("next_page", "lands_on"),
    [
        ("/desk/tickets/TK-1/", "/desk/tickets/TK-1/"),
        ("https://elsewhere.example/", "/desk/"),
        ("", "/desk/"),
    ],
)
def test_without_script_the_switch_goes_back_to_the_page(client, agent, next_page, lands_on):
    client.force_login(agent)
    response = client.post(reverse("desk:keyboard-shortcuts"), {"next": next_page})
    assert response.status_code == 302
    assert response["Location"] == lands_on
    agent.refresh_from_db()
    assert agent.uses_keyboard_shortcuts is False


def test_the_switch_takes_only_post(client, agent):
    client.force_login(agent)
    assert client.get(reverse("desk:keyboard-shortcuts")).status_code == 405


def test_staff_turn_shortcuts_off_on_the_profile_page_customers_do_not_see_it(
    client, agent, main_user
):
    client.force_login(agent)
    assert "uses_keyboard_shortcuts" in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:profile"), {"language": "fi"})
    agent.refresh_from_db()
    assert agent.uses_keyboard_shortcuts is False  # the box was left unticked
    client.force_login(main_user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "uses_keyboard_shortcuts" not in page


def test_ids_on_the_ticket_page_are_unique_and_each_label_names_one_field(
    client, agent, main_user, category
):
    # Every form the page can show: reply, properties, the category's answers, out of scope,
    # time, quotes (each has a version or a description field of its own).
    CategoryField.objects.create(
        category=category, name="member_numbers", kind="text", label_en="Member numbers"
    )
    ScopeAnswer.objects.create(title_en="Template look", text_en="Paid work.")
    ticket = submit_request(
        IntakeRequest(
            channel="portal",
            requester=main_user,
            subject="Kassa",
            body_text="Hei",
            category=category,
        )
    ).ticket
    client.force_login(agent)
    page = parse(client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode())
    assert [name for name, count in page.ids.items() if count > 1] == []
    assert [name for name, count in page.label_for.items() if count > 1] == []
    assert page.label_for["id_status"] == page.label_for["id_properties_status"] == 1
    assert page.ids["id_answers_version"] == page.ids["id_scope_version"] == 1
    # The htmx answer after saving the properties uses the same ids as the page.
    response = client.post(
        reverse("desk:ticket-properties", args=[ticket.number]),
        {"status": "open", "priority": "normal", "version": ticket.version},
        HTTP_HX_REQUEST="true",
    )
    assert 'id="id_properties_status"' in response.content.decode()

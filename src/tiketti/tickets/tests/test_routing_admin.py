"""Admins order and edit routing rules; a rule that would do nothing is refused."""

from __future__ import annotations

from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.tickets.models import RoutingRule


def test_the_rule_list_is_in_the_order_rules_are_tried(client, db):
    client.force_login(UserFactory(admin=True))
    RoutingRule.objects.create(name="Late rule", position=90, assign="expert")
    RoutingRule.objects.create(name="Early rule", position=5, assign="expert")
    page = client.get(reverse("admin:tickets_routingrule_changelist")).content.decode()
    names = ["Early rule", "Administrative matters to the account manager",
             "The organisation's own expert", "Late rule"]  # fmt: skip
    positions = [page.index(name.replace("'", "&#x27;")) for name in names]
    assert positions == sorted(positions)


def test_a_rule_must_give_something_and_name_its_person(client, db):
    client.force_login(UserFactory(admin=True))
    url = reverse("admin:tickets_routingrule_add")
    base = {"name": "Nothing", "position": 1, "is_active": "on", "keywords": "lasku"}
    page = client.post(url, base).content.decode()
    assert "Give the rule something to do" in page
    page = client.post(url, {**base, "assign": "person"}).content.decode()
    assert "Choose the person the rule assigns to." in page
    assert not RoutingRule.objects.filter(name="Nothing").exists()
    agent = UserFactory(agent=True)
    response = client.post(
        url, {**base, "assign": "person", "assignee": agent.pk, "name_fi": "Laskut"}
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(name="Nothing")
    assert (rule.assignee, rule.name_translations) == (agent, {"fi": "Laskut"})

"""Install the two rules every installation starts with: administrative matters go to the
organisation's account manager, and everything else first to the organisation's own
expert (tickets.routing). Admins may reorder or switch them off."""

from django.db import migrations

RULES = [
    {
        "name": "Administrative matters to the account manager",
        "name_translations": {
            "fi": "Hallinnolliset asiat asiakasvastaavalle",
            "pl": "Sprawy administracyjne do opiekuna klienta",
        },
        "position": 10,
        "handling": "administrative",
        "assign": "account_manager",
    },
    {
        "name": "The organisation's own expert",
        "name_translations": {
            "fi": "Organisaation oma asiantuntija",
            "pl": "Własny ekspert organizacji",
        },
        "position": 20,
        "handling": "",
        "assign": "expert",
    },
]


def install(apps, schema_editor):
    RoutingRule = apps.get_model("tickets", "RoutingRule")
    for rule in RULES:
        RoutingRule.objects.get_or_create(name=rule["name"], defaults=rule)


def remove(apps, schema_editor):
    RoutingRule = apps.get_model("tickets", "RoutingRule")
    RoutingRule.objects.filter(name__in=[rule["name"] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0018_routing_rules_ideas_and_notices")]

    operations = [migrations.RunPython(install, remove)]

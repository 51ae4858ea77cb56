"""Routing: rules in admin order, the organisation's expert and account manager, for
every channel through the one intake path."""

from __future__ import annotations

import pytest
from django.test import TestCase

from tiketti.accounts.models import User
from tiketti.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory
from tiketti.api.models import ApiToken
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage, Mailbox
from tiketti.tickets import calls
from tiketti.tickets.history import ticket_history
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Category, RoutingRule, Ticket, TicketEvent
from tiketti.tickets.routing import Facts, People, RuleSpec, decide, parse_keywords
from tiketti.tickets.tests.factories import CategoryFactory

# -- the pure core: tables of rules and requests ------------------------------------------

BILLING, SUPPORT, WEB = 1, 2, 3  # team ids
INVOICE, BUG, ADMIN_MATTER = 10, 11, 12  # category ids
AURORA, BURSZTYN = 100, 101  # organisation ids
EXPERT, MANAGER, PERSON = 500, 501, 502  # staff ids
HANDLING = {INVOICE: "normal", BUG: "normal", ADMIN_MATTER: "administrative"}

RULES = (
    RuleSpec(1, "administrative", handling="administrative", assign="account_manager"),
    RuleSpec(2, "expert", assign="expert"),
    RuleSpec(
        3,
        "invoices by keyword",
        keywords=parse_keywords("lasku\nfaktura"),
        set_category_id=INVOICE,
        team_id=BILLING,
    ),
    RuleSpec(4, "bugs to support", category_ids=frozenset({BUG}), team_id=SUPPORT),
    RuleSpec(
        5,
        "Polish web mailbox",
        mailbox_ids=frozenset({7}),
        language="pl",
        team_id=WEB,
        assign="person",
        assignee_id=PERSON,
    ),
    RuleSpec(6, "Bursztyn to web", organisation_ids=frozenset({BURSZTYN}), team_id=WEB),
)


@pytest.mark.parametrize(
    ("facts", "people", "expected"),
    [
        # Nothing matches but the expert rule, and the organisation has no expert.
        (Facts(text="Kassa kaatuu"), People(), (None, None, None, {})),
        # The expert rule gives the person; nothing else applies.
        (
            Facts(organisation_id=AURORA, text="Kassa kaatuu"),
            People(expert_id=EXPERT),
            (None, None, EXPERT, {"assignee": 2}),
        ),
        # Expert first; a keyword rule below still gives category and team (inflected).
        (
            Facts(organisation_id=AURORA, text="Laskun summa on väärin"),
            People(expert_id=EXPERT),
            (INVOICE, BILLING, EXPERT, {"assignee": 2, "category": 3, "team": 3}),
        ),
        # Polish inflection of a keyword.
        (
            Facts(text="Błąd na fakturze"),
            People(),
            (INVOICE, BILLING, None, {"category": 3, "team": 3}),
        ),
        # A category given by the request is kept: the keyword rule gives its team only.
        (
            Facts(category_id=BUG, handling="normal", text="lasku"),
            People(),
            (None, BILLING, None, {"team": 3}),
        ),
        # First match wins the team: rule 4 for bugs, rule 6 below it is not asked.
        (
            Facts(category_id=BUG, handling="normal", organisation_id=BURSZTYN, text="x"),
            People(),
            (None, SUPPORT, None, {"team": 4}),
        ),
        # Administrative matters: the account manager, before the expert.
        (
            Facts(category_id=ADMIN_MATTER, handling="administrative", text="Tapaaminen"),
            People(expert_id=EXPERT, account_manager_id=MANAGER),
            (None, None, MANAGER, {"assignee": 1}),
        ),
        # No account manager: the expert rule below gives the person.
        (
            Facts(category_id=ADMIN_MATTER, handling="administrative", text="Umowa"),
            People(expert_id=EXPERT),
            (None, None, EXPERT, {"assignee": 2}),
        ),
        # Mailbox and language must both hold.
        (
            Facts(mailbox_id=7, language="pl", text="Strona"),
            People(),
            (None, WEB, PERSON, {"team": 5, "assignee": 5}),
        ),
        (Facts(mailbox_id=7, language="fi", text="Sivu"), People(), (None, None, None, {})),
        # Organisation condition.
        (Facts(organisation_id=BURSZTYN, text="x"), People(), (None, WEB, None, {"team": 6})),
    ],
)
def test_rules_are_read_in_order_and_the_first_that_gives_each_part_wins(facts, people, expected):
    decision = decide(RULES, facts, people, HANDLING)
    assert (
        decision.category_id,
        decision.team_id,
        decision.assignee_id,
        decision.by_rule,
    ) == expected


def test_an_admin_can_order_a_general_rule_above_the_expert():
    rules = (
        RuleSpec(9, "everything to a person", assign="person", assignee_id=PERSON),
        RuleSpec(2, "expert", assign="expert"),
    )
    decision = decide(rules, Facts(organisation_id=AURORA), People(expert_id=EXPERT), HANDLING)
    assert (decision.assignee_id, decision.by_rule) == (PERSON, {"assignee": 9})


@pytest.mark.parametrize(
    ("keyword", "text", "matches"),
    [
        ("salasana", "Unohdin salasanani", True),
        ("salasana", "salasanan vaihto ei onnistu", True),
        ("hasło", "Nie pamiętam hasła", True),
        ("hasło", "haslo", True),  # folded diacritics
        ("site down", "Our site is down since noon", True),
        ("site down", "The site works", False),
        ("invoice", "Invoices are wrong", True),
        ("invoice", "voice mail", False),
    ],
)
def test_keywords_match_inflected_and_folded_forms(keyword, text, matches):
    [parsed] = parse_keywords(keyword)
    assert Facts(text=text).mentions(parsed) is matches


# -- through intake, for every channel ------------------------------------------------------


@pytest.fixture
def expert(db):
    return UserFactory(agent=True, display_name="Eero Expert", email="eero@tiketti.example")


@pytest.fixture
def manager(db):
    return UserFactory(agent=True, display_name="Aino Manager", email="aino@tiketti.example")


@pytest.fixture
def billing(db):
    return TeamFactory(name="Billing", name_translations={"fi": "Laskutus"})


@pytest.fixture
def invoice_rule(billing):
    invoices = CategoryFactory(slug="invoice", name_en="Billing", team=None)
    return RoutingRule.objects.create(
        name="Invoices",
        name_translations={"fi": "Laskut"},
        position=30,
        keywords="lasku\ninvoice",
        set_category=invoices,
        team=billing,
    )


def _file(channel: str, requester: User, subject: str, body: str, **fields) -> Ticket:
    """File through the channel's own adapter where it has one."""
    if channel == "email":
        to = "support@tiketti.localhost"
        if fields.get("category_slug"):  # mail gets its category from the mailbox it reached
            category = Category.objects.get(slug=fields["category_slug"])
            to = f"{category.slug}@tiketti.localhost"
            Mailbox.objects.create(name=category.slug, address=to, category=category)
        raw = (
            f"From: {requester.email}\nTo: {to}\nSubject: {subject}\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            f"Content-Transfer-Encoding: 8bit\n\n{body}\n"
        ).encode()
        with TestCase.captureOnCommitCallbacks(execute=True):
            row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE)
            return inbound.process(row.pk).ticket
    if channel == "phone":
        agent = UserFactory(agent=True)
        call = calls.Call(requester_email=requester.email, subject=subject, notes=body, **fields)
        return calls.log_call(agent=agent, call=call).created_ticket
    request = IntakeRequest(
        channel=channel, requester=requester, subject=subject, body_text=body, **fields
    )
    return submit_request(request).created_ticket


CHANNELS = ["portal", "api", "email", "phone"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_organisations_expert_gets_its_tickets_on_every_channel(
    channel, main_user, expert, invoice_rule
):
    main_user.organisation.expert = expert
    main_user.organisation.save()
    ticket = _file(channel, main_user, "Lasku on väärin", "Laskussa on virhe.")
    assert ticket.assignee == expert
    # A mail without a category gets one from a rule below the expert rule.
    assert (ticket.category.slug, ticket.team.name) == ("invoice", "Billing")
    routed = ticket.events.filter(kind=TicketEvent.Kind.ROUTED)
    assert sorted(routed.values_list("new_value", flat=True)) == [
        "assignee:Eero Expert",
        "category:invoice",
        "team:Billing",
    ]


def test_routing_is_told_in_words_in_the_readers_language(main_user, expert, invoice_rule):
    main_user.organisation.expert = expert
    main_user.organisation.save()
    ticket = _file("portal", main_user, "Lasku", "Laskussa on virhe.")
    english = [line.text for line in ticket_history(ticket)]
    assert "routed to the team Billing by the rule “Invoices”" in english
    assert "routed to Eero Expert by the rule “The organisation's own expert”" in english
    from django.utils import translation

    with translation.override("fi"):
        finnish = [line.text for line in ticket_history(ticket)]
    assert any("Laskutus" in text and "Laskut" in text for text in finnish)
    assert any("Organisaation oma asiantuntija" in text for text in finnish)


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_administrative_matter_goes_to_the_account_manager(channel, main_user, expert, manager):
    organisation = main_user.organisation
    organisation.expert, organisation.account_manager = expert, manager
    organisation.save()
    CategoryFactory(slug="admin-matter", handling=Category.Handling.ADMINISTRATIVE)
    slug = {"category_slug": "admin-matter"}
    ticket = _file(channel, main_user, "Sopimuksen jatko", "Voimmeko sopia tapaamisen?", **slug)
    assert ticket.assignee == manager


def test_an_inactive_expert_is_passed_over_for_the_next_rule(main_user, expert, billing):
    expert.is_active = False
    expert.save()
    main_user.organisation.expert = expert
    main_user.organisation.save()
    fallback = UserFactory(agent=True)
    RoutingRule.objects.create(
        name="Everyone else", position=99, assign="person", assignee=fallback
    )
    ticket = _file("portal", main_user, "Kysymys", "Miten?")
    assert ticket.assignee == fallback


def test_a_mailbox_rule_routes_mail_that_arrived_there(main_user, billing):
    mailbox = Mailbox.objects.create(name="Billing", address="laskutus@tiketti.localhost")
    rule = RoutingRule.objects.create(name="Billing mailbox", position=5, team=billing)
    rule.mailboxes.add(mailbox)
    raw = b"From: maija@aurora.example\nTo: laskutus@tiketti.localhost\nSubject: Kysymys\n\nHei\n"
    with TestCase.captureOnCommitCallbacks(execute=True):
        row, _ = inbound.store_raw(raw, via=InboundMessage.Via.PIPE, mailbox=mailbox)
        ticket = inbound.process(row.pk).ticket
    assert ticket.team == billing
    other = _file("email", main_user, "Kysymys", "Hei")
    assert other.team != billing


def test_the_api_files_through_routing(client, main_user, expert):
    main_user.organisation.expert = expert
    main_user.organisation.save()
    _, token = ApiToken.issue(main_user)
    response = client.post(
        "/api/v1/tickets",
        {"subject": "Kysymys", "body": "Miten?"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    assert response.json()["assignee"]["email"] == expert.email


def test_rules_of_another_organisation_do_not_apply(main_user, stranger, billing):
    rule = RoutingRule.objects.create(name="Bursztyn", position=1, team=billing)
    rule.organisations.add(stranger.organisation)
    assert _file("portal", main_user, "Pyyntö", "Teksti").team is None
    assert _file("portal", stranger, "Prośba", "Tekst").team == billing


def test_no_rules_leaves_routing_to_the_category(main_user, category):
    RoutingRule.objects.all().delete()
    OrganisationFactory()  # unrelated data does not matter
    ticket = _file("portal", main_user, "Virhe", "Kaatuu", category_slug="bug")
    assert (ticket.team, ticket.assignee) == (category.team, None)
    assert not ticket.events.filter(kind=TicketEvent.Kind.ROUTED).exists()


def test_the_history_still_reads_after_the_rule_is_deleted(main_user, billing):
    rule = RoutingRule.objects.create(name="Temporary", position=1, team=billing)
    ticket = _file("portal", main_user, "Kysymys", "Teksti")
    rule_id = rule.pk
    rule.delete()
    texts = [line.text for line in ticket_history(ticket)]
    assert f"routed to the team Billing by the rule “#{rule_id}”" in texts

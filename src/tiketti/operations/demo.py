"""Demo data: a small but realistic helpdesk in Finnish, Polish and English.

Tickets are made through the real services, so their history and numbering are real.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from tiketti.accounts.models import EmailDomain, Organisation, Team, User
from tiketti.contracts.models import Contract, Entitlement, Plan
from tiketti.contracts.quotes import create_quote
from tiketti.contracts.timetracking import log_time
from tiketti.desk.demo import load_demo_macros
from tiketti.knowledge.demo import load_demo_articles
from tiketti.mail import receivers
from tiketti.mail.models import Mailbox
from tiketti.sla.calendar import BUILTIN_CALENDARS
from tiketti.sla.models import BusinessCalendar, SlaPolicy
from tiketti.status.demo import load_demo_incidents
from tiketti.tickets import deadlines, services
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Category, Ticket

from .demo_categories import load_demo_categories

DEMO_PASSWORD = "tiketti-demo"  # noqa: S105 - printed for the demo; never used outside it


# name, included minutes a month, hourly rate, free priority tickets a month, priority price
PLANS = [
    ("Basic", 120, "95.00", 0, "59.00"),
    ("Standard", 300, "85.00", 2, "49.00"),
    ("All-in-one", 900, "75.00", 5, "39.00"),
]

# What admins name, in Finnish and Polish (the default names above are English).
NAMES = {
    "Support": {"fi": "Tuki", "pl": "Wsparcie"},
    "Billing": {"fi": "Laskutus", "pl": "Rozliczenia"},
    "Basic": {"fi": "Perus", "pl": "Podstawowy"},
    "Standard": {"fi": "Vakio", "pl": "Standardowy"},
    "All-in-one": {"fi": "Kaikki mukana", "pl": "Wszystko w jednym"},
    "Video training": {"fi": "Videokoulutus", "pl": "Szkolenie wideo"},
    "Installation of the client panel": {
        "fi": "Asiakaspaneelin asennus",
        "pl": "Instalacja panelu klienta",
    },
    "Paid priority: 7 days a week": {
        "fi": "Maksullinen etusija: 7 päivää viikossa",
        "pl": "Płatny priorytet: 7 dni w tygodniu",
    },
    "Payments and subscriptions: same day": {
        "fi": "Maksut ja tilaukset: samana päivänä",
        "pl": "Płatności i subskrypcje: tego samego dnia",
    },
    "All-in-one: one working day, Saturday mornings too": {
        "fi": "Kaikki mukana: yhden työpäivän kuluessa, myös lauantaiaamuisin",
        "pl": "Wszystko w jednym: w ciągu dnia roboczego, także w soboty rano",
    },
    "Standard: answer within 24 hours": {
        "fi": "Vakio: vastaus 24 tunnin kuluessa",
        "pl": "Standardowy: odpowiedź w ciągu 24 godzin",
    },
    "Basic: two business days": {
        "fi": "Perus: kaksi arkipäivää",
        "pl": "Podstawowy: dwa dni robocze",
    },
}


def named(name: str) -> dict[str, Any]:
    """A name with its translations, as model fields (`tiketti.localized_names`)."""
    return {"name": name, "name_translations": {"en": name, **NAMES.get(name, {})}}


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    language: str
    role: str  # main_user / user / agent / team_lead / admin
    phone: str = ""


ORGANISATIONS = [
    # name, language, time zone, domain, plan, trial, people
    (
        "Verkkokauppa Aurora Oy",
        "fi",
        "Europe/Helsinki",
        "aurora.example",
        "Basic",
        False,
        [
            Person(
                "maija.virtanen@aurora.example",
                "Maija Virtanen",
                "fi",
                "main_user",
                "+358 40 123 4567",
            ),
            Person("jussi.nieminen@aurora.example", "Jussi Nieminen", "fi", "user"),
        ],
    ),
    (
        "Jäsenrekisteri Kide ry",
        "fi",
        "Europe/Helsinki",
        "kide.example",
        "Standard",
        False,
        [
            Person("liisa.korhonen@kide.example", "Liisa Korhonen", "fi", "main_user"),
            Person("pekka.laine@kide.example", "Pekka Laine", "fi", "user"),
        ],
    ),
    (
        "Sklep Bursztyn sp. z o.o.",
        "pl",
        "Europe/Warsaw",
        "bursztyn.example",
        "All-in-one",
        False,
        [
            Person(
                "anna.kowalska@bursztyn.example",
                "Anna Kowalska",
                "pl",
                "main_user",
                "+48 601 234 567",
            ),
            Person("piotr.nowak@bursztyn.example", "Piotr Nowak", "pl", "user"),
        ],
    ),
    (
        "Northwind Field Service Ltd",
        "en",
        "Europe/London",
        "northwind.example",
        "Standard",
        True,
        [
            Person("emma.brown@northwind.example", "Emma Brown", "en", "main_user"),
            Person("oliver.smith@northwind.example", "Oliver Smith", "en", "user"),
        ],
    ),
]

STAFF = [
    Person("admin@tiketti.example", "Aino Admin", "en", "admin"),
    Person("lead@tiketti.example", "Tuomas Tiiminvetäjä", "fi", "team_lead"),
    Person("agent@tiketti.example", "Sanna Tukihenkilö", "fi", "agent"),
    Person("agent.pl@tiketti.example", "Katarzyna Wsparcie", "pl", "agent"),
]

# requester, category, subject, body, then what happens: list of (who, text) replies and status
TICKETS = [
    (
        "maija.virtanen@aurora.example",
        "bug",
        "Kassasivu antaa virheen 500",
        "Hei, asiakkaamme eivät pääse maksamaan: kassasivulla tulee virhe 500 kun painaa "
        "Maksa-nappia. Selain Firefox, Windows 11. Sivu: https://aurora.example/kassa",
        [],
        "new",
    ),
    (
        "jussi.nieminen@aurora.example",
        "how-to",
        "Miten lisään alennuskoodin?",
        "Miten saan luotua alennuskoodin, joka on voimassa vain viikonlopun?",
        [
            (
                "agent@tiketti.example",
                "Hei Jussi, alennuskoodit löytyvät kohdasta Markkinointi → "
                "Kupongit. Valitse voimassaoloaika kohdasta Rajoitukset.",
            )
        ],
        "waiting",
    ),
    (
        "liisa.korhonen@kide.example",
        "integration",
        "Jäsenmaksulaskut eivät lähde",
        "Eilen ajetut jäsenmaksulaskut ovat jumissa tilassa 'lähetetään'. Esimerkkijäsen 10234.",
        [
            (
                "agent@tiketti.example",
                "Tarkistimme: laskutuspalvelun rajapinta palautti aikakatkaisun. "
                "Ajoimme lähetyksen uudelleen, laskut ovat nyt lähteneet.",
            ),
            ("liisa.korhonen@kide.example", "Kiitos, näyttää hyvältä!"),
        ],
        "solved",
    ),
    (
        "anna.kowalska@bursztyn.example",
        "integration",
        "Przesyłki InPost nie generują etykiet",
        "Od rana nie możemy wygenerować etykiet InPost dla zamówień. "
        "Komunikat: 'Brak autoryzacji'.",
        [
            (
                "agent.pl@tiketti.example",
                "Dzień dobry, token API InPost wygasł. Proszę wygenerować "
                "nowy w panelu InPost i wkleić go w ustawieniach integracji.",
            )
        ],
        "waiting",
    ),
    (
        "piotr.nowak@bursztyn.example",
        "billing",
        "Faktura za październik",
        "Proszę o duplikat faktury za październik, nie dotarła do księgowości.",
        [],
        "open",
    ),
    (
        "emma.brown@northwind.example",
        "training",
        "Training for two new dispatchers",
        "We have two new dispatchers starting next month. Could we book the onboarding training?",
        [
            (
                "agent@tiketti.example",
                "Happy to help! We have slots on Tuesday and Thursday mornings.",
            ),
            ("emma.brown@northwind.example", "Thursday works, thank you."),
        ],
        "open",
    ),
    (
        "liisa.korhonen@kide.example",
        "change",
        "Uusi raportti: jäsenmaksut postinumeroittain",
        "Tarvitsisimme raportin jäsenmaksuista postinumeroittain vuosikokousta varten.",
        [],
        "waiting_approval",
    ),
    (
        "oliver.smith@northwind.example",
        "idea",
        "Idea: offline mode for the mobile app",
        "Our technicians often work in basements without signal. An offline mode would help a lot.",
        [("agent@tiketti.example", "Thank you, we passed the idea to the product team.")],
        "closed",
    ),
]


@contextmanager
def notifications_muted() -> Iterator[None]:
    """Demo history should not send a burst of mail when the worker starts."""
    receivers.disconnect()
    try:
        yield
    finally:
        receivers.connect()


def load_demo_data() -> bool:
    """Load the demo data; False when it is already there (safe to run again)."""
    if Organisation.objects.filter(name=ORGANISATIONS[0][0]).exists():
        return False
    # Muted around the whole transaction: ticket signals fire when it commits.
    with notifications_muted(), transaction.atomic():
        teams = {name: Team.objects.create(**named(name)) for name in ("Support", "Billing")}
        examples = load_demo_categories(teams)
        _mailboxes(teams)
        plans = _plans()
        _entitlements(plans)
        _service_levels()
        staff = _staff(teams)
        for name, language, tz, domain, plan, trial, people in ORGANISATIONS:
            _organisation(name, language, tz, domain, plans[plan], trial, people)
        _triage(staff, plans)
        _tickets(staff, examples)
        load_demo_articles()
        load_demo_macros()
        load_demo_incidents(
            admin=staff["admin@tiketti.example"],
            affected=Organisation.objects.get(name=ORGANISATIONS[0][0]),
        )
    return True


# Where the demo's mail arrives (`tiketti mail ingest`, `mail serve`, `mail import`).
MAILBOXES = (
    ("Support", "support@tiketti.localhost", ""),
    ("Billing", "billing@tiketti.localhost", "billing"),
)


def _mailboxes(teams: dict[str, Team]) -> None:
    for name, address, category in MAILBOXES:
        Mailbox.objects.create(
            name=name,
            address=address,
            team=teams[name],
            category=Category.objects.get(slug=category) if category else None,
        )


# name, matches (plans, categories, paid priority), first / next / resolution, calendar
POLICIES: list[tuple[str, dict[str, Any], tuple[str, str, str], str]] = [
    (
        "Paid priority: 7 days a week",
        {"paid_priority": True},
        ("2bh", "4bh", "1bd"),
        "helsinki-24-7-priority",
    ),
    (
        "Payments and subscriptions: same day",
        {"categories": ["billing"]},
        ("cutoff 16:00", "1bd", "2bd"),
        "helsinki-9-16",
    ),
    (
        "All-in-one: one working day, Saturday mornings too",
        {"plans": ["All-in-one"]},
        ("1bd", "1bd", "5bd"),
        "helsinki-weekdays-saturday-morning",
    ),
    (
        "Standard: answer within 24 hours",
        {"plans": ["Standard"]},
        ("24h", "1bd", "5bd"),
        "helsinki-8-17",
    ),
    ("Basic: two business days", {}, ("2bd", "2bd", "10bd"), "helsinki-9-16"),
]


def _service_levels() -> None:
    calendars = {
        name: BusinessCalendar.objects.create(name=name, definition=value.to_json())
        for name, value in BUILTIN_CALENDARS.items()
    }
    for position, (name, matches, targets, calendar) in enumerate(POLICIES):
        first, following, resolution = targets
        SlaPolicy.objects.create(
            **named(name),
            position=position,
            **matches,
            first_response_target=first,
            first_response_calendar=calendars[calendar],
            next_response_target=following,
            next_response_calendar=calendars[calendar],
            resolution_target=resolution,
            resolution_calendar=calendars[calendar],
        )


def _plans() -> dict[str, Plan]:
    return {
        name: Plan.objects.create(
            **named(name),
            monthly_support_minutes=minutes,
            hourly_rate=Decimal(rate),
            priority_credits=credits,
            priority_price=Decimal(price),
        )
        for name, minutes, rate, credits, price in PLANS
    }


def _entitlements(plans: dict[str, Plan]) -> None:
    """Free video training in a contract's first 30 days (trials any time); All-in-one also
    includes a one-time installation of the client panel."""
    for plan in plans.values():
        Entitlement.objects.create(
            plan=plan,
            kind=Entitlement.Kind.TRAINING,
            **named("Video training"),
            duration_minutes=60,
            within_days=30,
            once=True,
        )
    Entitlement.objects.create(
        plan=plans["All-in-one"],
        kind=Entitlement.Kind.INSTALLATION,
        **named("Installation of the client panel"),
        duration_minutes=120,
        once=True,
    )


def _staff(teams: dict[str, Team]) -> dict[str, User]:
    staff = {}
    for person in STAFF:
        user = User.objects.create_user(
            person.email,
            DEMO_PASSWORD,
            display_name=person.name,
            language=person.language,
            staff_role=person.role,
            is_superuser=person.role == "admin",
        )
        user.teams.add(teams["Support"])
        if person.role in ("admin", "team_lead"):
            user.teams.add(teams["Billing"])
        staff[person.email] = user
    return staff


def _organisation(
    name: str, language: str, tz: str, domain: str, plan: Plan, trial: bool, people: list[Person]
) -> None:
    organisation = Organisation.objects.create(name=name, language=language, time_zone=tz)
    EmailDomain.objects.create(organisation=organisation, domain=domain)
    start = timezone.localdate() - datetime.timedelta(days=20 if trial else 400)
    Contract.objects.create(organisation=organisation, plan=plan, starts_on=start, is_trial=trial)
    for person in people:
        User.objects.create_user(
            person.email,
            DEMO_PASSWORD,
            display_name=person.name,
            language=person.language,
            phone=person.phone,
            organisation=organisation,
            customer_role=person.role,
        )


def _tickets(staff: dict[str, User], examples: dict[str, dict[str, Any]]) -> None:
    for requester_email, category, subject, body, replies, final_status in TICKETS:
        requester = User.objects.get(email=requester_email)
        files = []
        if category == "bug":
            files = [IncomingFile("virhe.txt", b"HTTP 500 at POST /kassa/maksa\n", "text/plain")]
        ticket = submit_request(
            IntakeRequest(
                channel=Ticket.Channel.PORTAL,
                requester=requester,
                subject=subject,
                body_text=body,
                category_slug=category,
                files=files,
                fields=examples.get(category, {}),
            )
        ).created_ticket
        for author_email, text in replies:
            author = User.objects.get(email=author_email)
            if author.is_agent and ticket.assignee_id is None:
                ticket = services.assign_ticket(
                    ticket=ticket, actor=author, assignee=author, team=ticket.team
                )
            services.post_message(
                ticket=ticket, author=author, body_text=text, channel=Ticket.Channel.PORTAL
            )
        ticket.refresh_from_db()
        _finish(ticket, staff["agent@tiketti.example"], final_status)
    _age_first_ticket()


def _age_first_ticket() -> None:
    """Make the unanswered checkout error a week old, so the desk shows an overdue
    first response and the escalation sweep has something to do."""
    ticket = Ticket.objects.order_by("pk").first()
    if ticket is None:
        return
    ticket.created_at -= datetime.timedelta(days=7)
    deadlines.refresh_sla(ticket)
    ticket.save(update_fields=["created_at", *deadlines.SLA_FIELDS])


def _finish(ticket: Ticket, agent: User, final_status: str) -> None:
    path = {
        "new": [],
        "open": ["open"],
        "waiting": ["waiting"],
        "solved": ["solved"],
        "closed": ["solved", "closed"],
        "waiting_approval": [],
    }[final_status]
    if final_status == "waiting_approval":
        create_quote(
            ticket=ticket,
            actor=agent,
            description="Raportti jäsenmaksuista postinumeroittain (CSV ja PDF).",
            estimated_hours=Decimal("3"),
            valid_until=timezone.localdate() + datetime.timedelta(days=30),
        )
    elif final_status in ("solved", "closed"):
        log_time(ticket=ticket, agent=agent, minutes=45, note="Selvitys ja korjaus")
    for status in path:
        if ticket.status != status:
            ticket = services.change_status(ticket=ticket, actor=agent, status=status)


def login_lines() -> list[str]:
    lines = [f"Password for every demo account: {DEMO_PASSWORD}", "Staff (desk at /desk/):"]
    lines += [f"  {p.email:34} {p.role:10} {p.name} ({p.language})" for p in STAFF]
    addresses = " and ".join(address for _name, address, _category in MAILBOXES)
    lines.append(f"Mailboxes: {addresses} (tiketti mail ingest, mail serve)")
    if key_file := os.environ.get("SECRET_KEY_FILE"):  # `make demo`: its key, for the CLI
        data_dir = os.environ.get("TIKETTI_DATA_DIR")
        where = f"TIKETTI_DATA_DIR={data_dir} " if data_dir else ""
        lines.append(
            f"  e.g. {where}SECRET_KEY_FILE={key_file} .venv/bin/tiketti mail ingest < a.eml"
        )
    lines.append("Customers (portal at /requests/):")
    for org_name, _lang, _tz, _domain, plan, trial, people in ORGANISATIONS:
        lines.append(f"  {org_name} – {plan}{' (trial)' if trial else ''}")
        lines += [f"    {p.email:34} {p.role:10} {p.name} ({p.language})" for p in people]
    return lines


# Who knows each customer (routing gives them its tickets first), and what is special
# about its setup (shown on each of its tickets in the desk).
EXPERTS = {
    "Aurora Oy": (
        "agent@tiketti.example",
        "lead@tiketti.example",
        "WooCommerce 8 on their own server (Hetzner). The payment plugin is patched: "
        "update it only after testing on staging.aurora.example.",
    ),
    "Sklep Bursztyn sp. z o.o.": (
        "agent.pl@tiketti.example",
        "admin@tiketti.example",
        "Odoo 17 with our courier integration (InPost). Invoices go out in PLN and EUR.",
    ),
}
ON_CALL_PHONES = {"Standard": "+358 9 4242 4242", "All-in-one": "+358 9 4242 4000"}


def _triage(staff: dict[str, User], plans: dict[str, Plan]) -> None:
    for name, (expert, manager, notes) in EXPERTS.items():
        Organisation.objects.filter(name=name).update(
            expert=staff[expert], account_manager=staff[manager], notes=notes
        )
    for plan, phone in ON_CALL_PHONES.items():
        if plan in plans:
            Plan.objects.filter(pk=plans[plan].pk).update(on_call_phone=phone)
    User.objects.filter(email="lead@tiketti.example").update(is_on_call=True)
    # Requests for development ideas start ideas on the desk's idea list; administrative
    # matters go to the organisation's account manager.
    Category.objects.filter(slug="idea").update(handling=Category.Handling.IDEA)
    Category.objects.filter(slug="admin").update(handling=Category.Handling.ADMINISTRATIVE)

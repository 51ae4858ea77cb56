"""Finnish and Polish as a native reader expects them: greetings, dates, prices, states.

Pins the corrections of the fi/pl language review: Polish mail greets without the first
name (the vocative cannot be made from it), dates read "3.12.2026 klo 14.05" and
"03.12.2026 14:05", prices "225,00 €", and the ticket's "waiting for approval" is not the
quote's. The catalogues compile with no untranslated or fuzzy entry and pass msgfmt.
"""

import datetime
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tiketti.contracts.models import Contract, Quote
from tiketti.contracts.quotes import create_quote, decide_by_email
from tiketti.mail.services import send_email
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket

ROOT = Path(__file__).resolve().parents[4]
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def polish_main_user(main_user):
    main_user.display_name = "Anna Kowalska"
    main_user.language = "pl"
    main_user.save()
    return main_user


def file_request(requester):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return submit_request(
            IntakeRequest(
                channel="portal", requester=requester, subject="Kassa", body_text="Ei toimi"
            )
        ).ticket


def offer_quote(ticket, agent, valid_until):
    contract = Contract.objects.get(organisation=ticket.organisation)
    contract.plan.hourly_rate = Decimal("90.00")
    contract.plan.save()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return create_quote(
            ticket=ticket,
            actor=agent,
            description="Raportti",
            estimated_hours=Decimal("2.5"),
            valid_until=valid_until,
        )


@pytest.mark.parametrize(
    ("language", "name", "greeting"),
    [
        ("fi", "Maija Virtanen", "Hei Maija,"),  # Finnish has no vocative: the name as it is
        ("pl", "Anna Kowalska", "Dzień dobry,"),  # never "Dzień dobry Anna,"
        ("pl", "Piotr Nowak", "Dzień dobry,"),
        ("en", "Anna Kowalska", "Hello Anna,"),
    ],
)
def test_acknowledgement_greets_as_the_language_does(main_user, language, name, greeting):
    main_user.display_name, main_user.language = name, language
    main_user.save()
    file_request(main_user)
    [sent] = mail.outbox
    assert f"-##\n\n{greeting}\n\n" in sent.body
    html = sent.alternatives[0][0]
    assert f"<p>{greeting}</p>" in html


def test_finnish_acknowledgement_calls_it_a_request_not_a_ticket(main_user):
    ticket = file_request(main_user)
    [sent] = mail.outbox
    assert f"Tukipyyntösi on kirjattu numerolla {ticket.number}." in sent.body
    assert f"Tukipyyntö {ticket.number}:" in sent.body
    text, _signature = sent.body.split("\n-- \n")  # the signature names the product, Tiketti
    assert "tiket" not in text.lower()


@pytest.mark.parametrize(
    ("language", "when", "expected"),
    [
        ("fi", datetime.datetime(2026, 12, 3, 14, 5, tzinfo=HELSINKI), "3.12.2026 klo 14.05"),
        ("pl", datetime.datetime(2026, 12, 3, 14, 5, tzinfo=HELSINKI), "03.12.2026 14:05"),
        ("en", datetime.datetime(2026, 12, 3, 14, 5, tzinfo=HELSINKI), "12/03/2026 2:05 p.m."),
    ],
)
def test_short_datetime_reads_as_the_language_writes_it(language, when, expected):
    with translation.override(language), timezone.override(HELSINKI):
        assert date_format(when, "SHORT_DATETIME_FORMAT") == expected


@pytest.mark.parametrize(
    ("language", "date_pattern", "priced", "valid_label"),
    [
        ("fi", "{d.day}.{d.month}.{d.year}", "2,50 h × 90,00 € = 225,00 €", "Viimeinen"),
        ("pl", "{d:%d}.{d:%m}.{d.year}", "2,50 h × 90,00 € = 225,00 €", "Ważna do"),
    ],
)
def test_quote_mail_and_page_show_local_dates_and_prices(
    client, main_user, agent, language, date_pattern, priced, valid_label
):
    main_user.language = language
    main_user.save()
    ticket = file_request(main_user)
    valid_until = timezone.localdate() + datetime.timedelta(days=14)
    offer_quote(ticket, agent, valid_until)
    shown_date = date_pattern.format(d=valid_until)
    [sent] = mail.outbox
    assert "\nHei Maija,\n" in sent.body or "\nDzień dobry,\n" in sent.body
    assert priced in sent.body
    assert f"{valid_label}" in sent.body and f": {shown_date}\n" in sent.body

    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert "90,00 € = <strong>225,00 €</strong>" in page
    assert shown_date in page
    assert "225.00" not in page


def test_sla_alert_mail_gives_the_polish_due_time_with_dots(main_user, agent):
    ticket = file_request(main_user)
    agent.language = "pl"
    agent.save()
    due = datetime.datetime(2026, 12, 3, 12, 5, tzinfo=datetime.UTC)  # 14:05 in Helsinki

    class Alert:
        kind = "breach"
        due_at = due

        def get_clock_display(self) -> str:
            return "pierwsza odpowiedź"

    with timezone.override(HELSINKI):
        email = send_email(
            template="sla-alert",
            recipient=agent,
            context={"alert": Alert()},
            ticket=ticket,
        )
    assert "03.12.2026 14:05" in email.body_text
    assert "03-12-2026" not in email.body_text


@pytest.mark.parametrize("language", ["fi", "pl"])
def test_priority_price_on_the_request_form_is_a_local_number(client, main_user, language):
    contract = Contract.objects.get(organisation=main_user.organisation)
    contract.plan.priority_credits = 0
    contract.plan.priority_price = Decimal("59.00")
    contract.plan.save()
    main_user.language = language
    main_user.save()
    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-new")).content.decode()
    assert "59,00 €" in page
    assert "59.00" not in page


@pytest.mark.parametrize(
    ("language", "ticket_state", "quote_state"),
    [
        ("fi", "odottaa tarjouksen hyväksyntää", "odottaa hyväksyntää"),
        ("pl", "oczekuje na akceptację oferty", "oczekuje na akceptację"),
        ("en", "waiting for approval", "waiting for approval"),
    ],
)
def test_ticket_and_quote_waiting_states_are_told_apart(language, ticket_state, quote_state):
    with translation.override(language):
        assert str(Ticket.Status.WAITING_APPROVAL.label) == ticket_state
        assert str(Quote.Status.PENDING.label) == quote_state


def test_quota_subject_writes_the_polish_month_in_lower_case(polish_main_user):
    class Notice:
        threshold = 80
        month = datetime.date(2026, 11, 1)

    email = send_email(
        template="quota-notice",
        recipient=polish_main_user,
        context={"notice": Notice(), "usage": {"used_minutes": 96, "included_minutes": 120}},
    )
    assert email.subject.endswith("80% godzin wsparcia na ten miesiąc (listopad 2026)")


def test_catalogues_compile_with_nothing_untranslated_or_fuzzy():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile-messages"), "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", ["fi", "pl"])
def test_catalogues_keep_every_placeholder(language):
    # msgfmt --check: a msgstr that drops or renames a %(name)s breaks at render time.
    po = ROOT / "src" / "tiketti" / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("language", "when"),
    [
        ("fi", "3. joulukuuta 2026 klo 10.00–11.30"),
        ("pl", "3 grudnia 2026, godz. 10:00–11:30"),
        ("en", "Dec. 3, 2026 10 a.m.–11:30 a.m."),
    ],
)
def test_booking_mail_gives_the_session_time_as_the_language_says_it(main_user, language, when):
    main_user.language = language
    main_user.save()
    starts_at = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=HELSINKI)
    booking = SimpleNamespace(
        entitlement=SimpleNamespace(localized_name="Video training"),
        staff=SimpleNamespace(get_full_name="Sanna Agent"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=90),
        meeting_url="https://meet.example/abc",
    )
    email = send_email(
        template="booking-confirmed",
        recipient=main_user,
        context={"booking": booking, "time_zone": "Europe/Helsinki"},
    )
    assert f": {when} (Europe/Helsinki)\n" in email.body_text
    assert f"</strong> {when} (Europe/Helsinki)" in email.body_html


@pytest.mark.parametrize("language", ["fi", "pl", "en"])
@pytest.mark.parametrize(("line_index", "status"), [(-2, "approved"), (-1, "declined")])
def test_the_decision_lines_the_quote_mail_offers_are_understood(
    main_user, agent, language, line_index, status
):
    main_user.language = language
    main_user.save()
    ticket = file_request(main_user)
    quote = offer_quote(ticket, agent, timezone.localdate() + datetime.timedelta(days=7))
    [sent] = mail.outbox
    text, _signature = sent.body.split("\n-- \n")
    offered = text.strip().splitlines()[line_index]
    assert offered.endswith(quote.reference)
    decided = decide_by_email(ticket=ticket, sender=main_user, text=offered, from_address="")
    assert decided is not None and decided.status == status

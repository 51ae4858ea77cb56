"""Paid work only after written approval; the monthly quota; paid priority (R15, R22, R23)."""

import datetime
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tiketti.contracts.models import Contract, PriorityCharge, QuotaNotice, Quote, TimeEntry
from tiketti.contracts.priority import priority_offer
from tiketti.contracts.quotes import create_quote, decide_by_email, decide_quote
from tiketti.contracts.timetracking import log_time, month_usage
from tiketti.mail import inbound
from tiketti.tickets.errors import TicketError
from tiketti.tickets.intake import IntakeRequest, Outcome, submit_request
from tiketti.tickets.models import Ticket

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def plan(organisation):
    contract = Contract.objects.get(organisation=organisation)
    plan = contract.plan
    plan.monthly_support_minutes = 120
    plan.hourly_rate = Decimal("90.00")
    plan.priority_credits = 1
    plan.priority_price = Decimal("49.00")
    plan.save()
    return plan


@pytest.fixture
def ticket(main_user, plan):
    return submit_request(
        IntakeRequest(
            channel="portal", requester=main_user, subject="Uusi raportti", body_text="Tarvitaan"
        )
    ).ticket


def quote_for(ticket, agent, hours="2.5", days=14):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return create_quote(
            ticket=ticket,
            actor=agent,
            description="Uusi myyntiraportti",
            estimated_hours=Decimal(hours),
            valid_until=timezone.localdate() + datetime.timedelta(days=days),
        )


def test_quote_is_priced_from_the_plan_and_the_ticket_waits_for_approval(ticket, agent, main_user):
    quote = quote_for(ticket, agent)
    assert quote.reference == f"{ticket.number}-Q1"
    assert quote.price == Decimal("225.00")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING_APPROVAL
    [sent] = mail.outbox
    assert sent.to == [main_user.email] and quote.reference in sent.body


def test_main_user_approves_and_the_decision_is_recorded_as_given(ticket, agent, main_user):
    quote = quote_for(ticket, agent)
    quote = decide_quote(
        quote=quote, user=main_user, approve=True, via="portal", from_address="192.0.2.7"
    )
    assert quote.status == Quote.Status.APPROVED
    assert (quote.decided_by, quote.decided_via, quote.decided_from) == (
        main_user,
        "portal",
        "192.0.2.7",
    )
    assert quote.decided_text == quote.quote_text() and "225.00" in quote.decided_text
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


@pytest.mark.parametrize("who", ["ordinary_user", "stranger", "agent"])
def test_only_a_main_user_of_the_organisation_decides(ticket, agent, request, who):
    quote = quote_for(ticket, agent)
    with pytest.raises(TicketError) as caught:
        decide_quote(
            quote=quote,
            user=request.getfixturevalue(who),
            approve=True,
            via="portal",
            from_address="",
        )
    assert caught.value.code == "forbidden"
    quote.refresh_from_db()
    assert quote.status == Quote.Status.PENDING and quote.decided_by is None


def test_expired_or_decided_quote_cannot_be_decided(ticket, agent, main_user):
    quote = quote_for(ticket, agent)
    Quote.objects.filter(pk=quote.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    quote.refresh_from_db()
    with pytest.raises(TicketError) as caught:
        decide_quote(quote=quote, user=main_user, approve=True, via="portal", from_address="")
    assert caught.value.code == "quote_expired"
    fresh = quote_for(ticket, agent)
    decide_quote(quote=fresh, user=main_user, approve=False, via="portal", from_address="")
    with pytest.raises(TicketError) as caught:
        decide_quote(quote=fresh, user=main_user, approve=True, via="portal", from_address="")
    assert caught.value.code == "quote_decided"
    fresh.refresh_from_db()
    assert fresh.status == Quote.Status.DECLINED


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_record_exactly_one(ticket, agent, main_user, organisation):
    from tiketti.accounts.tests.factories import ContactFactory

    other_main = ContactFactory(organisation=organisation, main=True)
    quote = quote_for(ticket, agent)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, approve):
        try:
            barrier.wait(timeout=10)
            decide_quote(
                quote=Quote.objects.get(pk=quote.pk),
                user=user,
                approve=approve,
                via="portal",
                from_address="",
            )
            outcomes.append("decided")
        except TicketError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(main_user, True)),
        threading.Thread(target=decide, args=(other_main, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["decided", "quote_decided"]
    quote.refresh_from_db()
    assert (
        quote.status in (Quote.Status.APPROVED, Quote.Status.DECLINED)
        and quote.decided_by is not None
    )


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("HYVÄKSYN {ref}", "approved"),
        ("I approve {ref}, thanks", "approved"),
        ("Akceptuję {ref}", "approved"),
        ("En hyväksy {ref}", "declined"),
        ("Odrzucam {ref}", "declined"),
    ],
)
def test_reply_to_the_quote_mail_with_a_decision_line(ticket, agent, main_user, line, status):
    quote = quote_for(ticket, agent)
    raw = (
        f"From: {main_user.email}\r\nSubject: Re: [{ticket.number}] Quote\r\n"
        f"Message-ID: <decision-{status}@aurora.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{line.format(ref=quote.reference)}\r\n\r\n> quoted quote text\r\n"
    ).encode()
    row, _ = inbound.store_raw(raw, via="pipe")
    row = inbound.process(row.pk)
    quote.refresh_from_db()
    assert quote.status == status and quote.decided_via == "email"
    assert quote.decided_from == main_user.email
    assert row.reason == f"quote {status}"


def test_approval_line_from_an_ordinary_user_is_not_a_decision(ticket, agent, ordinary_user):
    quote = quote_for(ticket, agent)
    with pytest.raises(TicketError):
        decide_by_email(
            ticket=ticket,
            sender=ordinary_user,
            text=f"I approve {quote.reference}",
            from_address="",
        )
    quote.refresh_from_db()
    assert quote.status == Quote.Status.PENDING


def test_included_minutes_are_used_first_then_an_approved_quote_is_needed(ticket, agent, main_user):
    log_time(ticket=ticket, agent=agent, minutes=100, note="Selvitys")
    with pytest.raises(TicketError) as caught:
        log_time(ticket=ticket, agent=agent, minutes=30)
    assert caught.value.code == "quota_exceeded"
    assert TimeEntry.objects.count() == 1
    log_time(ticket=ticket, agent=agent, minutes=30, is_billable=False)  # unbillable is fine
    quote = quote_for(ticket, agent)
    decide_quote(quote=quote, user=main_user, approve=True, via="portal", from_address="")
    entry = log_time(ticket=ticket, agent=agent, minutes=30)
    assert (entry.extra_minutes, entry.quote) == (10, quote)


@pytest.mark.parametrize("minutes", [0, -5, 721, 100000])
def test_absurd_time_entries_are_refused(ticket, agent, minutes):
    with pytest.raises(TicketError) as caught:
        log_time(ticket=ticket, agent=agent, minutes=minutes)
    assert caught.value.code == "invalid_minutes"


def test_future_time_is_refused_and_customers_cannot_log(ticket, agent, main_user):
    with pytest.raises(TicketError):
        log_time(
            ticket=ticket,
            agent=agent,
            minutes=5,
            worked_at=timezone.now() + datetime.timedelta(days=1),
        )
    with pytest.raises(TicketError):
        log_time(ticket=ticket, agent=main_user, minutes=5)


def test_month_boundary_follows_the_organisations_time_zone(ticket, agent, organisation):
    """23:59 on the last day counts for that month, 00:01 on the first for the next, in
    Helsinki time, although both are the same UTC day."""
    last_evening = datetime.datetime(2026, 10, 31, 23, 59, tzinfo=HELSINKI)  # 21:59 UTC
    first_night = datetime.datetime(2026, 11, 1, 0, 1, tzinfo=HELSINKI)  # 22:01 UTC 31 Oct
    assert (
        last_evening.astimezone(datetime.UTC).date() == first_night.astimezone(datetime.UTC).date()
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime(2026, 11, 15, tzinfo=datetime.UTC))
        log_time(ticket=ticket, agent=agent, minutes=100, worked_at=last_evening)
        log_time(ticket=ticket, agent=agent, minutes=100, worked_at=first_night)
    assert month_usage(organisation, datetime.date(2026, 10, 1)).used_minutes == 100
    assert month_usage(organisation, datetime.date(2026, 11, 1)).used_minutes == 100
    assert TimeEntry.objects.filter(extra_minutes=0).count() == 2  # neither month overran


def test_quota_notices_at_80_and_100_percent_once_each(ticket, agent, main_user):
    with TestCase.captureOnCommitCallbacks(execute=True):
        log_time(ticket=ticket, agent=agent, minutes=90)  # 75 %
    assert mail.outbox == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        log_time(ticket=ticket, agent=agent, minutes=10)  # 83 %
        log_time(ticket=ticket, agent=agent, minutes=5)  # still 80-100: no second notice
        log_time(ticket=ticket, agent=agent, minutes=15)  # 100 %
    assert sorted(QuotaNotice.objects.values_list("threshold", flat=True)) == [80, 100]
    assert [m.to for m in mail.outbox] == [[main_user.email], [main_user.email]]
    assert "80" in mail.outbox[0].subject and "100" in mail.outbox[1].subject


def test_paid_priority_uses_the_credit_then_charges_the_price(main_user, plan):
    def file_priority():
        return submit_request(
            IntakeRequest(
                channel="portal",
                requester=main_user,
                subject="Sivusto alhaalla",
                body_text="!",
                paid_priority=True,
            )
        ).ticket

    first, second = file_priority(), file_priority()
    assert first.is_paid_priority and second.is_paid_priority
    charges = PriorityCharge.objects.order_by("pk")
    assert [(c.used_credit, c.price) for c in charges] == [
        (True, Decimal("0")),
        (False, Decimal("49.00")),
    ]
    assert priority_offer(main_user.organisation).credits_left == 0


def test_ordinary_user_cannot_buy_priority(ordinary_user, plan):
    from tiketti.tickets.errors import IntakeRefused

    with pytest.raises(IntakeRefused):
        submit_request(
            IntakeRequest(
                channel="portal",
                requester=ordinary_user,
                subject="s",
                body_text="b",
                paid_priority=True,
            )
        )
    assert not Ticket.objects.exists() and not PriorityCharge.objects.exists()


def test_priority_tickets_jump_the_queue(client, main_user, agent, plan):
    normal = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="normal", body_text="b")
    ).ticket
    urgent = submit_request(
        IntakeRequest(
            channel="portal", requester=main_user, subject="prio", body_text="b", paid_priority=True
        )
    ).ticket
    Ticket.objects.filter(pk=normal.pk).update(
        updated_at=timezone.now() + datetime.timedelta(hours=1)
    )
    client.force_login(agent)
    page = client.get(reverse("desk:queue")).context["page"]
    assert list(page.object_list)[:2] == [urgent, normal]


def test_portal_offers_priority_to_main_users_with_the_price(
    client, main_user, ordinary_user, plan
):
    client.force_login(main_user)
    assert "priority_ticket" in client.get(reverse("portal:ticket-new")).context["form"].fields
    client.force_login(ordinary_user)
    assert "priority_ticket" not in client.get(reverse("portal:ticket-new")).context["form"].fields


def test_portal_approval_and_desk_time_logging(client, ticket, agent, main_user):
    quote = quote_for(ticket, agent)
    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert quote.reference in page
    response = client.post(
        reverse("portal:quote-decide", args=[ticket.number, quote.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.APPROVED and quote.decided_via == "portal"
    client.force_login(agent)
    response = client.post(
        reverse("desk:ticket-time", args=[ticket.number]),
        {"minutes": 150, "note": "Raportti", "is_billable": "on"},
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.extra_minutes == 30 and entry.quote == quote


def test_outcome_for_the_portal_is_created(main_user, plan):
    result = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="s", body_text="b")
    )
    assert result.outcome == Outcome.CREATED


def test_a_contract_starting_mid_month_gives_that_month_its_quota(organisation, plan):
    Contract.objects.filter(organisation=organisation).update(starts_on=datetime.date(2026, 11, 20))
    assert month_usage(organisation, datetime.date(2026, 11, 1)).included_minutes == 120
    assert month_usage(organisation, datetime.date(2026, 10, 1)).included_minutes == 0

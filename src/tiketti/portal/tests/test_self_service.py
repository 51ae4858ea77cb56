"""What customers do for themselves: close a request, change their password; and how an
anonymous visitor of the help center finds the way to sign in and ask."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tiketti.tickets import services
from tiketti.tickets.errors import TicketError
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def file_ticket(requester, subject="Kassa"):
    return submit_request(
        IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="500")
    ).ticket


def test_a_customer_closes_their_request_after_confirming(client, main_user, agent):
    ticket = file_ticket(main_user)
    services.assign_ticket(ticket=ticket, actor=agent, assignee=agent, team=None)
    client.force_login(main_user)
    detail = reverse("portal:ticket-detail", args=[ticket.number])
    close = reverse("portal:ticket-close", args=[ticket.number])
    assert f'href="{close}"' in client.get(detail).content.decode()
    confirm = client.get(close)
    assert "Kyllä, sulje pyyntö" in confirm.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN  # asking first changes nothing
    response = client.post(close, {"version": ticket.version}, follow=True)
    page = response.content.decode()
    assert f"Pyyntösi {ticket.number} on suljettu." in page
    assert "muutti tilaksi “suljettu” (oli “avoin”)" in page  # in the history
    assert f'href="{close}"' not in page
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.resolved_at is not None
    event = ticket.events.filter(kind=TicketEvent.Kind.STATUS).latest("pk")
    assert (event.actor, event.new_value) == (main_user, "closed")


def test_closing_an_outdated_page_is_refused(client, main_user, agent):
    ticket = file_ticket(main_user)
    seen = ticket.version
    services.post_message(ticket=ticket, author=agent, body_text="Katsotaan", channel="portal")
    client.force_login(main_user)
    response = client.post(
        reverse("portal:ticket-close", args=[ticket.number]), {"version": seen}, follow=True
    )
    with translation.override("fi"):
        stale = gettext("Someone else changed this ticket meanwhile. Reload it and try again.")
    assert stale in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status != Ticket.Status.CLOSED


def test_who_may_close_a_request(main_user, ordinary_user, agent, stranger):
    theirs = file_ticket(ordinary_user)
    services.close_ticket_for_customer(ticket=theirs, customer=main_user)  # their main user
    mine = file_ticket(main_user)
    for someone in (ordinary_user, agent, stranger):
        with pytest.raises(TicketError) as refused:
            services.close_ticket_for_customer(ticket=mine, customer=someone)
        assert refused.value.code == "not_allowed"
    with pytest.raises(TicketError) as again:
        services.close_ticket_for_customer(ticket=theirs, customer=ordinary_user)
    assert again.value.code == "already_closed"


def test_a_stranger_cannot_reach_the_close_page(client, main_user, stranger):
    ticket = file_ticket(main_user)
    client.force_login(stranger)
    assert client.get(reverse("portal:ticket-close", args=[ticket.number])).status_code == 404
    assert client.post(reverse("portal:ticket-close", args=[ticket.number])).status_code == 404


def test_a_customer_changes_their_password_and_stays_logged_in(client, main_user):
    client.force_login(main_user)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("accounts:password-change")}"' in profile
    page = client.get(reverse("accounts:password-change")).content.decode()
    assert "Vaihda salasana" in page and 'name="old_password"' in page
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "secret-pass",
            "new_password1": "Uusi-salasana-2026",
            "new_password2": "Uusi-salasana-2026",
        },
        follow=True,
    )
    assert "Uusi salasanasi on tallennettu." in response.content.decode()
    assert SESSION_KEY in client.session
    main_user.refresh_from_db()
    assert main_user.check_password("Uusi-salasana-2026")


def test_a_wrong_old_password_changes_nothing(client, main_user):
    client.force_login(main_user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "wrong", "new_password1": "Uusi-2026-x", "new_password2": "Uusi-2026-x"},
    )
    assert response.status_code == 200 and response.context["form"].errors["old_password"]
    main_user.refresh_from_db()
    assert main_user.check_password("secret-pass")


def test_an_anonymous_help_center_visitor_is_shown_how_to_sign_in_and_ask(client):
    page = client.get(reverse("knowledge:home"), headers={"accept-language": "fi"})
    body = page.content.decode()
    login = reverse("accounts:login")
    assert f'href="{login}?next={reverse("portal:ticket-new")}"' in body
    assert "Kirjaudu sisään ja lähetä pyyntö tukeen" in body
    assert f'<a href="{login}">' in body  # in the header, on every page

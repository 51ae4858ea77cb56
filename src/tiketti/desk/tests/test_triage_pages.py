"""The desk's triage: the queue's order, a ticket's answers, impact and urgency, the
out-of-scope answer and the phone log's questions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import CategoryField, ScopeAnswer, Ticket, TicketEvent


@pytest.fixture
def agent_client(client, agent):
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    return client


@pytest.fixture
def registry(category):
    CategoryField.objects.create(
        category=category,
        name="member_numbers",
        kind="text",
        is_required=True,
        label_en="Example member numbers",
    )
    CategoryField.objects.create(
        category=category, name="screenshot", kind="file", label_en="Screenshot", position=1
    )
    return category


def file_ticket(requester, subject="Kassa ei toimi", **fields):
    return submit_request(
        IntakeRequest(
            channel="portal", requester=requester, subject=subject, body_text="Hi", **fields
        )
    ).created_ticket


def test_the_queue_lists_priority_first(agent_client, main_user, django_assert_max_num_queries):
    older = file_ticket(main_user, "older normal")
    Ticket.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=2), updated_at=timezone.now()
    )
    file_ticket(main_user, "site down", impact="blocks_all", urgency="high")
    file_ticket(main_user, "when you can", impact="no_block", urgency="low")
    with django_assert_max_num_queries(16):  # views bar counts and the header's notice count
        response = agent_client.get(reverse("desk:queue"))
    subjects = [ticket.subject for ticket in response.context["page"].object_list]
    assert subjects == ["site down", "older normal", "when you can"]


def test_staff_fill_in_the_answers_a_mail_did_not_give(agent_client, main_user, registry):
    ticket = submit_request(
        IntakeRequest(
            channel="email",
            requester_email=main_user.email,
            subject="Raportti",
            body_text="Raportti näyttää väärin",
            category_slug="bug",
        )
    ).created_ticket
    page = agent_client.get(reverse("desk:ticket-detail", args=[ticket.number])).text
    assert "Fill in the answers on the request form" in page
    assert 'name="q_screenshot"' not in page  # files come with messages
    response = agent_client.post(
        reverse("desk:ticket-answers", args=[ticket.number]),
        {"q_member_numbers": "1001, 1002", "version": ticket.version},
        follow=True,
    )
    ticket.refresh_from_db()
    assert ticket.field_answers == {"member_numbers": "1001, 1002"}
    assert '<th scope="row">Example member numbers</th><td>1001, 1002</td>' in response.text
    assert "answered “Example member numbers”: 1001, 1002" in response.text


def test_staff_change_impact_and_urgency_and_the_priority_follows(
    agent_client, main_user, category
):
    ticket = file_ticket(main_user)
    response = agent_client.post(
        reverse("desk:ticket-properties", args=[ticket.number]),
        {
            "status": "new",
            "priority": ticket.priority,
            "impact": "blocks_all",
            "urgency": "high",
            "category": category.pk,
            "version": ticket.version,
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.impact, ticket.urgency, ticket.priority) == ("blocks_all", "high", "urgent")
    assert ticket.events.filter(kind=TicketEvent.Kind.URGENCY).exists()


def test_a_priority_the_agent_chooses_wins_over_the_matrix(agent_client, main_user):
    ticket = file_ticket(main_user)
    agent_client.post(
        reverse("desk:ticket-properties", args=[ticket.number]),
        {
            "status": "new",
            "priority": "low",
            "impact": "blocks_all",
            "urgency": "high",
            "version": ticket.version,
        },
    )
    ticket.refresh_from_db()
    assert (ticket.impact, ticket.priority) == ("blocks_all", "low")


def test_staff_answer_a_ticket_as_out_of_scope(agent_client, main_user):
    answer = ScopeAnswer.objects.create(title_en="Template look", text_en="Paid work.")
    ticket = file_ticket(main_user)
    page = agent_client.get(reverse("desk:ticket-detail", args=[ticket.number])).text
    assert "Outside the support service?" in page
    assert "Paid work: Kassa ei toimi" in page  # the quote, filled in for one click
    response = agent_client.post(
        reverse("desk:ticket-out-of-scope", args=[ticket.number]),
        {"answer": answer.pk, "version": ticket.version},
        follow=True,
    )
    ticket.refresh_from_db()
    assert ticket.is_closed and ticket.close_reason == "out_of_scope"
    assert "Closed as out of scope." in response.text
    assert "(“Template look”) and closed it" in response.text


def test_the_phone_log_asks_the_categorys_questions(agent_client, main_user, registry):
    partial = agent_client.get(
        reverse("desk:new-ticket"), {"category": "bug"}, headers={"hx-request": "true"}
    )
    assert partial.text.lstrip().startswith('<div id="call-questions">')
    assert 'name="q_member_numbers"' in partial.text
    data = {
        "requester_email": main_user.email,
        "notes": "Raportti näyttää väärin",
        "category": "bug",
        "priority": "normal",
    }
    refused = agent_client.post(reverse("desk:new-ticket"), data)
    assert refused.status_code == 400
    assert refused.context["form"].errors["q_member_numbers"]
    assert not Ticket.objects.exists()
    filed = agent_client.post(reverse("desk:new-ticket"), {**data, "q_member_numbers": "1001"})
    assert filed.status_code == 302
    assert Ticket.objects.get().field_answers == {"member_numbers": "1001"}

"""The queue's views and their counts, saving views, number search and bulk actions."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tiketti.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory
from tiketti.desk.models import SavedView
from tiketti.desk.queues import queue_views
from tiketti.desk.tests.factories import SavedViewFactory
from tiketti.tickets import services
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket
from tiketti.tickets.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def file_ticket(requester, subject="Kassa ei toimi", body="Hi"):
    request = IntakeRequest(channel="portal", requester=requester, subject=subject, body_text=body)
    return submit_request(request).ticket


@pytest.fixture
def agent_client(client, agent):
    agent.language = "en"
    agent.save()
    client.force_login(agent)
    return client


def counts(agent, current=None):
    groups = queue_views(agent, current or {})
    return {view.key: view.count for group in groups for view in group.views}


def test_builtin_views_count_what_they_show(agent, main_user, stranger, category):
    mine = file_ticket(main_user)
    services.assign_ticket(ticket=mine, actor=agent, assignee=agent, team=None)
    file_ticket(stranger)
    approval = file_ticket(main_user)
    services.change_status(ticket=approval, actor=agent, status=Ticket.Status.WAITING_APPROVAL)
    solved = file_ticket(main_user)
    services.change_status(ticket=solved, actor=agent, status=Ticket.Status.SOLVED)
    urgent = file_ticket(stranger)
    services.classify_ticket(ticket=urgent, actor=agent, category=category, priority="urgent")
    found = counts(agent)
    assert found["open"] == 4  # the solved one is not open
    assert found["mine"] == 1
    assert found["unassigned"] == 3
    assert found["approval"] == 1
    assert found["held"] == 0
    assert found["priority-urgent"] == 1
    assert found[f"category-{category.pk}"] == 1
    assert found[f"team-{category.team.pk}"] == 1
    assert found[f"organisation-{main_user.organisation_id}"] == 2


def test_each_view_lists_what_it_counts(agent_client, agent, main_user, stranger):
    file_ticket(main_user)
    file_ticket(stranger)
    response = agent_client.get(reverse("desk:queue"))
    for group in response.context["view_groups"]:
        for view in group.views:
            listed = agent_client.get(reverse("desk:queue") + "?" + view.query_string)
            assert listed.context["page"].paginator.count == view.count, view.key


def test_queue_views_take_the_same_queries_however_many_views(
    agent, main_user, django_assert_num_queries
):
    file_ticket(main_user)
    SavedViewFactory(owner=agent)
    with django_assert_num_queries(5) as few:
        queue_views(agent, {})
    for index in range(6):
        SavedViewFactory(owner=agent if index % 2 else None, filters={"q": f"sana{index}"})
        TeamFactory(name=f"Team {index}")
        CategoryFactory()
        OrganisationFactory()
    with django_assert_num_queries(len(few)):
        groups = queue_views(agent, {})
    assert sum(len(group.views) for group in groups) > 20


def test_the_queue_page_takes_the_same_queries_with_more_views(
    agent_client, agent, main_user, django_assert_num_queries
):
    file_ticket(main_user)
    with django_assert_num_queries(16) as before:  # the header's notice count included
        agent_client.get(reverse("desk:queue"))
    for _index in range(5):
        SavedViewFactory(owner=agent)
        SavedViewFactory()
        TeamFactory()
    with django_assert_num_queries(len(before)):
        agent_client.get(reverse("desk:queue"))


def test_the_current_filters_mark_their_view(agent):
    groups = queue_views(agent, {"assignee": "me", "page": "2"})
    active = [view.key for group in groups for view in group.views if view.is_active]
    assert active == ["mine"]


def test_agent_saves_a_personal_view_others_do_not_see(agent_client, agent, main_user):
    response = agent_client.post(
        reverse("desk:view-save"), {"name": "Kiireelliset", "filters": "priority=urgent"}
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert (view.owner, view.name, view.filters) == (agent, "Kiireelliset", {"priority": "urgent"})
    other = UserFactory(agent=True)
    assert f"saved-{view.pk}" not in counts(other)
    assert counts(agent)[f"saved-{view.pk}"] == 0


def test_a_plain_agent_cannot_share_a_view(agent_client, agent):
    agent_client.post(
        reverse("desk:view-save"),
        {"name": "Kaikille", "shared": "on", "name_fi": "Kaikille", "filters": "sla=soon"},
    )
    assert SavedView.objects.get().owner == agent


def test_a_team_lead_shares_a_view_named_in_each_language(client, main_user):
    lead = UserFactory(agent=True, staff_role="team_lead", language="fi")
    client.force_login(lead)
    client.post(
        reverse("desk:view-save"),
        {
            "shared": "on",
            "name_en": "Urgent",
            "name_fi": "Kiireelliset",
            "name_pl": "Pilne",
            "filters": "priority=urgent",
        },
    )
    view = SavedView.objects.get()
    assert view.is_shared
    assert view.localized_name("pl") == "Pilne"
    reader = UserFactory(agent=True)
    assert f"saved-{view.pk}" in counts(reader)
    response = client.get(reverse("desk:queue"))
    assert "Kiireelliset" in response.content.decode()


def test_a_view_needs_a_name(agent_client):
    response = agent_client.post(reverse("desk:view-save"), {"filters": "priority=urgent"})
    assert response.status_code == 302
    assert not SavedView.objects.exists()
    assert "Give the view a name." in [str(m) for m in get_messages(response.wsgi_request)]


def test_agents_delete_only_their_own_views(agent_client, agent):
    own = SavedViewFactory(owner=agent)
    shared = SavedViewFactory()
    someone_elses = SavedViewFactory(owner=UserFactory(agent=True))
    assert agent_client.post(reverse("desk:view-delete", args=[own.pk])).status_code == 302
    assert agent_client.post(reverse("desk:view-delete", args=[shared.pk])).status_code == 404
    assert (
        agent_client.post(reverse("desk:view-delete", args=[someone_elses.pk])).status_code == 404
    )
    assert set(SavedView.objects.all()) == {shared, someone_elses}


@pytest.mark.parametrize("spelling", ["{number}", "{lower}", "{digits}"])
def test_a_ticket_number_finds_a_solved_ticket_from_the_default_queue(
    agent_client, agent, main_user, spelling
):
    ticket = file_ticket(main_user)
    services.change_status(ticket=ticket, actor=agent, status=Ticket.Status.SOLVED)
    text = spelling.format(
        number=ticket.number, lower=ticket.number.lower(), digits=ticket.number.split("-")[1]
    )
    response = agent_client.get(reverse("desk:queue"), {"q": text})
    assert list(response.context["page"].object_list) == [ticket]
    assert response.context["by_number"]


def test_queue_search_finds_a_word_only_in_a_message(agent_client, agent, main_user):
    ticket = file_ticket(main_user, "Kassa", "Kuitti ei tulostu.")
    file_ticket(main_user, "Lasku", "Lasku puuttuu.")
    services.post_message(
        ticket=ticket, author=main_user, body_text="Tulostin on Zebra GK420.", channel="email"
    )
    response = agent_client.get(reverse("desk:queue"), {"q": "zebra"})
    assert list(response.context["page"].object_list) == [ticket]


def test_bulk_assign_through_the_form_reports_what_was_done(agent_client, agent, main_user):
    colleague = UserFactory(agent=True, display_name="Pekka Agent")
    tickets = [file_ticket(main_user, f"Asia {index}") for index in range(3)]
    response = agent_client.post(
        reverse("desk:bulk"),
        {
            "tickets": [t.number for t in tickets],
            "assignee": str(colleague.pk),
            "status": "",
            "category": "",
            "priority": "",
            "next": "assignee=none",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:queue") + "?assignee=none"
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes == ["3 tickets assigned to Pekka Agent"]
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {colleague.pk}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "waiting"}, "2 tickets set to “waiting on customer”"),
        ({"priority": "high"}, "2 tickets given the priority “high”"),
        ({"assignee": "none"}, "2 tickets unassigned"),
        ({"category": "none"}, "2 tickets moved to the category no category"),
        ({"priority": "high", "status": "waiting"}, "2 tickets updated"),
    ],
)
def test_bulk_summaries_say_what_changed(agent_client, main_user, fields, expected):
    tickets = [file_ticket(main_user) for _ in range(2)]
    data = {"assignee": "", "status": "", "category": "", "priority": "", **fields}
    response = agent_client.post(
        reverse("desk:bulk"), {**data, "tickets": [t.number for t in tickets]}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]


def test_bulk_without_a_selection_or_a_change_says_so(agent_client, main_user):
    ticket = file_ticket(main_user)
    empty = {"assignee": "", "status": "", "category": "", "priority": ""}
    response = agent_client.post(reverse("desk:bulk"), {**empty, "priority": "high"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Select the tickets to change first."
    ]
    agent_client.get(response["Location"])  # shows (and so uses up) the message
    response = agent_client.post(reverse("desk:bulk"), {**empty, "tickets": [ticket.number]})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Choose what to change from the lists."
    ]


def test_bulk_refuses_an_address_elsewhere_to_go_back_to(agent_client, main_user):
    ticket = file_ticket(main_user)
    response = agent_client.post(
        reverse("desk:bulk"),
        {"tickets": [ticket.number], "priority": "high", "next": "//evil.example/"},
    )
    assert response["Location"].startswith(reverse("desk:queue"))

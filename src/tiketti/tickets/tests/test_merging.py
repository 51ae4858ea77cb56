"""Merge and split: nothing is lost, both histories say it, the wrong merges are refused."""

import pytest
from django.test import TestCase
from django.utils import translation

from tiketti.contracts.models import TimeEntry
from tiketti.contracts.timetracking import log_time
from tiketti.mail.models import OutgoingEmail
from tiketti.tickets import services
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.errors import NotAllowed
from tiketti.tickets.history import ticket_history
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.merging import MergeRefused, SplitRefused, merge_tickets, split_ticket
from tiketti.tickets.models import Attachment, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def file_ticket(requester, subject="Kassa ei toimi"):
    request = IntakeRequest(channel="portal", requester=requester, subject=subject, body_text="Hi")
    return submit_request(request).ticket


def fill(ticket, agent, *, replies, files, minutes):
    """Give the ticket `replies` more messages, `files` attachments and `minutes` entries."""
    for index in range(replies):
        services.post_message(
            ticket=ticket,
            author=agent,
            body_text=f"Vastaus {index}",
            channel="portal",
            is_internal=True,
            files=[IncomingFile(name=f"{ticket.number}-{index}.txt", content=b"x")]
            if index < files
            else [],
        )
    for minutes_each in minutes:
        log_time(ticket=ticket, agent=agent, minutes=minutes_each, is_billable=False)


def counts(*tickets):
    ids = [t.pk for t in tickets]
    return (
        Message.objects.filter(ticket_id__in=ids).count(),
        Attachment.objects.filter(ticket_id__in=ids).count(),
        TimeEntry.objects.filter(ticket_id__in=ids).count(),
    )


@pytest.mark.parametrize(
    ("merged_fill", "survivor_fill"),
    [
        ({"replies": 0, "files": 0, "minutes": []}, {"replies": 0, "files": 0, "minutes": []}),
        ({"replies": 2, "files": 1, "minutes": [15]}, {"replies": 0, "files": 0, "minutes": []}),
        ({"replies": 0, "files": 0, "minutes": []}, {"replies": 3, "files": 2, "minutes": [5]}),
        (
            {"replies": 3, "files": 3, "minutes": [10, 20]},
            {"replies": 1, "files": 1, "minutes": [30]},
        ),
    ],
    ids=["bare", "merged-has-work", "survivor-has-work", "both-have-work"],
)
def test_merge_keeps_every_message_attachment_and_time_entry(
    main_user, ordinary_user, agent, merged_fill, survivor_fill
):
    merged = file_ticket(ordinary_user, "Sama asia")
    survivor = file_ticket(main_user, "Asia")
    fill(merged, agent, **merged_fill)
    fill(survivor, agent, **survivor_fill)
    before = counts(merged, survivor)

    result = merge_tickets(ticket=merged, into=survivor, actor=agent)

    assert result == survivor
    assert counts(survivor) == before
    assert counts(merged) == (0, 0, 0)
    merged.refresh_from_db()
    assert merged.merged_into == survivor
    assert merged.status == Ticket.Status.CLOSED
    # The merged ticket's requester goes on hearing of the matter.
    assert ordinary_user in survivor.cc.all()


def test_both_histories_say_it_in_the_readers_language(main_user, agent):
    merged, survivor = file_ticket(main_user, "Yksi"), file_ticket(main_user, "Kaksi")
    merge_tickets(ticket=merged, into=survivor, actor=agent)
    with translation.override("fi"):
        assert f"yhdisti tämän tiketin tikettiin {survivor.number}" in [
            line.text for line in ticket_history(merged, for_customer=True)
        ]
    with translation.override("pl"):
        texts = [line.text for line in ticket_history(survivor)]
    assert f"scalenie zgłoszenia {merged.number} z tym zgłoszeniem" in texts


def test_the_customer_is_told_once_in_their_language(main_user, agent):
    merged, survivor = file_ticket(main_user, "Yksi"), file_ticket(main_user, "Kaksi")
    OutgoingEmail.objects.all().delete()  # the acknowledgements
    with TestCase.captureOnCommitCallbacks(execute=True):
        merge_tickets(ticket=merged, into=survivor, actor=agent)
    [mail] = OutgoingEmail.objects.all()
    assert mail.to == main_user.email
    assert survivor.number in mail.subject
    assert "käsittelemme ne nyt yhdessä" in mail.body_text


def test_merging_into_a_merged_ticket_follows_where_it_went(main_user, agent):
    first, second, third = (file_ticket(main_user, name) for name in ("A", "B", "C"))
    merge_tickets(ticket=second, into=third, actor=agent)
    assert merge_tickets(ticket=first, into=second, actor=agent) == third
    first.refresh_from_db()
    assert first.merged_into == third


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("itself", "merge_into_itself"),
        ("chain-back", "merge_into_itself"),
        ("already-merged", "already_merged"),
        ("closed", "merge_into_closed"),
        ("other-organisation", "merge_across_organisations"),
    ],
)
def test_wrong_merges_are_refused_and_change_nothing(main_user, stranger, agent, case, code):
    ticket, other = file_ticket(main_user, "A"), file_ticket(main_user, "B")
    into = other
    if case == "itself":
        into = ticket
    elif case == "chain-back":
        merge_tickets(ticket=other, into=ticket, actor=agent)
    elif case == "already-merged":
        merge_tickets(ticket=ticket, into=other, actor=agent)
        into = file_ticket(main_user, "C")
    elif case == "closed":
        services.close_for_reason(ticket=other, actor=agent, reason="out_of_scope")
    elif case == "other-organisation":
        into = file_ticket(stranger, "D")
    messages_before = Message.objects.filter(ticket=ticket).count()
    with pytest.raises(MergeRefused) as caught:
        merge_tickets(ticket=ticket, into=into, actor=agent)
    assert caught.value.code == code
    assert Message.objects.filter(ticket=ticket).count() == messages_before


def test_customers_cannot_merge(main_user):
    ticket, other = file_ticket(main_user, "A"), file_ticket(main_user, "B")
    with pytest.raises(NotAllowed):
        merge_tickets(ticket=ticket, into=other, actor=main_user)
    ticket.refresh_from_db()
    assert ticket.merged_into is None


@pytest.mark.parametrize(
    ("replies", "chosen", "files_moving"),
    [(1, [1], 1), (3, [1, 3], 2), (3, [0, 2], 1)],
    ids=["last-reply", "two-replies", "first-message-and-one"],
)
def test_split_moves_the_chosen_messages_with_their_attachments(
    main_user, agent, replies, chosen, files_moving
):
    ticket = file_ticket(main_user, "Kaksi asiaa")
    fill(ticket, agent, replies=replies, files=replies, minutes=[])
    messages = list(ticket.messages.order_by("pk"))
    picked = [messages[index] for index in chosen]
    before = counts(ticket)

    new = split_ticket(
        ticket=ticket, message_ids=[m.pk for m in picked], subject="Toinen asia", actor=agent
    )

    assert counts(ticket, new) == before
    assert set(new.messages.all()) == set(picked)
    assert new.attachments.count() == files_moving
    assert (new.requester, new.organisation, new.category, new.team, new.subject) == (
        ticket.requester,
        ticket.organisation,
        ticket.category,
        ticket.team,
        "Toinen asia",
    )
    assert ticket.events.filter(kind=TicketEvent.Kind.SPLIT_OFF, new_value=new.number).exists()
    assert new.events.filter(kind=TicketEvent.Kind.SPLIT_FROM, old_value=ticket.number).exists()


@pytest.mark.parametrize(
    ("pick", "code"),
    [
        ("none", "split_no_messages"),
        ("all", "split_all_messages"),
        ("foreign", "split_unknown_message"),
    ],
)
def test_wrong_splits_are_refused(main_user, agent, pick, code):
    ticket = file_ticket(main_user, "A")
    fill(ticket, agent, replies=1, files=0, minutes=[])
    ids = {
        "none": lambda: [],
        "all": lambda: list(ticket.messages.values_list("pk", flat=True)),
        "foreign": lambda: [file_ticket(main_user, "B").messages.get().pk],
    }[pick]()
    with pytest.raises(SplitRefused) as caught:
        split_ticket(ticket=ticket, message_ids=ids, subject="", actor=agent)
    assert caught.value.code == code
    assert Ticket.objects.count() == (2 if pick == "foreign" else 1)

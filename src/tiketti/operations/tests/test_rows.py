"""`insert` and `update` write what `save()` would, and take the plain way
whenever only `save()` can do what is asked."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from tiketti.operations.rows import insert, update, update_all
from tiketti.tickets.models import Message, ThreadId, Ticket, TicketEvent

WHEN = datetime(2026, 11, 30, 8, 15, 30, 123456, tzinfo=UTC)


@pytest.fixture
def ticket(main_user):
    return Ticket.objects.create(
        number="AB-1", subject="Kassa", requester=main_user, organisation=main_user.organisation,
        channel=Ticket.Channel.EMAIL, created_at=WHEN, updated_at=WHEN,
    )  # fmt: skip


def _new_rows(ticket, user, number):
    """One new row of each model that intake writes, with every value set alike."""
    return [
        Ticket(
            number=f"AB-{number}",
            subject="Łódź ääkköset",
            requester=user,
            organisation=user.organisation,
            channel=Ticket.Channel.EMAIL,
            held_reason="not_main_user",
            first_response_due_at=WHEN,
            created_at=WHEN,
            updated_at=WHEN,
        ),
        Message(
            ticket=ticket, author=user, body_text="Hei", channel="email", message_id=f"<{number}@x>"
        ),
        TicketEvent(ticket=ticket, actor=None, kind=TicketEvent.Kind.MESSAGE, new_value="7"),
        ThreadId(ticket=ticket, message_id=f"<thread-{number}@x>", created_at=WHEN),
    ]


def _stored(row, *leave_out):
    values = type(row).objects.filter(pk=row.pk).values().get()
    return {key: value for key, value in values.items() if key not in ("id", *leave_out)}


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(4), ids=["ticket", "message", "event", "thread id"])
def test_insert_stores_the_row_save_would(ticket, main_user, index):
    saved = _new_rows(ticket, main_user, 2)[index]
    saved.save(force_insert=True)
    inserted = _new_rows(ticket, main_user, 3)[index]
    with CaptureQueriesContext(connection) as queries:
        insert(inserted)
    assert len(queries) == 1
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    differing = {"number", "message_id"}  # unique: made different on purpose
    if isinstance(inserted, Message | TicketEvent):  # default=timezone.now: a moment later
        differing.add("created_at")
        assert _stored(saved)["created_at"] <= _stored(inserted)["created_at"]
    assert _stored(inserted, *differing) == _stored(saved, *differing)


@pytest.mark.django_db
def test_a_conflicting_row_is_left_out_when_asked(ticket):
    insert(ThreadId(ticket=ticket, message_id="<same@x>"))
    again = ThreadId(ticket=ticket, message_id="<same@x>")
    insert(again, ignore_conflicts=True)
    assert again.pk is None
    assert ThreadId.objects.filter(message_id="<same@x>").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_insert_inside_a_transaction_marks_it_for_rollback(ticket):
    insert(ThreadId(ticket=ticket, message_id="<same@x>"))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(ThreadId(ticket=ticket, message_id="<same@x>"))
        assert transaction.get_connection().needs_rollback


@pytest.mark.django_db
def test_an_unsaved_related_row_is_refused_as_save_refuses_it(main_user):
    unsaved = Ticket(number="AB-9", requester=main_user, channel="email")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(TicketEvent(ticket=unsaved, kind=TicketEvent.Kind.CREATED))


@pytest.mark.django_db
def test_receivers_of_save_signals_still_hear_of_the_row(ticket):
    heard = []

    def hear(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(hear, sender=ThreadId)
    try:
        thread_id = ThreadId(ticket=ticket, message_id="<heard@x>")
        insert(thread_id)
    finally:
        post_save.disconnect(hear, sender=ThreadId)
    assert heard == [(thread_id.pk, True)]


@pytest.mark.django_db
def test_an_expression_value_is_left_to_save(ticket):
    event = TicketEvent(
        ticket=ticket, kind=TicketEvent.Kind.NOTE, new_value=Concat(Value("a"), Value("b"))
    )
    insert(event)
    assert TicketEvent.objects.get(pk=event.pk).new_value == "ab"


@pytest.mark.django_db
def test_a_row_with_its_key_set_is_inserted_with_that_key(ticket):
    event = TicketEvent(pk=4242, ticket=ticket, kind=TicketEvent.Kind.NOTE)
    with pytest.raises(ValueError, match="append-only"):  # the model's own rule, kept
        insert(event)
    thread_id = ThreadId(pk=4242, ticket=ticket, message_id="<keyed@x>")
    insert(thread_id)
    assert ThreadId.objects.get(pk=4242).message_id == "<keyed@x>"


@pytest.mark.django_db
def test_update_writes_the_named_fields_as_save_would(ticket, main_user):
    twin = Ticket.objects.create(
        number="AB-2", subject="Kassa", requester=main_user, organisation=main_user.organisation,
        channel=Ticket.Channel.EMAIL, created_at=WHEN, updated_at=WHEN,
    )  # fmt: skip
    later = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    fields = ["status", "sla_policy", "updated_at", "version"]
    for row in (ticket, twin):
        row.status, row.updated_at, row.version = Ticket.Status.OPEN, later, 5
        row.subject = "not written: not named"
    twin.save(update_fields=fields)
    with CaptureQueriesContext(connection) as queries:
        update(ticket, fields)
    assert len(queries) == 1
    assert _stored(ticket, "number") == _stored(twin, "number")
    assert _stored(ticket)["subject"] == "Kassa"
    assert _stored(ticket)["version"] == 5


@pytest.mark.django_db
def test_update_of_a_row_that_is_gone_raises_as_save_does(ticket):
    Ticket.objects.filter(pk=ticket.pk).delete()
    ticket.version = 2
    with pytest.raises(Ticket.NotUpdated):
        update(ticket, ["version"])


@pytest.mark.django_db
def test_update_of_a_name_that_is_no_field_is_refused_by_save(ticket):
    with pytest.raises(ValueError, match="do not exist"):
        update(ticket, ["no_such_field"])


@pytest.mark.django_db
def test_update_tells_receivers_of_save_signals(ticket):
    heard = []

    def hear(sender, instance, update_fields, **kwargs):
        heard.append(set(update_fields))

    post_save.connect(hear, sender=Ticket)
    try:
        update(ticket, ["version"])
    finally:
        post_save.disconnect(hear, sender=Ticket)
    assert heard == [{"version"}]


@pytest.mark.django_db
def test_a_related_row_saved_after_it_was_assigned_lends_its_key(main_user):
    """As with save(): a ticket assigned while new, then saved, gives the event its id."""
    ticket = Ticket(number="AB-60", subject="Uusi", requester=main_user, channel="email")
    event = TicketEvent(ticket=ticket, kind=TicketEvent.Kind.CREATED)
    thread_id = ThreadId(ticket=ticket, message_id="<later@x>")
    insert(ticket)
    insert(event)
    insert(thread_id, ignore_conflicts=True)  # not left out as a NULL row
    assert TicketEvent.objects.get(pk=event.pk).ticket_id == ticket.pk
    assert ThreadId.objects.get(message_id="<later@x>").ticket_id == ticket.pk


@pytest.mark.django_db
def test_update_names_a_field_once_however_it_is_named(ticket, agent):
    ticket.assignee, ticket.version = agent, 9
    update(ticket, ["assignee", "assignee_id", "version"])
    ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.version) == (agent.pk, 9)


@pytest.mark.django_db
def test_update_leaves_the_instance_stored_as_save_does(ticket, main_user):
    copy = Ticket(pk=ticket.pk, number=ticket.number, subject="Kassa 2", requester=main_user)
    update(copy, ["subject"])
    assert not copy._state.adding and copy._state.db == "default"
    assert Ticket.objects.get(pk=ticket.pk).subject == "Kassa 2"


@pytest.mark.django_db
def test_update_all_writes_several_rows_in_one_statement_and_misses_none(ticket, main_user):
    other = Ticket.objects.create(
        number="AB-3", subject="Lasku", requester=main_user, channel=Ticket.Channel.EMAIL
    )
    ticket.version, other.version = 7, 8
    with CaptureQueriesContext(connection) as queries:
        update_all([ticket, other], ["version"])
    assert len(queries) == 1
    assert dict(Ticket.objects.values_list("number", "version")) == {"AB-1": 7, "AB-3": 8}
    Ticket.objects.filter(pk=other.pk).delete()
    with pytest.raises(Ticket.NotUpdated):
        update_all([ticket, other], ["version"])

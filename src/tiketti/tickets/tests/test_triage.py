"""Request forms, priority from impact and urgency, out-of-scope answers: through the
intake service, as every channel files."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.calls import Call, log_call
from tiketti.tickets.errors import IntakeRefused
from tiketti.tickets.fields import FieldsInvalid, clean_answers
from tiketti.tickets.history import ticket_history
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import (
    CategoryField,
    CloseReason,
    PriorityMatrixEntry,
    ScopeAnswer,
    Ticket,
    TicketEvent,
)
from tiketti.tickets.triage import (
    DEFAULT_MATRIX,
    close_out_of_scope,
    matrix_priority,
    set_impact_and_urgency,
    update_field_answers,
)

Kind = CategoryField.Kind


@pytest.fixture
def error_report(category):
    """The `bug` category with an error report's questions."""
    specs = [
        ("doing", Kind.LONG_TEXT, True, ""),
        ("page_url", Kind.URL, True, ""),
        ("browser", Kind.TEXT, False, ""),
        ("kind", Kind.CHOICE, False, "sms | SMS | Tekstiviesti | SMS\ncourier | Courier"),
        ("topics", Kind.MULTI_CHOICE, False, "a | A\nb | B"),
        ("amount", Kind.NUMBER, False, ""),
        ("wanted_by", Kind.DATE, False, ""),
        ("screenshot", Kind.FILE, True, ""),
    ]
    for position, (name, kind, required, choices) in enumerate(specs):
        CategoryField.objects.create(
            category=category,
            name=name,
            kind=kind,
            is_required=required,
            choices=choices,
            position=position,
            label_en=name.replace("_", " ").capitalize(),
            label_fi=f"{name} (fi)",
        )
    return category


def request(requester=None, **fields):
    defaults = {"channel": "portal", "subject": "Kassa ei toimi", "body_text": "Virhe 500"}
    return IntakeRequest(requester=requester, **{**defaults, **fields})


SCREENSHOT = {"screenshot": [IncomingFile("kuva.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)]}


def problems_of(caught):
    return {problem.field: problem.code for problem in caught.value.problems}


@pytest.mark.parametrize("channel", ["portal", "api"])
def test_required_answers_are_asked_for_on_every_form_channel(main_user, error_report, channel):
    with pytest.raises(FieldsInvalid) as caught:
        submit_request(request(main_user, channel=channel, category_slug="bug"))
    assert problems_of(caught) == {
        "doing": "required",
        "page_url": "required",
        "screenshot": "required",
    }
    assert caught.value.status == 422 and caught.value.code == "invalid_fields"
    assert not Ticket.objects.exists()


def test_a_phone_call_must_answer_the_required_questions_but_a_file(agent, main_user, error_report):
    call = Call(notes="Kassa kaatuu", requester_email=main_user.email, category_slug="bug")
    with pytest.raises(FieldsInvalid) as caught:
        log_call(agent=agent, call=call)
    assert problems_of(caught) == {"doing": "required", "page_url": "required"}
    answered = Call(
        notes="Kassa kaatuu",
        requester_email=main_user.email,
        category_slug="bug",
        answers={"doing": "Maksoin", "page_url": "https://aurora.example/kassa"},
    )
    ticket = log_call(agent=agent, call=answered).created_ticket
    assert ticket.field_answers == {"doing": "Maksoin", "page_url": "https://aurora.example/kassa"}


def test_a_mail_without_answers_is_filed_and_staff_fill_them_in_later(
    main_user, agent, error_report
):
    ticket = submit_request(
        request(requester_email=main_user.email, channel="email", category_slug="bug")
    ).created_ticket
    assert ticket.field_answers == {}
    update_field_answers(
        ticket=ticket,
        actor=agent,
        raw={"doing": "Maksoin tilauksen", "kind": "sms", "amount": "12,50"},
        expected_version=ticket.version,
    )
    ticket.refresh_from_db()
    assert ticket.field_answers == {"doing": "Maksoin tilauksen", "kind": "sms", "amount": 12.5}
    lines = [line.text for line in ticket_history(ticket)]
    assert "answered “Doing”: Maksoin tilauksen" in lines
    assert "answered “Kind”: SMS" in lines
    assert ticket.events.filter(kind=TicketEvent.Kind.FIELD_ANSWER).count() == 3


def test_answers_are_stored_as_structured_data_with_the_files_attached(main_user, error_report):
    ticket = submit_request(
        request(
            main_user,
            category_slug="bug",
            fields={
                "doing": "  Maksoin  ",
                "page_url": "https://aurora.example/kassa",
                "topics": ["b", "a", "b"],
                "amount": "3",
                "wanted_by": "2026-12-24",
            },
            field_files=SCREENSHOT,
        )
    ).created_ticket
    assert ticket.field_answers == {
        "doing": "Maksoin",
        "page_url": "https://aurora.example/kassa",
        "topics": ["b", "a"],
        "amount": 3,
        "wanted_by": "2026-12-24",
        "screenshot": ["kuva.png"],
    }
    assert ticket.attachments.get().filename == "kuva.png"


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("page_url", "not an address", "invalid"),
        ("page_url", "ftp://aurora.example/", "invalid"),
        ("kind", "fax", "invalid"),
        ("topics", ["a", "z"], "invalid"),
        ("topics", [1], "invalid"),
        ("amount", "lots", "invalid"),
        ("amount", True, "invalid"),
        ("amount", "NaN", "invalid"),
        ("wanted_by", "24.12.2026", "invalid"),
        ("doing", 5, "invalid"),
        ("doing", "x" * 20001, "invalid"),
        ("colour", "blue", "unknown_field"),
        ("screenshot", "missing.png", "invalid"),
    ],
)
def test_wrong_answers_are_refused_naming_the_field(error_report, name, value, code):
    fields = list(error_report.form_fields.all())
    raw = {"doing": "x", "page_url": "https://a.example/", "screenshot": "shot.png", name: value}
    with pytest.raises(FieldsInvalid) as caught:
        clean_answers(fields, raw, attached=["shot.png"])
    assert problems_of(caught) == {name: code}


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("kind", "courier", "courier"),
        ("topics", "a", ["a"]),
        ("amount", 7, 7),
        ("amount", "1 000,5", 1000.5),
        ("wanted_by", "2026-01-05", "2026-01-05"),
        ("browser", "  ", None),
        ("screenshot", ["shot.png"], ["shot.png"]),
    ],
)
def test_answers_are_stored_in_their_type(error_report, name, value, stored):
    fields = list(error_report.form_fields.all())
    raw = {"doing": "x", "page_url": "https://a.example/", "screenshot": "shot.png", name: value}
    answers = clean_answers(fields, raw, attached=["shot.png"])
    assert answers.get(name) == stored


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [
        ("blocks_all", "high", "urgent"),
        ("blocks_all", "medium", "high"),
        ("blocks_all", "low", "high"),
        ("blocks_part", "high", "high"),
        ("blocks_part", "medium", "normal"),
        ("blocks_part", "low", "normal"),
        ("no_block", "high", "normal"),
        ("no_block", "medium", "normal"),
        ("no_block", "low", "low"),
        ("blocks_all", "", "high"),  # unknown urgency counts as "within days"
        ("", "high", "normal"),  # unknown impact counts as "no block"
        ("", "", "normal"),
    ],
)
def test_the_default_matrix_maps_impact_and_urgency_to_priority(impact, urgency, priority):
    assert matrix_priority(DEFAULT_MATRIX, impact, urgency) == priority


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [("blocks_all", "high", "urgent"), ("blocks_part", "high", "high"), ("no_block", "low", "low")],
)
def test_a_customers_impact_and_urgency_set_the_priority(main_user, impact, urgency, priority):
    ticket = submit_request(request(main_user, impact=impact, urgency=urgency)).created_ticket
    assert (ticket.impact, ticket.urgency, ticket.priority) == (impact, urgency, priority)
    assert ticket.priority_rank == Ticket.PRIORITY_RANK[priority]


def test_the_admins_matrix_decides(main_user):
    assert PriorityMatrixEntry.objects.count() == 9  # the default, from the migration
    PriorityMatrixEntry.objects.filter(impact="no_block", urgency="low").update(priority="high")
    ticket = submit_request(request(main_user, impact="no_block", urgency="low")).created_ticket
    assert ticket.priority == "high"


def test_an_unknown_impact_is_refused(main_user):
    with pytest.raises(Exception) as caught:
        submit_request(request(main_user, impact="everything"))
    assert getattr(caught.value, "code", "") == "unknown_impact"


@pytest.mark.parametrize("channel", ["portal", "api", "widget"])
def test_customers_cannot_set_the_priority(main_user, channel):
    with pytest.raises(IntakeRefused) as caught:
        submit_request(request(main_user, channel=channel, priority="urgent"))
    assert caught.value.code == "priority_staff_only"
    assert not Ticket.objects.exists()


def test_staff_may_set_the_priority_for_a_customer(main_user, agent):
    ticket = submit_request(
        request(requester_email=main_user.email, submitted_by=agent, priority="urgent")
    ).created_ticket
    assert ticket.priority == "urgent"


def test_staff_correct_the_urgency_and_the_priority_follows(main_user, agent):
    ticket = submit_request(request(main_user, impact="no_block", urgency="low")).created_ticket
    assert ticket.priority == "low"
    ticket = set_impact_and_urgency(ticket=ticket, actor=agent, impact="blocks_all", urgency="high")
    ticket.refresh_from_db()
    assert (ticket.impact, ticket.urgency, ticket.priority) == ("blocks_all", "high", "urgent")
    lines = [line.text for line in ticket_history(ticket)]
    assert "changed the impact from “I can work normally” to “I cannot use the system at all”" in (
        lines
    )
    assert "changed the priority from “low” to “urgent”" in lines


@pytest.fixture
def own_setup(category):
    answer = ScopeAnswer.objects.create(
        title_en="Your own computers",
        text_en="Please contact your own IT support.",
        text_fi="Ottakaa yhteyttä omaan IT-tukeenne.",
        text_pl="Prosimy o kontakt z własnym działem IT.",
    )
    category.is_out_of_scope = True
    category.scope_answer = answer
    category.save()
    return answer


@pytest.mark.parametrize(
    ("requester", "expected"),
    [
        ("main_user", "Ottakaa yhteyttä omaan IT-tukeenne."),
        ("stranger", "Prosimy o kontakt z własnym działem IT."),
    ],
)
def test_out_of_scope_request_is_answered_in_the_requesters_language_and_closed(
    request_fixture, own_setup, django_capture_on_commit_callbacks, requester, expected
):
    person = request_fixture(requester)
    with django_capture_on_commit_callbacks(execute=True):
        result = submit_request(request(person, category_slug="bug"))
    ticket = result.created_ticket
    assert result.reason == "out_of_scope"
    assert ticket.status == Ticket.Status.CLOSED
    assert ticket.close_reason == CloseReason.OUT_OF_SCOPE
    assert [email.to for email in mail.outbox] == [[person.email]]  # no acknowledgement
    assert expected in mail.outbox[0].body
    assert ticket.events.filter(kind=TicketEvent.Kind.OUT_OF_SCOPE, actor=None).exists()


@pytest.fixture
def request_fixture(request):
    return request.getfixturevalue


def test_staff_answer_any_ticket_as_out_of_scope(
    main_user, agent, own_setup, django_capture_on_commit_callbacks
):
    ticket = submit_request(request(main_user)).created_ticket
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        close_out_of_scope(ticket=ticket, actor=agent, answer=own_setup)
    ticket.refresh_from_db()
    assert ticket.is_closed and ticket.close_reason == "out_of_scope"
    assert "Ottakaa yhteyttä omaan IT-tukeenne." in mail.outbox[0].body
    customer_lines = [line.text for line in ticket_history(ticket, for_customer=True)]
    assert (
        "answered that the request is outside the support service (“Your own computers”) "
        "and closed it" in customer_lines
    )


def test_customers_cannot_close_as_out_of_scope(main_user, own_setup):
    ticket = submit_request(request(main_user)).created_ticket
    with pytest.raises(Exception) as caught:
        close_out_of_scope(ticket=ticket, actor=main_user, answer=own_setup)
    assert getattr(caught.value, "code", "") == "forbidden"


def test_the_queue_puts_priority_first_then_paid_priority_then_sla_time_left(main_user, agent):
    def filed(subject, **changes):
        ticket = submit_request(request(main_user, subject=subject)).created_ticket
        Ticket.objects.filter(pk=ticket.pk).update(**changes)
        return ticket

    now = timezone.now()
    filed("normal, later", resolution_due_at=now + timedelta(days=3))
    filed("normal, sooner", resolution_due_at=now + timedelta(hours=2))
    filed("normal, no SLA", resolution_due_at=None)
    filed("normal, paid", is_paid_priority=True, resolution_due_at=now + timedelta(days=5))
    filed("urgent", priority="urgent", priority_rank=3, resolution_due_at=now + timedelta(days=9))
    filed("high", priority="high", priority_rank=2)
    order = list(Ticket.objects.in_queue_order().values_list("subject", flat=True))
    assert order == [
        "urgent",
        "high",
        "normal, paid",
        "normal, sooner",
        "normal, later",
        "normal, no SLA",
    ]

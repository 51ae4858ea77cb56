"""The new-request page asks the chosen category's questions, with or without JavaScript."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiketti.tickets.models import CategoryField, ScopeAnswer, Ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"
)


@pytest.fixture
def error_report(category):
    fields = [
        ("doing", "long_text", True, ""),
        ("operating_system", "text", False, "operating_system"),
        ("browser", "text", False, "browser"),
        ("screenshot", "file", False, ""),
    ]
    for position, (name, kind, required, prefill) in enumerate(fields):
        CategoryField.objects.create(
            category=category,
            name=name,
            kind=kind,
            is_required=required,
            prefill=prefill,
            position=position,
            label_en=name,
            label_fi={"doing": "Mitä olitte tekemässä?"}.get(name, name),
        )
    return category


@pytest.fixture
def customer(client, main_user):
    client.force_login(main_user)
    return client


def test_the_chosen_categorys_questions_are_pre_filled_from_the_browser(customer, error_report):
    response = customer.get(
        reverse("portal:ticket-new"),
        {"category": error_report.pk},
        headers={"user-agent": WINDOWS_EDGE},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["q_operating_system"].value() == "Windows 10"
    assert form["q_browser"].value() == "Edge 131"
    assert "Mitä olitte tekemässä?" in response.text  # the requester's language
    assert 'name="q_doing"' in response.text and "required" in str(form["q_doing"])


def test_choosing_a_category_with_htmx_brings_only_its_questions(customer, error_report):
    response = customer.get(
        reverse("portal:ticket-new"), {"category": error_report.pk}, headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="category-questions"')
    assert 'name="q_doing"' in response.text and "<html" not in response.text


def test_without_javascript_a_button_shows_the_questions_keeping_what_was_typed(
    customer, error_report
):
    response = customer.post(
        reverse("portal:ticket-new"),
        {"subject": "Kassa ei toimi", "category": error_report.pk, "show_questions": "1"},
    )
    assert response.status_code == 200
    assert 'name="q_doing"' in response.text
    assert 'value="Kassa ei toimi"' in response.text
    assert not response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_missing_required_answer_is_shown_next_to_its_question(customer, error_report):
    response = customer.post(
        reverse("portal:ticket-new"),
        {"subject": "Kassa", "category": error_report.pk, "description": "Virhe"},
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["q_doing"]
    assert "Mitä olitte tekemässä?" in error  # the question, named in the requester’s words
    assert not Ticket.objects.exists()


def test_the_answers_are_filed_and_shown_as_a_table(customer, error_report):
    response = customer.post(
        reverse("portal:ticket-new"),
        {
            "subject": "Kassa ei toimi",
            "category": error_report.pk,
            "description": "Virhe 500",
            "q_doing": "Maksoin tilauksen",
            "q_operating_system": "Windows 11",
            "q_screenshot": [SimpleUploadedFile("kuva.png", PNG, "image/png")],
            "impact": "blocks_part",
            "urgency": "high",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.field_answers == {
        "doing": "Maksoin tilauksen",
        "operating_system": "Windows 11",
        "screenshot": ["kuva.png"],
    }
    assert ticket.priority == "high"
    assert ticket.attachments.get().filename == "kuva.png"
    page = customer.get(reverse("portal:ticket-detail", args=[ticket.number])).text
    assert '<th scope="row">Mitä olitte tekemässä?</th><td>Maksoin tilauksen</td>' in page


def test_an_out_of_scope_request_is_answered_at_once(customer, category):
    category.is_out_of_scope = True
    category.scope_answer = ScopeAnswer.objects.create(
        title_en="Hosting", text_en="Ask your host.", text_fi="Kysykää palveluntarjoajaltanne."
    )
    category.save()
    response = customer.post(
        reverse("portal:ticket-new"),
        {"subject": "Palvelin", "category": category.pk, "description": "Hidas"},
        follow=True,
    )
    ticket = Ticket.objects.get()
    assert ticket.is_closed and ticket.close_reason == "out_of_scope"
    assert "Kysykää palveluntarjoajaltanne." in response.text

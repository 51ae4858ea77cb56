"""Reason codes in words for staff; the codes themselves stay for logs and the CLI."""

import pytest
from django.utils import translation

from tiketti.mail.models import InboundMessage
from tiketti.mail.reasons import REASON_LABELS, describe_for_staff, reason_label

Status = InboundMessage.Status


@pytest.mark.parametrize(
    ("reason", "fi", "pl"),
    [
        ("unknown_requester", "tuntematon lähettäjä", "nieznany nadawca"),
        (
            "held not_main_user",
            "lähettäjä ei ole pääkäyttäjä",
            "nadawca nie jest użytkownikiem głównym",
        ),
        ("auto-reply", "automaattinen vastaus", "automatyczna odpowiedź"),
        (
            "discarded by sanna@tiketti.example",
            "hylännyt sanna@tiketti.example",
            "odrzucone przez sanna@tiketti.example",
        ),
        ("some_new_code", "some_new_code", "some_new_code"),  # unknown: the code itself
    ],
)
def test_reason_labels_are_translated(reason, fi, pl):
    with translation.override("fi"):
        assert reason_label(reason) == fi
    with translation.override("pl"):
        assert reason_label(reason) == pl


def test_every_label_has_finnish_and_polish():
    for code, label in REASON_LABELS.items():
        english = str(label)
        for language in ("fi", "pl"):
            with translation.override(language):
                assert str(label) != english, (code, language)


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (Status.HELD, "sender_not_on_ticket", "pysäytetty – lähettäjä ei ole osallisena tiketissä"),
        (Status.DROPPED, "bounce", "hylätty – ilmoitus toimituksen epäonnistumisesta"),
        (Status.FAILED, "processing-failed", "käsittely epäonnistui – vaatii ylläpitäjän toimia"),
        (Status.STORED, "", "odottaa käsittelyä"),
    ],
)
def test_outcomes_without_a_ticket_in_words(status, reason, expected):
    with translation.override("fi"):
        assert describe_for_staff(InboundMessage(status=status, reason=reason)) == expected

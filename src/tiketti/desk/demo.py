"""The demo's macros and a shared queue view (`tiketti demo-data`)."""

from __future__ import annotations

from tiketti.knowledge.models import Article
from tiketti.tickets.models import Ticket

from .models import Macro, SavedView

MACROS = [
    {
        "name": "Password help",
        "name_translations": {"fi": "Salasanaohje", "pl": "Pomoc z hasłem"},
        "body_en": (
            "Hello {requester_name},\n\nyou can set a new password yourself: {articles}\n\n"
            "If the link does not arrive, reply to this message.\n\nBest regards,\n{agent_name}"
        ),
        "body_fi": (
            "Hei {requester_name},\n\nvoit vaihtaa salasanan itse: {articles}\n\n"
            "Jos linkki ei tule perille, vastaa tähän viestiin.\n\nYstävällisin terveisin\n"
            "{agent_name}"
        ),
        "body_pl": (
            "Dzień dobry {requester_name},\n\nnowe hasło można ustawić samodzielnie: "
            "{articles}\n\nJeśli link nie dotrze, prosimy odpowiedzieć na tę wiadomość.\n\n"
            "Z poważaniem\n{agent_name}"
        ),
        "status": Ticket.Status.WAITING,
        "articles": ["forgotten-password", "changing-your-password"],
    },
    {
        "name": "Ask for details",
        "name_translations": {"fi": "Pyydä lisätietoja", "pl": "Prośba o szczegóły"},
        "body_en": (
            "Hello {requester_name},\n\nthank you for your request {ticket_number}. Could you "
            "send a screenshot of the error and tell us when it started?\n\n{agent_name}"
        ),
        "body_fi": (
            "Hei {requester_name},\n\nkiitos pyynnöstäsi {ticket_number}. Voisitko lähettää "
            "kuvakaappauksen virheestä ja kertoa, milloin se alkoi?\n\n{agent_name}"
        ),
        "body_pl": (
            "Dzień dobry {requester_name},\n\ndziękujemy za zgłoszenie {ticket_number}. Czy "
            "mogą Państwo przesłać zrzut ekranu błędu i napisać, kiedy się pojawił?\n\n"
            "{agent_name}"
        ),
        "status": Ticket.Status.WAITING,
    },
]


def load_demo_macros() -> None:
    for position, fields in enumerate(MACROS):
        data = dict(fields)
        slugs = data.pop("articles", [])
        macro = Macro.objects.create(position=position, **data)
        macro.articles.set(Article.objects.filter(slug__in=slugs))
    SavedView.objects.create(
        name="Urgent",
        name_translations={"fi": "Kiireelliset", "pl": "Pilne"},
        filters={"priority": Ticket.Priority.URGENT},
    )

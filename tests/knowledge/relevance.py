"""The relevance test set: what customers type, and the demo article that answers it.

Written as customers write: paraphrases that share few words with the title, inflected
forms (Finnish cases and compounds, Polish cases, English plurals and verb forms), small
typos, missing diacritics, and questions still being typed. Each query names the one
article that answers it best. Used by tests/knowledge/test_relevance.py (asserts the
targets) and `make bench` (prints the figures).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

RECALL_AT = 3
TARGET_RECALL = 0.9


def search(case: Case) -> list[str]:
    """The slugs the help center finds for a case, best first (as a visitor sees them)."""
    from django.contrib.auth.models import AnonymousUser

    from tiketti.knowledge.services import find_articles

    found = find_articles(
        text=case.query,
        language=case.language,
        user=AnonymousUser(),
        limit=10,
        typing=case.kind == "partial",
    )
    return [suggestion.article.slug for suggestion in found]


@dataclass(frozen=True)
class Case:
    language: str
    query: str
    expected: str  # the slug of the article that answers it
    kind: str  # paraphrase, inflection, compound, typo, diacritics, partial


CASES = [
    # -- Finnish ---------------------------------------------------------------------------
    Case("fi", "salasanan vaihtaminen", "changing-your-password", "inflection"),
    Case("fi", "miten vaihdan salasanani", "changing-your-password", "inflection"),
    Case("fi", "salasananvaihto", "changing-your-password", "compound"),
    Case("fi", "unohdin salasanan en pääse kirjautumaan", "forgotten-password", "paraphrase"),
    Case("fi", "salsana unohtunut", "forgotten-password", "typo"),
    Case("fi", "tunnus lukittu liian monta yritystä", "forgotten-password", "paraphrase"),
    Case("fi", "kaksivaiheinen tunnistus", "two-step-verification", "inflection"),
    Case("fi", "uuden käyttäjän lisääminen", "adding-users", "inflection"),
    Case("fi", "mistä löydän laskut", "your-invoices", "inflection"),
    Case("fi", "laskutusosoitteen muutos", "your-invoices", "compound"),
    Case("fi", "alennuskoodin tekeminen", "creating-a-discount-code", "inflection"),
    Case("fi", "kuponki ei toimi", "creating-a-discount-code", "paraphrase"),
    Case("fi", "asiakkaat ei pysty maksamaan", "customers-cannot-pay", "inflection"),
    Case("fi", "kassalla virhe 500", "customers-cannot-pay", "paraphrase"),
    Case("fi", "inpost tarrat", "inpost-shipping-labels", "inflection"),
    Case("fi", "postin noutopisteet ei näy", "posti-shipping-methods", "inflection"),
    Case("fi", "rahojen palauttaminen asiakkaalle", "refunding-an-order", "inflection"),
    Case("fi", "tuotteiden tuominen csv", "importing-products-from-csv", "inflection"),
    Case("fi", "tilausvahvistus ei tule asiakkaalle", "order-emails-not-arriving", "compound"),
    Case("fi", "lisäosien päivitys", "updating-wordpress-and-plugins", "inflection"),
    Case("fi", "sivusto kaatunut", "site-is-down", "paraphrase"),
    Case("fi", "jäsenluettelon vienti exceliin", "exporting-members-to-excel", "compound"),
    Case("fi", "jäsenmaksulaskut jumissa", "membership-fee-invoices", "compound"),
    Case("fi", "tekstiviestin lähetys jäsenille", "sending-text-messages", "inflection"),
    Case("fi", "tekstiviestejen lähetys", "sending-text-messages", "typo"),
    Case("fi", "sähköposti palautuu jäsenelle", "bounced-emails-blocked-addresses", "inflection"),
    Case("fi", "hyvityslaskun tekeminen", "correcting-a-sent-invoice", "compound"),
    Case("fi", "tiliotteen tuonti odooseen", "importing-bank-statements", "inflection"),
    Case("fi", "varastosaldo väärin", "inventory-adjustments", "compound"),
    Case("fi", "sovellus ilman kenttää", "working-offline", "paraphrase"),
    Case("fi", "henkilötunnusten lähettäminen", "sending-personal-data-safely", "compound"),
    Case("fi", "tuen aukiolo", "support-hours-and-response-times", "compound"),
    Case("fi", "salasanan vai", "changing-your-password", "partial"),
    Case("fi", "alennuskodi", "creating-a-discount-code", "typo"),
    Case("fi", "tekstivesti", "sending-text-messages", "typo"),
    # -- Polish ----------------------------------------------------------------------------
    Case("pl", "jak zmienić hasło", "changing-your-password", "inflection"),
    Case("pl", "zmiana hasla", "changing-your-password", "diacritics"),
    Case("pl", "zapomniałem hasła", "forgotten-password", "inflection"),
    Case("pl", "konto zablokowane po próbach logowania", "forgotten-password", "paraphrase"),
    Case("pl", "kod z aplikacji przy logowaniu", "two-step-verification", "paraphrase"),
    Case("pl", "dodać nowego użytkownika", "adding-users", "inflection"),
    Case("pl", "duplikat faktury", "your-invoices", "paraphrase"),
    Case("pl", "kody rabatowe", "creating-a-discount-code", "inflection"),
    Case("pl", "kupon nie dziala", "creating-a-discount-code", "diacritics"),
    Case("pl", "klient nie może zapłacić", "customers-cannot-pay", "inflection"),
    Case("pl", "etykiety inpost brak autoryzacji", "inpost-shipping-labels", "paraphrase"),
    Case("pl", "paczkomat nie znaleziony", "inpost-shipping-labels", "inflection"),
    Case("pl", "zwrot pieniędzy klientowi", "refunding-an-order", "inflection"),
    Case("pl", "importowanie produktów", "importing-products-from-csv", "inflection"),
    Case(
        "pl",
        "klienci nie dostają potwierdzenia zamówienia",
        "order-emails-not-arriving",
        "inflection",
    ),
    Case("pl", "aktualizacja wtyczek", "updating-wordpress-and-plugins", "inflection"),
    Case("pl", "strona nie dziala biała strona", "site-is-down", "diacritics"),
    Case("pl", "eksportowanie członków do excel", "exporting-members-to-excel", "inflection"),
    Case("pl", "faktury za składki", "membership-fee-invoices", "inflection"),
    Case("pl", "wysyłka smsów do członków", "sending-text-messages", "inflection"),
    Case("pl", "zablokowany adres email", "bounced-emails-blocked-addresses", "inflection"),
    Case("pl", "faktura korygujaca", "correcting-a-sent-invoice", "diacritics"),
    Case("pl", "wyciągi z banku", "importing-bank-statements", "inflection"),
    Case("pl", "inwentaryzacja magazynu", "inventory-adjustments", "inflection"),
    Case("pl", "przydzielić zlecenie serwisantowi", "assigning-work-orders", "inflection"),
    Case("pl", "godziny pracy wsparcia", "support-hours-and-response-times", "inflection"),
    Case("pl", "wysylanie danych osobowych", "sending-personal-data-safely", "diacritics"),
    Case("pl", "zgłoszenie priorytetowe koszt", "priority-requests", "inflection"),
    Case("pl", "etykiety inpo", "inpost-shipping-labels", "partial"),
    Case("pl", "etykiety inpsot", "inpost-shipping-labels", "typo"),
    Case("pl", "wyciagi bakowe", "importing-bank-statements", "typo"),
    # -- English ---------------------------------------------------------------------------
    Case("en", "how do I change my password", "changing-your-password", "inflection"),
    Case("en", "forgot password", "forgotten-password", "inflection"),
    Case("en", "pasword reset", "forgotten-password", "typo"),
    Case("en", "authenticator app codes", "two-step-verification", "inflection"),
    Case("en", "add new users", "adding-users", "inflection"),
    Case("en", "where are my invoices", "your-invoices", "inflection"),
    Case("en", "change billing adress", "your-invoices", "typo"),
    Case("en", "coupon codes", "creating-a-discount-code", "inflection"),
    Case("en", "discount code expired", "creating-a-discount-code", "paraphrase"),
    Case("en", "payment failing at checkout", "customers-cannot-pay", "inflection"),
    Case("en", "orders stuck pending payment", "customers-cannot-pay", "paraphrase"),
    Case("en", "inpost label unauthorized", "inpost-shipping-labels", "inflection"),
    Case("en", "pickup points posti", "posti-shipping-methods", "inflection"),
    Case("en", "refund a customer", "refunding-an-order", "inflection"),
    Case("en", "bulk import products spreadsheet", "importing-products-from-csv", "paraphrase"),
    Case(
        "en",
        "customers not receiving order confirmations",
        "order-emails-not-arriving",
        "inflection",
    ),
    Case("en", "updating plugins", "updating-wordpress-and-plugins", "inflection"),
    Case("en", "add page to menu", "editing-pages-and-menus", "inflection"),
    Case("en", "website down database connection error", "site-is-down", "paraphrase"),
    Case("en", "export member list to excel", "exporting-members-to-excel", "inflection"),
    Case("en", "membership fee invoicing", "membership-fee-invoices", "inflection"),
    Case("en", "send sms to members", "sending-text-messages", "paraphrase"),
    Case("en", "emails bouncing", "bounced-emails-blocked-addresses", "inflection"),
    Case("en", "credit note for wrong invoice", "correcting-a-sent-invoice", "paraphrase"),
    Case("en", "bank statment import", "importing-bank-statements", "typo"),
    Case("en", "stock count doesn't match", "inventory-adjustments", "paraphrase"),
    Case("en", "technicians working without signal", "working-offline", "paraphrase"),
    Case("en", "dispatch work orders", "assigning-work-orders", "inflection"),
    Case("en", "saved search report criteria", "saved-searches-and-reports", "inflection"),
    Case("en", "what does priority cost", "priority-requests", "paraphrase"),
    Case("en", "video tour of the shop admin", "shop-admin-video-tour", "paraphrase"),
    Case("en", "sending personal data securely", "sending-personal-data-safely", "inflection"),
    Case("en", "export memb", "exporting-members-to-excel", "partial"),
    Case("en", "invocies", "your-invoices", "typo"),
    Case("en", "refnud order", "refunding-an-order", "typo"),
    Case("en", "cupon", "creating-a-discount-code", "typo"),
]


@dataclass(frozen=True)
class Figures:
    count: int
    recall: float
    mrr: float
    misses: list[tuple[Case, list[str]]]


def evaluate(
    cases: Sequence[Case], search: Callable[[Case], list[str]], *, at: int = RECALL_AT
) -> Figures:
    """recall@`at` (share of queries whose expected article is in the top `at`) and MRR
    (mean of 1/rank of the expected article, 0 when it is not among the results)."""
    found = 0
    reciprocal = 0.0
    misses = []
    for case in cases:
        slugs = search(case)
        if case.expected in slugs:
            rank = slugs.index(case.expected) + 1
            reciprocal += 1 / rank
            found += rank <= at
        if case.expected not in slugs[:at]:
            misses.append((case, slugs[:at]))
    return Figures(len(cases), found / len(cases), reciprocal / len(cases), misses)

import datetime

import pytest

from tiketti.contracts.models import Contract, Plan
from tiketti.knowledge.tests.factories import ArticleFactory

PASSWORD_TEXTS = {
    "fi": ("Salasanan vaihto", "Avaa Oma tili ja vaihda salasana kohdassa Tietoturva."),
    "pl": ("Zmiana hasła", "Otwórz Moje konto i zmień hasło w sekcji Bezpieczeństwo."),
    "en": ("Changing your password", "Open My account and change the password under Security."),
}
INVOICE_TEXTS = {
    "fi": ("Laskujen löytäminen", "Kaikki laskut löytyvät kohdasta Oma tili → Laskut."),
    "en": ("Finding your invoices", "All invoices are under My account → Invoices."),
}


@pytest.fixture
def password_article(db):
    return ArticleFactory(slug="changing-your-password", texts=PASSWORD_TEXTS)


@pytest.fixture
def invoice_article(db):
    """Only in Finnish and English: Polish readers get the English text."""
    return ArticleFactory(slug="your-invoices", texts=INVOICE_TEXTS)


@pytest.fixture
def internal_article(db):
    return ArticleFactory(
        slug="password-reset-runbook",
        internal=True,
        texts={"en": ("Internal: resetting a password by hand", "Staff only: password steps.")},
    )


@pytest.fixture
def draft_article(db):
    return ArticleFactory(
        slug="password-policy-draft",
        draft=True,
        texts={"en": ("Draft: new password policy", "Passwords will need 14 characters.")},
    )


@pytest.fixture
def customer(main_user):
    """Maija (main user, Finnish), her organisation under a support contract so that she
    may file requests."""
    plan, _ = Plan.objects.get_or_create(
        name="Help-center tests", defaults={"monthly_support_minutes": 60}
    )
    Contract.objects.get_or_create(
        organisation=main_user.organisation,
        defaults={"plan": plan, "starts_on": datetime.date(2020, 1, 1)},
    )
    return main_user

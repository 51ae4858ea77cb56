"""Search, suggestions and records on a real database (SQLite FTS5 or PostgreSQL)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from tiketti.knowledge import index, services
from tiketti.knowledge.errors import ArticleRefused
from tiketti.knowledge.models import (
    Article,
    ArticleTranslation,
    Deflection,
    SearchDocument,
    SearchLog,
    TicketSuggestion,
)
from tiketti.knowledge.services import TranslationInput
from tiketti.knowledge.tests.factories import ArticleFactory, SectionFactory
from tiketti.tickets.intake import IntakeRequest, submit_request

ANONYMOUS = AnonymousUser()


def slugs(found):
    return [item.article.slug for item in found]


def find(text, language="en", user=ANONYMOUS, **kwargs):
    return slugs(services.find_articles(text=text, language=language, user=user, **kwargs))


def test_finnish_inflected_question_finds_the_article(password_article, invoice_article):
    assert find("salasanan vaihtaminen", "fi") == ["changing-your-password"]


def test_polish_and_english_questions_find_the_article(password_article, invoice_article):
    assert find("jak zmienić hasło", "pl")[0] == "changing-your-password"
    assert find("where are my invoices", "en")[0] == "your-invoices"


def test_typo_still_finds_the_article(password_article, invoice_article):
    assert find("pasword", "en")[0] == "changing-your-password"
    assert find("invocies", "en")[0] == "your-invoices"


def test_title_match_ranks_above_body_match(db):
    ArticleFactory(slug="body", texts={"en": ("Shipping", "Check the invoice total first.")})
    ArticleFactory(slug="title", texts={"en": ("Invoice copies", "Download a copy.")})
    assert find("invoice") == ["title", "body"]


def test_missing_translation_is_served_in_english(invoice_article):
    found = services.find_articles(text="invoices", language="pl", user=ANONYMOUS)
    assert [item.article.slug for item in found] == ["your-invoices"]
    assert found[0].is_fallback and found[0].translation.language == "en"


def test_customers_never_find_internal_or_draft_articles(
    password_article, internal_article, draft_article, main_user
):
    for user in (ANONYMOUS, main_user):
        assert find("password", user=user) == ["changing-your-password"]


def test_staff_find_internal_articles_but_not_drafts(
    password_article, internal_article, draft_article, agent
):
    assert set(find("password", user=agent)) == {"changing-your-password", "password-reset-runbook"}


def test_unpublishing_removes_the_article_from_search(password_article):
    password_article.status = Article.Status.DRAFT
    password_article.save()
    assert find("password") == []
    assert not SearchDocument.objects.exists()


def test_editing_a_translation_reindexes(password_article):
    translation = password_article.translations.get(language="en")
    translation.title = "Changing your passphrase"
    translation.save()
    assert find("passphrase") == ["changing-your-password"]


def test_deleting_an_article_removes_its_documents(password_article):
    password_article.delete()
    assert not SearchDocument.objects.exists()
    assert find("password") == []


def test_each_served_language_has_one_document(invoice_article):
    documents = SearchDocument.objects.filter(article=invoice_article)
    assert sorted(documents.values_list("language", "source_language")) == [
        ("en", "en"),
        ("fi", "fi"),
        ("pl", "en"),
    ]


def test_rebuild_index_recreates_documents(password_article, invoice_article):
    SearchDocument.objects.all().delete()
    assert index.rebuild_index() == 6
    assert find("salasana", "fi") == ["changing-your-password"]


def test_vocabulary_cache_follows_index_changes(password_article):
    assert "passphras" not in index.load_vocabulary("en")
    ArticleFactory(texts={"en": ("Passphrases", "Long passphrases are good.")})
    assert "passphras" in index.load_vocabulary("en")


def test_assistant_finds_articles_while_the_last_word_is_typed(password_article):
    found = services.suggest_while_typing(
        subject="change passw", description="", language="en", user=ANONYMOUS
    )
    assert slugs(found) == ["changing-your-password"]


def test_help_center_search_is_logged_without_the_person(password_article, main_user):
    services.search_help_center(text="password", language="en", user=main_user)
    services.search_help_center(text="refund  policy", language="fi", user=main_user)
    logged = list(SearchLog.objects.order_by("created_at").values_list("query", "result_count"))
    assert logged == [("password", 1), ("refund policy", 0)]


def test_unanswered_searches_are_grouped_most_frequent_first(db):
    for text in ["Refund policy", "refund policy", "Gift cards"]:
        services.log_search(text=text, language="en", source="help_center", result_count=0)
    services.log_search(text="password", language="en", source="help_center", result_count=3)
    rows = services.unanswered_searches(since=timezone.now() - timedelta(days=1))
    assert [(row.count, row.query.lower()) for row in rows] == [
        (2, "refund policy"),
        (1, "gift cards"),
    ]


def test_deflection_is_recorded(password_article, main_user):
    services.record_deflection(
        article=password_article,
        user=main_user,
        language="fi",
        channel="portal",
        query="salasana",
    )
    deflection = Deflection.objects.get()
    assert (deflection.user, deflection.channel, deflection.query) == (
        main_user,
        "portal",
        "salasana",
    )


def test_shown_suggestions_are_recorded_with_the_ticket_public_ones_only(
    password_article, invoice_article, internal_article, customer, category
):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=customer, subject="Salasana", body_text="x")
    ).created_ticket
    ids = [invoice_article.pk, internal_article.pk, password_article.pk, 999999]
    services.record_shown_suggestions(ticket=ticket, article_ids=ids, query="Salasana")
    rows = TicketSuggestion.objects.filter(ticket=ticket).order_by("position")
    assert [row.article for row in rows] == [invoice_article, password_article]
    assert SearchLog.objects.get().source == SearchLog.Source.ASSISTANT


def test_nothing_shown_logs_the_subject_as_an_unanswered_search(customer, category):
    ticket = submit_request(
        IntakeRequest(channel="portal", requester=customer, subject="Lahjakortit", body_text="x")
    ).created_ticket
    services.record_shown_suggestions(ticket=ticket, article_ids=[])
    assert SearchLog.objects.get().result_count == 0


def test_staff_suggestions_come_from_the_ticket_in_the_requesters_language(
    password_article, invoice_article, customer, agent
):
    ticket = submit_request(
        IntakeRequest(
            channel="portal",
            requester=customer,
            subject="En pääse kirjautumaan",
            body_text="Miten vaihdan salasanan?",
        )
    ).created_ticket
    found = services.suggestions_for_ticket(ticket=ticket, user=agent)
    assert found[0].article == password_article
    assert found[0].title == "Salasanan vaihto"
    assert found[0].url.endswith("/help/articles/changing-your-password/?lang=fi")


def test_context_help_by_key_and_by_url(db):
    ArticleFactory(slug="coupons", help_keys="shop.coupons\nshop.discounts")
    ArticleFactory(slug="checkout", url_patterns="*/checkout*")
    ArticleFactory(slug="hidden", internal=True, help_keys="shop.secret")
    context = services.article_for_context
    assert context(user=ANONYMOUS, key="shop.discounts").slug == "coupons"
    assert context(user=ANONYMOUS, key="shop.disc") is None
    assert context(user=ANONYMOUS, url="https://shop.example/checkout/?step=2").slug == "checkout"
    assert context(user=ANONYMOUS, key="shop.secret") is None


def test_create_article_makes_translations_and_indexes_published(db):
    SectionFactory(slug="odoo")
    article = services.create_article(
        section_slug="odoo",
        slug="bank-statements",
        status=Article.Status.PUBLISHED,
        translations=[
            TranslationInput("fi", "Tiliotteiden tuonti", "Lataa **camt.053**."),
            TranslationInput("en", "Importing bank statements", "Download <script>x</script>"),
        ],
    )
    english = article.translations.get(language="en")
    assert "<script>" not in english.body_html
    assert find("tiliotteen tuonti", "fi") == ["bank-statements"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"section_slug": "nope"}, "unknown_section"),
        ({"translations": []}, "invalid_article"),
        ({"translations": [TranslationInput("sv", "Titel", "Text")]}, "invalid_article"),
        ({"kind": "podcast"}, "invalid_article"),
        ({"slug": "taken"}, "duplicate_slug"),
    ],
)
def test_create_article_refuses_bad_input(db, changes, code):
    SectionFactory(slug="odoo")
    ArticleFactory(slug="taken")
    arguments = {
        "section_slug": "odoo",
        "slug": "new",
        "translations": [TranslationInput("en", "Title", "Body")],
        **changes,
    }
    with pytest.raises(ArticleRefused) as refused:
        services.create_article(**arguments)
    assert refused.value.code == code


def test_markdown_is_sanitized(db):
    article = ArticleFactory(
        texts={"en": ("XSS", '<img src=x onerror="alert(1)"> [a](javascript:alert(1)) **ok**')}
    )
    html = ArticleTranslation.objects.get(article=article).body_html
    assert "onerror" not in html and "javascript:" not in html and "<strong>ok</strong>" in html


def test_search_runs_on_the_configured_database(password_article):
    # The suite runs on SQLite and, with DATABASE_URL, on PostgreSQL: both must find it.
    assert connection.vendor in {"sqlite", "postgresql"}
    assert find("passwords", "en") == ["changing-your-password"]

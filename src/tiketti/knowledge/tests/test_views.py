"""Help-center pages, the request form's assistant, and the staff panel, through the client."""

from django.core.files.base import ContentFile
from django.urls import reverse

from tiketti.knowledge.models import (
    ArticleAttachment,
    Deflection,
    Feedback,
    SearchLog,
    TicketSuggestion,
)
from tiketti.knowledge.tests.factories import ArticleFactory
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_help_center_is_public_and_sets_no_cookies_of_its_own(client, password_article):
    for url in (
        reverse("knowledge:home"),
        reverse("knowledge:section", args=[password_article.section.slug]),
        reverse("knowledge:article", args=[password_article.slug]),
        reverse("knowledge:search") + "?q=password",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        # Only Django's CSRF cookie, which the page's forms need; no session, no tracking.
        assert set(response.cookies) <= {"csrftoken"}, url
        assert "google" not in response.content.decode().lower()


def test_article_is_shown_in_the_visitors_language(client, password_article):
    page = client.get(
        reverse("knowledge:article", args=[password_article.slug]), HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert "Salasanan vaihto" in page
    assert 'lang="fi"' in page


def test_missing_translation_shows_a_fallback_note(client, invoice_article):
    response = client.get(reverse("knowledge:article", args=[invoice_article.slug]) + "?lang=pl")
    assert response.context["is_fallback"]
    assert "Finding your invoices" in response.content.decode()
    assert "has not been translated into your language" in response.content.decode()


def test_internal_and_draft_articles_are_404_for_customers(
    client, internal_article, draft_article, main_user
):
    for user in (None, main_user):
        if user:
            client.force_login(user)
        for article in (internal_article, draft_article):
            url = reverse("knowledge:article", args=[article.slug])
            assert client.get(url).status_code == 404


def test_staff_read_internal_articles_and_preview_drafts(
    client, internal_article, draft_article, agent
):
    client.force_login(agent)
    for article in (internal_article, draft_article):
        assert client.get(reverse("knowledge:article", args=[article.slug])).status_code == 200


def test_search_page_lists_results_and_logs_the_search(client, password_article):
    response = client.get(reverse("knowledge:search"), {"q": "changing passwords"})
    assert [item.article for item in response.context["results"]] == [password_article]
    assert SearchLog.objects.get().result_count == 1


def test_search_that_finds_nothing_says_so(client, password_article):
    response = client.get(reverse("knowledge:search"), {"q": "lahjakortti"})
    assert "Nothing found" in response.content.decode()
    assert SearchLog.objects.get().result_count == 0


def test_video_is_not_embedded_until_the_visitor_asks(client, db):
    article = ArticleFactory(kind="video", video_url="https://www.youtube.com/watch?v=abcdefghijk")
    page = client.get(reverse("knowledge:article", args=[article.slug])).content.decode()
    assert "<iframe" not in page
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abcdefghijk"' in page


def test_feedback_is_counted(client, password_article):
    url = reverse("knowledge:feedback", args=[password_article.slug])
    response = client.post(url, {"helpful": "yes", "language": "fi"}, **HTMX)
    assert "Thank you for your feedback" in response.content.decode()
    client.post(url, {"helpful": "no", "language": "fi"})
    assert sorted(Feedback.objects.values_list("is_helpful", flat=True)) == [False, True]


def test_feedback_on_internal_article_is_404_for_customers(client, internal_article):
    url = reverse("knowledge:feedback", args=[internal_article.slug])
    assert client.post(url, {"helpful": "yes", "language": "en"}).status_code == 404


def test_attachment_is_served_only_with_its_article(client, internal_article, password_article):
    public = ArticleAttachment.objects.create(
        article=password_article,
        file=ContentFile(b"a,b\n", name="template.csv"),
        filename="template.csv",
        content_type="text/csv",
        size=4,
    )
    hidden = ArticleAttachment.objects.create(
        article=internal_article,
        file=ContentFile(b"secret", name="runbook.txt"),
        filename="runbook.txt",
        content_type="text/plain",
        size=6,
    )
    hidden_url = reverse("knowledge:attachment", args=[hidden.pk, hidden.filename])
    assert client.get(hidden_url).status_code == 404
    response = client.get(reverse("knowledge:attachment", args=[public.pk, public.filename]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"a,b\n"
    response.close()


def test_assistant_suggests_articles_and_collects_the_shown_ones(
    client, password_article, main_user
):
    client.force_login(main_user)
    response = client.get(
        reverse("knowledge:assistant"),
        {"subject": "salasanan vaihtaminen", "description": "", "shown_articles": "77"},
        **HTMX,
    )
    page = response.content.decode()
    assert "Salasanan vaihto" in page
    assert f'value="77,{password_article.pk}"' in page
    assert 'hx-swap-oob="true"' in page


def test_solved_ends_the_flow_without_a_ticket_and_counts(client, password_article, main_user):
    client.force_login(main_user)
    response = client.post(
        reverse("knowledge:solved"),
        {"article": password_article.pk, "query": "salasana", "channel": "portal"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'id="request-flow"' in response.content.decode()
    assert not Ticket.objects.exists()
    deflection = Deflection.objects.get()
    assert (deflection.article, deflection.user) == (password_article, main_user)


def test_solved_without_htmx_shows_a_page(client, password_article):
    response = client.post(reverse("knowledge:solved"), {"article": password_article.pk})
    assert response.status_code == 200
    assert "Glad it helped" in response.content.decode()


def test_solved_refuses_an_internal_article_for_customers(client, internal_article, main_user):
    client.force_login(main_user)
    response = client.post(reverse("knowledge:solved"), {"article": internal_article.pk})
    assert response.status_code == 404
    assert not Deflection.objects.exists()


def test_request_form_has_the_assistant(client, main_user, category):
    client.force_login(main_user)
    page = client.get(reverse("portal:ticket-new")).content.decode()
    assert 'id="assistant"' in page
    assert 'name="shown_articles"' in page
    assert reverse("knowledge:assistant") in page


def test_ticket_sent_anyway_records_the_shown_articles(
    client, customer, category, password_article, invoice_article
):
    client.force_login(customer)
    response = client.post(
        reverse("portal:ticket-new"),
        {
            "subject": "Salasana ei kelpaa",
            "category": category.pk,
            "description": "Vaihdoin salasanan, mutta en pääse sisään.",
            "shown_articles": f"{password_article.pk},{invoice_article.pk}",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    shown = TicketSuggestion.objects.filter(ticket=ticket).order_by("position")
    assert [row.article for row in shown] == [password_article, invoice_article]


def test_desk_ticket_page_suggests_articles_with_insert_link(
    client, agent, customer, password_article
):
    ticket = submit_request(
        IntakeRequest(
            channel="portal",
            requester=customer,
            subject="Salasanan vaihtaminen ei onnistu",
            body_text="Miten vaihdan salasanan?",
        )
    ).created_ticket
    client.force_login(agent)
    page = client.get(reverse("desk:ticket-detail", args=[ticket.number])).content.decode()
    assert "Salasanan vaihto" in page
    assert 'class="button-small kb-insert"' in page
    assert "/help/articles/changing-your-password/?lang=fi" in page
    assert "knowledge/insert-link.js" in page


def test_context_help_redirects_to_the_article(client, db):
    ArticleFactory(slug="coupons", help_keys="shop.coupons")
    response = client.get(reverse("knowledge:context"), {"key": "shop.coupons"})
    assert response["Location"] == reverse("knowledge:article", args=["coupons"])
    response = client.get(reverse("knowledge:context"), {"key": "nothing"})
    assert response["Location"] == reverse("knowledge:home")


def test_report_is_for_staff_only(client, agent, main_user, password_article):
    client.force_login(main_user)
    assert client.get(reverse("knowledge:report")).status_code == 404
    client.force_login(agent)
    SearchLog.objects.create(
        query="lahjakortti",
        normalized="lahjakortti",
        language="fi",
        source="help_center",
        result_count=0,
    )
    response = client.get(reverse("knowledge:report"))
    assert response.status_code == 200
    assert "lahjakortti" in response.content.decode()

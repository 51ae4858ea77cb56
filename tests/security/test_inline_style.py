"""The site obeys its own Content Security Policy: no inline style anywhere in its pages.

style-src is 'self' only (no 'unsafe-inline'), so a style attribute or a <style> block
would be refused by the browser; htmx is told not to insert its own indicator <style>.
"""

import re

import pytest
from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.knowledge.tests.factories import ArticleFactory
from tiketti.tickets.intake import IntakeRequest, submit_request

INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
HTMX_WITHOUT_INLINE_STYLE = (
    '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>'
)


@pytest.fixture
def ticket(main_user):
    return submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Kassa", body_text="Hei")
    ).ticket


def assert_no_inline_style(response):
    assert response.status_code == 200, response.request["PATH_INFO"]
    policy = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    assert INLINE_STYLE.findall(html) == [], response.request["PATH_INFO"]
    if "htmx" in html and "<html" in html:
        assert HTMX_WITHOUT_INLINE_STYLE in html


def test_staff_pages_have_no_inline_style(client, agent, ticket):
    client.force_login(agent)
    for url in (
        reverse("desk:queue"),
        reverse("desk:ticket-detail", args=[ticket.number]),
        reverse("desk:mail-queue"),
        reverse("knowledge:report"),
    ):
        assert_no_inline_style(client.get(url))


def test_admin_pages_have_no_inline_style(client, ticket):
    client.force_login(UserFactory(agent=True, admin=True))
    for url in (
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:tickets_ticket_changelist"),
    ):
        assert_no_inline_style(client.get(url))


def test_customer_pages_have_no_inline_style(client, main_user, ticket):
    client.force_login(main_user)
    for url in (
        reverse("portal:ticket-list"),
        reverse("portal:ticket-new"),
        reverse("portal:ticket-detail", args=[ticket.number]),
        reverse("contracts:entitlement-list"),
    ):
        assert_no_inline_style(client.get(url))


def test_public_pages_have_no_inline_style(client, db):
    article = ArticleFactory()
    for url in (
        reverse("accounts:login"),
        reverse("accounts:password-reset"),
        reverse("knowledge:home"),
        reverse("knowledge:search") + "?q=kassa",
        reverse("knowledge:article", args=[article.slug]),
    ):
        assert_no_inline_style(client.get(url))


def test_pages_using_htmx_keep_its_indicators_styled_from_the_stylesheet(client, agent):
    from django.contrib.staticfiles import finders

    client.force_login(agent)
    assert HTMX_WITHOUT_INLINE_STYLE in client.get(reverse("desk:queue")).content.decode()
    with open(finders.find("tiketti/app.css"), encoding="utf-8") as stylesheet:
        assert ".htmx-request .htmx-indicator" in stylesheet.read()

"""The knowledge-base API as a contract: public suggest and context, staff-only writing."""

import pytest

from tiketti.api.models import ApiToken
from tiketti.knowledge.models import Article
from tiketti.knowledge.tests.factories import ArticleFactory, SectionFactory


def bearer(user):
    _, token = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def article_payload(db):
    SectionFactory(slug="woocommerce")
    return {
        "section": "woocommerce",
        "slug": "posti-pickup-points",
        "status": "published",
        "help_keys": ["shop.shipping.posti"],
        "translations": [
            {
                "language": "fi",
                "title": "Postin noutopisteet",
                "body_markdown": "Valitse **noutopiste**.",
            },
            {
                "language": "en",
                "title": "Posti pickup points",
                "body_markdown": "Choose a *pickup point*.",
            },
        ],
    }


def test_suggest_is_public_and_finds_published_articles(client, password_article):
    response = client.get("/api/v1/kb/suggest", {"q": "salasanan vaihtaminen", "lang": "fi"})
    assert response.status_code == 200
    [item] = response.json()
    assert item["slug"] == "changing-your-password"
    assert item["title"] == "Salasanan vaihto"
    assert item["language"] == "fi"
    assert item["url"].endswith("/help/articles/changing-your-password/?lang=fi")


def test_suggest_never_returns_internal_or_draft_articles(
    client, password_article, internal_article, draft_article, agent
):
    # Not even with a staff token: the public endpoint answers the same for everyone.
    response = client.get("/api/v1/kb/suggest", {"q": "password", "lang": "en"}, **bearer(agent))
    assert [item["slug"] for item in response.json()] == ["changing-your-password"]


def test_suggest_with_nothing_typed_is_empty(client, password_article):
    assert client.get("/api/v1/kb/suggest", {"q": "", "lang": "en"}).json() == []


def test_suggest_with_unknown_language_falls_back_to_english(client, password_article):
    response = client.get("/api/v1/kb/suggest", {"q": "password", "lang": "xx"})
    assert response.json()[0]["language"] == "en"


def test_suggest_limit_is_validated_as_json(client, db):
    response = client.get("/api/v1/kb/suggest", {"q": "x", "limit": "500"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_context_returns_the_article_for_a_help_key_or_url(client, db):
    ArticleFactory(
        slug="coupons",
        help_keys="shop.coupons",
        url_patterns="*/wp-admin/edit.php?post_type=shop_coupon*",
        texts={"fi": ("Alennuskoodit", "Teksti."), "en": ("Discount codes", "Text.")},
    )
    by_key = client.get("/api/v1/kb/context", {"key": "shop.coupons", "lang": "fi"})
    assert by_key.json()["title"] == "Alennuskoodit"
    by_url = client.get(
        "/api/v1/kb/context",
        {"url": "https://shop.example/wp-admin/edit.php?post_type=shop_coupon", "lang": "en"},
    )
    assert by_url.json()["slug"] == "coupons"


def test_context_not_found_is_a_json_404(client, internal_article):
    response = client.get("/api/v1/kb/context", {"key": "nothing"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_staff_create_an_article(client, agent, article_payload):
    response = client.post(
        "/api/v1/kb/articles", article_payload, content_type="application/json", **bearer(agent)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "published"
    assert body["help_keys"] == ["shop.shipping.posti"]
    assert {t["language"] for t in body["translations"]} == {"fi", "en"}
    assert "<strong>noutopiste</strong>" in body["translations"][1]["body_html"]
    found = client.get("/api/v1/kb/suggest", {"q": "noutopisteet", "lang": "fi"}).json()
    assert [item["slug"] for item in found] == ["posti-pickup-points"]


def test_customers_cannot_create_articles(client, main_user, article_payload):
    response = client.post(
        "/api/v1/kb/articles",
        article_payload,
        content_type="application/json",
        **bearer(main_user),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Article.objects.exists()


def test_creating_without_a_token_is_401(client, article_payload):
    response = client.post("/api/v1/kb/articles", article_payload, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_create_refusals_are_json_errors(client, agent, article_payload):
    article_payload["section"] = "no-such-section"
    response = client.post(
        "/api/v1/kb/articles", article_payload, content_type="application/json", **bearer(agent)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_section"
    article_payload["translations"] = []
    response = client.post(
        "/api/v1/kb/articles", article_payload, content_type="application/json", **bearer(agent)
    )
    assert response.status_code == 422
    assert set(response.json()) >= {"code", "message"}


def test_get_article_staff_see_drafts_and_internal(client, agent, internal_article, draft_article):
    for article in (internal_article, draft_article):
        response = client.get(f"/api/v1/kb/articles/{article.pk}", **bearer(agent))
        assert response.status_code == 200
        assert response.json()["slug"] == article.slug


def test_get_article_hides_internal_and_drafts_from_customers(
    client, main_user, internal_article, draft_article, password_article
):
    for article in (internal_article, draft_article):
        response = client.get(f"/api/v1/kb/articles/{article.pk}", **bearer(main_user))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    ok = client.get(f"/api/v1/kb/articles/{password_article.pk}", **bearer(main_user))
    assert ok.status_code == 200


def test_openapi_documents_the_knowledge_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/kb/suggest", "/api/v1/kb/context", "/api/v1/kb/articles"} <= set(paths)

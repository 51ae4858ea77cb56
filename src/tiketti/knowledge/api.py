"""Knowledge-base endpoints of API v1, mounted under /api/v1/kb/.

`suggest` and `context` are public (published, non-internal articles only: a widget or a
"?" icon calls them without a token); writing and reading articles by id needs a token,
and writing needs a staff member's.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tiketti.accounts.models import User
from tiketti.fulltext import language_or_default

from . import services
from .access import get_article_by_id_for_user
from .errors import StaffOnly
from .models import Article

router = Router(tags=["knowledge base"])


class ErrorOut(Schema):
    code: str
    message: str


class SuggestionOut(Schema):
    id: int
    slug: str
    title: str
    excerpt: str
    language: str = Field(description="The language of the text (a fallback when different).")
    section: str
    kind: str
    url: str


class SuggestFilter(Schema):
    q: str = Field("", max_length=500, description="What the customer has typed so far.")
    lang: str = Field("en", description="fi, pl or en.")
    limit: int = Field(5, ge=1, le=20)


@router.get("/suggest", auth=None, response={200: list[SuggestionOut], 422: ErrorOut})
def suggest(request: HttpRequest, filters: Query[SuggestFilter]) -> list[SuggestionOut]:
    """Articles answering what a customer is typing, best first (published, public)."""
    language = language_or_default(filters.lang)
    found = services.find_articles(
        text=filters.q, language=language, user=_anonymous(), limit=filters.limit, typing=True
    )
    return [_suggestion_out(item) for item in found]


class ContextFilter(Schema):
    key: str = Field("", max_length=200, description="The help key of a “?” icon.")
    url: str = Field("", max_length=2000, description="The product page's address.")
    lang: str = Field("en", description="fi, pl or en.")


@router.get("/context", auth=None, response={200: SuggestionOut, 404: ErrorOut, 422: ErrorOut})
def context(request: HttpRequest, filters: Query[ContextFilter]) -> SuggestionOut:
    """The article a "?" icon opens: by help key, or by the page address."""
    language = language_or_default(filters.lang)
    article = services.article_for_context(user=_anonymous(), key=filters.key, url=filters.url)
    translation = article.translation_for(language) if article else None
    if article is None or translation is None:
        raise Http404("No article for this help key or address.")
    return _suggestion_out(services.Suggestion(article, translation, language))


class TranslationIn(Schema):
    language: str = Field(description="fi, pl or en.")
    title: str = Field(min_length=1, max_length=200)
    body_markdown: str = Field(min_length=1)


class ArticleIn(Schema):
    section: str = Field(description="The section's code, e.g. `woocommerce`.")
    slug: str = Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)
    kind: str = Field(Article.Kind.ARTICLE, description="article, faq or video.")
    status: str = Field(Article.Status.DRAFT, description="draft or published.")
    internal: bool = Field(False, description="Only staff may read internal articles.")
    video_url: str = Field("", max_length=200)
    help_keys: list[str] = Field(default_factory=list)
    url_patterns: list[str] = Field(default_factory=list)
    last_reviewed_on: date | None = None
    translations: list[TranslationIn] = Field(min_length=1)


class TranslationOut(Schema):
    language: str
    title: str
    body_markdown: str
    body_html: str


class ArticleOut(Schema):
    id: int
    slug: str
    section: str
    kind: str
    status: str
    internal: bool
    video_url: str
    help_keys: list[str]
    url_patterns: list[str]
    last_reviewed_on: date | None
    url: str
    translations: list[TranslationOut]


@router.post(
    "/articles",
    response={
        201: ArticleOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
)
def create_article(request: HttpRequest, payload: ArticleIn) -> Status[ArticleOut]:
    """Staff only: a new article with its translations (Markdown; stored sanitized)."""
    user = _user(request)
    if not user.is_agent:
        raise StaffOnly(_("Only staff can write help-center articles."))
    article = services.create_article(
        section_slug=payload.section,
        slug=payload.slug,
        kind=payload.kind,
        status=payload.status,
        is_internal=payload.internal,
        video_url=payload.video_url,
        help_keys=payload.help_keys,
        url_patterns=payload.url_patterns,
        last_reviewed_on=payload.last_reviewed_on,
        translations=[
            services.TranslationInput(t.language, t.title, t.body_markdown)
            for t in payload.translations
        ],
    )
    return Status(201, _article_out(article))


@router.get("/articles/{article_id}", response={200: ArticleOut, 401: ErrorOut, 404: ErrorOut})
def get_article(request: HttpRequest, article_id: int) -> ArticleOut:
    """An article with all its translations: staff see every article, others only
    published public ones."""
    return _article_out(get_article_by_id_for_user(_user(request), article_id))


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _anonymous() -> AnonymousUser:
    """Public endpoints answer the same for everyone: what an anonymous visitor sees."""
    return AnonymousUser()


def _suggestion_out(item: services.Suggestion) -> SuggestionOut:
    return SuggestionOut(
        id=item.article.pk,
        slug=item.article.slug,
        title=item.title,
        excerpt=item.excerpt,
        language=item.translation.language,
        section=item.article.section.name,
        kind=item.article.kind,
        url=item.url,
    )


def _article_out(article: Article) -> ArticleOut:
    translations = sorted(article.translations.all(), key=lambda t: t.language)
    return ArticleOut(
        id=article.pk,
        slug=article.slug,
        section=article.section.slug,
        kind=article.kind,
        status=article.status,
        internal=article.is_internal,
        video_url=article.video_url,
        help_keys=article.help_key_list(),
        url_patterns=article.url_pattern_list(),
        last_reviewed_on=article.last_reviewed_on,
        url=settings.TIKETTI_BASE_URL
        + services.article_path(article, translations[0].language if translations else "en"),
        translations=[
            TranslationOut(
                language=t.language,
                title=t.title,
                body_markdown=t.body_markdown,
                body_html=t.body_html,
            )
            for t in translations
        ],
    )

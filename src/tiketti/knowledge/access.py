"""Who may read which article. Every page, API endpoint and suggestion asks here.

Anyone (signed in or not) reads published public articles; staff also read internal
ones and can preview drafts. Anything else is a 404, so nothing leaks about what exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tiketti.accounts.models import User

from .models import Article, ArticleAttachment, ArticleQuerySet, SearchDocument

Visitor = User | AnonymousUser


def is_staff_reader(user: Visitor) -> bool:
    return isinstance(user, User) and user.is_agent


def visible_articles(user: Visitor, *, include_drafts: bool = False) -> ArticleQuerySet:
    """Articles `user` may read: published public ones; staff also internal ones, and
    drafts when asked for (previews)."""
    articles: ArticleQuerySet = Article.objects.all()
    if not is_staff_reader(user):
        return articles.public()
    return articles if include_drafts else articles.published()


def search_audiences(user: Visitor) -> list[str]:
    """Which search documents `user` may be shown."""
    if is_staff_reader(user):
        return [SearchDocument.Audience.PUBLIC, SearchDocument.Audience.STAFF]
    return [SearchDocument.Audience.PUBLIC]


def get_article_for_user(user: Visitor, slug: str) -> Article:
    article = visible_articles(user, include_drafts=True).filter(slug=slug).first()
    if article is None:
        raise Http404("No such article.")
    return article


def get_article_by_id_for_user(user: Visitor, article_id: int) -> Article:
    article = visible_articles(user, include_drafts=True).filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article.")
    return article


def get_attachment_for_user(user: Visitor, attachment_id: int) -> ArticleAttachment:
    attachment = (
        ArticleAttachment.objects.filter(
            pk=attachment_id, article__in=visible_articles(user, include_drafts=True)
        )
        .select_related("article")
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment.")
    return attachment

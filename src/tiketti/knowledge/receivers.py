"""Keep the search index in step with articles, however they were changed (admin, API,
demo data, shell)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from . import index
from .models import Article, ArticleTranslation


def _article_saved(sender: type[Article], instance: Article, raw: bool, **kwargs: Any) -> None:
    if not raw:
        index.reindex_article(instance)


def _translation_changed(
    sender: type[ArticleTranslation], instance: ArticleTranslation, **kwargs: Any
) -> None:
    origin = kwargs.get("origin")
    deleting_article = isinstance(origin, Article) or (
        isinstance(origin, QuerySet) and origin.model is Article
    )
    if kwargs.get("raw") or deleting_article:
        # Deleting an article (or many) cascades here: its documents go with it.
        return
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        index.reindex_article(article)


def connect() -> None:
    post_save.connect(_article_saved, sender=Article, dispatch_uid="knowledge-article-saved")
    post_save.connect(
        _translation_changed, sender=ArticleTranslation, dispatch_uid="knowledge-tr-saved"
    )
    post_delete.connect(
        _translation_changed, sender=ArticleTranslation, dispatch_uid="knowledge-tr-deleted"
    )

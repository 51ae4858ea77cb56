"""Loading the demo help center (see `demo_content.py`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .demo_content import ARTICLES, SECTIONS
from .index import rebuild_index
from .models import Article, ArticleTranslation, Section

DEMO_REVIEWED_ON = datetime.date(2026, 1, 15)


def load_demo_articles() -> int:
    """Create the demo sections and articles (published, reviewed) unless they exist;
    returns how many articles were created."""
    if Section.objects.filter(slug=SECTIONS[0][0]).exists():
        return 0
    with transaction.atomic():
        sections = {}
        for position, (slug, name_en, name_fi, name_pl, descriptions) in enumerate(SECTIONS):
            sections[slug] = Section.objects.create(
                slug=slug,
                name_en=name_en,
                name_fi=name_fi,
                name_pl=name_pl,
                description_en=descriptions[0],
                description_fi=descriptions[1],
                description_pl=descriptions[2],
                position=position,
            )
        for position, item in enumerate(ARTICLES):
            article = Article(
                section=sections[item.section],
                slug=item.slug,
                kind=item.kind,
                status=Article.Status.PUBLISHED,
                is_internal=item.is_internal,
                video_url=item.video_url,
                help_keys="\n".join(item.help_keys),
                url_patterns="\n".join(item.url_patterns),
                position=position,
                last_reviewed_on=DEMO_REVIEWED_ON,
                published_at=timezone.now(),
            )
            # Saved without signals' per-article indexing: the index is built once below.
            Article.objects.bulk_create([article])
            ArticleTranslation.objects.bulk_create(
                [
                    _translation(article, language, title, body)
                    for language, (title, body) in (
                        ("fi", item.fi),
                        ("pl", item.pl),
                        ("en", item.en),
                    )
                ]
            )
        rebuild_index()
    return len(ARTICLES)


def _translation(article: Article, language: str, title: str, body: str) -> ArticleTranslation:
    translation = ArticleTranslation(
        article=article, language=language, title=title, body_markdown=body
    )
    translation.render()
    return translation

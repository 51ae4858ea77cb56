"""Help-center workflows: finding articles, the assistant on the request form, feedback,
and the reports that tell support what to write next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tiketti.accounts.models import Language, User
from tiketti.fulltext import fold, language_or_default, prepare_query
from tiketti.tickets.models import Message, Ticket

from . import index
from .access import Visitor, search_audiences, visible_articles
from .errors import ArticleRefused
from .models import (
    Article,
    ArticleTranslation,
    Deflection,
    Feedback,
    SearchLog,
    Section,
    TicketSuggestion,
)

SUGGESTIONS_SHOWN = 5


@dataclass(frozen=True)
class Suggestion:
    """An article found for someone, in the language they read (or its fallback)."""

    article: Article
    translation: ArticleTranslation
    language: str

    @property
    def title(self) -> str:
        return self.translation.title

    @property
    def excerpt(self) -> str:
        return self.translation.excerpt

    @property
    def is_fallback(self) -> bool:
        return self.translation.language != self.language

    @property
    def path(self) -> str:
        return article_path(self.article, self.language)

    @property
    def url(self) -> str:
        return settings.TIKETTI_BASE_URL + self.path


def article_path(article: Article, language: str) -> str:
    """The article's page, showing the text in `language` whoever opens the link."""
    return f"{reverse('knowledge:article', args=[article.slug])}?lang={language}"


def find_articles(
    *, text: str, language: str, user: Visitor, limit: int = 10, typing: bool = False
) -> list[Suggestion]:
    """The articles that best answer `text`, among those `user` may read.

    `typing`: the last word may be unfinished (the assistant searches as people type).
    """
    language = language_or_default(language)
    query = prepare_query(text, language, index.load_vocabulary(language), partial_last_word=typing)
    hits = index.search(query, language=language, audiences=search_audiences(user), limit=limit)
    if not hits:
        return []
    articles = (
        visible_articles(user)
        .filter(pk__in=[hit.article_id for hit in hits])
        .select_related("section")
        .prefetch_related("translations")
        .in_bulk()
    )
    found = []
    for hit in hits:
        article = articles.get(hit.article_id)
        translation = article.translation_for(language) if article else None
        if article is not None and translation is not None:
            found.append(Suggestion(article, translation, language))
    return found


def search_help_center(
    *,
    text: str,
    language: str,
    user: Visitor,
    source: str = SearchLog.Source.HELP_CENTER,
    limit: int = 20,
) -> list[Suggestion]:
    """A search someone submitted: the results, and a line in the search log."""
    results = find_articles(text=text, language=language, user=user, limit=limit)
    log_search(text=text, language=language, source=source, result_count=len(results))
    return results


def log_search(*, text: str, language: str, source: str, result_count: int) -> None:
    text = " ".join(text.split())[:200]
    if not text:
        return
    SearchLog.objects.create(
        query=text,
        normalized=fold(text)[:200],
        language=language_or_default(language),
        source=source,
        result_count=result_count,
    )


def suggest_while_typing(
    *, subject: str, description: str, language: str, user: Visitor
) -> list[Suggestion]:
    """The assistant: articles for a request that is still being written. The subject
    comes first, as it says most about the matter in fewest words."""
    text = f"{subject.strip()} {description.strip()}" if description.strip() else subject
    return find_articles(
        text=text, language=language, user=user, limit=SUGGESTIONS_SHOWN, typing=True
    )


def record_deflection(
    *, article: Article, user: Visitor, language: str, channel: str, query: str = ""
) -> Deflection:
    """An article solved the customer's problem: no ticket, and it counts."""
    return Deflection.objects.create(
        article=article,
        user=user if isinstance(user, User) else None,
        language=language_or_default(language),
        channel=channel,
        query=" ".join(query.split())[:250],
    )


def record_shown_suggestions(
    *, ticket: Ticket, article_ids: Sequence[int], query: str = ""
) -> list[TicketSuggestion]:
    """The customer sent the ticket anyway: remember which articles they had been shown
    (staff see them on the ticket), and log the subject as an assistant search."""
    shown = list(Article.objects.public().filter(pk__in=article_ids).values_list("pk", flat=True))
    order = {article_id: position for position, article_id in enumerate(article_ids)}
    rows = [
        TicketSuggestion(ticket=ticket, article_id=article_id, position=order[article_id])
        for article_id in sorted(shown, key=order.__getitem__)
    ]
    TicketSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    log_search(
        text=query or ticket.subject,
        language=ticket.requester.language,
        source=SearchLog.Source.ASSISTANT,
        result_count=len(rows),
    )
    return rows


def record_feedback(*, article: Article, language: str, is_helpful: bool) -> Feedback:
    return Feedback.objects.create(
        article=article, language=language_or_default(language), is_helpful=is_helpful
    )


def article_for_context(*, user: Visitor, key: str = "", url: str = "") -> Article | None:
    """The article a "?" icon opens: bound to the icon's help key, or else to a pattern
    matching the page address it sits on."""
    articles = visible_articles(user).prefetch_related("translations")
    key = key.strip()
    if key:
        for article in articles.filter(help_keys__contains=key):
            if key in article.help_key_list():
                return article
    if url.strip():
        for article in articles.exclude(url_patterns="").order_by("position", "pk"):
            if article.matches_url(url.strip()):
                return article
    return None


def suggestions_for_ticket(
    *, ticket: Ticket, user: Visitor, limit: int = SUGGESTIONS_SHOWN
) -> list[Suggestion]:
    """Articles for staff to answer a ticket with, in the requester's language: found
    from the subject and first message."""
    language = language_or_default(ticket.requester.language)
    first = (
        Message.objects.filter(ticket=ticket, is_internal=False)
        .order_by("created_at", "pk")
        .values_list("body_text", flat=True)
        .first()
    )
    text = f"{ticket.subject} {(first or '')[:600]}"
    return find_articles(text=text, language=language, user=user, limit=limit)


def shown_before_sending(*, ticket: Ticket, language: str) -> list[Suggestion]:
    rows = (
        TicketSuggestion.objects.filter(ticket=ticket)
        .select_related("article__section")
        .prefetch_related("article__translations")
    )
    shown = []
    for row in rows:
        translation = row.article.translation_for(language)
        if translation is not None:
            shown.append(Suggestion(row.article, translation, language))
    return shown


# -- staff: writing articles -----------------------------------------------------------


@dataclass(frozen=True)
class TranslationInput:
    language: str
    title: str
    body_markdown: str


def create_article(
    *,
    section_slug: str,
    slug: str,
    translations: Sequence[TranslationInput],
    kind: str = Article.Kind.ARTICLE,
    status: str = Article.Status.DRAFT,
    is_internal: bool = False,
    video_url: str = "",
    help_keys: Sequence[str] = (),
    url_patterns: Sequence[str] = (),
    last_reviewed_on: date | None = None,
) -> Article:
    """A new article with its translations, indexed for search when published."""
    section = Section.objects.filter(slug=section_slug).first()
    if section is None:
        raise ArticleRefused(
            _("There is no help-center section “%(slug)s”.") % {"slug": section_slug},
            code="unknown_section",
        )
    _check_translations(translations)
    if kind not in Article.Kind.values or status not in Article.Status.values:
        raise ArticleRefused(_("Unknown article kind or status."), code="invalid_article")
    try:
        with transaction.atomic():
            article = Article.objects.create(
                section=section,
                slug=slug,
                kind=kind,
                status=status,
                is_internal=is_internal,
                video_url=video_url,
                help_keys="\n".join(key.strip() for key in help_keys if key.strip()),
                url_patterns="\n".join(p.strip() for p in url_patterns if p.strip()),
                last_reviewed_on=last_reviewed_on,
            )
            for item in translations:
                ArticleTranslation.objects.create(
                    article=article,
                    language=item.language,
                    title=item.title.strip(),
                    body_markdown=item.body_markdown,
                )
    except IntegrityError:
        raise ArticleRefused(
            _("An article with the address “%(slug)s” already exists.") % {"slug": slug},
            code="duplicate_slug",
        ) from None
    return article


def _check_translations(translations: Sequence[TranslationInput]) -> None:
    languages = [item.language for item in translations]
    if not translations:
        raise ArticleRefused(_("An article needs at least one translation."))
    if len(set(languages)) != len(languages):
        raise ArticleRefused(_("Give each language only once."))
    if any(language not in Language.values for language in languages):
        raise ArticleRefused(
            _("Languages are: %(choices)s.") % {"choices": ", ".join(Language.values)}
        )
    if any(not item.title.strip() or not item.body_markdown.strip() for item in translations):
        raise ArticleRefused(_("Each translation needs a title and a text."))


# -- reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnansweredSearch:
    query: str
    language: str
    count: int
    last_at: datetime


def unanswered_searches(*, since: datetime, limit: int = 50) -> list[UnansweredSearch]:
    """Searches that found nothing, most frequent first: what to write next."""
    rows = (
        SearchLog.objects.filter(created_at__gte=since, result_count=0)
        .values("normalized", "language")
        .annotate(count=Count("id"), last_at=Max("created_at"), example=Max("query"))
        .order_by("-count", "-last_at")[:limit]
    )
    return [
        UnansweredSearch(row["example"], row["language"], row["count"], row["last_at"])
        for row in rows
    ]


@dataclass(frozen=True)
class ArticleFigures:
    article: Article
    solved_count: int
    helpful_count: int
    unhelpful_count: int
    shown_count: int


def article_figures(*, since: datetime) -> list[ArticleFigures]:
    """Per article: problems it solved without a ticket, votes, and tickets sent anyway
    after it was shown."""
    articles = (
        Article.objects.published()
        .prefetch_related("translations")
        .annotate(
            solved=Count(
                "deflections", filter=Q(deflections__created_at__gte=since), distinct=True
            ),
            helpful=Count(
                "feedback",
                filter=Q(feedback__is_helpful=True, feedback__created_at__gte=since),
                distinct=True,
            ),
            unhelpful=Count(
                "feedback",
                filter=Q(feedback__is_helpful=False, feedback__created_at__gte=since),
                distinct=True,
            ),
        )
        .order_by("-solved", "slug")
    )
    shown = dict(
        TicketSuggestion.objects.filter(created_at__gte=since)
        .values("article")
        .annotate(count=Count("id"))
        .values_list("article", "count")
    )
    return [
        ArticleFigures(a, a.solved, a.helpful, a.unhelpful, shown.get(a.pk, 0))  # type: ignore[attr-defined]
        for a in articles
    ]

"""Help-center articles in Finnish, Polish and English, their search index, and what
customers did with them (feedback, problems solved without a ticket, searches that found
nothing)."""

from __future__ import annotations

import html
import re
from datetime import date
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import parse_qs, urlsplit

import markdown
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Language, User
from tiketti.fulltext import snippet
from tiketti.tickets.models import Ticket
from tiketti.tickets.rendering import sanitize_html

# Slugs the help center's own URLs use: a section cannot be called this.
RESERVED_SECTION_SLUGS = frozenset(
    {"articles", "search", "assistant", "attachments", "context", "report", "feedback"}
)


class Section(models.Model):
    """A product or area the help center is organised by (WooCommerce, Odoo, …)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fi = models.CharField(_("name (Finnish)"), max_length=120, blank=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=120, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("help-center section")
        verbose_name_plural = _("help-center sections")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError({"slug": _("This code is used by the help center itself.")})

    def _localized(self, prefix: str) -> str:
        value = getattr(self, f"{prefix}_{translation.get_language() or 'en'}", "")
        return str(value or getattr(self, f"{prefix}_en"))

    @property
    def name(self) -> str:
        """The name in the active language, English when it has no translation."""
        return self._localized("name")

    @property
    def description(self) -> str:
        return self._localized("description")


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def public(self) -> ArticleQuerySet:
        """What anyone may read: published and not internal."""
        return self.published().filter(is_internal=False)


class Article(models.Model):
    """A help article, FAQ entry or video, with one translation per language."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("article")
        FAQ = "faq", _("FAQ")
        VIDEO = "video", _("video")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Only staff see internal articles.")
    )
    video_url = models.URLField(
        _("video address"), blank=True, help_text=_("A YouTube or Vimeo address.")
    )
    help_keys = models.TextField(
        _("help keys"),
        blank=True,
        help_text=_("Keys of “?” icons in the product that open this article, one per line."),
    )
    url_patterns = models.TextField(
        _("page address patterns"),
        blank=True,
        help_text=_("Product page addresses this article explains, one per line; * matches any."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # Plain columns: ordering by `section` would join sections into every query.
        ordering = ["position", "slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.slug

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = timezone.now()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = self.updated_at
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_internal

    def publish(self, *, reviewed_on: date | None = None) -> None:
        self.status = self.Status.PUBLISHED
        self.last_reviewed_on = reviewed_on or self.last_reviewed_on or timezone.localdate()
        self.save()

    def help_key_list(self) -> list[str]:
        return [line.strip() for line in self.help_keys.splitlines() if line.strip()]

    def url_pattern_list(self) -> list[str]:
        return [line.strip() for line in self.url_patterns.splitlines() if line.strip()]

    def matches_url(self, url: str) -> bool:
        """True when a product page address fits one of this article's patterns."""
        path = urlsplit(url).path or url
        return any(
            fnmatchcase(url, pattern) or fnmatchcase(path, pattern)
            for pattern in self.url_pattern_list()
        )

    def translation_for(self, language: str) -> ArticleTranslation | None:
        """The translation in `language`, else English, else any (None: none at all)."""
        translations = {t.language: t for t in self.translations.all()}
        for code in (language, Language.ENGLISH, *sorted(translations)):
            if code in translations:
                return translations[code]
        return None

    @property
    def video_embed_url(self) -> str:
        return video_embed_url(self.video_url)


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def video_embed_url(address: str) -> str:
    """The privacy-friendly player address for a YouTube or Vimeo link; "" otherwise."""
    if not address:
        return ""
    parts = urlsplit(address)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if parts.path.startswith(("/embed/", "/shorts/")):
            video_id = parts.path.split("/")[2]
        else:
            video_id = parse_qs(parts.query).get("v", [""])[0]
    elif host == "youtu.be":
        video_id = parts.path.lstrip("/")
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host in {"vimeo.com", "player.vimeo.com"}:
        number = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if number.isdigit():
            return f"https://player.vimeo.com/video/{number}?dnt=1"
    return ""


def render_markdown(text: str) -> str:
    """Staff-written Markdown as sanitized HTML."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return sanitize_html(html)


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False, default="")
    excerpt = models.CharField(max_length=300, editable=False, default="")

    class Meta:
        ordering = ["article_id", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="knowledge_one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render()
        super().save(*args, **kwargs)

    def render(self) -> None:
        """Refresh the sanitized HTML and the plain-text excerpt from the Markdown."""
        self.body_html = render_markdown(self.body_markdown)
        self.excerpt = snippet(html.unescape(strip_tags(self.body_html)), 280)


def _attachment_path(instance: ArticleAttachment, filename: str) -> str:
    return f"knowledge/{timezone.now():%Y/%m}/{filename}"


class ArticleAttachment(models.Model):
    """A file offered with an article (a PDF guide, a CSV template); served only to those
    who may read the article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["article_id", "filename"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class SearchDocument(models.Model):
    """What the full-text index holds for one article in one language it serves.

    An article without a translation in a language is served there in its fallback
    translation. Text columns hold normalised terms (see `search.py`); the SQLite FTS5
    table and the PostgreSQL tsvector column (both made in migration 0002) index them.
    """

    class Audience(models.TextChoices):
        PUBLIC = "public", _("everyone")
        STAFF = "staff", _("staff only")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2, choices=Language.choices)
    source_language = models.CharField(max_length=2, choices=Language.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    title = models.TextField()
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    scope = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="knowledge_one_document_per_language"
            )
        ]
        indexes = [models.Index(fields=["language", "audience"])]

    def __str__(self) -> str:
        return f"{self.article_id}/{self.language}"


class SearchTerm(models.Model):
    """The index vocabulary per language: typo repair and compound splitting look here."""

    language = models.CharField(max_length=2, choices=Language.choices)
    term = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="knowledge_unique_term")
        ]

    def __str__(self) -> str:
        return self.term


class SearchLog(models.Model):
    """A search someone made (no person recorded): the report of searches that found
    nothing says which articles to write next."""

    class Source(models.TextChoices):
        HELP_CENTER = "help_center", _("help-center search")
        ASSISTANT = "assistant", _("request-form assistant")
        API = "api", _("API")

    query = models.CharField(_("search"), max_length=200)
    normalized = models.CharField(max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    source = models.CharField(_("where"), max_length=20, choices=Source.choices)
    result_count = models.PositiveIntegerField(_("results"))
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search")
        verbose_name_plural = _("searches")

    def __str__(self) -> str:
        return self.query


class Feedback(models.Model):
    """An answer to “Was this helpful?”."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    is_helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.is_helpful else '-'}"


class Deflection(models.Model):
    """A customer's problem solved by an article before any ticket was sent."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Ticket.Channel.choices)
    query = models.CharField(_("question"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("solved without a ticket")
        verbose_name_plural = _("solved without a ticket")

    def __str__(self) -> str:
        return f"{self.article_id} {self.created_at:%Y-%m-%d}"


class TicketSuggestion(models.Model):
    """An article the assistant showed before the customer sent the ticket anyway."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ticket_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "article"], name="knowledge_suggestion_once_per_ticket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.article_id}"


class SearchIndexState(models.Model):
    """One row: a random version that changes whenever the index changes, so each
    process knows when to reload its cached vocabulary."""

    version = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.version

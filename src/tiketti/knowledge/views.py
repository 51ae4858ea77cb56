"""Help-center pages, the request form's assistant, and the staff report.

Public pages set no cookies of their own and load nothing from other sites: a video's
player is fetched only after the visitor asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tiketti.accounts.middleware import public_page
from tiketti.fulltext import language_or_default
from tiketti.tickets.attachments import download_response
from tiketti.tickets.models import Ticket

from . import services
from .access import (
    get_article_by_id_for_user,
    get_article_for_user,
    get_attachment_for_user,
    is_staff_reader,
    visible_articles,
)
from .forms import AssistantForm, FeedbackForm, SearchForm, SolvedForm
from .models import Article, SearchLog, Section

REPORT_DAYS = 90


def _language(request: HttpRequest) -> str:
    return language_or_default(translation.get_language())


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@public_page
@require_GET
def help_home(request: HttpRequest) -> HttpResponse:
    articles = visible_articles(request.user)
    sections = Section.objects.annotate(
        article_count=Count("articles", filter=Q(articles__in=articles))
    ).filter(article_count__gt=0)
    faq = (
        articles.filter(kind=Article.Kind.FAQ)
        .select_related("section")
        .prefetch_related("translations")
    )
    context = {
        "sections": sections,
        "faq": _localized(faq, _language(request)),
        "search_form": SearchForm(),
        "is_staff_reader": is_staff_reader(request.user),
    }
    return render(request, "knowledge/home.html", context)


@public_page
@require_GET
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    articles = (
        visible_articles(request.user).filter(section=section).prefetch_related("translations")
    )
    if not articles.exists():
        raise Http404("No articles in this section.")
    items = _localized(articles, _language(request))
    context = {
        "section": section,
        "faq": [item for item in items if item.article.kind == Article.Kind.FAQ],
        "articles": [item for item in items if item.article.kind != Article.Kind.FAQ],
        "search_form": SearchForm(),
    }
    return render(request, "knowledge/section.html", context)


@public_page
@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_article_for_user(request.user, slug)
    language = language_or_default(request.GET.get("lang") or _language(request))
    article_translation = article.translation_for(language)
    if article_translation is None:
        raise Http404("The article has no text yet.")
    context = {
        "article": article,
        "section": article.section,
        "text": article_translation,
        "language": language,
        "is_fallback": article_translation.language != language,
        "attachments": article.attachments.all(),
        "feedback_form": FeedbackForm(initial={"language": language}),
        "search_form": SearchForm(),
    }
    return render(request, "knowledge/article_detail.html", context)


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """“Was this helpful?” — counted per article and language, nobody recorded."""
    article = get_article_for_user(request.user, slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.record_feedback(
            article=article,
            language=form.cleaned_data["language"],
            is_helpful=form.cleaned_data["helpful"] == "yes",
        )
    context = {"article": article, "feedback_done": form.is_valid(), "feedback_form": form}
    if _htmx(request):
        return render(request, "knowledge/article_detail.html#feedback", context)
    if form.is_valid():
        messages.success(request, _("Thank you for your feedback."))
    return redirect("knowledge:article", article.slug)


@public_page
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    results: list[services.Suggestion] = []
    searched = form.is_valid() and bool(form.cleaned_data["q"].strip())
    if searched:
        results = services.search_help_center(
            text=form.cleaned_data["q"],
            language=_language(request),
            user=request.user,
        )
    context = {"search_form": form, "results": results, "searched": searched}
    return render(request, "knowledge/search.html", context)


@public_page
@require_GET
def assistant(request: HttpRequest) -> HttpResponse:
    """Suggestions for a request being written (the request form calls this as the
    customer types). Articles shown are collected in the form's `shown_articles`."""
    form = AssistantForm(request.GET)
    suggestions: list[services.Suggestion] = []
    shown: list[int] = []
    subject = ""
    if form.is_valid():
        subject = form.cleaned_data["subject"]
        suggestions = services.suggest_while_typing(
            subject=subject,
            description=form.cleaned_data["description"],
            language=_language(request),
            user=request.user,
        )
        shown = form.cleaned_data["shown_articles"]
    for item in suggestions:
        if item.article.pk not in shown:
            shown.append(item.article.pk)
    context = {
        "suggestions": suggestions,
        "shown_articles": ",".join(map(str, shown)),
        "query": subject,
        "channel": form.cleaned_data.get("channel") or Ticket.Channel.PORTAL,
        "update_shown": True,
    }
    return render(request, "knowledge/assistant.html#panel", context)


@require_POST
def solved(request: HttpRequest) -> HttpResponse:
    """“This solved my problem”: the flow ends here, without a ticket, and it counts."""
    form = SolvedForm(request.POST)
    if not form.is_valid():
        raise Http404("No such article.")
    article = get_article_by_id_for_user(request.user, form.cleaned_data["article"])
    services.record_deflection(
        article=article,
        user=request.user,
        language=_language(request),
        channel=form.cleaned_data["channel"] or Ticket.Channel.PORTAL,
        query=form.cleaned_data["query"],
    )
    article_translation = article.translation_for(_language(request))
    title = article_translation.title if article_translation else article.slug
    template = "knowledge/assistant.html#solved" if _htmx(request) else "knowledge/solved.html"
    return render(request, template, {"article": article, "title": title})


@public_page
@require_GET
def context_help(request: HttpRequest) -> HttpResponse:
    """Where a "?" icon in the product points: `/help/context/?key=orders.refund` or
    `?url=<page address>` opens the matching article, or the help center."""
    article = services.article_for_context(
        user=request.user,
        key=request.GET.get("key", "")[:200],
        url=request.GET.get("url", "")[:2000],
    )
    if article is None:
        return redirect("knowledge:home")
    return redirect("knowledge:article", article.slug)


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """For staff: searches that found nothing (write these next) and what articles did."""
    if not is_staff_reader(request.user):
        raise Http404("Staff only.")
    since = timezone.now() - timedelta(days=REPORT_DAYS)
    searches = SearchLog.objects.filter(created_at__gte=since)
    figures = services.article_figures(since=since)
    context = {
        "days": REPORT_DAYS,
        "unanswered": services.unanswered_searches(since=since),
        "figures": figures,
        "search_count": searches.count(),
        "unanswered_count": searches.filter(result_count=0).count(),
        "solved_count": sum(item.solved_count for item in figures),
    }
    return render(request, "knowledge/report.html", context)


@require_GET
def download_attachment(request: HttpRequest, attachment_id: int, filename: str) -> FileResponse:
    """A file of an article the visitor may read, always as a download."""
    attachment = get_attachment_for_user(request.user, attachment_id)
    return download_response(
        attachment.file,
        attachment.filename,
        attachment.content_type,
        public=attachment.article.is_public,
    )


def _localized(articles: Iterable[Article], language: str) -> list[services.Suggestion]:
    items = []
    for article in articles:
        article_translation = article.translation_for(language)
        if article_translation is not None:
            items.append(services.Suggestion(article, article_translation, language))
    return items

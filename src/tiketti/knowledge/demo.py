"""The demo help center: sections and articles in Finnish, Polish and English, kept as
data that writers edit (`demo_articles/`), loaded by `tiketti demo-data`.

`demo_articles/sections.toml` lists the sections in order. Each article is one Markdown file
per language, `demo_articles/<section>/<slug>.<language>.md`, opening with a TOML block
between `+++` lines:

    +++
    slug = "changing-your-password"
    section = "account"
    language = "fi"
    title = "Salasanan vaihto"
    kind = "article"                  # article, faq or video
    position = 0                      # order in the help center
    help_keys = ["account.password"]  # "?" icons in the product that open it
    url_patterns = ["*/account/password*"]
    video_url = ""
    is_internal = false               # staff only
    +++
    The article in Markdown …

The three files of an article must agree on everything but the language, title and text.
The relevance test set (tests/knowledge/relevance.py) searches these articles.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from .index import rebuild_index
from .models import Article, ArticleTranslation, Section

DEMO_REVIEWED_ON = datetime.date(2026, 1, 15)
DEMO_DIR = Path(__file__).resolve().parent / "demo_articles"
LANGUAGES = ("fi", "pl", "en")
FRONT_MATTER = "+++\n"


class DemoContentError(ValueError):
    """A demo article file that cannot be loaded; the message names the file and why."""


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    section: str
    en: tuple[str, str]
    fi: tuple[str, str]
    pl: tuple[str, str]
    kind: str = Article.Kind.ARTICLE
    help_keys: list[str] = field(default_factory=list)
    url_patterns: list[str] = field(default_factory=list)
    video_url: str = ""
    is_internal: bool = False


@dataclass(frozen=True)
class DemoSection:
    slug: str
    name: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class DemoContent:
    sections: list[DemoSection]
    articles: list[DemoArticle]


# Fields every language's file of one article must repeat the same way.
SHARED_FIELDS = (
    "section",
    "kind",
    "position",
    "help_keys",
    "url_patterns",
    "video_url",
    "is_internal",
)


def read_article_file(path: Path) -> tuple[dict[str, Any], str]:
    """The front matter (as a dict) and the Markdown body of one article file."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith(FRONT_MATTER):
        raise DemoContentError(f"{path}: must start with a {FRONT_MATTER.strip()} line")
    front, separator, body = text[len(FRONT_MATTER) :].partition("\n" + FRONT_MATTER)
    if not separator:
        raise DemoContentError(f"{path}: the front matter has no closing +++ line")
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise DemoContentError(f"{path}: front matter: {error}") from error
    for key in ("slug", "language", "title"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise DemoContentError(f"{path}: front matter needs {key}")
    if path.name != f"{meta['slug']}.{meta['language']}.md":
        raise DemoContentError(f"{path}: name it {meta['slug']}.{meta['language']}.md")
    return meta, body


def _article(slug: str, files: dict[str, tuple[dict[str, Any], str]]) -> DemoArticle:
    missing = [language for language in LANGUAGES if language not in files]
    if missing:
        raise DemoContentError(f"{slug}: no file in {', '.join(missing)}")
    first = files[LANGUAGES[0]][0]
    for language, (meta, _body) in files.items():
        differing = [key for key in SHARED_FIELDS if meta.get(key) != first.get(key)]
        if differing:
            raise DemoContentError(f"{slug}.{language}.md: differs in {', '.join(differing)}")
    kind = first.get("kind", Article.Kind.ARTICLE)
    if kind not in Article.Kind.values:
        raise DemoContentError(f"{slug}: kind must be one of {', '.join(Article.Kind.values)}")
    texts = {language: (meta["title"], body) for language, (meta, body) in files.items()}
    return DemoArticle(
        slug=slug,
        section=first["section"],
        en=texts["en"],
        fi=texts["fi"],
        pl=texts["pl"],
        kind=kind,
        help_keys=list(first.get("help_keys", [])),
        url_patterns=list(first.get("url_patterns", [])),
        video_url=first.get("video_url", ""),
        is_internal=bool(first.get("is_internal", False)),
    )


def read_demo_content(directory: Path = DEMO_DIR) -> DemoContent:
    """The demo sections and articles as written in `directory`, in help-center order."""
    with (directory / "sections.toml").open("rb") as sections_file:
        listed = tomllib.load(sections_file)["section"]
    sections = [
        DemoSection(
            slug=item["slug"],
            name={language: item[f"name_{language}"] for language in LANGUAGES},
            description={language: item[f"description_{language}"] for language in LANGUAGES},
        )
        for item in listed
    ]
    known = {section.slug for section in sections}
    by_slug: dict[str, dict[str, tuple[dict[str, Any], str]]] = {}
    for path in sorted(directory.glob("*/*.md")):
        meta, body = read_article_file(path)
        if meta.get("section") not in known or path.parent.name != meta["section"]:
            raise DemoContentError(f"{path}: section must be its folder, one of sections.toml")
        by_slug.setdefault(meta["slug"], {})[meta["language"]] = (meta, body)
    ordered = sorted(by_slug.items(), key=lambda item: item[1][LANGUAGES[0]][0]["position"])
    return DemoContent(sections, [_article(slug, files) for slug, files in ordered])


def load_demo_articles(directory: Path = DEMO_DIR) -> int:
    """Create the demo sections and articles (published, reviewed) unless they exist;
    returns how many articles were created."""
    content = read_demo_content(directory)
    if Section.objects.filter(slug=content.sections[0].slug).exists():
        return 0
    with transaction.atomic():
        sections = {}
        for position, item in enumerate(content.sections):
            sections[item.slug] = Section.objects.create(
                slug=item.slug,
                name_en=item.name["en"],
                name_fi=item.name["fi"],
                name_pl=item.name["pl"],
                description_en=item.description["en"],
                description_fi=item.description["fi"],
                description_pl=item.description["pl"],
                position=position,
            )
        for position, demo in enumerate(content.articles):
            _create_article(demo, sections[demo.section], position)
        rebuild_index()
    return len(content.articles)


def _create_article(demo: DemoArticle, section: Section, position: int) -> None:
    article = Article(
        section=section,
        slug=demo.slug,
        kind=demo.kind,
        status=Article.Status.PUBLISHED,
        is_internal=demo.is_internal,
        video_url=demo.video_url,
        help_keys="\n".join(demo.help_keys),
        url_patterns="\n".join(demo.url_patterns),
        position=position,
        last_reviewed_on=DEMO_REVIEWED_ON,
        published_at=timezone.now(),
    )
    # Saved without signals' per-article indexing: the index is built once at the end.
    Article.objects.bulk_create([article])
    ArticleTranslation.objects.bulk_create(
        [
            _translation(article, language, title, body)
            for language, (title, body) in (("fi", demo.fi), ("pl", demo.pl), ("en", demo.en))
        ]
    )


def _translation(article: Article, language: str, title: str, body: str) -> ArticleTranslation:
    translation = ArticleTranslation(
        article=article, language=language, title=title, body_markdown=body
    )
    translation.render()
    return translation

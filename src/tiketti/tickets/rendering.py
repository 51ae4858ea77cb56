"""Turning message text into safe HTML."""

import re

import nh3
from django.utils.html import linebreaks, urlize

ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "img",
    "h1",
    "h2",
    "h3",
    "h4",
}


def sanitize_html(html: str) -> str:
    """Keep formatting, drop anything that runs or loads from elsewhere."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt"}, "td": {"colspan"}},
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
    )


def text_to_html(text: str) -> str:
    """Plain text as paragraphs with clickable links, everything else escaped."""
    return str(linebreaks(urlize(text, nofollow=True, autoescape=True), autoescape=False))


_CID = re.compile(r"""(src\s*=\s*["']?)cid:([^"'\s>]+)""", re.IGNORECASE)


def rewrite_inline_images(html: str, urls: dict[str, str]) -> str:
    """Point `cid:` images at the stored attachments; unknown ones lose their source."""

    def replace(match: re.Match[str]) -> str:
        url = urls.get(match.group(2).strip("<>"))
        return f"{match.group(1)}{url}" if url else f"{match.group(1)}"

    return _CID.sub(replace, html)

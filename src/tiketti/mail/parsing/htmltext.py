"""Message HTML: sanitised for display, rendered as plain text for reading and search."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

# --------------------------------------------------------------------------- HTML


def _strip_remote_images(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: drop image sources except ``cid:`` references.

    Remote images are tracking beacons; ``cid:`` is kept so stored attachments can be wired in.
    Must never raise (nh3 reports filter errors through ``sys.unraisablehook``).
    """
    if tag == "img" and attribute == "src" and not value.strip().lower().startswith("cid:"):
        return None
    return value


_HTML_CLEANER = nh3.Cleaner(
    clean_content_tags={"script", "style", "title", "head", "template", "noscript"},
    url_schemes={"http", "https", "mailto", "tel", "cid"},
    attribute_filter=_strip_remote_images,
    url_relative="deny",
)


def sanitize_html(markup: str) -> str:
    """Sanitize message HTML: no scripts, styles, event handlers or remote images."""
    try:
        return _HTML_CLEANER.clean(markup)
    except Exception:  # nh3 is Rust; be defensive anyway
        return nh3.escape(markup)


class _HtmlToText(HTMLParser):
    """Render HTML as readable plain text: paragraphs, line breaks, lists, quoted blocks and
    links as ``text (url)``. Hidden elements (``display:none`` pre-headers) are skipped."""

    _BLOCKS = frozenset(
        {"div", "tr", "li", "dt", "dd", "hr", "section", "article", "header", "footer", "nav"}
        | {"address", "center", "form", "fieldset", "figure", "caption", "main", "aside"}
    )
    _PARAGRAPHS = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote", "pre"}
    )
    _SKIPPED = frozenset({"script", "style", "title", "template", "noscript", "head"})
    _LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "tel:")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._chunks: list[str] = []
        self._pending_newlines = 0
        self._line_start = True
        self._skip: list[str] = []
        self._hidden: list[tuple[str, int]] = []
        self._pre = 0
        self._quote = 0
        self._lists: list[list[int]] = []
        self._links: list[tuple[str, int]] = []

    # -- output helpers
    def _break(self, count: int) -> None:
        if self._chunks:
            self._pending_newlines = max(self._pending_newlines, count)

    def _write(self, text: str) -> None:
        if self._pending_newlines:
            self._chunks.append("\n" * self._pending_newlines)
            self._pending_newlines = 0
            self._line_start = True
        for index, line in enumerate(text.split("\n")):
            if index:
                self._chunks.append("\n")
                self._line_start = True
            if self._line_start:
                if not line:
                    continue
                self._chunks.append("> " * self._quote)
                self._line_start = False
            elif not self._pre and line.startswith(" ") and self._chunks[-1].endswith(" "):
                line = line.lstrip(" ")
            self._chunks.append(line)

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._track_hidden(tag, attrs) or self._skip or self._hidden:
            return
        if tag in self._SKIPPED:
            self._skip.append(tag)
        elif tag == "br":
            self._pending_newlines += 1 if self._chunks else 0
        elif tag == "li":
            self._start_list_item()
            return
        elif tag in ("td", "th") and not (self._line_start or self._pending_newlines):
            self._write(" ")
        elif tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self._chunks)))
        self._open_block(tag)

    def _open_block(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._break(1 if self._lists else 2)  # a nested list continues its item
            self._lists.append([1 if tag == "ol" else 0])
            return
        elif tag == "blockquote":
            self._break(2)
            self._quote += 1
        elif tag == "pre":
            self._pre += 1
        if tag in self._PARAGRAPHS:
            self._break(2)
        elif tag in self._BLOCKS:
            self._break(1)

    def _start_list_item(self) -> None:
        self._break(1)
        depth = max(len(self._lists), 1)
        marker = "- "
        if self._lists and self._lists[-1][0]:
            marker = f"{self._lists[-1][0]}. "
            self._lists[-1][0] += 1
        self._write("  " * (depth - 1) + marker)

    def _track_hidden(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """Count nesting of the tag that hid its content; True if this tag is hidden."""
        if self._hidden:
            hidden_tag, depth = self._hidden[-1]
            if tag == hidden_tag:
                self._hidden[-1] = (hidden_tag, depth + 1)
            return True
        style = (dict(attrs).get("style") or "").replace(" ", "").lower()
        if "display:none" in style and tag not in ("br", "img", "hr", "input", "meta"):
            self._hidden.append((tag, 1))
            return True
        return False

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            hidden_tag, depth = self._hidden[-1]
            if tag == hidden_tag:
                self._hidden[-1] = (hidden_tag, depth - 1)
                if depth <= 1:
                    self._hidden.pop()
            return
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag == "a" and self._links:
            self._close_link()
        self._close_block(tag)

    def _close_block(self, tag: str) -> None:
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
            self._break(1 if self._lists else 2)
            return
        elif tag == "blockquote" and self._quote:
            self._break(2)
            self._quote -= 1
        elif tag == "pre" and self._pre:
            self._pre -= 1
        if tag in self._PARAGRAPHS:
            self._break(2)
        elif tag in self._BLOCKS:
            self._break(1)

    def _close_link(self) -> None:
        href, start = self._links.pop()
        href = href.strip()
        label = "".join(self._chunks[start:]).strip()
        if not label or not href.lower().startswith(self._LINK_SCHEMES):
            return
        shown = href.removeprefix("mailto:").removeprefix("tel:")
        if shown.rstrip("/") != label.rstrip("/") and href.rstrip("/") != label.rstrip("/"):
            self._write(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self._skip or self._hidden:
            return
        if not self._pre:
            data = _HTML_SPACE.sub(" ", data)
            if self._line_start:
                data = data.lstrip(" ")
            if not data:
                return
        self._write(data)

    def text(self) -> str:
        joined = "".join(self._chunks).translate(_INVISIBLE)
        lines = [line.rstrip() for line in joined.split("\n")]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# No-break space becomes a space; zero-width characters and soft hyphens (used as invisible
# "preheader" padding by newsletter tools) disappear.
_INVISIBLE: dict[int, str | None] = {0xA0: " ", 0xAD: None, 0x034F: None, 0xFEFF: None}
_INVISIBLE.update(dict.fromkeys(range(0x200B, 0x200E)))
_TAG = re.compile(r"<[^>]*>")


def html_to_text(markup: str) -> str:
    """Convert HTML to readable plain text (see :class:`_HtmlToText`). Never raises."""
    parser = _HtmlToText()
    try:
        parser.feed(markup)
        parser.close()
        return parser.text()
    except Exception:  # HTMLParser has asserted on pathological markup in some versions
        text = html.unescape(_TAG.sub(" ", markup))
        return _BLANK_LINES.sub("\n\n", text).strip()

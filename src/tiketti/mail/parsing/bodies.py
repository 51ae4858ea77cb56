"""The MIME tree's leaves, their text, and the message bodies made of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message

from .charsets import _decode_bytes, _normalize_charset, _scrub
from .collector import _Collector
from .htmltext import html_to_text, sanitize_html
from .parts import _content_type, _decoded_payload, _part_charset, _part_param

# Resource limits: a message is untrusted input (see flanker/enclosed-endless.eml, 3,000 parts).
MAX_PARTS = 1000
MAX_DEPTH = 30


_HTML_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def _iter_leaves(message: Message, collector: _Collector) -> Iterator[tuple[Message, str, bool]]:
    """Depth-first leaves of the MIME tree with their content type and whether they are
    inside a multipart/alternative, iteratively and bounded.

    ``message/*`` parts are leaves: a forwarded message is kept whole as an attachment.
    """
    stack: list[tuple[Message, int, bool]] = [(message, 0, False)]
    seen = 0
    while stack:
        part, depth, in_alternative = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            collector.defect(f"more than {MAX_PARTS} MIME parts; the rest was ignored")
            return
        content_type = _content_type(part)
        payload = part.get_payload()
        if content_type.startswith("multipart/") and isinstance(payload, list):
            if depth >= MAX_DEPTH:
                collector.defect(f"MIME nesting deeper than {MAX_DEPTH}; inner parts ignored")
                continue
            children = [child for child in reversed(payload) if isinstance(child, Message)]
            alternative = in_alternative or content_type == "multipart/alternative"
            stack.extend((child, depth + 1, alternative) for child in children)
        else:
            yield part, content_type, in_alternative


_FLOWED_QUOTE = re.compile(r"^(>+) ?")


def _unflow(text: str, delete_space: bool) -> str:
    """Join RFC 3676 format=flowed soft line breaks (a line ending in a space continues on the
    next line of the same quote depth), undoing space-stuffing."""
    lines: list[tuple[int, str]] = []
    continues = False
    for line in text.split("\n"):
        match = _FLOWED_QUOTE.match(line)
        if match:
            depth, content = len(match.group(1)), line[match.end() :]
        else:
            depth, content = 0, line.removeprefix(" ")
        if continues and lines[-1][0] == depth:
            previous = lines[-1][1]
            lines[-1] = (depth, (previous[:-1] if delete_space else previous) + content)
        else:
            lines.append((depth, content))
        last = lines[-1][1]
        continues = last.endswith(" ") and last != "-- "
    return "\n".join((">" * depth + " " if depth else "") + content for depth, content in lines)


def _part_text(part: Message, content_type: str, collector: _Collector) -> str:
    """Decode a text part to ``str`` with charset fallbacks and normalised line endings."""
    data = _decoded_payload(part)
    declared = _part_charset(part)
    if not declared and content_type == "text/html":
        sniffed = _HTML_META_CHARSET.search(data[:4096])
        declared = _normalize_charset(sniffed.group(1).decode("ascii")) if sniffed else ""
    text, used = _decode_bytes(data, declared, hints=collector.header_charsets)
    if declared and used != declared:
        collector.defect(f"{content_type} part: declared charset {declared!r}, decoded as {used}")
    elif not declared and used not in ("ascii", "utf-8"):
        collector.defect(f"{content_type} part: no charset declared, decoded as {used}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if content_type == "text/plain" and _part_param(part, "format").lower() == "flowed":
        text = _unflow(text, _part_param(part, "delsp").lower() == "yes")
    return _scrub(text)


def _mime_defects(message: Message, collector: _Collector) -> None:
    for part in message.walk() if len(collector.defects) < 50 else ():
        for defect in getattr(part, "defects", ()):
            collector.defect(f"mime: {type(defect).__name__}")


def _bodies(collector: _Collector) -> tuple[str, str]:
    """(body_text, body_html) preferring text/plain; TNEF bodies only if nothing else."""
    plain = [text for text in collector.plain if text.strip()] or collector.tnef_plain
    html_parts = [text for text in collector.html if text.strip()] or collector.tnef_html
    html_joined = "\n".join(html_parts)
    if plain:
        body_text = "\n\n".join(text.strip("\n") for text in plain)
    else:
        body_text = html_to_text(html_joined) if html_joined else ""
    body_html = sanitize_html(html_joined) if html_joined.strip() else ""
    return _scrub(body_text.strip()), _scrub(body_html)

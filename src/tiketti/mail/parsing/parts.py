"""Reading one MIME part: its type, parameters, charset and decoded payload."""

from __future__ import annotations

import re
from email.message import Message

from .charsets import _normalize_charset

_MIME_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")


def _content_type(part: Message) -> str:
    """The part's MIME type, lower-cased and cleaned (``text/plain>`` → ``text/plain``)."""
    try:
        raw = part.get_content_type()
    except Exception:
        return "text/plain"
    match = _MIME_TYPE.match(raw.lower())
    return match.group(0) if match else "text/plain"


def _part_param(part: Message, name: str, header: str = "content-type") -> str:
    try:
        value = part.get_param(name, header=header)
    except Exception:
        return ""
    if isinstance(value, tuple):  # RFC 2231 (charset, language, value)
        value = value[2]
    return str(value or "")


def _part_charset(part: Message) -> str:
    return _normalize_charset(_part_param(part, "charset"))


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").strip().lower()
    except Exception:
        return ""


def _decoded_payload(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b""

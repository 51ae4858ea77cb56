"""Attachment names and the bytes of attached messages."""

from __future__ import annotations

import io
import mimetypes
import re
import unicodedata
from email.generator import BytesGenerator
from email.message import Message

from .charsets import _decode_bytes, _normalize_charset, _scrub
from .headers import _FOLDING, _WHITESPACE, _fix_8bit, _RawHeaders, decode_header_value
from .parts import _content_type, _decoded_payload

_MIMETYPES = mimetypes.MimeTypes()  # built-in table only: same result on every machine
_EXTENSIONS = {
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "application/ms-tnef": ".dat",
    "application/vnd.ms-tnef": ".dat",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
}


def _filename_param(part: Message) -> str:
    """``filename`` (Content-Disposition) or ``name`` (Content-Type), RFC 2231 decoded with
    our charset fallbacks (the stdlib would insert U+FFFD for bytes invalid in the charset)."""
    for name, header in (("filename", "content-disposition"), ("name", "content-type")):
        try:
            value = part.get_param(name, header=header)
        except Exception:  # malformed parameters; try the next header
            value = None
        if isinstance(value, tuple):  # RFC 2231: (charset, language, percent-decoded text)
            charset, _, text = value
            raw = str(text).encode("raw-unicode-escape")
            return _decode_bytes(raw, _normalize_charset(charset))[0].strip()
        if value:
            return str(value).strip().strip('"')
    return ""


def _raw_filename(part: Message, headers: _RawHeaders, *charsets: str) -> str:
    """The declared filename, RFC 2231 decoded; it may still hold RFC 2047 encoded words."""
    raw_values = [*headers.all("content-type"), *headers.all("content-disposition")]
    if not all(value.isascii() for value in raw_values):
        # compat32 turns raw 8-bit parameter bytes into U+FFFD; re-parse them from fixed text.
        shadow = Message()
        for name in ("content-type", "content-disposition"):
            for value in headers.all(name):
                shadow[name] = _fix_8bit(_FOLDING.sub("", value), *charsets)
        part = shadow
    return _filename_param(part)


_UNSAFE_FILENAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\u202a-\u202e\u2066-\u2069]')
_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$")
MAX_FILENAME_CHARS = 150


def safe_filename(name: str, default: str) -> str:
    """A base name that is safe on every filesystem and in a Content-Disposition header.

    Path parts, control and Windows-reserved characters and bidi overrides (``exe.pdf``
    spoofing) are removed; leading dots (hidden files, ``..``) are stripped.
    """
    name = unicodedata.normalize("NFC", _scrub(name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_FILENAME_CHARS.sub("_", name)
    name = _WHITESPACE.sub(" ", name).strip(" .")
    if not name or not name.strip("_"):
        return default
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: MAX_FILENAME_CHARS - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME_CHARS]
    return name


def _extension_for(content_type: str) -> str:
    if content_type in _EXTENSIONS:
        return _EXTENSIONS[content_type]
    guessed = _MIMETYPES.guess_extension(content_type)
    if guessed:
        return guessed
    return ".txt" if content_type.startswith(("text/", "message/")) else ".bin"


def _content_type_for(filename: str) -> str:
    guessed, _ = _MIMETYPES.guess_type(filename)
    return guessed or "application/octet-stream"


class _VerbatimHeaderGenerator(BytesGenerator):
    """BytesGenerator that writes headers exactly as received instead of refolding them.

    Refolding (``policy.fold_binary``) costs more than parsing the whole message and changes
    the bytes of a forwarded message; the raw values still carry their original folding.
    """

    def _write_headers(self, msg: Message) -> None:
        items = list(msg.raw_items())
        try:
            lines = [f"{name}: {value}".encode("ascii", "surrogateescape") for name, value in items]
        except UnicodeEncodeError:  # not parsed from bytes: let the stdlib fold and encode it
            super()._write_headers(msg)  # type: ignore[misc]
            return
        for line in lines:
            self.write(line.decode("ascii", "surrogateescape") + self._NL)  # type: ignore[attr-defined]
        self.write(self._NL)  # type: ignore[attr-defined]


def _message_bytes(message: Message) -> bytes:
    buffer = io.BytesIO()
    try:
        _VerbatimHeaderGenerator(buffer, mangle_from_=False).flatten(message)
    except Exception:
        return str(message).encode("utf-8", "surrogateescape")
    return buffer.getvalue()


def _message_part_bytes(part: Message) -> bytes:
    """Bytes of a ``message/*`` part: the enclosed message, or DSN field blocks."""
    payload = part.get_payload()
    if not isinstance(payload, list):
        return _decoded_payload(part)
    enclosed = payload[0] if len(payload) == 1 else None
    if _content_type(part) in ("message/rfc822", "message/global") and isinstance(
        enclosed, Message
    ):
        return _message_bytes(enclosed)
    # message/delivery-status: the stdlib splits the field blocks into header-only messages.
    blocks = []
    for block in payload:
        if isinstance(block, Message):
            lines = (f"{name}: {value}" for name, value in block.raw_items())
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks).encode("utf-8", "surrogateescape") + b"\n"


def _enclosed_subject(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        subject = _RawHeaders.of(payload[0]).first("subject")
        return decode_header_value(subject)[:80] if subject else ""
    return ""

"""Raw bytes in, a :class:`ParsedEmail` out: the MIME walk and the assembly.

The stdlib parser runs with ``email.policy.compat32`` by default. ``policy.default`` builds a
structured header object for every header it touches (even for ``get_content_type()``) and
made this whole function about 4x slower on the shared corpus (``bench/bench_mail.py``:
~600 vs ~150 messages/s), while giving us nothing we do not redo anyway: real-world headers
need charset fallbacks that neither policy has.
"""

from __future__ import annotations

from collections.abc import Sequence
from email import policy as email_policy
from email.errors import MissingHeaderBodySeparatorDefect
from email.message import Message
from email.parser import BytesParser
from itertools import islice
from typing import Literal

from .addresses import _parse_addresses
from .attachments import (
    _content_type_for,
    _enclosed_subject,
    _message_part_bytes,
    _raw_filename,
    safe_filename,
)
from .bodies import MAX_PARTS, _bodies, _iter_leaves, _mime_defects, _part_text
from .collector import _Collector
from .headers import (
    _interesting_headers,
    _message_ids,
    _parse_date,
    _RawHeaders,
    decode_header_value,
)
from .parts import _content_type, _decoded_payload, _disposition, _part_charset, _part_param
from .pgp import strip_pgp_armour
from .repair import repair_header_block
from .replies import extract_reply
from .results import Address, ParsedEmail
from .tnef import _TNEF_TYPES, _unpack_tnef
from .uuencode import extract_uuencoded

PolicyName = Literal["compat32", "default"]


def _handle_leaf(
    part: Message, content_type: str, collector: _Collector, in_alternative: bool = False
) -> None:
    headers = _RawHeaders.of(part)
    charsets = collector.header_charsets
    filename = decode_header_value(_raw_filename(part, headers, *charsets), *charsets)
    disposition = _disposition(part)
    if content_type.startswith("message/"):
        name = filename
        if not name and content_type in ("message/rfc822", "message/global"):
            subject = safe_filename(_enclosed_subject(part), "")
            name = f"{subject}.eml" if subject else ""
        collector.add_attachment(headers, name, content_type, _message_part_bytes(part))
    elif content_type in _TNEF_TYPES or filename.lower() == "winmail.dat":
        _unpack_tnef(headers, filename, _decoded_payload(part), collector)
    elif content_type == "text/plain" and disposition != "attachment" and not filename:
        _add_plain_text(_part_text(part, content_type, collector), collector)
    elif (
        content_type == "text/html"
        and disposition != "attachment"
        and not filename
        # Not an alternative of the body, and a body came before it: a document sent along.
        and (in_alternative or not collector.has_body())
    ):
        collector.html.append(_part_text(part, content_type, collector))
    elif content_type.startswith("multipart/"):
        # A multipart without a usable boundary: its content is all we have, show it as text.
        collector.defect(f"{content_type} without boundary treated as text")
        collector.plain.append(_part_text(part, "text/plain", collector))
    else:
        collector.add_attachment(headers, filename, content_type, _decoded_payload(part))


def _add_plain_text(text: str, collector: _Collector) -> None:
    """A text part as staff read it: inline uuencoded files become attachments, inline PGP
    armour goes (the signed text stays)."""
    text, files = extract_uuencoded(text)
    for name, content in files:
        collector.add_attachment(None, name, _content_type_for(name), content)
    collector.plain.append(strip_pgp_armour(text))


# --------------------------------------------------------------------------- assembly


_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"


def _parse_non_rfc5322(raw: bytes) -> ParsedEmail | None:
    """Inputs that are not RFC 5322 at all but that mail systems hand over anyway.

    An Outlook ``.msg`` (OLE compound file) is kept as an attachment; a bare TNEF stream
    (``winmail.dat`` saved on its own) is unpacked like a winmail.dat attachment.
    """
    collector = _Collector()
    if raw.startswith(_OLE_SIGNATURE):
        collector.defect("input is an Outlook .msg (OLE compound file), not an RFC 5322 message")
        collector.add_attachment(None, "message.msg", "application/vnd.ms-outlook", raw)
    elif raw.startswith(_TNEF_SIGNATURE):
        collector.defect("input is a bare TNEF (winmail.dat) stream, not an RFC 5322 message")
        _unpack_tnef(None, "winmail.dat", raw, collector)
    else:
        return None
    body_text, body_html = _bodies(collector)
    return ParsedEmail(
        body_text=body_text,
        body_html=body_html,
        reply_text=extract_reply(body_text),
        attachments=tuple(collector.attachments),
        defects=tuple(collector.defects),
        size=len(raw),
    )


def _parse_message(raw: bytes, policy: PolicyName) -> ParsedEmail:
    special = _parse_non_rfc5322(raw)
    if special is not None:
        return special
    notes = []
    source = raw
    if b"\r" in raw and b"\n" not in raw:
        # Classic Mac line endings: the stdlib splits lines on a bare CR, but its
        # quoted-printable decoder stops at a "=\r" soft line break and drops the rest.
        source = raw.replace(b"\r", b"\n")
        notes.append("bare CR line endings converted to LF")
    chosen = email_policy.default if policy == "default" else email_policy.compat32
    message = BytesParser(policy=chosen).parsebytes(source)
    if _header_block_broken(message) and (repaired := repair_header_block(source)):
        source, dropped = repaired
        notes.append(f"{dropped} line(s) in the header block that were no headers skipped")
        message = BytesParser(policy=chosen).parsebytes(source)
    headers = _RawHeaders.of(message)
    collector = _Collector(header_charsets=_declared_charsets(message, raw))
    for note in notes:
        collector.defect(note)
    for part, content_type, in_alternative in _iter_leaves(message, collector):
        try:
            _handle_leaf(part, content_type, collector, in_alternative)
        except Exception as error:  # one broken part must not lose the rest of the message
            collector.defect(f"{content_type} part skipped: {type(error).__name__}")
    _mime_defects(message, collector)
    return _assemble(raw, message, headers, collector)


def _header_block_broken(message: Message) -> bool:
    return any(isinstance(d, MissingHeaderBodySeparatorDefect) for d in message.defects)


def _declared_charsets(message: Message, raw: bytes) -> tuple[str, ...]:
    """The charsets the message's parts declare: what raw 8-bit headers were most likely
    written in. Not needed (and not read) when the message is ASCII."""
    if raw.isascii():
        return ()
    found = dict.fromkeys(_part_charset(part) for part in islice(message.walk(), MAX_PARTS))
    return tuple(c for c in found if c and c not in ("ascii", "us-ascii", "utf-8"))


def _senders(headers: _RawHeaders, charsets: tuple[str, ...]) -> tuple[Address, ...]:
    """Who sent it: From; for an empty group (``From: Undisclosed: ;``) Sender, then the
    envelope sender (Return-Path)."""
    for name in ("from", "sender", "return-path"):
        found = _parse_addresses(headers.all(name), *charsets)
        if any(address.address for address in found):
            return found
    return _parse_addresses(headers.all("from"), *charsets)


def _assemble(
    raw: bytes, message: Message, headers: _RawHeaders, collector: _Collector
) -> ParsedEmail:
    charsets = collector.header_charsets
    senders = _senders(headers, charsets)
    body_text, body_html = _bodies(collector)
    date = _parse_date(headers.first("date"))
    if headers.first("date") and date is None:
        collector.defect("unparseable Date header")
    return ParsedEmail(
        message_id=(_message_ids(headers.first("message-id")) or ("",))[0],
        in_reply_to=_message_ids(" ".join(headers.all("in-reply-to"))),
        references=_message_ids(" ".join(headers.all("references"))),
        subject=decode_header_value(headers.first("subject"), *charsets),
        from_name=senders[0].name if senders else "",
        from_address=senders[0].address if senders else "",
        reply_to=_parse_addresses(headers.all("reply-to"), *charsets),
        to=_parse_addresses(headers.all("to"), *charsets),
        cc=_parse_addresses(headers.all("cc"), *charsets),
        date=date,
        body_text=body_text,
        body_html=body_html,
        reply_text=extract_reply(body_text),
        attachments=tuple(collector.attachments),
        headers=_interesting_headers(headers, *charsets),
        auto_submitted=decode_header_value(headers.first("auto-submitted")).lower(),
        content_type=_content_type(message),
        report_type=_part_param(message, "report-type").strip().lower(),
        hop_count=len(headers.all("received")),
        defects=tuple(collector.defects),
        size=len(raw),
    )


def parse_all(raws: Sequence[bytes]) -> list[ParsedEmail]:
    """`parse_email` for each message: what an import's helper process runs."""
    return [parse_email(raw) for raw in raws]


def parse_email(raw: bytes, *, policy: PolicyName = "compat32") -> ParsedEmail:
    """Parse raw message bytes into a :class:`ParsedEmail`. Never raises.

    ``policy`` selects the stdlib parser policy; ``"compat32"`` (the default) is the fast one,
    ``"default"`` exists for the benchmark and gives the same results.
    """
    try:
        data = bytes(raw)
    except Exception:  # str or other junk passed despite the annotation
        data = str(raw).encode("utf-8", "surrogateescape")
    try:
        return _parse_message(data, policy)
    except Exception as error:  # last line of defence: the stdlib parser has bugs too
        return ParsedEmail(
            defects=(f"message could not be parsed: {type(error).__name__}: {error}"[:300],),
            size=len(data),
        )

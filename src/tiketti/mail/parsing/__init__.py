"""Turn the raw bytes of an inbound e-mail into a :class:`ParsedEmail`.

Pure code: no Django, no ORM, no I/O. :func:`parse_email` never raises, whatever it is fed;
whatever could not be understood is reported in ``ParsedEmail.defects`` instead.

The package's modules, in the order they depend on each other: ``results`` (the returned
values), ``detect`` (guessing an unlabelled charset), ``charsets``, ``headers``,
``addresses``, ``subjects``, ``htmltext``, ``replies``, ``parts`` (one MIME part),
``attachments`` (names, attached messages), ``collector``, ``bodies`` (the MIME walk),
``tnef``, ``repair`` (broken header blocks), ``uuencode`` and ``pgp`` (inline files and
armour in text) and ``message`` (``parse_email`` itself).
"""

from .attachments import safe_filename
from .headers import HEADERS_OF_INTEREST, decode_header_value
from .htmltext import html_to_text, sanitize_html
from .message import PolicyName, parse_all, parse_email
from .replies import REPLY_LANGUAGES, extract_reply
from .results import Address, ParsedAttachment, ParsedEmail
from .subjects import find_ticket_numbers, normalize_subject

__all__ = [
    "HEADERS_OF_INTEREST",
    "REPLY_LANGUAGES",
    "Address",
    "ParsedAttachment",
    "ParsedEmail",
    "PolicyName",
    "decode_header_value",
    "extract_reply",
    "find_ticket_numbers",
    "html_to_text",
    "normalize_subject",
    "parse_all",
    "parse_email",
    "safe_filename",
    "sanitize_html",
]

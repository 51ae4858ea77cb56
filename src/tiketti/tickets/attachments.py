"""Checking and storing uploaded files: size limits, type sniffing, the admins' file type
policy, safe names. Every channel's files pass here: portal and API uploads are refused
with `AttachmentTypeBlocked`; a mail's blocked file is kept out (its name recorded, its
bytes not stored), as a mail cannot be answered with a form error."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiketti.reference_data import ReferenceData

from .errors import AttachmentRefused, AttachmentTypeBlocked
from .models import Attachment, FileTypePolicy, Message, Ticket

# Types a browser would run or render as a page: stored, but always served as a download
# with a neutral type, so an upload can never execute in our origin.
ACTIVE_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "image/svg+xml", "application/javascript"}
)


@dataclass(frozen=True)
class IncomingFile:
    """A file arriving through any channel, already read into memory."""

    name: str
    content: bytes
    declared_type: str = ""
    # Mail: the part's Content-ID, so `cid:` images in the HTML can point at the stored file.
    content_id: str = ""


def download_response(
    file: FieldFile, filename: str, content_type: str, *, public: bool = False
) -> FileResponse:
    """A stored file, always as a download: active content (HTML, SVG, …) is never
    rendered by the browser. Only public files may be cached by others."""
    if content_type in ACTIVE_CONTENT_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


# Control characters and the bidi overrides that make "exe.pdf" of "fdp.exe".
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_FILENAME_CHARS = 200


def safe_filename(name: str) -> str:
    """The name the sender gave, as shown and offered for download: only path parts,
    control characters and leading dots go, and it is kept to 200 characters (its
    extension too). Spaces, brackets and every script stay (the downloads' header
    carries them as RFC 5987 ``filename*``); only the storage path is made plainer."""
    base = _UNSHOWABLE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = base.strip().lstrip(".").strip()
    if len(base) > MAX_FILENAME_CHARS:
        stem, dot, extension = base.rpartition(".")
        keep = MAX_FILENAME_CHARS - len(extension) - 1
        base = stem[:keep] + dot + extension if dot and keep > 0 else base[:MAX_FILENAME_CHARS]
    return base or "attachment.bin"


def _storage_name(name: str) -> str:
    """The file's name on disk (or S3): letters, digits, dots, dashes and underscores."""
    try:
        return get_valid_filename(name)[:MAX_FILENAME_CHARS]
    except Exception:  # Django raises SuspiciousFileOperation for names it cannot use
        return "attachment.bin"


def sniff_content_type(content: bytes, declared_type: str) -> str:
    """The type the bytes really are; a declared type is believed only for plain text."""
    kind = filetype.guess(content[:8192])
    if kind is not None:
        return str(kind.mime)
    try:
        content[:8192].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    if declared_type in {"text/csv", "text/plain", "text/calendar", "message/rfc822"}:
        return declared_type
    return "text/plain"


@dataclass(frozen=True)
class FileRules:
    """The file type policy as plain values: lower-case extensions without dots, MIME types."""

    blocked_extensions: frozenset[str]
    blocked_types: frozenset[str]
    allowed_extensions: frozenset[str] = frozenset()


def _words(text: str) -> frozenset[str]:
    return frozenset(
        word.strip().lstrip(".").lower() for word in re.split(r"[\s,;]+", text) if word.strip(" .")
    )


def _load_rules() -> FileRules:
    policy = FileTypePolicy.objects.first() or FileTypePolicy()
    return FileRules(
        blocked_extensions=_words(policy.blocked_extensions),
        blocked_types=_words(policy.blocked_types),
        allowed_extensions=_words(policy.allowed_extensions),
    )


_rules = ReferenceData(_load_rules, watch=("tickets.FileTypePolicy",))


def _extension(name: str) -> str:
    stem, dot, extension = safe_filename(name).rstrip(". ").rpartition(".")
    return extension.lower() if dot and stem else ""


def file_type_refusal(name: str, content: bytes, rules: FileRules) -> str | None:
    """Why the policy refuses this file (the type it was judged by), or None. The name's
    extension and the type its bytes really are both count: "invoice.pdf" that is a
    program is refused as a program."""
    extension = _extension(name)
    kind = filetype.guess(content[:8192])
    sniffed_type = str(kind.mime) if kind is not None else ""
    sniffed_extension = str(kind.extension).lower() if kind is not None else ""
    if sniffed_type in rules.blocked_types:
        return sniffed_type
    for candidate in (extension, sniffed_extension):
        if candidate and candidate in rules.blocked_extensions:
            return f".{candidate}"
    if rules.allowed_extensions:
        if extension not in rules.allowed_extensions:
            return f".{extension}" if extension else _("no extension")
        if sniffed_extension and sniffed_extension not in rules.allowed_extensions:
            return sniffed_type
    return None


def check_file_type(name: str, content: bytes) -> None:
    """Every channel's type rule: refuse a file the admins' file type policy blocks."""
    refusal = file_type_refusal(name, content, _rules.get())
    if refusal is not None:
        raise AttachmentTypeBlocked(
            _(
                "“%(name)s” cannot be attached: files of this type (%(type)s) are not "
                "accepted. Send a different format, or ask support how to send it."
            )
            % {"name": safe_filename(name), "type": refusal}
        )


def check_files(files: Sequence[IncomingFile], *, channel: str, already_attached: int = 0) -> None:
    """Refuse the whole set before anything is saved: all or nothing. A mail's files of a
    blocked type are not refused: `store_attachment` keeps them out."""
    check_file_count(len(files) + already_attached)
    for incoming in files:
        check_file_size(incoming.name, len(incoming.content))
        if channel != Ticket.Channel.EMAIL:
            check_file_type(incoming.name, incoming.content)


def check_file_count(count: int) -> None:
    if count > settings.TIKETTI_MAX_ATTACHMENTS:
        raise AttachmentRefused(
            ngettext(
                "At most %(count)d file can be attached at once.",
                "At most %(count)d files can be attached at once.",
                settings.TIKETTI_MAX_ATTACHMENTS,
            )
            % {"count": settings.TIKETTI_MAX_ATTACHMENTS}
        )


def check_file_size(name: str, size: int) -> None:
    """Every channel's size rule: one file may be at most TIKETTI_MAX_ATTACHMENT_BYTES."""
    limit = int(settings.TIKETTI_MAX_ATTACHMENT_BYTES)
    if size > limit:
        raise AttachmentRefused(
            _("“%(name)s” is too large: the limit is %(limit)d MB per file.")
            % {"name": safe_filename(name), "limit": limit // (1024 * 1024)},
            code="attachment_too_large",
        )


def store_attachment(message: Message, incoming: IncomingFile) -> Attachment:
    """Store the file; one the file type policy blocks is recorded without its bytes."""
    name = safe_filename(incoming.name)
    content_type = sniff_content_type(incoming.content, incoming.declared_type)
    digest = hashlib.sha256(incoming.content).hexdigest()
    attachment = Attachment(
        ticket=message.ticket,
        message=message,
        filename=name,
        content_type=content_type,
        size=len(incoming.content),
        sha256=digest,
        content_id=incoming.content_id[:250],
        blocked_type=(file_type_refusal(incoming.name, incoming.content, _rules.get()) or "")[:100],
    )
    if attachment.is_blocked:
        attachment.save()
        return attachment
    # The same file (a logo in every signature, a re-sent screenshot) is stored once.
    same = Attachment.objects.filter(sha256=digest, size=len(incoming.content)).first()
    if same is not None and same.file.name and same.file.storage.exists(same.file.name):
        attachment.file.name = same.file.name
    else:
        attachment.file.save(_storage_name(name), ContentFile(incoming.content), save=False)
    attachment.save()
    return attachment

"""What a walk over the MIME tree collects."""

from __future__ import annotations

from dataclasses import dataclass, field

from .attachments import _extension_for, safe_filename
from .headers import _message_ids, _RawHeaders
from .results import ParsedAttachment


@dataclass(slots=True)
class _Collector:
    """Mutable state while walking the MIME tree."""

    # The charsets the message declares (its parts' Content-Type), for raw 8-bit headers.
    header_charsets: tuple[str, ...] = ()
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    tnef_plain: list[str] = field(default_factory=list)
    tnef_html: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    def has_body(self) -> bool:
        return any(text.strip() for text in (*self.plain, *self.html))

    def _distinct(self, name: str) -> str:
        """``report.pdf``, then ``report (2).pdf``: staff must tell two files apart."""
        taken = {attachment.filename.lower() for attachment in self.attachments}
        if name.lower() not in taken:
            return name
        stem, dot, extension = name.rpartition(".")
        if not dot or not stem or len(extension) > 16:
            stem, dot, extension = name, "", ""
        number = 2
        while f"{stem} ({number}){dot}{extension}".lower() in taken:
            number += 1
        return f"{stem} ({number}){dot}{extension}"

    def defect(self, text: str) -> None:
        if text not in self.defects:
            self.defects.append(text)

    def add_attachment(
        self, part_headers: _RawHeaders | None, filename: str, content_type: str, content: bytes
    ) -> None:
        default = f"attachment-{len(self.attachments) + 1}{_extension_for(content_type)}"
        content_id, disposition = "", ""
        if part_headers is not None:
            content_id = next(iter(_message_ids(part_headers.first("content-id"))), "")
            disposition = part_headers.first("content-disposition").split(";")[0]
            disposition = disposition.strip().lower()
        self.attachments.append(
            ParsedAttachment(
                filename=self._distinct(safe_filename(filename, default)),
                content_type=content_type,
                content=content,
                content_id=content_id,
                is_inline=disposition == "inline" or (not disposition and bool(content_id)),
            )
        )

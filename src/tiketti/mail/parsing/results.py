"""What parsing returns: plain, picklable values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox from an address header: decoded display name and lower-cased address."""

    name: str
    address: str

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True, slots=True)
class ParsedAttachment:
    """A file carried by the message (including inline images and forwarded messages)."""

    filename: str
    content_type: str
    content: bytes = field(repr=False)
    content_id: str = ""
    is_inline: bool = False

    @property
    def size(self) -> int:
        """Size of the decoded content in bytes."""
        return len(self.content)


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    """Everything the helpdesk needs from one inbound message, decoded to readable text."""

    message_id: str = ""
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    reply_to: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    date: datetime | None = None
    body_text: str = ""
    body_html: str = ""
    reply_text: str = ""
    attachments: tuple[ParsedAttachment, ...] = ()
    headers: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    auto_submitted: str = ""
    content_type: str = ""
    report_type: str = ""
    hop_count: int = 0
    defects: tuple[str, ...] = ()
    size: int = 0

    def __reduce__(self) -> tuple[object, tuple[dict[str, object]]]:
        """Pickle as plain values (a mappingproxy won't pickle): `parse_all` runs in a
        helper process during an import and sends these back."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values["headers"] = dict(self.headers)
        return _unpickle_parsed, (values,)

    def header(self, name: str) -> str:
        """First value of a header of interest (see ``HEADERS_OF_INTEREST``), or ``""``."""
        values = self.headers.get(name.lower(), ())
        return values[0] if values else ""

    @property
    def reply_address(self) -> str:
        """Where an answer should go: the first Reply-To address, else From."""
        return self.reply_to[0].address if self.reply_to else self.from_address


def _unpickle_parsed(values: dict[str, object]) -> ParsedEmail:
    headers: Mapping[str, tuple[str, ...]] = MappingProxyType(values.pop("headers"))  # type: ignore[arg-type]
    return ParsedEmail(**values, headers=headers)  # type: ignore[arg-type]

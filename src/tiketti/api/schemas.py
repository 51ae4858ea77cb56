"""The API's data shapes. Rules live in the services; these only validate and shape."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field


class Error(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="Human-readable explanation in the request's language.")
    detail: list[dict[str, object]] | None = None


class AttachmentIn(Schema):
    filename: str = Field(max_length=255)
    content_base64: str


class TicketIn(Schema):
    subject: str = Field(min_length=1, max_length=250)
    body: str = Field(min_length=1)
    category: str = Field("", description="Category code (slug).")
    priority: str = Field("", description="low, normal, high or urgent.")
    requester_email: str = Field("", description="Staff tokens: the customer the request is for.")
    channel: Literal["api", "phone"] = Field(
        "api", description="Staff tokens: `phone` for a call taken for the customer."
    )
    cc: list[str] = Field(default_factory=list)
    attachments: list[AttachmentIn] = Field(default_factory=list)
    acute: bool = Field(
        False,
        description="The site is down or under attack: on-call staff are told at once and "
        "the answer carries the plan's `on_call_phone`.",
    )


class MessageIn(Schema):
    body: str = Field(min_length=1)
    internal: bool = Field(False, description="Staff only: an internal note.")
    status: str | None = Field(None, description="Staff only: status after the reply.")
    attachments: list[AttachmentIn] = Field(default_factory=list)


class PersonOut(Schema):
    email: str
    name: str


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class MessageOut(Schema):
    id: int
    author: PersonOut
    internal: bool
    body: str
    channel: str
    created_at: datetime
    attachments: list[AttachmentOut]


class TicketOut(Schema):
    number: str
    subject: str
    status: str
    priority: str
    channel: str
    category: str | None
    requester: PersonOut
    organisation: str | None
    assignee: PersonOut | None
    team: str | None
    created_at: datetime
    updated_at: datetime
    url: str


class TicketDetailOut(TicketOut):
    messages: list[MessageOut]
    acute: bool = False
    on_call_phone: str = Field(
        "", description="For an acute incident: the number to call now (the plan's)."
    )

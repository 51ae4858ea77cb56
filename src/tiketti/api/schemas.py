"""The API's data shapes. Rules live in the services; these only validate and shape."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field


class Error(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="Human-readable explanation in the request's language.")
    detail: list[dict[str, object]] | None = Field(
        None,
        description="What was wrong, item by item; for `invalid_fields` each names its "
        "`field` with a `code` (`required`, `invalid`, `unknown_field`) and a `message`.",
    )


class AttachmentIn(Schema):
    filename: str = Field(max_length=255)
    content_base64: str


class TicketIn(Schema):
    subject: str = Field(min_length=1, max_length=250)
    body: str = Field(min_length=1)
    category: str = Field("", description="Category code (slug).")
    priority: str = Field(
        "",
        description="Staff tokens only: low, normal, high or urgent. A customer's token "
        "gives `impact` and `urgency` instead (403 `priority_staff_only`).",
    )
    impact: Literal["", "blocks_all", "blocks_part", "no_block"] = Field(
        "",
        description="How much the problem blocks: all use, part of it, or nothing. With "
        "`urgency` it decides the priority (the admins' priority matrix).",
    )
    urgency: Literal["", "high", "medium", "low"] = Field(
        "", description="How soon help is needed: right away, within days, no hurry."
    )
    fields: dict[str, str | int | float | list[str] | None] = Field(
        default_factory=dict,
        description="Answers to the category's questions (`GET /categories`), by field "
        "name. Choices by their `value`; a `file` field names files of `attachments`. "
        "A missing required answer or a wrong one: 422 `invalid_fields`, each named in "
        "`detail`.",
    )
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
    impact: str = Field(description="blocks_all, blocks_part, no_block, or empty.")
    urgency: str = Field(description="high, medium, low, or empty.")
    fields: dict[str, object] = Field(description="The answers to the category's questions.")
    close_reason: str = Field(description="Why it was closed, e.g. `out_of_scope`, or empty.")
    messages: list[MessageOut]
    merged_into: str | None = Field(
        None, description="The number of the ticket this one was merged into, or null."
    )
    acute: bool = False
    on_call_phone: str = Field(
        "", description="For an acute incident: the number to call now (the plan's)."
    )


class Labels(Schema):
    en: str
    fi: str
    pl: str


class ChoiceOut(Schema):
    value: str
    labels: Labels


class CategoryFieldOut(Schema):
    name: str
    type: Literal["text", "long_text", "choice", "multi_choice", "url", "number", "date", "file"]
    required: bool
    labels: Labels
    help: Labels
    choices: list[ChoiceOut] = Field(description="For `choice` and `multi_choice`.")


class CategoryOut(Schema):
    slug: str
    names: Labels
    help: Labels
    fields: list[CategoryFieldOut]
    out_of_scope: bool = Field(
        description="Requests of this kind are outside the support contract: filed, they "
        "are answered as such and closed at once."
    )


class MergeIn(Schema):
    into: str = Field(description="The number of the ticket to merge into, e.g. TK-1002.")


class SplitIn(Schema):
    messages: list[int] = Field(description="The ids of the messages that move.")
    subject: str = Field("", description="The new ticket's subject (else the old one's).")

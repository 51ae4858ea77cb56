"""Is an inbound message written by a person, or by a machine we must not answer?

Pure code over a :class:`~tiketti.mail.parsing.ParsedEmail`. :func:`classify` tells apart
normal mail, auto-replies (RFC 3834 and the vendor headers that predate it), bounces (RFC 3464
delivery status notifications plus the non-standard shapes common MTAs still send), mailing
lists / bulk mail, and mail loops; it extracts the failed recipients and status codes from
bounces. Answering any of these automatically is how helpdesks end up in mail storms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tiketti.mail.parsing import ParsedEmail

__all__ = ["Classification", "Kind", "classify"]

Kind = Literal["normal", "auto_reply", "bounce", "list", "loop"]

# Above this many Received headers a message is circling (RFC 5321 section 6.3 suggests 100
# as an absolute limit; real paths rarely exceed 15).
MAX_HOPS = 30
DSN_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})


@dataclass(frozen=True, slots=True)
class Classification:
    """What kind of sender wrote the message and whether we may answer it automatically.

    ``reason`` is stable and machine-friendly: ``""`` for normal mail, else one of
    ``loop``, ``bounce``, ``auto-reply``, ``mailing-list``, ``bulk``. ``suppress_auto_reply``
    is set by the sender's ``X-Auto-Response-Suppress`` (Outlook adds it to ordinary mail
    too, so it does not make the message itself an auto-reply). ``signals`` lists every
    indicator found, for logs and debugging.
    """

    kind: Kind = "normal"
    reason: str = ""
    should_auto_reply: bool = True
    suppress_auto_reply: bool = False
    failed_recipients: tuple[str, ...] = ()
    delayed_recipients: tuple[str, ...] = ()
    status_codes: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()

    @property
    def is_auto_reply(self) -> bool:
        """True for auto-replies proper (vacation notices, feedback reports, receipts)."""
        return self.kind == "auto_reply"

    @property
    def is_bounce(self) -> bool:
        """True for delivery failure / delay reports."""
        return self.kind == "bounce"


# --------------------------------------------------------------------------- small helpers

_ADDRESS = r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+\.[A-Za-z0-9-]+"
_ADDRESS_RE = re.compile(_ADDRESS)
_DAEMON_LOCALPARTS = re.compile(
    r"(?:mailer[-_.]?daemon|mail[-_.]?daemon|postmaster|post[-_]master|mail\.delivery\.system"
    r"|double-bounce|sysadmin)",
    re.IGNORECASE,
)
_DAEMON_NAMES = re.compile(
    r"^(?:mailer[-_ ]?daemon|mail delivery (?:system|subsystem)|postmaster|mail administrator"
    r"|internet mail delivery|microsoft outlook)$",
    re.IGNORECASE,
)
_NOREPLY_LOCALPART = re.compile(
    r"(?:^|[-_.+])(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|no[-_.]?response)(?:$|[-_.+])",
    re.IGNORECASE,
)


def _localpart(address: str) -> str:
    return address.rpartition("@")[0] if "@" in address else address


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def _addresses_in(text: str) -> list[str]:
    return [found.strip(".").lower() for found in _ADDRESS_RE.findall(text)]


# --------------------------------------------------------------------------- loops


def _loop_signals(parsed: ParsedEmail, own: frozenset[str]) -> list[str]:
    signals = []
    if parsed.from_address and parsed.from_address in own:
        signals.append("from-own-address")
    x_loop = " ".join(parsed.headers.get("x-loop", ()))
    if own & set(_addresses_in(x_loop)):
        signals.append("x-loop-own-address")
    rules_loop = " ".join(parsed.headers.get("x-ms-exchange-inbox-rules-loop", ()))
    if own & set(_addresses_in(rules_loop)):
        signals.append("exchange-rules-loop")
    delivered = [a for v in parsed.headers.get("delivered-to", ()) for a in _addresses_in(v)]
    if any(delivered.count(address) > 1 for address in own):
        # Postfix/qmail add Delivered-To once per delivery; seeing ours twice means a loop.
        signals.append("delivered-to-twice")
    if parsed.hop_count > MAX_HOPS:
        signals.append("too-many-hops")
    return signals


# --------------------------------------------------------------------------- auto-replies

_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic|matisk)?[- ]?(?:reply|response|respons|svar|antwort)|"
    r"out of (?:the )?office|abwesenheitsnotiz|automaattinen vastaus|poissa toimistolta|"
    r"odpowied[źz] automatyczna|automatyczna odpowied[źz]|r[ée]ponse automatique|"
    r"respuesta autom[áa]tica|risposta automatica|autosvar|vacation)\b",
    re.IGNORECASE,
)


def _auto_reply_signals(parsed: ParsedEmail) -> list[str]:
    """RFC 3834 and vendor auto-reply markers, plus machine senders (null return path)."""
    signals = []
    if parsed.auto_submitted and not parsed.auto_submitted.startswith("no"):
        signals.append(f"auto-submitted:{parsed.auto_submitted.split(';')[0].strip()}")
    for name in ("x-autoreply", "x-autorespond"):
        if parsed.header(name) and parsed.header(name).strip().lower() not in ("no", "false"):
            signals.append(name)
    if parsed.header("x-autogenerated").strip().lower() == "reply":  # Exchange
        signals.append("x-autogenerated:reply")
    precedence = parsed.header("precedence").strip().lower()
    if precedence in ("auto_reply", "auto-reply"):
        signals.append(f"precedence:{precedence}")
    if parsed.report_type in ("feedback-report", "disposition-notification"):
        signals.append(parsed.report_type)  # abuse report (ARF) / read receipt (MDN)
    if parsed.header("return-path").strip() == "<>":
        signals.append("null-return-path")
    if _is_daemon_sender(parsed):
        signals.append("daemon-sender")
    if _NOREPLY_LOCALPART.search(_localpart(parsed.from_address)):
        signals.append("noreply-sender")
    if _AUTO_REPLY_SUBJECT.match(parsed.subject):
        signals.append("auto-reply-subject")
    return signals


def _is_daemon_sender(parsed: ParsedEmail) -> bool:
    return bool(
        _DAEMON_LOCALPARTS.fullmatch(_localpart(parsed.from_address))
        or _DAEMON_NAMES.match(parsed.from_name.strip())
        or re.match(r"<?mailer-daemon\b", parsed.header("return-path").strip(), re.IGNORECASE)
    )


def _suppress_signals(parsed: ParsedEmail) -> list[str]:
    """``X-Auto-Response-Suppress`` (Microsoft): All, OOF or AutoReply ask us not to answer."""
    values = ",".join(parsed.headers.get("x-auto-response-suppress", ())).lower()
    tokens = {token.strip() for token in values.split(",")}
    if tokens & {"all", "oof", "autoreply"}:
        return [f"x-auto-response-suppress:{values.replace(' ', '')}"]
    return []


# --------------------------------------------------------------------------- lists and bulk


def _list_signals(parsed: ParsedEmail) -> tuple[list[str], list[str]]:
    """(mailing-list signals, bulk signals)."""
    listing = [
        name
        for name in ("list-id", "list-unsubscribe", "list-post", "mailing-list")
        if parsed.header(name)
    ]
    precedence = parsed.header("precedence").strip().lower()
    bulk: list[str] = []
    if precedence == "list":
        listing.append("precedence:list")
    elif precedence in ("bulk", "junk"):
        bulk.append(f"precedence:{precedence}")
    return listing, bulk


# --------------------------------------------------------------------------- bounces

_STATUS_CODE = re.compile(r"(?<![\w.])([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)")
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|returned mail|returning (?:message )?to sender|returned to sender|"
    r"delivery (?:status notification|failure|failed|has failed|notification|problem)|"
    r"mail delivery|failure notice|failed delivery|failure delivery|delivery failure|"
    r"non[- ]?deliver|could not (?:be )?deliver|couldn't be delivered|not (?:be )?delivered|"
    r"could not send|cannot send message|mail system error|message delayed|delayed mail|"
    r"delayed \d+ hours|error sending your mail|mail failure|email bounce|bounced|"
    r"unzustellbar|non remis|ei voitu toimittaa|niedostarczaln|nie można dostarczyć|"
    r"配信できません|エラー",
    re.IGNORECASE,
)
_BOUNCE_BODY = re.compile(
    r"could not be delivered|couldn't be delivered|could not deliver|wasn't able to deliver|"
    r"was not able to deliver|unable to deliver|delivery (?:has )?failed|failed permanently|"
    r"following address(?:\(es\))? failed|permanent(?:ly)? (?:fatal )?error|"
    r"user unknown|unknown user|no such user|mailbox (?:unavailable|is full|full)|"
    r"does not exist|undeliverable|returned to sender|error delivering your mail|"
    r"delivery to the following recipient|have not been delivered|not delivered|"
    r"message could not be sent|delivery is delayed|delivery (?:attempts|incomplete)|"
    r"temporary failure|could not be sent|rejected|did not reach|failed addresses|"
    r"\"notificationType\":\"Bounce\"",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _BounceReport:
    failed: tuple[str, ...] = ()
    delayed: tuple[str, ...] = ()
    status_codes: tuple[str, ...] = ()


def _dsn_fields(block: str) -> dict[str, str]:
    """Fields of one RFC 3464 block (RFC 822-style, continuation lines allowed)."""
    fields: dict[str, str] = {}
    name = ""
    for line in block.split("\n"):
        if line[:1] in (" ", "\t") and name:
            fields[name] += " " + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            fields.setdefault(name, value.strip())
    return fields


def _dsn_recipient(fields: dict[str, str]) -> str:
    """The address we sent to: Original-Recipient when usable, else Final-Recipient."""
    for name in ("original-recipient", "final-recipient", "x-actual-recipient"):
        found = _addresses_in(fields.get(name, "").rpartition(";")[2])
        if found:
            return found[0]
    return ""


_SUCCESS_ACTIONS = frozenset({"delivered", "relayed", "expanded", "deliverable"})


def _parse_dsn(content: bytes) -> tuple[_BounceReport, int]:
    """Failed/delayed recipients and status codes of one DSN, and how many recipient blocks
    it had (a DSN may report only successful deliveries: RFC 3464 action "delivered")."""
    text = content.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    failed: list[str] = []
    delayed: list[str] = []
    codes: list[str] = []
    blocks = 0
    for block in re.split(r"\n\s*\n", text):
        fields = _dsn_fields(block)
        recipient = _dsn_recipient(fields)
        if not recipient:
            continue
        blocks += 1
        status = _STATUS_CODE.findall(fields.get("status", ""))
        status = status or _STATUS_CODE.findall(fields.get("diagnostic-code", ""))
        action = (fields.get("action", "").strip().lower().split() or [""])[0]
        if action in _SUCCESS_ACTIONS or (not action and status and status[0][0] == "2"):
            continue
        if action == "delayed" or (not action and status and status[0][0] == "4"):
            delayed.append(recipient)
        else:  # "failed", and non-standard ones such as SendGrid's "expired"
            failed.append(recipient)
        codes.extend(status)
    return _BounceReport(_unique(failed), _unique(delayed), _unique(codes)), blocks


# Where the returned original message starts in a text bounce: addresses below it are not
# the failed recipients. (Not "the original message was received at", Sendmail's preamble.)
_ORIGINAL_MESSAGE_MARKER = re.compile(
    r"^.*(?:copy of (?:the|your) (?:original )?message|original (?:message|mail) (?:follows|"
    r"as follows|info|headers)|message headers follow|headers? of the original message|"
    r"-{3,} ?(?:original|returned|rejected|undelivered) message|below this line is a copy|"
    r"returned message below|bounced e-?mail:|^(?:Return-Path|Received|Message-ID|DKIM-Signature):"
    r"|^From \S+ +\w{3} \w{3} ).*$",
    re.IGNORECASE | re.MULTILINE,
)
# Addresses in these contexts are the original sender or a help desk, not failed recipients.
_SENDER_CONTEXT = re.compile(
    r"(?:MAIL FROM:?|envelope-from|Return-Path:|^\s*From:|sender(?: address)?:?|contact)"
    r"\s*<?(" + _ADDRESS + r")",
    re.IGNORECASE | re.MULTILINE,
)
_GAP = r"[^\n@]{0,80}?(?:\n[ \t]*){0,3}[ \t>*-]*(?:[^\n<@]{0,60}<)?"
_ANNOUNCEMENTS = (
    r"following address(?:\(es\))?(?: failed)?|following recipients?(?:\(s\))?|"
    r"permanent fatal errors|recipients or groups|not (?:yet )?(?:been )?delivered to|"
    r"could not be delivered to|could not deliver (?:mail )?to|error delivering your mail to|"
    r"failed recipients?|unable to deliver (?:your )?(?:message|mail) to|delivery to|"
    r"your message to|(?:target|recipient) (?:mail )?address|delivery failed[^\n:]*|"
    r"failed addresses follow"
)
_TEXT_RECIPIENT_PATTERNS = (
    # qmail, Postfix, Courier, OpenSMTPD: "<user@example.com>:" at line start
    re.compile(r"^\s*<(" + _ADDRESS + r")>\s*(?:\(expanded from <[^>]*>\))?\s*:", re.M),
    # Sendmail transcript "<user@example.com>... User unknown", GMX '"user@example.com":'
    re.compile(r"^\s*[<\"]?(" + _ADDRESS + r")[>\"]?(?:\.\.\. |:\s*$)", re.M),
    # An address after an announcing phrase (Exim, Gmail, Exchange, Domino, Notes, ...)
    re.compile(r"(?:" + _ANNOUNCEMENTS + r")" + _GAP + r"(" + _ADDRESS + r")", re.I),
    # DSN fields pasted into the text (no MIME structure); Amazon SES notifications (JSON)
    re.compile(
        r"^\s*(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?(" + _ADDRESS + r")", re.M | re.I
    ),
    re.compile(r"\"emailAddress\"\s*:\s*\"(" + _ADDRESS + r")\""),
    re.compile(r"RCPT TO:\s*<?(" + _ADDRESS + r")", re.IGNORECASE),
)
_DELAY_SUBJECT = re.compile(
    r"\bdelay(?:ed)?\b|will (?:continue|keep) trying|still being retried|"
    r"could not send mail for past|warning",
    re.IGNORECASE,
)


def _bounce_text(parsed: ParsedEmail) -> str:
    """The human-readable part of a text bounce, up to the copy of the original message."""
    text = parsed.body_text[:50_000]
    marker = _ORIGINAL_MESSAGE_MARKER.search(text)
    return text[: marker.start()] if marker and marker.start() > 0 else text


def _is_daemon_address(address: str) -> bool:
    return bool(_DAEMON_LOCALPARTS.fullmatch(_localpart(address)))


def _text_recipients(text: str, own: frozenset[str], parties: frozenset[str]) -> list[str]:
    """Failed recipients of a text bounce: known MTA phrasings first, then any address in
    the explanation that is not ours, a daemon's, or one of the bounce's own parties."""
    ignored = own | {a.lower() for a in _SENDER_CONTEXT.findall(text)}
    for pattern in _TEXT_RECIPIENT_PATTERNS:
        found = [a.strip(".").lower() for a in pattern.findall(text)]
        found = [a for a in found if a not in ignored and not _is_daemon_address(a)]
        if found:
            return found
    ignored |= parties
    return [a for a in _addresses_in(text) if a not in ignored and not _is_daemon_address(a)]


def _original_recipient(parsed: ParsedEmail, own: frozenset[str]) -> list[str]:
    """The single To of the returned original message (attached or quoted), if unambiguous."""
    sources = [
        a.content.decode("utf-8", "replace")[:20_000]
        for a in parsed.attachments
        if a.content_type in ("message/rfc822", "text/rfc822-headers", "message/global")
    ]
    sources.append(parsed.body_text[:50_000])
    for source in sources:
        header_block = re.split(r"\n\s*\n", source.replace("\r\n", "\n"), maxsplit=1)[0]
        match = re.search(r"^To:[ \t]*(.*(?:\n[ \t].*)*)", header_block, re.M | re.I)
        if match is None:
            match = re.search(r"^\s*To:[ \t]*(.*)$", source, re.M | re.I)
        found = [a for a in _unique(_addresses_in(match[1] if match else "")) if a not in own]
        if len(found) == 1:
            return found
    return []


def _text_bounce(parsed: ParsedEmail, own: frozenset[str]) -> _BounceReport:
    """Recipients and codes of a bounce that has no (usable) machine-readable report."""
    text = _bounce_text(parsed)
    parties = frozenset({a.address for a in parsed.to} | {parsed.from_address})
    failed = _text_recipients(text, own, parties) or _original_recipient(parsed, own)
    delayed: list[str] = []
    if _DELAY_SUBJECT.search(parsed.subject):
        failed, delayed = [], failed
    return _BounceReport(_unique(failed), _unique(delayed), _unique(_STATUS_CODE.findall(text)))


def _dsn_report(parsed: ParsedEmail, own: frozenset[str]) -> _BounceReport | None:
    """The merged report of all DSN parts; None if they only report successful delivery."""
    failed: list[str] = []
    delayed: list[str] = []
    codes: list[str] = []
    blocks = 0
    for attachment in parsed.attachments:
        if attachment.content_type in DSN_TYPES:
            part, count = _parse_dsn(attachment.content)
            failed += part.failed
            delayed += part.delayed
            codes += part.status_codes
            blocks += count
    if failed or delayed:
        return _BounceReport(_unique(failed), _unique(delayed), _unique(codes))
    if blocks:
        return None
    return _text_bounce(parsed, own)  # a report without readable recipient blocks


def _looks_like_text_bounce(parsed: ParsedEmail, machine_sender: bool) -> bool:
    """A non-DSN bounce: sent by a daemon or with a null sender, and says it is one."""
    if not machine_sender:
        return False
    subject_says = bool(_BOUNCE_SUBJECT.search(parsed.subject))
    return subject_says or bool(_BOUNCE_BODY.search(parsed.body_text[:20_000]))


def _bounce_report(
    parsed: ParsedEmail, machine_sender: bool, own: frozenset[str]
) -> tuple[_BounceReport, str] | None:
    """Details and the deciding signal if the message is a bounce, else None."""
    has_dsn = parsed.report_type == "delivery-status" or any(
        a.content_type in DSN_TYPES for a in parsed.attachments
    )
    if has_dsn:
        report = _dsn_report(parsed, own)
        return (report, "dsn") if report is not None else None
    failed_header = ",".join(parsed.headers.get("x-failed-recipients", ()))
    if failed_header:  # Exim
        text_report = _text_bounce(parsed, own)
        failed = _unique(_addresses_in(failed_header)) or text_report.failed
        return _BounceReport(failed, (), text_report.status_codes), "x-failed-recipients"
    if not _looks_like_text_bounce(parsed, machine_sender):
        return None
    return _text_bounce(parsed, own), "bounce-text"


# --------------------------------------------------------------------------- decision


def _decide(signals: dict[str, list[str]], bounce: bool) -> tuple[Kind, str]:
    if signals["loop"]:
        return "loop", "loop"
    if bounce:
        return "bounce", "bounce"
    if signals["auto"]:
        return "auto_reply", "auto-reply"
    if signals["list"]:
        return "list", "mailing-list"
    if signals["bulk"]:
        return "list", "bulk"
    return "normal", ""


def classify(parsed: ParsedEmail, own_addresses: frozenset[str]) -> Classification:
    """Classify ``parsed``; ``own_addresses`` are the helpdesk's own mailbox addresses.

    Precedence: loop, bounce, auto-reply, mailing list, bulk, normal. Never raises.
    """
    own = frozenset(address.strip().lower() for address in own_addresses if address.strip())
    signals: dict[str, list[str]] = {
        "loop": _loop_signals(parsed, own),
        "auto": _auto_reply_signals(parsed),
        "suppress": _suppress_signals(parsed),
    }
    signals["list"], signals["bulk"] = _list_signals(parsed)
    machine_sender = any(
        s in ("null-return-path", "daemon-sender", "noreply-sender") or s.startswith("auto-sub")
        for s in signals["auto"]
    )
    found = _bounce_report(parsed, machine_sender, own)
    report, bounce_signal = found if found else (_BounceReport(), "")
    if found is None and parsed.report_type == "delivery-status":
        signals["auto"].append("delivery-report")  # a DSN that reports success
    kind, reason = _decide(signals, found is not None)
    suppress = bool(signals["suppress"])
    ordered = (bounce_signal, *signals["loop"], *signals["auto"], *signals["suppress"])
    return Classification(
        kind=kind,
        reason=reason,
        should_auto_reply=kind == "normal" and not suppress,
        suppress_auto_reply=suppress,
        failed_recipients=report.failed,
        delayed_recipients=report.delayed,
        status_codes=report.status_codes,
        signals=_unique((*ordered, *signals["list"], *signals["bulk"])),
    )

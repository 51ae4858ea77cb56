"""The newly written part of a reply: quoted history and signature removed."""

from __future__ import annotations

import functools
import re
import warnings

from mailparser_reply import EmailMessage as _LibraryReplyMessage

# mailparser_reply's regexes are slow on huge inputs (its signature regex ends in
# ``(.|\s)*``); longer bodies are returned whole as their reply text.
MAX_REPLY_SCAN_CHARS = 200_000


# --------------------------------------------------------------------------- reply extraction

# Quote markers inside a line, as mailparser_reply's own patterns allow ("> > On ... wrote:").
_QUOTE = r"(?:> ?)*"


def _outlook_header(sender: str, *fields: str) -> str:
    """An Outlook-style header block ("From:" then at least two of "Sent:/To:/Subject:...").

    Stricter than mailparser_reply's blocks (any two field lines): Polish "Od:"/"Do:" also
    mean "from"/"to" in opening hours, which must not cut a message short.
    """
    names = "|".join(fields)
    return (
        r"((?:^|\n)" + _QUOTE + r"[* ]*" + sender + r":[ *]*.*"
        r"(?:\n" + _QUOTE + r"[* ]*(?:" + names + r"):[ *]*.*){2,})"
    )


def _wrote_line(verbs: str) -> str:
    """An attribution line ending in a "wrote:" verb; also Gmail's two-line variant where
    the address wraps after ``<``. Exactly one capturing group (the library flattens groups)."""
    return (
        r"^((?:" + _QUOTE + r"\S[^\n]*?[ \t](?:" + verbs + r")(?:[ \t][^\n]*)?:)"
        r"|(?:" + _QUOTE + r"\S[^\n]*<\n" + _QUOTE + r"[^\n]*>[ \t](?:" + verbs + r"):))$"
    )


# mailparser_reply has no Finnish, and its Polish lacks Gmail's/Thunderbird's attribution lines
# and Outlook's "Wysłane:"; its Polish header block also matches a single "Do:" line.
_EXTRA_REPLY_LANGUAGES: dict[str, dict[str, str]] = {
    "fi": {
        "wrote_header": _wrote_line(r"kirjoitti|kirjoittaa"),
        "from_header": _outlook_header(
            "Lähettäjä", "Lähetetty", "Päivämäärä", "Vastaanottaja", "Kopio", "Aihe"
        ),
        "disclaimers": "Luottamuksellinen:|Luottamuksellisuusilmoitus:",
        "signatures": "Ystävällisin terveisin|Ystävällisesti|Parhain terveisin|Terveisin|"
        r"Yst\. ?terv",
        "sent_from": r"Lähetetty (?:iPhone|iPad|Android|Samsung|Galaxy|Outlook|Mail|mobiili)"
        r"[^\n:]*?(?=[\w.]+$)|Hanki Outlook",
    },
    "pl": {
        "wrote_header": _wrote_line(r"napisał\(a\)|napisała|napisał|pisze|nadesłał"),
        "from_header": _outlook_header(
            "Od", "Wysłane", "Wysłano", "Data", "Do", "DW", "Kopia", "Temat"
        ),
        "disclaimers": "Uwaga:",
        "signatures": "Z poważaniem|Z powazaniem|Pozdrawiam|Pozdrowienia",
        "sent_from": r"Wysłano z (?:iPhone|iPad|Android|Samsung|Galaxy|Outlook|aplikacji|mojego)"
        r"[^\n:]*?(?=[\w.]+$)",
    },
}
REPLY_LANGUAGES = ("fi", "pl", "en")


class _ReplyMessage(_LibraryReplyMessage):  # type: ignore[misc]  # untyped library
    """mailparser_reply message that also knows our Finnish and Polish markers."""

    def _get_language_regex(self, language: str, regex_key: str) -> str:
        extra = _EXTRA_REPLY_LANGUAGES.get(language, {}).get(regex_key)
        if extra is not None:
            return extra
        return str(super()._get_language_regex(language=language, regex_key=regex_key))


@functools.cache
def _reply_patterns() -> dict[str, object]:
    """The library's three regular expressions for our languages and options. It builds
    and compiles them anew for every message (a fifth of all parsing time); they never
    differ, so they are built once and handed to each message."""
    template = _new_reply_message("")
    return {
        "_header_regex": template.HEADER_REGEX,
        "_disclaimers_regex": template.DISCLAIMERS_REGEX,
        "_signature_regex": template.SIGNATURE_REGEX,
    }


def _new_reply_message(text: str, **patterns: object) -> _ReplyMessage:
    # mailparser_reply passes re.sub()'s count positionally, which Python 3.13 deprecates;
    # the warning is the library's and pytest turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return _ReplyMessage(
            text=text,
            languages=list(REPLY_LANGUAGES),
            keep_hyphen_lists=True,  # our HTML conversion renders list items as "- item"
            **patterns,
        )


def _strip_trailing_quote(text: str) -> str:
    """Drop a bottom-posted ``>`` quote block (interleaved quotes are kept for context)."""
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(lines)


# The line our e-mails begin with ("##- Please type your reply above this line -##", in any
# language): whatever a client quotes below it, with or without "> " or an attribution.
_OUR_MARKER = re.compile(r"^[> \t]*##- [^\n]* -##[ \t]*$", re.MULTILINE)


def _above_our_marker(text: str) -> str:
    found = _OUR_MARKER.search(text)
    return text[: found.start()] if found else text


def extract_reply(text: str) -> str:
    """The newly written part of a reply: quoted history and signature removed.

    Falls back to the whole text if stripping would leave nothing. Never raises.
    """
    if not text.strip():
        return ""
    if len(text) > MAX_REPLY_SCAN_CHARS:
        return text.strip()  # nobody types this much; don't risk cutting it at a false marker
    above = _above_our_marker(text)
    try:
        with warnings.catch_warnings():  # see _new_reply_message
            warnings.simplefilter("ignore", DeprecationWarning)
            message = _new_reply_message(above, **_reply_patterns()).read()
        reply = str(message.replies[0].body) if message.replies else ""
    except Exception:  # a library bug must not lose the message: fall back to all text
        reply = ""
    reply = _strip_trailing_quote(reply).strip()
    return reply or above.strip() or text.strip()

"""Outlook's winmail.dat (TNEF): the files and body inside it."""

from __future__ import annotations

import warnings

import tnefparse

from .attachments import _content_type_for
from .charsets import _decode_bytes, _scrub
from .collector import _Collector
from .headers import _RawHeaders

_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})


# --------------------------------------------------------------------------- TNEF


def _tnef_text(value: object) -> str:
    if isinstance(value, bytes):
        return _decode_bytes(value.rstrip(b"\x00"), "cp1252")[0]
    return str(value).rstrip("\x00") if value else ""


def _unpack_tnef(
    headers: _RawHeaders | None, filename: str, data: bytes, collector: _Collector
) -> None:
    """Replace a winmail.dat by the files (and body) inside it; keep it if that fails."""
    try:
        # tnefparse calls datetime.utcfromtimestamp(), deprecated since Python 3.12; the
        # warning is the library's, not ours, and pytest runs with warnings as errors.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            tnef = tnefparse.TNEF(data)
            files = [(_tnef_text(a.long_filename()), bytes(a.data)) for a in tnef.attachments]
            body, html_body = _tnef_text(tnef.body), _tnef_text(tnef.htmlbody)
            has_rtf = bool(tnef._rtfbody)
    except Exception as error:
        collector.defect(f"winmail.dat could not be unpacked ({type(error).__name__}); kept")
        collector.add_attachment(headers, filename or "winmail.dat", "application/ms-tnef", data)
        return
    if not files and not body and not html_body:
        collector.defect("winmail.dat held no files or readable body; kept as is")
        collector.add_attachment(headers, filename or "winmail.dat", "application/ms-tnef", data)
        return
    for name, content in files:
        collector.add_attachment(None, name, _content_type_for(name), content)
    if body:
        collector.tnef_plain.append(_scrub(body.replace("\r\n", "\n")))
    if html_body:
        collector.tnef_html.append(_scrub(html_body))
    if has_rtf and not body and not html_body:
        collector.defect("winmail.dat body is RTF only and was not converted")

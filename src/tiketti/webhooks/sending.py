"""Signing and sending one webhook request.

`X-Tiketti-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` with the webhook's
secret: a receiver recomputes it over the timestamp, a dot and the raw body, compares in
constant time, and refuses old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import socket
import ssl
from dataclasses import dataclass

from .targets import Target

USER_AGENT = "Tiketti-Webhooks/1"
RESPONSE_LIMIT = 64 * 1024  # read at most this much of a receiver's answer


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """Whether `header` is a valid signature of `body` (for receivers, and tests)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


@dataclass(frozen=True)
class Response:
    status: int


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name says now."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POST `body`; returns the status code. Redirects are not followed (a 3xx is an
    answer like any other). Raises OSError / http.client.HTTPException on failure."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        answer = connection.getresponse()
        answer.read(RESPONSE_LIMIT)
        return Response(status=answer.status)
    finally:
        connection.close()

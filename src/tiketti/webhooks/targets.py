"""Where a webhook may point: http(s) URLs on public addresses.

A webhook makes Tiketti's server send requests wherever an admin says, so an address
inside the network (loopback, private ranges, link-local cloud metadata) is refused
unless `TIKETTI_WEBHOOK_ALLOW_PRIVATE` is on. The host is resolved again at each
delivery and the request goes to the address that was checked, so a name cannot be
re-pointed inside between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class TargetRefused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    address: str  # the checked IP address the connection goes to


def check_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of an acceptable webhook URL; TargetRefused if not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused(_("This is not a valid URL."), "invalid_url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(
            _("A webhook URL must start with http:// or https:// and name a host."),
            "invalid_url",
        )
    if parts.username or parts.password:
        raise TargetRefused(_("Put no user name or password in the URL."), "invalid_url")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default_port = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname, port or default_port, path


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> Target:
    """Check the URL and resolve its host to an address it may be sent to."""
    scheme, host, port, path = check_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(
            _("The host %(host)s could not be resolved: %(error)s")
            % {"host": host, "error": error},
            "unresolvable_host",
        ) from None
    addresses = [str(info[4][0]) for info in infos]
    allow_private = settings.TIKETTI_WEBHOOK_ALLOW_PRIVATE
    if not allow_private and not all(is_public(address) for address in addresses):
        raise TargetRefused(
            _(
                "%(host)s is an internal address. Webhooks go to public addresses only "
                "(an administrator can allow internal ones with TIKETTI_WEBHOOK_ALLOW_PRIVATE)."
            )
            % {"host": host},
            "internal_address",
        )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])

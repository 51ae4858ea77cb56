"""Who is acting in the current request, for audit entries written deep in signals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from tiketti.accounts.models import User
from tiketti.accounts.throttling import client_ip


@dataclass(frozen=True)
class Actor:
    user: User | None
    ip_address: str | None


_current: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_actor() -> Actor:
    request = _current.get()
    if request is None:
        return Actor(user=None, ip_address=None)
    user = getattr(request, "user", None)
    person = user if isinstance(user, User) and user.is_authenticated else None
    return Actor(user=person, ip_address=client_ip(request))


@contextmanager
def acting(request: HttpRequest) -> Iterator[None]:
    token = _current.set(request)
    try:
        yield
    finally:
        _current.reset(token)


class AuditContextMiddleware:
    """Remembers the request being answered, so audit entries name who acted and from where."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request):
            return self.get_response(request)

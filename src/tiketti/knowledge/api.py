"""Knowledge-base endpoints of API v1, mounted under /api/v1/kb/."""

from ninja import Router

router = Router(tags=["knowledge base"])

"""The data version of the request being answered, when the response cache computed it (see
web/http_cache.py): a key that changes with every committed write. Anything a page memoises per process
(the source documents cited on it) keys its copy by it, so a page kept by the response cache under a version
is never built from a copy older than that version."""

from __future__ import annotations

from contextvars import ContextVar

current: ContextVar[tuple | None] = ContextVar("buenaspracticas_data_version", default=None)

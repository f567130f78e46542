"""HTTP caching and compression: Last-Modified for public pages and API reads, from the database's data
version, with 304 before the view; anonymous answers served again from memory while the data version holds;
gzip for text answers only.

Django's ConditionalGetMiddleware (outside this one) gives every GET response an ETag from its content and
answers If-None-Match with 304; browsers send If-None-Match whenever they have an ETag, and it takes
precedence over If-Modified-Since (RFC 9110), so what they see is always exact. This middleware adds the
other validator, Last-Modified, to responses that cannot depend on who asks (no session cookie, no
Authorization header), with `Cache-Control: no-cache` so caches revalidate instead of guessing a freshness
from the date. A client that revalidates with If-Modified-Since alone gets its 304 before the view runs.

The data version is the time of the database's last committed write, of any table: on SQLite the
modification time of the database file and its write-ahead log (two stat calls, no query); on PostgreSQL the
moment this process first saw the current WAL write position (`pg_current_wal_lsn()`, one tiny query: a
commit returns once its WAL is written, so a committed write has moved it). It is never earlier than this
process's start (a deploy changes templates) nor than today's midnight (pages say "due in N days"). HTTP
dates count whole seconds, so a date is only sent once a full second has passed since the last write: a
write later in that same second could otherwise hide behind the same date.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from buenaspracticas.data_version import current as data_version_var

_STARTED = time.time()
_CLOCK_SLACK = 0.05  # file times come from a coarse kernel clock, a few milliseconds behind time.time()
_REMEMBERED = 10_000  # paths whose last anonymous answer was a 200 with Last-Modified, per process

_lock = threading.Lock()
_first_seen: OrderedDict[str, float] = OrderedDict()  # PostgreSQL WAL position -> when first seen
_answered: OrderedDict[tuple[str, str, str], tuple[tuple[str, str], ...]] = OrderedDict()


def _sqlite_files() -> list[os.stat_result] | None:
    """Return the stats of the SQLite file and of its WAL, or None when the database has no file (in
    memory). An empty WAL is left out: the first connection after the last one closed creates it without
    writing."""
    name = str(connection.settings_dict.get("NAME") or "")
    try:
        stats = [os.stat(name)]
    except (OSError, ValueError):
        return None
    try:
        wal = os.stat(f"{name}-wal")
    except OSError:
        return stats
    return [*stats, wal] if wal.st_size else stats


def _sqlite_written_at() -> float:
    """Return the modification time of the SQLite file or of its WAL, or now when the database has no file."""
    stats = _sqlite_files()
    return max(st.st_mtime for st in stats) if stats else time.time()


def _postgres_lsn() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _postgres_written_at(lsn: str | None = None) -> float:
    """Return when this process first saw the current WAL position (a position changes on any write)."""
    lsn = lsn or _postgres_lsn()
    with _lock:
        seen = _first_seen.get(lsn)
        if seen is None:
            seen = _first_seen[lsn] = time.time()
            while len(_first_seen) > 64:
                _first_seen.popitem(last=False)
        return seen


def _midnight() -> float:
    from django.utils import timezone as dj_timezone

    today = dj_timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return today.timestamp()


def data_modified() -> float:
    """Return the data version as a time: the last committed write of the database (see the module doc)."""
    written = _postgres_written_at() if connection.vendor == "postgresql" else _sqlite_written_at()
    return max(written, _STARTED, _midnight())


def data_version() -> tuple | None:
    """Return a key that changes whenever committed data may have changed, or None when it cannot be told
    yet: inside a transaction (the request may see its own uncommitted writes, which no file time or WAL
    position shows), or on SQLite within a second of the last write (file times are coarse, so a second
    write in the same tick would leave the key unchanged). The day is part of it (pages say "in N days")."""
    if connection.in_atomic_block:
        return None
    if connection.vendor == "postgresql":
        lsn = _postgres_lsn()
        return (lsn, max(_postgres_written_at(lsn), _STARTED, _midnight()))
    stats = _sqlite_files()
    if stats is None:
        return None  # an in-memory database
    if time.time() - _CLOCK_SLACK < max(st.st_mtime for st in stats) + 1:
        return None
    return (*((st.st_mtime_ns, st.st_size) for st in stats), _midnight())


def _whole_second(moment: float) -> int | None:
    """Return the HTTP date (whole seconds) for a data version, or None while that second may still change."""
    second = int(moment)
    return second if time.time() - _CLOCK_SLACK >= second + 1 else None


def _anonymous(request: HttpRequest) -> bool:
    """Whether the answer cannot depend on who asks: no session, no pending message, no token."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES  # django.contrib.messages' cookie storage
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _key(request: HttpRequest) -> tuple[str, str, str]:
    return (
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
    )


_KEPT_HEADERS = ("Cache-Control", "Content-Language", "Vary")


class LastModifiedMiddleware:
    """Add Last-Modified (the data version) to anonymous GET answers; answer If-Modified-Since alone with 304
    before the view when nothing was written since."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _anonymous(request):
            return self.get_response(request)
        second = _whole_second(data_modified())
        if second is not None:
            not_modified = self._not_modified(request, second)
            if not_modified is not None:
                return not_modified
        response = self.get_response(request)
        if (
            second is not None
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("Last-Modified")
            and not response.cookies  # an answer that sets a cookie is someone's own
        ):
            response.headers["Last-Modified"] = http_date(second)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, no_cache=True)
            with _lock:
                _answered[_key(request)] = tuple(
                    (h, response.headers[h]) for h in _KEPT_HEADERS if response.has_header(h)
                )
                _answered.move_to_end(_key(request))
                while len(_answered) > _REMEMBERED:
                    _answered.popitem(last=False)
        return response

    def _not_modified(self, request: HttpRequest, second: int) -> HttpResponse | None:
        """Return a 304 when only If-Modified-Since is sent, it is not older than the data, and this process
        answered the same request with a 200 and Last-Modified (so the 304 cannot hide a redirect or 404)."""
        if "HTTP_IF_NONE_MATCH" in request.META:
            return None  # the ETag decides (ConditionalGetMiddleware)
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        if since is None or since < second:
            return None
        with _lock:
            headers = _answered.get(_key(request))
        if headers is None:
            return None
        response = HttpResponseNotModified()
        for name, value in headers:
            response.headers[name] = value
        response.headers["Last-Modified"] = http_date(second)
        return response


class ResponseCache:
    """Anonymous answers kept in this process's memory, least recently used first out, within a byte
    budget; each is kept under the data version it was computed at, so any committed write retires it."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self._items: OrderedDict[tuple, tuple[bytes, tuple[tuple[str, str], ...]]] = OrderedDict()

    def get(self, key: tuple):
        with _lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple, content: bytes, headers: tuple[tuple[str, str], ...]) -> None:
        if len(content) > self.budget // 8:
            return
        with _lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self._items[key] = (content, headers)
            self.size += len(content)
            while self.size > self.budget:
                _, (dropped, _) = self._items.popitem(last=False)
                self.size -= len(dropped)


# What an answer may vary on and still be kept: the key holds the path, the languages asked for and the
# language cookie; gzip (outside) adds Accept-Encoding after this middleware.
_KEYED_VARY = {"accept-language", "cookie"}


class ResponseCacheMiddleware:
    """Answer an anonymous GET from memory when this process already answered it at the same data version.

    Only requests that carry no cookie but the language one and no Authorization header, and answers that
    set no cookie, are 200, are not streamed and vary on nothing but the language: an answer that is
    nobody's own. Keyed by the data version (`data_version`), so what a reader sees is never older than the
    last committed write. Answers it keeps say `X-Cache: miss`, answers from memory `X-Cache: hit`.
    `RESPONSE_CACHE_BYTES = 0` turns it off."""

    def __init__(self, get_response):
        self.get_response = get_response
        budget = getattr(settings, "RESPONSE_CACHE_BYTES", 0)
        self.cache = ResponseCache(budget) if budget else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            self.cache is None
            or request.method != "GET"
            or not _anonymous(request)
            or set(request.COOKIES) - {settings.LANGUAGE_COOKIE_NAME}
        ):
            return self.get_response(request)
        version = data_version()
        if version is None:
            return self.get_response(request)
        key = (_key(request), version)
        token = data_version_var.set(version)
        try:
            return self._answer(request, key)
        finally:
            data_version_var.reset(token)

    def _answer(self, request: HttpRequest, key: tuple) -> HttpResponse:
        kept = self.cache.get(key)
        if kept is not None:
            response = HttpResponse(kept[0])
            for name, value in kept[1]:
                response.headers[name] = value
            response.headers["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and vary <= _KEYED_VARY
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        ):
            self.cache.put(key, response.content, tuple(response.headers.items()))
            response.headers["X-Cache"] = "miss"
        return response


_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding) for text answers only: PDFs, zips, images and
    SQLite files are already compressed or gain too little for the CPU it costs."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not (kind.startswith(_TEXT_TYPES) or kind.endswith(("+json", "+xml"))):
            return response
        return super().process_response(request, response)

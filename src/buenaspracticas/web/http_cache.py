"""HTTP caching and compression: Last-Modified for public pages and API reads, from the database's data
version, with 304 before the view; gzip for text answers only.

Django's ConditionalGetMiddleware (outside this one) gives every GET response an ETag from its content and
answers If-None-Match with 304; browsers send If-None-Match whenever they have an ETag, and it takes
precedence over If-Modified-Since (RFC 9110), so what they see is always exact. This middleware adds the
other validator, Last-Modified, to responses that cannot depend on who asks (no session cookie, no
Authorization header), with `Cache-Control: no-cache` so caches revalidate instead of guessing a freshness
from the date. A client that revalidates with If-Modified-Since alone gets its 304 before the view runs.

The data version is the time of the database's last committed write, of any table: on SQLite the
modification time of the database file and its write-ahead log (two stat calls, no query); on PostgreSQL the
moment this process first saw the current WAL position (`pg_current_wal_lsn()`, one tiny query). It is never
earlier than this process's start (a deploy changes templates) nor than today's midnight (pages say "due in
N days"). HTTP dates count whole seconds, so a date is only sent once a full second has passed since the
last write: a write later in that same second could otherwise hide behind the same date.
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

_STARTED = time.time()
_CLOCK_SLACK = 0.05  # file times come from a coarse kernel clock, a few milliseconds behind time.time()
_REMEMBERED = 10_000  # paths whose last anonymous answer was a 200 with Last-Modified, per process

_lock = threading.Lock()
_first_seen: OrderedDict[str, float] = OrderedDict()  # PostgreSQL WAL position -> when first seen
_answered: OrderedDict[tuple[str, str, str], tuple[tuple[str, str], ...]] = OrderedDict()


def _sqlite_written_at() -> float:
    """Return the modification time of the SQLite file or of its WAL, or now when the database has no file.
    An empty WAL is left out: the first connection after the last one closed creates it without writing."""
    name = str(connection.settings_dict.get("NAME") or "")
    try:
        written = os.stat(name).st_mtime
    except (OSError, ValueError):
        return time.time()
    try:
        wal = os.stat(f"{name}-wal")
    except OSError:
        return written
    return max(written, wal.st_mtime) if wal.st_size else written


def _postgres_written_at() -> float:
    """Return when this process first saw the current WAL position (a position changes on any write)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        lsn = cursor.fetchone()[0]
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


_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding) for text answers only: PDFs, zips, images and
    SQLite files are already compressed or gain too little for the CPU it costs."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not (kind.startswith(_TEXT_TYPES) or kind.endswith(("+json", "+xml"))):
            return response
        return super().process_response(request, response)

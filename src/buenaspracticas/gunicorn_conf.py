"""gunicorn settings for `buenaspracticas serve` (and the load benchmark), sized to the machine.

- Workers: the request path is CPU-bound Python, so threads add little; one sync worker per core plus one,
  so a worker waiting on the database or on a slow request does not leave a core idle. `serve --workers N`
  overrides it; `serve --threads N` (N > 1) switches gunicorn to its threaded worker.
- Request timeout: a sync worker busy on one request for more than `timeout` seconds is killed and replaced,
  so an abandoned or runaway request does not hold a worker for ever; on a restart or stop, workers get
  `graceful_timeout` seconds to finish the requests they are serving.
- Cache warming before accepting traffic: the app is loaded once in the master (`preload_app`, code pages
  shared by the workers), and each worker answers a few representative requests through the whole stack
  (pages, API list and search, facets, vectors, the spelling dictionary) in `post_worker_init`, before its
  accept loop starts. Until then connections wait in the listen backlog instead of meeting a cold worker.
- `max_requests` with jitter recycles workers now and then, bounding any slow growth of memory. Rarely: a new
  worker starts with an empty response cache, so recycling every few thousand requests (seconds, under
  load) made every recycle a burst of slow answers; the caches are bounded in size, so a recycle every
  couple of hundred thousand requests is enough.
- With `preload_app`, a HUP reloads the configuration but not the code: restart the service after a deploy.
"""

from __future__ import annotations

import io
import os
import threading
import time

_cpus = os.cpu_count() or 1

workers = max(2, _cpus) + 1
threads = 1
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 2
preload_app = True
max_requests = 200_000
max_requests_jitter = 20_000
backlog = 2048
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
control_socket_disable = True  # no runtime control socket (gunicorn 27 puts one per user under ~/.gunicorn)

# Paths each worker answers before accepting traffic: the home page, the catalogue and a state page, and
# the API list with and without a query and a filter (search index, facets, semantic vectors).
WARM_PATHS = (
    "/",
    "/practicas/",
    "/practicas/?q=migrantes",
    "/estados/",
    "/api/v1/practices?limit=20",
    "/api/v1/practices?q=migrantes&limit=20",
    "/api/v1/practices?q=retorno&region=norte&limit=20",
)


def warm(application, paths=WARM_PATHS, deadline: float | None = None) -> list[tuple[str, int]]:
    """Answer `paths` through the WSGI application (every middleware, view and cache on the way); return each
    path with its status. Errors are reported, not raised: a cold cache must not stop the server."""
    from django.conf import settings
    from django.db import close_old_connections

    from buenaspracticas.search import lexicon

    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "127.0.0.1")
    scheme = "https" if getattr(settings, "HTTPS", False) else "http"
    answered = []
    lexicon.known_stems()  # the dictionary a query word the catalogue lacks is checked against
    for full_path in paths:
        if deadline is not None and time.monotonic() > deadline:
            break
        path, _, query = full_path.partition("?")
        status: list[str] = []
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": host,
            "SERVER_PORT": "443" if scheme == "https" else "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        try:
            body = application(environ, lambda s, headers, exc_info=None, out=status: out.append(s))
            for _ in body:
                pass
            if hasattr(body, "close"):
                body.close()
            answered.append((full_path, int(status[0].split()[0])))
        except Exception as exc:  # noqa: BLE001 - warming is best effort; the real request will report it
            answered.append((full_path, 0))
            print(f"warm-up {full_path}: {exc!r}", flush=True)
    close_old_connections()
    return answered


WARM_SECONDS = 120  # a warm-up past this stops early: the worker then serves with what it has cached


def post_worker_init(worker) -> None:
    """Warm this worker up before its accept loop starts. A heartbeat tells the arbiter it is alive meanwhile
    (one slow first search must not look like a hung request and get the worker killed and respawned)."""
    started = time.monotonic()
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(2.0):
            worker.notify()

    beating = threading.Thread(target=heartbeat, daemon=True)
    beating.start()
    try:
        answered = warm(worker.wsgi, deadline=started + WARM_SECONDS)
    finally:
        done.set()
        beating.join()
    failed = [p for p, s in answered if s != 200]
    worker.log.info(
        "worker %s warm in %.1f s%s",
        worker.pid,
        time.monotonic() - started,
        f" (not 200: {', '.join(failed)})" if failed else "",
    )


def on_starting(server) -> None:
    # The app was loaded in the master (preload_app): close its database connections so no worker inherits
    # a connection opened before the fork.
    from django.db import connections

    connections.close_all()

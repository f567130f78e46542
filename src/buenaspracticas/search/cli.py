"""`buenaspracticas embed`: the worker that drains the passage queue into vectors, in batches, with progress
and an ETA, outside any request; `--reindex` first rebuilds the lexical index and queues what is missing."""

from __future__ import annotations

import argparse
import time


def cmd_embed(args: argparse.Namespace) -> int:
    """Embed the queued passages (optionally after a lexical rebuild); print progress and the rate."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.search import semantic
    from buenaspracticas.search.indexer import index_rebuild, print_progress, vectors_drain, vectors_pending

    embedder = semantic.get_embedder()
    if args.reindex:
        started = time.monotonic()
        count = index_rebuild(embedder=embedder, progress=print_progress)
        print(f"\nÍndice léxico reconstruido: {count} prácticas en {time.monotonic() - started:.1f} s.")
    if embedder is None:
        print("Sin modelo de embeddings (BUENASPRACTICAS_EMBEDDER=none): nada que calcular.")
        return 0
    print(f"Pasajes en cola: {vectors_pending(embedder)} ({embedder.name}).", flush=True)
    started = time.monotonic()
    done = vectors_drain(embedder=embedder, batch=args.batch, limit=args.limit, progress=print_progress)
    elapsed = time.monotonic() - started
    print(f"\n{done} vectores en {elapsed:.1f} s ({done / elapsed if elapsed else 0:.1f} pasajes/s).")
    return 0


def register(sub) -> None:
    """Add the `embed` subcommand."""
    parser = sub.add_parser("embed", help="calcular los vectores pendientes de la búsqueda semántica")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--limit", type=int, default=None, help="como máximo este número de pasajes")
    parser.add_argument("--reindex", action="store_true", help="reconstruir antes el índice léxico")
    parser.set_defaults(func=cmd_embed)

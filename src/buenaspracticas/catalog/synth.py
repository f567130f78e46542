"""`buenaspracticas synth`: a deterministic synthetic catalogue for scale work, recombined from the bundled
report's own sentences (titles, institutions, populations, descriptions, evidence per criterion) over all 32
states, with verdicts, dimensions and panorama figures. Every synthetic record hangs from its own source
document (`synthetic-<seed>`), so `synth --clear` removes exactly them and real data is never touched."""

from __future__ import annotations

import argparse
import random
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction
from django.db.models import Max

from buenaspracticas.reference import CRITERIA, DIMENSIONS, STATES

PREFIX = "synthetic-"
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-ZÁÉÍÓÚÑ])")


@dataclass
class Vocabulary:
    titles: list[str] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    populations: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Return the phrases of the bundled report that synthetic practices are recombined from."""
    from django.conf import settings

    from buenaspracticas.ingest.parser import parse_file

    parsed = parse_file(settings.BUNDLED_REPORT)
    vocab = Vocabulary(evidence={c: [] for c in CRITERIA})
    names = {s.name for s in STATES}
    for p in parsed.practices:
        vocab.titles.append(p.title)
        if p.institution and not any(n in p.institution for n in names):
            vocab.institutions.append(p.institution)
        if p.target_population:
            vocab.populations.append(p.target_population)
        vocab.sentences += [s.strip() for s in _SENTENCE.split(p.description) if len(s.strip()) > 40]
        for code, assessment in p.criteria.items():
            vocab.evidence[code] += [
                s.strip() for s in _SENTENCE.split(assessment.evidence) if len(s.strip()) > 30
            ]
    vocab.institutions += [
        "Secretaría de Bienestar",
        "Instituto Estatal de Atención al Migrante",
        "Dirección de Atención a Migrantes",
        "Sistema Estatal DIF",
        "Secretaría del Trabajo",
    ]
    return vocab


def _title(rng: random.Random, vocab: Vocabulary) -> str:
    a, b = rng.sample(vocab.titles, 2)
    wa, wb = a.split(), b.split()
    return " ".join(wa[: max(2, len(wa) // 2)] + wb[len(wb) // 2 :])[:480]


def synth_clear() -> int:
    """Remove every synthetic practice, panorama and document; return how many practices were removed."""
    from buenaspracticas.catalog.models import Assessment, Practice, PracticeDimension, SourceDocument
    from buenaspracticas.panorama.models import Panorama
    from buenaspracticas.search.indexer import search_index_remove

    documents = SourceDocument.objects.filter(slug__startswith=PREFIX)
    ids = list(Practice.objects.filter(source_document__in=documents).values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        with transaction.atomic():
            Assessment.objects.filter(practice_id__in=chunk).delete()
            PracticeDimension.objects.filter(practice_id__in=chunk).delete()
            Practice.objects.filter(pk__in=chunk).delete()
            search_index_remove(chunk)
    with transaction.atomic():
        Panorama.objects.filter(document__in=documents).delete()
        documents.delete()
    return len(ids)


def synth_build(
    *, practices: int, seed: int, batch: int = 2000, vectors: bool = False, progress=None
) -> dict:
    """Write `practices` synthetic published practices (deterministic for a seed) in batches, each batch in
    one transaction and indexed for search; return counts and timings."""
    from buenaspracticas.catalog import services
    from buenaspracticas.catalog.models import (
        Assessment,
        Criterion,
        Dimension,
        Institution,
        Practice,
        PracticeDimension,
        State,
    )
    from buenaspracticas.search.indexer import search_index_update

    started = time.monotonic()
    rng = random.Random(seed)
    vocab = vocabulary()
    with transaction.atomic():  # one commit for the set-up, not one per institution or figure
        services.reference_sync()
        document, _ = services.document_upsert(
            slug=f"{PREFIX}{seed}",
            title=f"Catálogo sintético (semilla {seed})",
            publisher="buenaspracticas synth",
            year=2021,
        )
        states = list(State.objects.select_related("region").order_by("code"))
        criteria = {c.code: c for c in Criterion.objects.all()}
        dimensions = {d.code: d for d in Dimension.objects.all()}
        institutions: dict[int, list[Institution]] = {}
        for state in states:
            names = [
                f"{n} de {state.name}"
                for n in rng.sample(vocab.institutions, min(8, len(vocab.institutions)))
            ]
            institutions[state.pk] = [services.institution_get_or_create(state=state, name=n) for n in names]
        next_number = {s.pk: 1000 for s in states}
        _panoramas(rng, states, document)
    written = 0
    while written < practices:
        size = min(batch, practices - written)
        with transaction.atomic():
            # Numbers are taken inside each batch's transaction, after anything saved meanwhile (a draft
            # created while the catalogue grows takes the next free number; this batch comes after it).
            for state_id, top in (
                Practice.objects.values_list("state_id").annotate(top=Max("number")).order_by()
            ):
                next_number[state_id] = max(next_number.get(state_id, 1000), (top or 0) + 1)
            rows = []
            for _ in range(size):
                state = states[rng.randrange(len(states))]
                number = next_number[state.pk]
                next_number[state.pk] += 1
                paragraphs = [
                    "  ".join(rng.sample(vocab.sentences, rng.randint(2, 4)))
                    for _ in range(rng.randint(1, 3))
                ]
                rows.append(
                    Practice(
                        public_id=f"{state.slug}-{number}",
                        state=state,
                        number=number,
                        title=_title(rng, vocab),
                        institution=rng.choice(institutions[state.pk]),
                        target_population=rng.choice(vocab.populations),
                        description="\n".join(paragraphs),
                        status="suspended" if rng.random() < 0.1 else "active",
                        beneficiaries=rng.choice([None, rng.randint(20, 50_000)]),
                        workflow_state=Practice.Workflow.PUBLISHED,
                        source_document=document,
                        source_first_line=written + len(rows) + 1,
                        source_last_line=written + len(rows) + 1,
                    )
                )
            created = Practice.objects.bulk_create(rows)
            assessments, links = [], []
            for p in created:
                for code in CRITERIA:
                    roll = rng.random()
                    verdict = "met" if roll < 0.65 else ("not_met" if roll < 0.85 else "unknown")
                    text = (
                        " ".join(rng.sample(vocab.evidence[code], min(2, len(vocab.evidence[code]))))
                        if verdict != "unknown"
                        else ""
                    )
                    assessments.append(
                        Assessment(practice=p, criterion=criteria[code], verdict=verdict, evidence=text)
                    )
                chosen = rng.sample(DIMENSIONS[:4], rng.randint(1, 3))
                if rng.random() < 0.05:
                    chosen.append(rng.choice(DIMENSIONS[4:]))
                links += [
                    PracticeDimension(practice=p, dimension=dimensions[d], order=n)
                    for n, d in enumerate(chosen)
                ]
            Assessment.objects.bulk_create(assessments)
            PracticeDimension.objects.bulk_create(links)
            search_index_update([p.pk for p in created], embedder=True if vectors else None)
        written += size
        if progress:
            rate = written / max(time.monotonic() - started, 1e-6)
            progress(f"\r{written}/{practices} prácticas sintéticas, {rate:.0f}/s")
    return {"practices": written, "document": document.slug, "seconds": round(time.monotonic() - started, 1)}


def _panoramas(rng: random.Random, states, document) -> None:
    from buenaspracticas.panorama import services as panorama_services

    for state in states:
        total = rng.randint(700_000, 17_000_000)
        women = round(rng.uniform(50.2, 52.5), 1)
        figures = [
            ("total_population", total, "personas", "2020"),
            ("pct_women", women, "%", "2020"),
            ("pct_men", round(100 - women, 1), "%", "2020"),
            ("emigrants_2015_2020", int(total * rng.uniform(0.002, 0.02)), "personas", "2015-2020"),
            ("foreign_born", int(total * rng.uniform(0.002, 0.03)), "personas", "2020"),
            ("entries_total", rng.randint(1_000, 2_000_000), "entradas", "2021-01/2021-06"),
            ("deported", rng.randint(0, 60_000), "eventos", "2021-01/2021-06"),
        ]
        panorama_services.panorama_upsert(
            state=state,
            document=document,
            first_line=None,
            last_line=None,
            quality_flags=[],
            indicators=[
                {
                    "key": k,
                    "label": "",
                    "value": v,
                    "unit": u,
                    "period": period,
                    "source": "Cifras sintéticas (buenaspracticas synth)",
                    "note": "",
                    "line": None,
                }
                for k, v, u, period in figures
            ],
        )


def cmd_synth(args: argparse.Namespace) -> int:
    """Build (or with --clear remove) the synthetic catalogue."""
    from buenaspracticas.cli import _migrate, setup_django

    setup_django()
    _migrate()
    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.search.indexer import print_progress

    if args.clear:
        print(f"Prácticas sintéticas eliminadas: {synth_clear()}")
        return 0
    real = Practice.objects.exclude(source_document__slug__startswith=PREFIX).count()
    if real and not args.force:
        print(
            f"error: la base tiene {real} prácticas reales; use --force para añadir las sintéticas "
            "(quedan en su propio documento y `synth --clear` las elimina)."
        )
        return 2
    result = synth_build(
        practices=args.practices,
        seed=args.seed,
        batch=args.batch,
        vectors=args.vectors,
        progress=print_progress,
    )
    print(
        f"\n{result['practices']} prácticas sintéticas en {result['seconds']} s "
        f"(documento {result['document']})."
    )
    return 0


def register(sub) -> None:
    """Add the `synth` subcommand."""
    parser = sub.add_parser("synth", help="generar un catálogo sintético determinista (pruebas de escala)")
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--vectors", action="store_true", help="encolar sus pasajes para `embed`")
    parser.add_argument("--force", action="store_true", help="añadirlas aunque la base tenga datos reales")
    parser.add_argument("--clear", action="store_true", help="eliminar todas las prácticas sintéticas")
    parser.set_defaults(func=cmd_synth)

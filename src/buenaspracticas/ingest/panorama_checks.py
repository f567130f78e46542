"""Quality flags computed from a panorama's own figures: parts that do not add up to their total, a stated
share the counts contradict, a period that differs from the rest. Messages in Spanish, with the numbers."""

from __future__ import annotations

import math

from buenaspracticas.ingest.panorama_text import ReportContext
from buenaspracticas.ingest.periods import period_words
from buenaspracticas.ingest.records import Indicator, QualityFlag

KEY_ES = {
    "total_population": "población total",
    "pct_women": "% de mujeres",
    "pct_men": "% de hombres",
    "emigrants_2015_2020": "personas emigrantes",
    "emigrants_men": "emigrantes hombres",
    "emigrants_women": "emigrantes mujeres",
    "emigrants_pct_men": "% de emigrantes hombres",
    "emigrants_pct_women": "% de emigrantes mujeres",
    "foreign_born": "población nacida en otro país",
    "foreign_born_top": "nacidos en otro país por país",
    "foreign_born_top_pct": "% de nacidos en otro país por país",
    "top_municipality": "municipio con más personas nacidas en otro país",
    "entries_total": "entradas",
    "entries_air": "entradas aéreas",
    "entries_sea": "entradas marítimas",
    "entries_land": "entradas terrestres",
    "entries_pct_national": "% del total nacional de entradas",
    "entries_national_total": "entradas en todo el país",
    "temporary_resident_cards": "tarjetas de residente temporal",
    "permanent_resident_cards": "tarjetas de residente permanente",
    "permanent_renewed": "residencias permanentes renovadas",
    "residence_total": "personas extranjeras que obtuvieron residencia",
    "presented_to_authority": "personas presentadas ante la autoridad migratoria",
    "deported": "devueltas por deportación",
    "assisted_return": "devueltas por retorno asistido",
    "assisted_return_minors": "menores devueltos por retorno asistido",
    "deported_and_assisted_return": "devueltas por deportación y retorno asistido",
    "causes": "causas de la migración",
    "repatriated": "personas repatriadas",
    "repatriated_men": "repatriados hombres",
    "repatriated_women": "repatriadas mujeres",
    "international_immigrants": "inmigrantes internacionales",
    "municipality_pct": "% por municipio",
    "international_immigrants_pct": "% de inmigrantes internacionales por país",
    "foreign_born_municipality": "nacidos en otro país por municipio",
    "entry_point": "entradas por punto",
}


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return f"{int(value):,}".replace(",", " ")


def _one(indicators: list[Indicator], key: str) -> Indicator | None:
    return next((i for i in indicators if i.key == key), None)


def _flag(kind: str, parts: list[Indicator], message: str) -> QualityFlag:
    lines = [i.line for i in parts]
    return QualityFlag(kind, sorted({i.key for i in parts}), message, min(lines), max(lines))


def quality_flags(indicators: list[Indicator], context: ReportContext, state_name: str) -> list[QualityFlag]:
    """Return the flags for figures of one panorama that contradict each other."""
    flags: list[QualityFlag] = []
    flags += _sum_check(
        indicators, ["pct_women", "pct_men"], None, 100, "% de mujeres + % de hombres", tol=0.15
    )
    flags += _sum_check(
        indicators,
        ["emigrants_men", "emigrants_women"],
        "emigrants_2015_2020",
        None,
        "Emigrantes hombres + mujeres",
    )
    flags += _sum_check(
        indicators,
        ["emigrants_pct_men", "emigrants_pct_women"],
        None,
        100,
        "% de emigrantes hombres + mujeres",
        tol=0.15,
    )
    flags += _sum_check(
        indicators,
        ["repatriated_men", "repatriated_women"],
        "repatriated",
        None,
        "Repatriados hombres + mujeres",
    )
    flags += _sum_check(
        indicators,
        ["entries_air", "entries_sea", "entries_land"],
        "entries_total",
        None,
        "Aéreas + marítimas + terrestres",
        partial_ok=True,
    )
    flags += _sum_check(
        indicators,
        ["temporary_resident_cards", "permanent_resident_cards", "permanent_renewed"],
        "residence_total",
        None,
        "Residentes temporales + permanentes + renovadas",
    )
    flags += _list_check(indicators, "foreign_born_top", "foreign_born", None, "La suma de los países")
    flags += _list_check(
        indicators, "foreign_born_top_pct", None, 100, "La suma de los porcentajes por país", tol=0.5
    )
    causes = [i for i in indicators if i.key == "causes"]
    if causes and sum(i.value for i in causes) > 100.5:
        flags.append(
            _flag(
                "parts_do_not_add_up",
                causes,
                f"Las causas de la migración suman {_fmt(round(sum(i.value for i in causes), 2))} %, "
                "más de 100 %.",
            )
        )
    flags += _share_check(indicators, context)
    flags += _period_check(indicators, context)
    return flags


def _sum_check(indicators, part_keys, total_key, total_value, what, tol=0.0, partial_ok=False):
    parts = [p for p in (_one(indicators, k) for k in part_keys) if p is not None]
    total = _one(indicators, total_key) if total_key else None
    if len(parts) < 2 and not (partial_ok and parts and total):
        return []
    if total_key and total is None:
        return []
    target = total.value if total else total_value
    got = round(sum(p.value for p in parts), 4)
    complete = len(parts) == len(part_keys)
    if abs(got - target) <= tol + 1e-9 or (partial_ok and not complete and got <= target and len(parts) < 2):
        return []
    if partial_ok and not complete and got < target:
        pass  # the missing part may hold the difference — still say so, the text gives no such part
    stated = f"el total declarado es {_fmt(target)}" if total else f"deberían sumar {_fmt(target)}"
    return [
        _flag(
            "parts_do_not_add_up", parts + ([total] if total else []), f"{what} = {_fmt(got)}, pero {stated}."
        )
    ]


def _list_check(indicators, key, total_key, total_value, what, tol=0.0):
    items = [i for i in indicators if i.key == key]
    total = _one(indicators, total_key) if total_key else None
    if not items or (total_key and total is None):
        return []
    target = total.value if total else total_value
    got = round(sum(i.value for i in items), 4)
    has_rest = any("otro" in i.label.lower() for i in items)
    if abs(got - target) <= tol + 1e-9 or (not has_rest and got < target):
        return []
    names = ", ".join(i.label for i in items)
    return [
        _flag(
            "parts_do_not_add_up",
            items + ([total] if total else []),
            f"{what} ({names}) = {_fmt(got)}, pero el total declarado es {_fmt(target)}."
            if total
            else f"{what} ({names}) = {_fmt(got)} %, no 100 %.",
        )
    ]


def _share_check(indicators, context: ReportContext):
    share = _one(indicators, "entries_pct_national")
    total = _one(indicators, "entries_total")
    if share is None or total is None:
        return []
    national_ind = _one(indicators, "entries_national_total")
    national = national_ind.value if national_ind else context.national_entries
    if not national:
        return []
    computed = total.value / national * 100
    decimals = _decimals(share.value)
    candidates = {round(computed, decimals), math.floor(computed * 10**decimals) / 10**decimals}
    if any(abs(c - share.value) < 1e-9 for c in candidates):
        return []
    where = "la nota al pie" if national_ind else "el resto del informe"
    parts = [share, total] + ([national_ind] if national_ind else [])
    return [
        _flag(
            "share_contradicts_counts",
            parts,
            f"El cuadro dice que las {_fmt(total.value)} entradas son el {_fmt(share.value)} % del "
            f"total nacional, "
            f"pero con el total nacional de {_fmt(national)} ({where}) son el {computed:.2f} %.",
        )
    ]


def _decimals(value) -> int:
    text = f"{value}"
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _period_check(indicators, context: ReportContext):
    flags = []
    bulletin = [
        i
        for i in indicators
        if i.unit in ("entradas", "tarjetas")
        or i.key
        in (
            "presented_to_authority",
            "deported",
            "assisted_return",
            "assisted_return_minors",
            "deported_and_assisted_return",
        )
    ]
    bulletin = [i for i in bulletin if i.key != "entries_national_total"]
    periods = [i.period for i in bulletin if i.period]
    if periods:
        common = max(set(periods), key=periods.count)
        reference = context.bulletin_period or common
        odd = [i for i in bulletin if i.period and i.period != reference]
        if odd and len(odd) == len(bulletin) and context.bulletin_period:
            flags.append(
                _flag(
                    "period_differs",
                    odd,
                    f"Las cifras migratorias del cuadro cubren {period_words(odd[0].period)}, mientras el "
                    f"resto del informe usa {period_words(reference)}.",
                )
            )
        elif odd:
            for period in sorted({i.period for i in odd}):
                group = [i for i in odd if i.period == period]
                flags.append(
                    _flag(
                        "period_differs",
                        group,
                        f"{', '.join(KEY_ES.get(i.key, i.key) for i in group).capitalize()} "
                        f"({', '.join(_fmt(i.value) for i in group)}) cubre {period_words(period)}, "
                        f"mientras el resto del cuadro usa {period_words(reference)}.",
                    )
                )
    census = [
        i
        for i in indicators
        if i.period
        and len(i.period) == 4
        and i.key
        not in (
            "emigrants_2015_2020",
            "emigrants_men",
            "emigrants_women",
            "emigrants_pct_men",
            "emigrants_pct_women",
        )
    ]
    if context.census_year:
        odd = [i for i in census if i.period != context.census_year]
        if odd:
            flags.append(
                _flag(
                    "period_differs",
                    odd,
                    f"La fuente de {len(odd)} cifras censales cita el año {odd[0].period} "
                    f"(«{odd[0].source}»), mientras el resto del informe cita el Censo "
                    f"{context.census_year}.",
                )
            )
    return flags

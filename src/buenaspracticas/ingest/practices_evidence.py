"""Assigning a criteria block's evidence paragraphs to the five criteria.

The report prints the evidence as five table columns (sostenibilidad, asociación, innovación,
replicabilidad, eficacia); text extractors give them column after column, each paragraph separated by a
blank line, but a blank line between columns looks like one inside a column. The rule:

1. The paragraphs keep their order and each column is one contiguous run of them, so an assignment is
   four cut points in the paragraph list (a monotone segmentation). Every paragraph goes to exactly one
   criterion: no text is lost.
2. Each paragraph is scored against each criterion by cue phrases typical of this report's columns:
   an *opening* cue counts when the paragraph opens its column ("Proporciona(n) elementos de
   referencia…" opens replicabilidad, "Cumple con los objetivos…" eficacia, "Es sostenible…"
   sostenibilidad, "No se identifica elemento innovador…" innovación); *topic* cues (budget, law,
   institutionalised; partners, agreements; new, similar programmes elsewhere; replication; goals,
   results, people served) count for every paragraph of the column. A paragraph that opens with a
   connective ("Asimismo", "No obstante", "Por otra parte", a small letter) is a continuation and is
   penalised as a column opening.
3. The segmentation with the highest total score wins (dynamic programming); with at least five
   paragraphs every column gets at least one; on ties the earlier cut wins. Empty columns are allowed
   only when there are fewer paragraphs than columns, or on continuation pages (a repeated criteria
   block of the same practice), where a paragraph that continues an unfinished sentence goes to the
   criterion whose text was left unfinished.
"""

from __future__ import annotations

import re

from buenaspracticas.reference import CRITERIA, fold

_OPENING: dict[str, tuple[str, ...]] = {
    "sostenibilidad": (
        r"^(es|se considera una (iniciativa|practica)?)\s*sostenible",
        r"^sostenible",
        r"^(tiene|cuenta con) (su )?(sustento|respaldo|fundamento|asignacion presupuestal|presupuesto)",
        r"^(hay|cuenta con|tiene) presupuesto",
        r"^forma parte de",
        r"^en vias de institucionalizacion",
        r"^(la|esta) (iniciativa|practica|actividad|colaboracion|red)\b.*(institucionaliz|respaldo|fundamento|depende|documentad)",
        r"^(el programa|la iniciativa) (se lanza|tiene fundamento|se encuentra institucionalizado)",
        r"^existe un area de oportunidad para dar continuidad",
        r"^se trata de practicas institucionalizadas",
        r"^son organos consolidados",
        r"^las actividades forman parte",
    ),
    "asociacion": (
        r"^(la|esta) (iniciativa|practica|programa)? ?se vincula",
        r"^el programa se vincula",
        r"^(existe|se tiene|se tienen|hay) .*(colaboracion|coordinacion|vinculacion|acuerdos|memorandum)",
        r"^(la )?colaboracion",
        r"^coordinacion (con|formalizada)",
        r"^se coordinan",
        r"^trabaja con",
        r"^(el programa|la iniciativa|esta iniciativa) (tiene|cuenta con|mantiene) una estrecha",
        r"^esta iniciativa mantiene",
        r"^sin datos sobre asociacion",
        r"^no hay informacion publica sobre vinculacion",
        r"^entre la",
        r"^se concreto el trabajo",
        r"^a traves de ambos consejos",
        r"^esta integrado por",
        r"^(el programa|la practica|la iniciativa) se (implementa|realiza) (de forma interinstitucional|en coordinacion)",
        r"^se realiza en coordinacion",
        r"^esta practica se vincula",
    ),
    "innovacion": (
        r"^no se identifica (elemento innovador|otra iniciativa)",
        r"innovador",
        r"innovacion",
        r"^(hay|existen) (programas|iniciativas) (del mismo tipo|semejantes|similares)",
        r"^(programas|iniciativas) similares",
        r"^la practica es realizada por otros estados",
        r"^esta practica se realiza en otros estados",
        r"^se desarrolla como un modelo",
    ),
    "replicabilidad": (
        r"elementos de referencia",
        r"sirve como referencia",
        r"\breplicab",
        r"\breplicad",
        r"\breplicacion\b",
        r"^su replicabilidad",
        r"\bes replicable",
    ),
    "eficacia": (
        r"^cumple con (los )?objetivos",
        r"^(el programa |la practica |la iniciativa )?(cuenta|tiene|define) (con )?(los |sus )?objetivos",
        r"^(tiene|cuenta con) (personas )?beneficiari",
        r"^la (practica|iniciativa) tiene (personas )?beneficiari",
        r"^(define|cuenta con|tiene) un plan de (trabajo|actividades)",
        r"^(durante|entre|en) (el )?(ano )?20\d\d",
        r"^de enero a",
        r"^se han atendido",
        r"^la meta de poblacion",
        r"^sin cifras publicas",
        r"^no se identifica una metodologia",
        r"^(evalua|beneficio|beneficia|respondio)\b",
        r"^uno de (sus|los) (logros|grandes logros|resultados)",
        r"^mensualmente",
    ),
}
_TOPIC: dict[str, tuple[str, ...]] = {
    "sostenibilidad": (
        r"sostenib",
        r"sustentab",
        r"institucionaliz",
        r"presupuest",
        r"\bley\b",
        r"juridic",
        r"recursos (financieros|propios|asignados|disponibles|presupuestales)",
        r"cambio de (administracion|gobierno)",
        r"\briesgo\b",
        r"\bgastos\b",
        r"\binversion",
        r"reglamento",
        r"decreto",
        r"\bart\.",
        r"documentad",
    ),
    "asociacion": (
        r"vincula",
        r"colabora",
        r"convenio",
        r"acuerdos",
        r"sociedad civil",
        r"organismos internacionales",
        r"memorandum",
        r"consulad",
        r"alianza",
        r"interinstitucional",
        r"coordinacion (con|entre)",
        r"en coordinacion",
    ),
    "innovacion": (
        r"innova",
        r"\bnuev[oa]s?\b",
        r"otros estados",
        r"mismo tipo",
        r"similares",
        r"semejantes",
        r"\bmodelo\b",
        r"concentra",
        r"facilita",
        r"espacio",
        r"integral",
        r"\bagiliza",
    ),
    "replicabilidad": (r"referencia", r"replic", r"otros contextos", r"distintos contextos"),
    "eficacia": (
        r"objetivos",
        r"benefici",
        r"atendi",
        r"atencion a",
        r"resultados",
        r"\bmetas?\b",
        r"evaluaci",
        r"plan de trabajo",
        r"\blogr",
        r"\d[\d,. ]*(mil )?(\d+ )?personas",
        r"\bse realizaron\b",
        r"se canalizaron",
        r"favoreciendo",
    ),
}
_CONTINUATION = re.compile(
    r"^(asimismo|así mismo|asi mismo|así también|asi tambien|no obstante|por otra parte|por otro lado|además|ademas|"
    r"lo anterior|de igual forma|sin embargo|adicionalmente|y |o |e |que |•|·|\()",
    re.I,
)
_SMALL_LETTER = re.compile(r"^[a-záéíóúñ]")
_OPENING_RE = {c: [re.compile(p) for p in ps] for c, ps in _OPENING.items()}
_TOPIC_RE = {c: [re.compile(p) for p in ps] for c, ps in _TOPIC.items()}

_OPEN_WEIGHT = 4.0
_TOPIC_WEIGHT = 1.0
_CONT_PENALTY = 3.0
_MISPLACED = 2.0  # an opening cue of another criterion inside this column


def _scores(paragraph: str) -> tuple[dict[str, float], dict[str, float], bool]:
    folded = fold(paragraph)
    head = folded[:160]
    opening = {c: (_OPEN_WEIGHT if any(r.search(head) for r in _OPENING_RE[c]) else 0.0) for c in CRITERIA}
    topic = {c: min(3, sum(1 for r in _TOPIC_RE[c] if r.search(folded))) * _TOPIC_WEIGHT for c in CRITERIA}
    continuation = bool(_CONTINUATION.match(paragraph.strip()) or _SMALL_LETTER.match(paragraph.strip()))
    return opening, topic, continuation


def assign(
    paragraphs: list[str], *, continuation_page: bool = False, unfinished: str | None = None
) -> list[str]:
    """Return the criterion of each paragraph (see the module docstring)."""
    n = len(paragraphs)
    if n == 0:
        return []
    k = len(CRITERIA)
    feats = [_scores(p) for p in paragraphs]
    allow_empty = continuation_page or n < k

    def para_score(i: int, c: int, first: bool) -> float:
        opening, topic, cont = feats[i]
        name = CRITERIA[c]
        s = topic[name]
        if first:
            s += opening[name]
            if cont and not (continuation_page and i == 0):
                s -= _CONT_PENALTY
        else:
            others = max((opening[o] for o in CRITERIA if o != name), default=0.0)
            s -= _MISPLACED if others and not opening[name] else 0.0
        if continuation_page and i == 0 and unfinished:
            s += 6.0 if name == unfinished else 0.0
        return s

    neg = float("-inf")
    # best[i][c]: best score with paragraphs[:i] assigned to criteria[:c+1], paragraph i-1 in criterion c.
    best = [[neg] * k for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * k for _ in range(n + 1)]
    for c in range(k):
        # paragraph 0 opens criterion c; criteria before c are empty.
        if c > 0 and not allow_empty:
            break
        best[1][c] = para_score(0, c, True) - (0.0 if continuation_page else 1.5 * c)
    for i in range(1, n):
        for c in range(k):
            if best[i][c] == neg:
                continue
            # stay in c
            s = best[i][c] + para_score(i, c, False)
            if s > best[i + 1][c]:
                best[i + 1][c], back[i + 1][c] = s, (i, c)
            # open a later criterion
            for c2 in range(c + 1, k):
                if c2 > c + 1 and not allow_empty:
                    break
                gap = (c2 - c - 1) * (0.0 if continuation_page else 1.5)
                s = best[i][c] + para_score(i, c2, True) - gap
                if s > best[i + 1][c2]:
                    best[i + 1][c2], back[i + 1][c2] = s, (i, c)
    finals = []
    for c in range(k):
        if best[n][c] == neg:
            continue
        if not allow_empty and c != k - 1:
            continue
        tail = (k - 1 - c) * (0.0 if continuation_page else 1.5)
        finals.append((best[n][c] - tail, -c, c))
    _, _, c = max(finals)
    out = [""] * n
    i = n
    while i > 0:
        out[i - 1] = CRITERIA[c]
        prev = back[i][c]
        if prev is None:
            break
        i, c = prev
    return out

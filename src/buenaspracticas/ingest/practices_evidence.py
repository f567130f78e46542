"""Assigning a criteria block's evidence paragraphs to the five criteria.

The report prints the evidence as five table columns (sostenibilidad, asociación, innovación,
replicabilidad, eficacia); text extractors give them column after column, each paragraph separated by a
blank line, but a blank line between columns looks like one inside a column. The rule:

1. The paragraphs keep their order and each column is one contiguous run of them, so an assignment is
   four cut points in the paragraph list (a monotone segmentation). Every paragraph goes to exactly one
   criterion: no text is lost.
2. Each paragraph is scored against each criterion by general cues, never by a phrase of one paragraph:
   *opening forms*, the ways an evaluator starts a column (the criterion named: "Es sostenible",
   "elemento innovador", "su replicabilidad"; or its usual statement: "Cuenta con presupuesto", "Se
   vincula con", "Proporciona elementos de referencia", "Cumple con los objetivos/metas", "Durante
   2020 …"); failing those, the criterion whose vocabulary the first sentence uses first may open the
   column (a weaker cue); the *topic* vocabulary (budget, law, institutionalised; partners, agreements;
   new, similar programmes elsewhere; reference, replication; goals, results, people served) counts
   for every paragraph of the column. A paragraph that opens with a connective ("Asimismo", "No
   obstante", a small letter: a sentence continued) is penalised as a column opening, and one with
   another criterion's opening form inside a column is penalised as misplaced.
3. The segmentation with the highest total score wins (dynamic programming); with at least five
   paragraphs every column gets at least one; on ties the earlier cut wins. Empty columns are allowed
   only when there are fewer paragraphs than columns, or on continuation pages (a repeated criteria
   block of the same practice), where a paragraph that continues an unfinished sentence goes to the
   criterion whose text was left unfinished.
4. Each column's split gets a confidence (0–1): how much worse the best split scores when one of its cuts
   moves by one paragraph; a cut the structure forces is sure; halved when the column's opening paragraph
   speaks of another criterion. Low values are for evaluators to review.
"""

from __future__ import annotations

import math
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
        r"^(la|esta) (iniciativa|practica|actividad|colaboracion|red)\b"
        r".*(institucionaliz|respaldo|fundamento|depende|documentad)",
    ),
    "asociacion": (
        r"^(la|esta) (iniciativa|practica|programa)? ?se vincula",
        r"^el programa se vincula",
        r"^(existe|se tiene|se tienen|hay) .*(colaboracion|coordinacion|vinculacion|acuerdos|memorandum)",
        r"^(la )?colaboracion",
        r"^coordinacion (con|formalizada)",
        r"^se coordinan",
        r"^(trabaja|colabora)n? (en coordinacion )?con",
        r"^(el programa|la iniciativa|esta iniciativa) (tiene|cuenta con|mantiene) una estrecha",
    ),
    "innovacion": (
        r"^no se identifica (elemento innovador|otra iniciativa)",
        r"innovador",
        r"innovacion",
        r"^(hay|existen) (programas|iniciativas) (del mismo tipo|semejantes|similares)",
        r"^(programas|iniciativas) similares",
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
        r"^cumple (con )?(los |las |sus )?(objetivos|metas)",
        r"^(el programa |la practica |la iniciativa )?(cuenta|tiene|define) (con )?(los |sus )?objetivos",
        r"^(tiene|cuenta con) (personas )?beneficiari",
        r"^la (practica|iniciativa) tiene (personas )?beneficiari",
        r"^(define|cuenta con|tiene) un plan de (trabajo|actividades)",
        r"^(durante|entre|en) (el )?(ano )?20\d\d",
        r"^(no se identifica|no hay|sin) .{0,30}(evaluacion|metodologia|cifras|indicador|datos)",
        r"^se han atendido",
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
        r"\bdependen? de",
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
    r"^(asimismo|así mismo|asi mismo|así también|asi tambien|no obstante|por otra parte|por otro lado|"
    r"además|ademas|"
    r"lo anterior|de igual forma|sin embargo|adicionalmente|y |o |e |que |•|·|\()",
    re.I,
)
_SMALL_LETTER = re.compile(r"^[a-záéíóúñ]")
_OPENING_RE = {c: [re.compile(p) for p in ps] for c, ps in _OPENING.items()}
_TOPIC_RE = {c: [re.compile(p) for p in ps] for c, ps in _TOPIC.items()}

_OPEN_WEIGHT = 4.0
_VOCABULARY_OPEN_WEIGHT = 2.0
_TOPIC_WEIGHT = 1.0
_CONT_PENALTY = 3.0
_MISPLACED = 2.0  # an opening cue of another criterion inside this column


def _scores(paragraph: str) -> tuple[dict[str, float], dict[str, float], bool]:
    folded = fold(paragraph)
    head = folded[:160]
    opening = {c: (_OPEN_WEIGHT if any(r.search(head) for r in _OPENING_RE[c]) else 0.0) for c in CRITERIA}
    if not any(opening.values()):
        # No opening form: the criterion whose vocabulary the first sentence uses first may open here.
        sentence = re.split(r"(?<=[.;:])\s", head, maxsplit=1)[0]
        first = {
            c: min((m.start() for r in _TOPIC_RE[c] for m in [r.search(sentence)] if m), default=None)
            for c in CRITERIA
        }
        found = {c: at for c, at in first.items() if at is not None}
        for c, at in found.items():
            if at == min(found.values()):
                opening[c] = _VOCABULARY_OPEN_WEIGHT
    topic = {c: min(3, sum(1 for r in _TOPIC_RE[c] if r.search(folded))) * _TOPIC_WEIGHT for c in CRITERIA}
    continuation = bool(_CONTINUATION.match(paragraph.strip()) or _SMALL_LETTER.match(paragraph.strip()))
    return opening, topic, continuation


def assign(
    paragraphs: list[str], *, continuation_page: bool = False, unfinished: str | None = None
) -> list[str]:
    """Return the criterion of each paragraph (see the module docstring)."""
    return assign_with_confidence(paragraphs, continuation_page=continuation_page, unfinished=unfinished)[0]


def assign_with_confidence(
    paragraphs: list[str], *, continuation_page: bool = False, unfinished: str | None = None
) -> tuple[list[str], dict[str, float]]:
    """Return the criterion of each paragraph and, for each criterion given paragraphs, how sure its column's
    extent is (0–1): how much worse the best split scores when either of the column's cuts moves by one
    paragraph (a cut the structure forces counts as sure), halved when its opening paragraph speaks of
    another criterion and not of its own."""
    n = len(paragraphs)
    if n == 0:
        return [], {}
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
            s -= _MISPLACED if others >= _OPEN_WEIGHT and not opening[name] else 0.0
        if continuation_page and i == 0 and unfinished:
            s += 6.0 if name == unfinished else 0.0
        return s

    def total(labels: list[int]) -> float:
        """The score of a segmentation (criterion index per paragraph), as the dynamic programme counts it."""
        gap = 0.0 if continuation_page else 1.5
        score = -gap * labels[0]
        for i, c in enumerate(labels):
            first = i == 0 or labels[i - 1] != c
            score += para_score(i, c, first)
            if i and first:
                score -= gap * (c - labels[i - 1] - 1)
        return score - gap * (k - 1 - labels[-1])

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
    chosen = [0] * n
    i = n
    while i > 0:
        chosen[i - 1] = c
        prev = back[i][c]
        if prev is None:
            break
        i, c = prev
    return [CRITERIA[c] for c in chosen], _confidence(chosen, total, feats, allow_empty)


def _valid(labels: list[int], allow_empty: bool) -> bool:
    k = len(CRITERIA)
    if any(b < a for a, b in zip(labels, labels[1:], strict=False)):
        return False
    return allow_empty or set(labels) == set(range(k))


def _confidence(chosen: list[int], total, feats, allow_empty: bool) -> dict[str, float]:
    best = total(chosen)
    margins: dict[int, float] = {c: float("inf") for c in set(chosen)}
    for i in range(1, len(chosen)):
        if chosen[i] == chosen[i - 1]:
            continue
        # the cut before paragraph i: move it one paragraph earlier or later
        for alt in (
            chosen[: i - 1] + [chosen[i]] + chosen[i:],
            chosen[:i] + [chosen[i - 1]] + chosen[i + 1 :],
        ):
            if _valid(alt, allow_empty):
                margin = best - total(alt)
                for c in (chosen[i - 1], chosen[i]):
                    margins[c] = min(margins[c], margin)
    out = {}
    for c, margin in margins.items():
        sure = 1.0 if margin == float("inf") else max(0.0, 1.0 - math.exp(-max(margin, 0.0) / 3.0))
        start = chosen.index(c)
        opening = feats[start][0]
        if not opening[CRITERIA[c]] and any(opening.values()):
            sure /= 2
        out[CRITERIA[c]] = round(sure, 2)
    return out

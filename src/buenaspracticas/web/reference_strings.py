"""Reference labels that reach templates as data (regions, criteria, dimensions, facet values), listed here
so makemessages extracts them for the English catalogue; presenters translate them with gettext."""

from django.utils.translation import gettext_noop

STRINGS = (
    gettext_noop("Norte"),
    gettext_noop("Occidente"),
    gettext_noop("Centro"),
    gettext_noop("Sur-Sureste"),
    gettext_noop("Sostenibilidad"),
    gettext_noop("Asociación"),
    gettext_noop("Innovación"),
    gettext_noop("Replicabilidad"),
    gettext_noop("Eficacia"),
    gettext_noop("Origen"),
    gettext_noop("Tránsito"),
    gettext_noop("Destino"),
    gettext_noop("Retorno"),
    gettext_noop("Desplazamiento interno"),
    gettext_noop("Refugio"),
    gettext_noop("Buena práctica (≥3 de 5)"),
    gettext_noop("Menos de 3 criterios"),
    gettext_noop("Vigente"),
    gettext_noop("Suspendida"),
)

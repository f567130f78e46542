"""Labels that reach curation pages as data (workflow states from catalog.models), listed here so
makemessages extracts them into this feature's English catalogue."""

from django.utils.translation import gettext_noop

STRINGS = (
    gettext_noop("borrador"),
    gettext_noop("enviada"),
    gettext_noop("en revisión"),
    gettext_noop("aclaración solicitada"),
    gettext_noop("publicada"),
    gettext_noop("no calificada"),
    gettext_noop("archivada"),
    gettext_noop("evidencia"),
)

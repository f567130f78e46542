"""Who may import what: the states an import file edits (its practices and figures), checked against the
importing account's role at once (curation.permissions.edit_refusals), each refusal reported as a problem
of the first row that edits that state, like every other problem of the file."""

from __future__ import annotations

from django.utils.translation import gettext as _

from buenaspracticas.curation.permissions import edit_refusals
from buenaspracticas.reports.import_read import Problem, Row


def refused_states(user, edited_states: dict[str, Row]) -> list[Problem]:
    """Return a problem (the row's sheet and row, column state_code, the refusal) for each state of
    `edited_states` (code → the first row editing it) that `user` may not edit; none when it may edit all.
    `user=None` is the system operator (the CLI on the server), who may edit every state."""
    refusals = edit_refusals(user, edited_states)
    return [
        Problem(r.sheet, r.row, "state_code", refusals[code], _("un estado que usted puede editar"))
        for code, r in edited_states.items()
        if code in refusals
    ]

"""Bulk writes of practices (the report loader and spreadsheet imports): one service that checks permission,
decides how the write enters the workflow, writes, and records history, so no bulk writer repeats it."""

from __future__ import annotations

from django.db import transaction

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import permissions
from buenaspracticas.curation.history import practice_history_after_write, practice_snapshot_before_write
from buenaspracticas.reference import criteria_met, qualifies


@transaction.atomic
def practice_write(
    *,
    user,
    state,
    number: int,
    values: dict,
    reason: str,
    document=None,
    first_line: int | None = None,
    last_line: int | None = None,
    actor_label: str = "",
    publish_new: bool = False,
    reason_created: str = "",
) -> tuple[str, str]:
    """Write the practice numbered `number` in `state` from a bulk source; return (outcome, public id) with
    outcome 'created' | 'updated' | 'unchanged'.

    The system (loader, CLI) and coordinators write directly: a new practice is published when it qualifies
    (or always, with `publish_new`, for a report whose records are published by definition) and kept as not
    qualified otherwise; an existing one keeps its workflow state. An editor's bulk write acts like the ficha
    form: a new practice is submitted for review, an existing one is edited (a published ficha gets a pending
    revision). History is recorded here for every change (with `reason_created`, when given, for a new
    one)."""
    permissions.check_can_edit_state(user, state.code)
    reviewed_directly = permissions.role_of(user) in (permissions.SYSTEM, permissions.COORDINATOR)
    public_id = f"{state.slug}-{number}"
    exists = Practice.objects.filter(state=state, number=number).exists()
    if exists and not reviewed_directly:
        from buenaspracticas.curation.services import practice_edit

        # An editor edits the ficha's fields; where the report prints it (source_table) stays as loaded.
        fields = {k: v for k, v in values.items() if k != "source_table"}
        edit = practice_edit(
            user=user, practice_id=public_id, data=fields, expected_version=None, reason=reason
        )
        return ("updated" if edit["changed"] else "unchanged"), public_id
    before = practice_snapshot_before_write(state=state, number=number) if exists else None
    workflow = None
    if not exists:
        if not reviewed_directly:
            workflow = Practice.Workflow.SUBMITTED
        elif publish_new or qualifies(criteria_met(values["criteria"])):
            workflow = Practice.Workflow.PUBLISHED
        else:
            workflow = Practice.Workflow.NOT_QUALIFIED
    practice, outcome = catalog_services.practice_upsert(
        state=state,
        number=number,
        **values,
        workflow_state=workflow,
        document=document,
        first_line=first_line,
        last_line=last_line,
    )
    if outcome != "unchanged":
        practice_history_after_write(
            practice=practice,
            before=before,
            actor=user,
            actor_label=actor_label,
            reason=(reason_created or reason) if before is None else reason,
        )
    return outcome, practice.public_id

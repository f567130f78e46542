"""API schemas of the coordination space: the outputs the selectors return, and the request bodies the
services read (documented here; the services validate them after checking permission)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

Progress = Literal["not_started", "in_progress", "done"]
AgreementStatus = Literal["pending", "in_progress", "done", "cancelled"]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class DocumentLink(Schema):
    title: str
    url: str = Field("", description="http(s) address; may be empty")


class StateBrief(Schema):
    code: str = Field(..., examples=["MX-OAX"])
    slug: str = Field(..., examples=["oaxaca"])
    name: str


class RecommendationEvidenceOut(Schema):
    text: str
    documents: list[DocumentLink]
    practices: list[str] = Field(..., description="ids of the state's practices that implement it")


class StateProgressOut(Schema):
    status: Progress
    status_label: str
    note: str
    evidence: RecommendationEvidenceOut
    updated_at: str | None
    version: int


class RecommendationSource(Schema):
    document: str | None
    number: int = Field(..., description="the number printed in the report")
    first_line: int | None
    last_line: int | None


class RecommendationOut(Schema):
    number: int
    text: str
    summary: str
    source: RecommendationSource
    states: dict[str, StateProgressOut] = Field(..., description="keyed by state code (MX-OAX)")


class RecommendationListOut(Schema):
    count: int
    items: list[RecommendationOut]


class StateProgressWriteOut(StateProgressOut):
    number: int
    state: StateBrief


class RecommendationEvidenceIn(Input):
    text: str = ""
    documents: list[DocumentLink] = []
    practices: list[str] = Field([], description="ids of the state's practices, e.g. oaxaca-2")


class StateProgressIn(Input):
    """A state's status on a recommendation; each PUT is also a dated update in the cell's thread."""

    status: Progress
    note: str = ""
    evidence: RecommendationEvidenceIn | str | None = None


class NoteOut(Schema):
    at: str
    text: str
    status: AgreementStatus
    status_label: str
    author: str = Field(..., description="the office or role that wrote it")


class AgreementOut(Schema):
    id: int
    session: int
    text: str
    owner_state: StateBrief
    due: str
    status: AgreementStatus
    status_label: str
    overdue: bool
    sequence: int
    updated_at: str
    notes: list[NoteOut]


class SessionOut(Schema):
    id: int
    title: str
    starts_at: str = Field(..., description="ISO 8601 with the offset of the session's time zone")
    ends_at: str
    timezone: str = Field(..., examples=["America/Mexico_City"])
    place: str
    video_url: str | None = Field(..., description="null for visitors (accounts with a role see it)")
    agenda: str
    minutes: str
    minutes_published_at: str | None
    states: list[StateBrief]
    attachments: list[DocumentLink]
    agreements: list[AgreementOut]
    sequence: int = Field(..., description="iCalendar SEQUENCE, raised by every edit")
    upcoming: bool
    url: str
    created_at: str
    updated_at: str


class SessionListOut(Schema):
    count: int
    items: list[SessionOut]


class SessionIn(Input):
    """A new coordination session (the coordination only)."""

    title: str
    starts_at: str = Field(
        ..., examples=["2027-03-10T10:00"], description="ISO 8601; without an offset, in `timezone`"
    )
    ends_at: str = Field(..., examples=["2027-03-10T13:00"])
    timezone: str = Field("America/Mexico_City", description="IANA time zone name")
    place: str = ""
    video_url: str = ""
    agenda: str = ""
    minutes: str = ""
    states: list[str] = Field([], description="participating states: ISO codes or slugs")
    attachments: list[DocumentLink] = []


class SessionPatch(Input):
    """Any of a session's fields; the others keep their value. Minutes written for the first time are
    announced to the participating states."""

    title: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    timezone: str | None = None
    place: str | None = None
    video_url: str | None = None
    agenda: str | None = None
    minutes: str | None = None
    states: list[str] | None = None
    attachments: list[DocumentLink] | None = None


class AgreementIn(Input):
    """A new agreement of a session (the coordination only)."""

    text: str
    owner_state: str = Field(..., examples=["MX-OAX"])
    due: str = Field(..., examples=["2027-04-30"])
    status: AgreementStatus = "pending"


class AgreementPatch(Input):
    """The owner state's editor sends `status` and/or a follow-up `note`; the coordination may also change
    `text`, `owner_state` and `due`."""

    status: AgreementStatus | None = None
    note: str | None = None
    text: str | None = None
    owner_state: str | None = None
    due: str | None = None

"""Citations on criterion verdicts: written by evaluators and the coordination through the API and the
ficha's evaluation form, recorded in the history, and shown beside each verdict's evidence within each
reader's consent level ("evidencia reservada" above it, never the excerpt's text).

The report facts used: Baja California's practice 1 (lines 504–640) carries the marker of footnote 21
(line 547, "Congreso del Estado de Baja California, Ley para la Protección de los Derechos y Apoyo a los
Migrantes …"), a law."""

from __future__ import annotations

import json

import pytest

from buenaspracticas.catalog import selectors as catalog_selectors
from buenaspracticas.catalog.models import Assessment, Practice
from buenaspracticas.curation import services
from buenaspracticas.curation.models import HistoryEntry
from buenaspracticas.evidence.models import Citation, Document, Excerpt, Finding, Interview
from tests.accounts import FICHA, bearer

pytestmark = pytest.mark.django_db

RESERVED_TEXT = "El presupuesto del programa depende de un acuerdo verbal con la Secretaría de Finanzas."
PUBLIC_TEXT = "La red de albergues opera con convenios firmados con doce organizaciones."
COORD_TEXT = "La titular pidió no divulgar el nombre del albergue que cerró."


@pytest.fixture
def accounts(people):
    """The users of tests/evidence/conftest.py (editor of Oaxaca, evaluator, coordinator, visitor…)."""
    return people


@pytest.fixture
def evidence(report):
    """An Oaxaca interview with one excerpt per consent level, a finding, and footnote 21 as a document."""
    from buenaspracticas.catalog.models import State

    oaxaca = State.objects.get(code="MX-OAX")
    interview = Interview.objects.create(state=oaxaca)
    return {
        "public": Excerpt.objects.create(
            interview=interview, module="acciones", text=PUBLIC_TEXT, consent="public"
        ),
        "evaluators": Excerpt.objects.create(
            interview=interview, module="capacidades", text=RESERVED_TEXT, consent="evaluators"
        ),
        "coordinators": Excerpt.objects.create(
            interview=interview, module="retos", text=COORD_TEXT, consent="coordinators"
        ),
        "finding": Finding.objects.create(state=oaxaca, programme="Red estatal de albergues comunitarios"),
        "law": Document.objects.get(source__slug="informe-buenas-practicas-oim-conofam", footnote=21),
    }


def _in_review(accounts) -> Practice:
    """A new Oaxaca ficha (3 criteria met) sent and taken for review, as an evaluator would find it."""
    data = {
        **FICHA,
        "criteria": {
            c: {"verdict": "met", "evidence": "Consta."} for c in ("sostenibilidad", "asociacion", "eficacia")
        },
    }
    practice = services.practice_draft_create(user=accounts["editor"], state_code="MX-OAX", data=data)
    services.practice_transition(user=accounts["editor"], practice_id=practice.public_id, to="submitted")
    services.practice_transition(user=accounts["evaluator"], practice_id=practice.public_id, to="in_review")
    return Practice.objects.get(pk=practice.pk)


def _put(client, token, practice_id, criterion, body):
    return client.put(
        f"/api/v1/practices/{practice_id}/criteria/{criterion}",
        json.dumps(body),
        content_type="application/json",
        **bearer(token),
    )


def _cited(practice: Practice, criterion: str) -> list[tuple]:
    a = Assessment.objects.get(practice=practice, criterion__code=criterion)
    return list(a.citations.values_list("excerpt_id", "document_id", "locator", "finding_id"))


def test_an_evaluator_cites_an_excerpt_a_document_and_a_finding_through_the_api(
    client, accounts, tokens, evidence
):
    p = _in_review(accounts)
    body = {
        "verdict": "met",
        "evidence": "Convenios vigentes.",
        "citations": [
            {"excerpt": evidence["evaluators"].pk},
            {"document": evidence["law"].pk, "locator": "art. 12"},
            {"finding": evidence["finding"].pk},
        ],
    }
    r = _put(client, tokens["evaluator"], p.public_id, "sostenibilidad", body)
    assert r.status_code == 200, r.content
    assert _cited(p, "sostenibilidad") == [
        (evidence["evaluators"].pk, None, "", None),
        (None, evidence["law"].pk, "art. 12", None),
        (None, None, "", evidence["finding"].pk),
    ]
    # Leaving `citations` out keeps them; an empty list removes them.
    assert (
        _put(client, tokens["evaluator"], p.public_id, "sostenibilidad", {"verdict": "not_met"}).status_code
        == 200
    )
    assert len(_cited(p, "sostenibilidad")) == 3
    r = _put(
        client, tokens["coordinator"], p.public_id, "sostenibilidad", {"verdict": "met", "citations": []}
    )
    assert r.status_code == 200
    assert _cited(p, "sostenibilidad") == []


def test_citations_enter_the_history_as_references_never_as_excerpt_text(client, accounts, tokens, evidence):
    p = _in_review(accounts)
    before = HistoryEntry.objects.filter(practice=p).count()
    body = {"verdict": "met", "evidence": "Consta.", "citations": [{"excerpt": evidence["evaluators"].pk}]}
    assert _put(client, tokens["evaluator"], p.public_id, "sostenibilidad", body).status_code == 200
    entries = HistoryEntry.objects.filter(practice=p).order_by("pk")
    assert entries.count() == before + 1
    entry = entries.last()
    assert entry.kind == HistoryEntry.Kind.ASSESSMENT
    assert entry.before["criteria"]["sostenibilidad"].get("citations", []) == []
    assert entry.after["criteria"]["sostenibilidad"]["citations"] == [{"excerpt": evidence["evaluators"].pk}]
    assert entry.version == Practice.objects.get(pk=p.pk).version
    # Citing the same again changes nothing and records nothing.
    assert _put(client, tokens["evaluator"], p.public_id, "sostenibilidad", body).status_code == 200
    assert HistoryEntry.objects.filter(practice=p).count() == before + 1
    history = client.get(f"/api/v1/practices/{p.public_id}/history", **bearer(tokens["coordinator"]))
    assert history.status_code == 200
    assert RESERVED_TEXT not in history.content.decode()


def test_only_evaluators_and_the_coordination_cite_and_they_are_refused_before_the_body_is_read(
    client, accounts, tokens, evidence
):
    p = _in_review(accounts)
    nonsense = {"verdict": "met", "citations": "no es una lista"}
    path = f"/api/v1/practices/{p.public_id}/criteria/sostenibilidad"
    assert client.put(path, json.dumps(nonsense), content_type="application/json").status_code == 401
    for who in ("editor", "other_editor", "visitor"):
        r = _put(client, tokens[who], p.public_id, "sostenibilidad", nonsense)
        assert r.status_code == 403, who
    assert _cited(p, "sostenibilidad") == []


@pytest.mark.parametrize(
    "citations,field",
    [
        ("una cadena", "citations"),
        ([{"excerpt": 999999}], "citations[0].excerpt"),
        ([{"document": 999999}], "citations[0].document"),
        ([{"finding": 999999}], "citations[0].finding"),
        ([{"excerpt": 1, "document": 1}], "citations[0]"),
        ([{}], "citations[0]"),
        ([{"excerpt": "uno"}], "citations[0].excerpt"),
        ([{"document": "LAW", "locator": 12}], "citations[0].locator"),
        ([{"finding": "FINDING", "locator": "p. 3"}], "citations[0].locator"),
        (
            [{"excerpt": "COORD"}],
            "citations[0].excerpt",
        ),  # above an evaluator's level: as if it did not exist
        ([{"document": "LAW", "pagina": 3}], "citations[0]"),
    ],
)
def test_bad_citations_are_refused_naming_the_field_and_change_nothing(
    client, accounts, tokens, evidence, citations, field
):
    ids = {"LAW": evidence["law"].pk, "COORD": evidence["coordinators"].pk, "FINDING": evidence["finding"].pk}

    def real(value):
        if isinstance(value, list):
            return [{k: ids.get(v, v) if isinstance(v, str) else v for k, v in c.items()} for c in value]
        return value

    p = _in_review(accounts)
    version = Practice.objects.get(pk=p.pk).version
    r = _put(
        client,
        tokens["evaluator"],
        p.public_id,
        "sostenibilidad",
        {"verdict": "met", "citations": real(citations)},
    )
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert _cited(p, "sostenibilidad") == []
    assert Practice.objects.get(pk=p.pk).version == version


def test_the_coordination_may_cite_a_coordinators_only_excerpt(client, accounts, tokens, evidence):
    p = _in_review(accounts)
    body = {"verdict": "met", "citations": [{"excerpt": evidence["coordinators"].pk}]}
    assert _put(client, tokens["coordinator"], p.public_id, "eficacia", body).status_code == 200
    assert _cited(p, "eficacia") == [(evidence["coordinators"].pk, None, "", None)]


def test_the_evaluation_form_adds_citations_to_a_verdict(accounts, clients, evidence):
    p = _in_review(accounts)
    page = clients["evaluator"].get(f"/cuenta/practicas/{p.public_id}/")
    assert page.status_code == 200
    assert 'name="citations_sostenibilidad"' in page.content.decode()
    form = {"version": Practice.objects.get(pk=p.pk).version}
    for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia"):
        met = c in ("sostenibilidad", "asociacion", "eficacia")
        form |= {f"verdict_{c}": "met" if met else "unknown", f"evidence_{c}": "Consta." if met else ""}
    form["citations_sostenibilidad"] = (
        f"extracto {evidence['evaluators'].pk}\ndocumento {evidence['law'].pk}, art. 12\n"
        f"hallazgo {evidence['finding'].pk}"
    )
    r = clients["evaluator"].post(f"/cuenta/practicas/{p.public_id}/valoracion/", form, follow=True)
    assert "Valoración guardada" in r.content.decode()
    assert _cited(p, "sostenibilidad") == [
        (evidence["evaluators"].pk, None, "", None),
        (None, evidence["law"].pk, "art. 12", None),
        (None, None, "", evidence["finding"].pk),
    ]
    entry = HistoryEntry.objects.filter(practice=p).order_by("pk").last()
    assert entry.after["criteria"]["sostenibilidad"]["citations"][1] == {
        "document": evidence["law"].pk,
        "locator": "art. 12",
    }
    # The form shows them back, one per line, for the next edit.
    html = clients["evaluator"].get(f"/cuenta/practicas/{p.public_id}/").content.decode()
    assert f"documento {evidence['law'].pk}, art. 12" in html


def test_the_evaluation_form_names_the_line_it_cannot_read_and_saves_nothing(accounts, clients, evidence):
    p = _in_review(accounts)
    form = {"version": Practice.objects.get(pk=p.pk).version}
    for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia"):
        form |= {f"verdict_{c}": "met", f"evidence_{c}": ""}
    form["citations_asociacion"] = f"extracto {evidence['public'].pk}\nla entrevista del martes"
    r = clients["evaluator"].post(f"/cuenta/practicas/{p.public_id}/valoracion/", form, follow=True)
    assert "Línea 2" in r.content.decode()
    assert _cited(p, "asociacion") == []
    assert Assessment.objects.get(practice=p, criterion__code="innovacion").verdict == "unknown"


def _cite_and_publish(accounts, evidence) -> Practice:
    p = _in_review(accounts)
    services.criterion_assess(
        user=accounts["evaluator"],
        practice_id=p.public_id,
        criterion="sostenibilidad",
        verdict="met",
        evidence="Consta en la entrevista.",
        citations=[
            {"excerpt": evidence["evaluators"].pk},
            {"excerpt": evidence["public"].pk},
            {"document": evidence["law"].pk, "locator": "art. 12"},
            {"finding": evidence["finding"].pk},
        ],
    )
    services.criterion_assess(
        user=accounts["coordinator"],
        practice_id=p.public_id,
        criterion="eficacia",
        verdict="met",
        evidence="Consta.",
        citations=[{"excerpt": evidence["coordinators"].pk}],
    )
    services.practice_transition(user=accounts["evaluator"], practice_id=p.public_id, to="published")
    return p


@pytest.mark.parametrize(
    "reader,sees",
    [
        ("anonymous", ("public",)),
        ("visitor", ("public",)),
        ("editor", ("public",)),
        ("evaluator", ("public", "evaluators")),
        ("coordinator", ("public", "evaluators", "coordinators")),
    ],
)
def test_the_ficha_json_shows_each_excerpt_only_within_the_readers_consent(accounts, evidence, reader, sees):
    from django.contrib.auth.models import AnonymousUser

    p = _cite_and_publish(accounts, evidence)
    user = AnonymousUser() if reader == "anonymous" else accounts[reader]
    data = catalog_selectors.practice_get(practice_id=p.public_id, user=user)
    sost = data["criteria"]["sostenibilidad"]["citations"]
    expected_first = (
        {"excerpt": evidence["evaluators"].pk, "text": RESERVED_TEXT, "module": "capacidades"}
        if "evaluators" in sees
        else {"reserved": True}
    )
    assert sost[0] == expected_first
    assert sost[1] == {"excerpt": evidence["public"].pk, "text": PUBLIC_TEXT, "module": "acciones"}
    assert sost[2] == {
        "document": evidence["law"].pk,
        "locator": "art. 12",
        "text": evidence["law"].text,
        "url": evidence["law"].url,
    }
    assert sost[3] == {
        "finding": evidence["finding"].pk,
        "programme": "Red estatal de albergues comunitarios",
    }
    eficacia = data["criteria"]["eficacia"]["citations"]
    assert eficacia == (
        [{"excerpt": evidence["coordinators"].pk, "text": COORD_TEXT, "module": "retos"}]
        if "coordinators" in sees
        else [{"reserved": True}]
    )
    assert data["criteria"]["asociacion"]["citations"] == []


def test_exports_and_packages_read_citations_as_the_public(accounts, evidence):
    p = _cite_and_publish(accounts, evidence)
    data = catalog_selectors.practice_get(practice_id=p.public_id)  # no reader: the public
    assert data["criteria"]["sostenibilidad"]["citations"][0] == {"reserved": True}
    assert RESERVED_TEXT not in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("reader", ["anonymous", "visitor", "editor", "evaluator", "coordinator"])
def test_the_ficha_page_shows_reserved_evidence_as_evidencia_reservada(accounts, clients, evidence, reader):
    p = _cite_and_publish(accounts, evidence)
    html = clients[reader].get(f"/practicas/{p.public_id}/").content.decode()
    assert PUBLIC_TEXT in html
    assert "Red estatal de albergues comunitarios" in html
    assert "art. 12" in html
    if reader in ("evaluator", "coordinator"):
        assert RESERVED_TEXT in html
    else:
        assert RESERVED_TEXT not in html
        assert "evidencia reservada" in html
    if reader == "coordinator":
        assert COORD_TEXT in html
        assert "evidencia reservada" not in html
    else:
        assert COORD_TEXT not in html


def test_citations_on_a_published_ficha_wait_in_its_revision_until_it_is_published(accounts, evidence):
    p = Practice.objects.get(public_id="baja-california-1")
    services.criterion_assess(
        user=accounts["evaluator"],
        practice_id=p.public_id,
        criterion="sostenibilidad",
        verdict="met",
        evidence="Ley estatal.",
        citations=[{"document": evidence["law"].pk, "locator": "art. 3"}],
    )
    assert _cited(p, "sostenibilidad") == []  # the public ficha is unchanged meanwhile
    public = catalog_selectors.practice_get(practice_id=p.public_id)
    assert public["criteria"]["sostenibilidad"]["citations"] == []
    for who, to in (("coordinator", "submitted"), ("evaluator", "in_review"), ("evaluator", "published")):
        services.practice_transition(user=accounts[who], practice_id=p.public_id, to=to)
    assert _cited(p, "sostenibilidad") == [(None, evidence["law"].pk, "art. 3", None)]
    cited = catalog_selectors.practice_get(practice_id=p.public_id)["criteria"]["sostenibilidad"]["citations"]
    assert cited == [
        {
            "document": evidence["law"].pk,
            "locator": "art. 3",
            "text": evidence["law"].text,
            "url": evidence["law"].url,
        }
    ]


def test_a_cited_document_lists_the_practice_in_cited_by(client, accounts, evidence):
    p = _cite_and_publish(accounts, evidence)
    items = client.get("/api/v1/documents", {"practice": p.public_id}).json()["items"]
    law = next(d for d in items if d["id"] == evidence["law"].pk)
    assert law["cited_by"] == ["baja-california-1", p.public_id]


def test_a_cited_excerpt_cannot_be_deleted_out_from_under_a_verdict(accounts, evidence):
    from django.db.models import ProtectedError

    _cite_and_publish(accounts, evidence)
    with pytest.raises(ProtectedError):
        evidence["evaluators"].delete()
    assert Citation.objects.filter(excerpt=evidence["evaluators"]).count() == 1


def test_an_evaluator_re_saving_the_form_keeps_a_citation_only_the_coordination_may_read(
    accounts, clients, evidence
):
    p = _in_review(accounts)
    services.criterion_assess(
        user=accounts["coordinator"],
        practice_id=p.public_id,
        criterion="eficacia",
        verdict="met",
        evidence="Consta.",
        citations=[{"excerpt": evidence["coordinators"].pk}],
    )
    html = clients["evaluator"].get(f"/cuenta/practicas/{p.public_id}/").content.decode()
    assert COORD_TEXT not in html
    form = {"version": Practice.objects.get(pk=p.pk).version}
    for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia"):
        met = c in ("sostenibilidad", "asociacion", "eficacia")
        form |= {f"verdict_{c}": "met" if met else "unknown", f"evidence_{c}": "Consta." if met else ""}
    form["citations_eficacia"] = f"extracto {evidence['coordinators'].pk}"  # as the form showed it
    form["citations_sostenibilidad"] = f"extracto {evidence['evaluators'].pk}"
    r = clients["evaluator"].post(f"/cuenta/practicas/{p.public_id}/valoracion/", form, follow=True)
    assert "Valoración guardada" in r.content.decode()
    assert _cited(p, "eficacia") == [(evidence["coordinators"].pk, None, "", None)]
    assert _cited(p, "sostenibilidad") == [(evidence["evaluators"].pk, None, "", None)]


def test_a_verdict_edited_again_in_a_revision_keeps_its_pending_citations(accounts, evidence):
    p = Practice.objects.get(public_id="baja-california-1")
    law = [{"document": evidence["law"].pk, "locator": "art. 3"}]
    assess = {"user": accounts["evaluator"], "practice_id": p.public_id, "criterion": "sostenibilidad"}
    services.criterion_assess(**assess, verdict="met", evidence="Ley estatal.", citations=law)
    services.criterion_assess(**assess, verdict="met", evidence="Ley estatal de 2014.")  # no citations sent
    for who, to in (("coordinator", "submitted"), ("evaluator", "in_review"), ("evaluator", "published")):
        services.practice_transition(user=accounts[who], practice_id=p.public_id, to=to)
    assert _cited(p, "sostenibilidad") == [(None, evidence["law"].pk, "art. 3", None)]
    assert (
        Assessment.objects.get(practice=p, criterion__code="sostenibilidad").evidence
        == "Ley estatal de 2014."
    )

"""Advice: what a state should adopt next and why, on hand-built states and on the report's twelve."""

from __future__ import annotations

import copy

import pytest

from buenaspracticas.recommend import advice
from buenaspracticas.recommend import profiles as profile
from buenaspracticas.recommend.selectors import state_advice

pytestmark = pytest.mark.django_db
REPORT_STATES = (
    "MX-BCN",
    "MX-CHH",
    "MX-CMX",
    "MX-DUR",
    "MX-MEX",
    "MX-JAL",
    "MX-MIC",
    "MX-OAX",
    "MX-PUE",
    "MX-SLP",
    "MX-VER",
    "MX-YUC",
)


def _fills_transit(item: dict) -> bool:
    return item["fills"][0] in ({"dimension": "transito"}, {"group": "transit"})


def test_state_without_transit_practices_and_large_transit_figures_gets_transit_advice_first(handbuilt):
    result = state_advice(key="MX-CHP")
    assert result["gaps"][0].get("dimension") == "transito" or result["gaps"][0].get("group") == "transit"
    assert (
        "80 000 personas fueron presentadas ante la autoridad migratoria en ene–jun 2021"
        in result["gaps"][0]["why"]
    )
    assert _fills_transit(result["items"][0])
    assert "tránsito" in result["items"][0]["explanation"]


def test_own_practices_never_appear(handbuilt):
    for code in (*REPORT_STATES, "MX-CHP", "MX-SON"):
        items = state_advice(key=code, limit=50)["items"]
        assert items, code
        assert all(i["practice"]["state"]["code"] != code for i in items), code


def test_practice_with_fewer_than_3_criteria_never_appears(handbuilt):
    for code in (*REPORT_STATES, "MX-CHP", "MX-SON"):
        ids = {i["practice"]["id"] for i in state_advice(key=code, limit=50)["items"]}
        assert "tamaulipas-1" not in ids, code
        assert all(i["practice"]["criteria_met"] >= 3 for i in state_advice(key=code, limit=50)["items"])


def test_unknown_replicabilidad_is_ranked_below_met_and_said_so(handbuilt):
    items = state_advice(key="MX-CHP", limit=50)["items"]
    order = [i["practice"]["id"] for i in items]
    assert order.index("sonora-1") < order.index("sonora-2")
    unknown = next(i for i in items if i["practice"]["id"] == "sonora-2")
    assert "el informe no da dato sobre su replicabilidad" in unknown["explanation"]


CRITERIA = ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")


def _hand_practice(pid: str, code: str, **verdicts: str) -> dict:
    criteria = {
        c: {"verdict": verdicts.get(c, "met"), "evidence": "Atendió a 1200 personas en 2020."}
        for c in CRITERIA
    }
    name = {"MX-AAA": "Alfa", "MX-BBB": "Beta"}[code]
    return {
        "id": pid,
        "title": pid,
        "state": {"code": code, "name": name, "region": "norte", "slug": name.lower()},
        "dimensions": ["transito"],
        "criteria": criteria,
        "status": "active",
        "beneficiaries": None,
        "criteria_met": sum(c["verdict"] == "met" for c in criteria.values()),
    }


def test_rank_on_hand_built_profiles_excludes_own_and_weak_and_orders_by_replicability():
    figures = {
        "MX-AAA": {"presented_to_authority": {"value": 90_000, "period": "2021-01/2021-06"}},
        "MX-BBB": {"presented_to_authority": {"value": 500, "period": "2021-01/2021-06"}},
    }
    target = {"code": "MX-AAA", "name": "Alfa", "region": "norte"}
    pressure = profile.pressures(figures)["MX-AAA"]
    prof = profile.state_profile(
        state=target, figures=figures["MX-AAA"], pressure=pressure, practices=[], groups={}
    )
    gaps = profile.state_gaps(profile=prof, figures=figures["MX-AAA"], pressure=pressure)
    assert gaps[0]["dimension"] == "transito"
    practices = [
        _hand_practice("own-1", "MX-AAA"),  # would fill the gap best, but is the state's own
        _hand_practice(
            "weak-1", "MX-BBB", sostenibilidad="not_met", asociacion="not_met", innovacion="not_met"
        ),
        _hand_practice("unknown-1", "MX-BBB", replicabilidad="unknown", eficacia="not_met"),
        _hand_practice("good-1", "MX-BBB", eficacia="not_met"),
        _hand_practice("no-1", "MX-BBB", replicabilidad="not_met"),
    ]
    items = advice.rank(
        target=target,
        gaps=gaps,
        practices=copy.deepcopy(practices),
        groups={},
        figures=figures,
        replications=[],
    )
    assert [i["practice"]["id"] for i in items] == ["good-1", "unknown-1"]
    assert items[0]["fills"][0] == {"dimension": "transito"}
    assert (
        "90 000 personas fueron presentadas ante la autoridad migratoria en ene–jun 2021"
        in items[0]["explanation"]
    )


def test_oaxaca_gap_is_said_in_words_with_mexican_figures(suggested):
    gaps = state_advice(key="oaxaca")["gaps"]
    transit = next(g for g in gaps if g.get("dimension") == "transito")
    assert transit["why"] == (
        "ninguna práctica de Oaxaca atiende la dimensión de tránsito, y 3 486 personas "
        "fueron presentadas ante la autoridad migratoria en ene–jun 2021"
    )


def test_every_report_state_gets_explained_advice(suggested):
    for code in REPORT_STATES:
        result = state_advice(key=code, limit=3)
        assert result["profile"]["state"] == code
        assert len(result["items"]) == 3, code
        for item in result["items"]:
            assert item["explanation"].startswith("Cubre ")
            assert item["practice"]["qualifies"]
            assert item["practice"]["criteria"]["replicabilidad"]["verdict"] != "not_met"


def test_advice_reads_are_bounded(suggested, django_assert_max_num_queries):
    state_advice(key="MX-OAX")  # warm the catalogue's list cache, as a running site has it
    with django_assert_max_num_queries(12):
        state_advice(key="MX-OAX")
    from buenaspracticas.recommend.selectors import coverage_matrix

    with django_assert_max_num_queries(14):
        coverage_matrix()


def test_advice_api_returns_the_practice_json(suggested, client):
    from buenaspracticas.catalog.selectors import practice_get

    response = client.get("/api/v1/states/MX-OAX/advice?limit=3")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"state", "profile", "gaps", "items"}
    assert data["state"]["code"] == "MX-OAX"
    item = data["items"][0]
    assert set(item) == {"practice", "score", "fills", "explanation"}
    assert item["practice"] == practice_get(practice_id=item["practice"]["id"])
    assert all(set(g) & {"dimension", "group"} and g["why"] for g in data["gaps"])
    assert client.get("/api/v1/states/MX-XXX/advice").status_code == 404

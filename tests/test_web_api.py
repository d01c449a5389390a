"""The JSON API (contract §2a): bearer tokens, the pages' access rules, findings as the
contract's §4 objects, history, and every review action."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from fastapi.testclient import TestClient

from govwatch.web import create_app
from reports.findings_export import BASE_FIELDS
from tests.web_client import JUSTICE, OFFICE, bearer, review_db


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("review") / "govwatch.db"
    return review_db(f"sqlite:///{path}"), path


@pytest.fixture
def data(template, tmp_path):
    built, path = template
    shutil.copyfile(path, tmp_path / "govwatch.db")
    return dataclasses.replace(built, url=f"sqlite:///{tmp_path / 'govwatch.db'}")


@pytest.fixture
def api(data):
    return TestClient(create_app(data.url, secret_key="s" * 48))


def test_a_missing_or_bad_token_is_401(api, data):
    for headers in ({}, bearer("not-a-token"), {"Authorization": "Basic Ym9zczp4"}):
        for response in (
            api.get("/api/findings", headers=headers),
            api.get(f"/api/findings/{data.office_link}", headers=headers),
            api.post(
                f"/api/findings/{data.office_link}/review",
                json={"action": "confirm"},
                headers=headers,
            ),
        ):
            assert response.status_code == 401
            assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_session_cookie_does_not_open_the_api(api):
    from tests.web_client import login

    login(api, "boss")
    assert api.get("/api/findings").status_code == 401


def test_the_list_returns_contract_findings_and_the_total(api, data):
    body = api.get("/api/findings", headers=bearer(data.tokens["boss"])).json()
    assert body["total"] == 3 and len(body["findings"]) == 3
    for finding in body["findings"]:
        assert set(BASE_FIELDS) <= set(finding)
    term = next(f for f in body["findings"] if f["detector"] == "term")
    assert term["term"] == "一带一路战略" and term["suggestion"] == "一带一路倡议"


def test_the_list_takes_the_pages_filters(api, data):
    token = bearer(data.tokens["boss"])

    def ids(**params):
        return {
            f["id"]
            for f in api.get("/api/findings", params=params, headers=token).json()["findings"]
        }

    assert ids(unit=JUSTICE) == {data.justice_link}
    assert ids(detector="term") == {data.office_term}
    assert ids(severity="high") == {data.office_link}
    assert ids(q="司法局") == {data.justice_link}
    assert ids(status="false_positive") == set()
    page = api.get("/api/findings", params={"per_page": 1, "page": 2}, headers=token).json()
    assert page["total"] == 3 and len(page["findings"]) == 1
    assert api.get("/api/findings", params={"per_page": 1000}, headers=token).status_code == 400
    assert api.get("/api/findings", params={"page": "x"}, headers=token).status_code == 400


def test_a_unit_editors_token_sees_only_their_unit(api, data):
    token = bearer(data.tokens["editor"])
    body = api.get("/api/findings", headers=token).json()
    assert body["total"] == 2
    assert {f["unit"] for f in body["findings"]} == {OFFICE}
    assert api.get("/api/findings", params={"unit": JUSTICE}, headers=token).json()["total"] == 0
    assert api.get(f"/api/findings/{data.justice_link}", headers=token).status_code == 404
    refused = api.post(
        f"/api/findings/{data.justice_link}/review",
        json={"action": "dismiss", "reason": "不是我们的"},
        headers=token,
    )
    assert refused.status_code == 404


def test_one_finding_comes_with_its_history(api, data):
    body = api.get(f"/api/findings/{data.office_term}", headers=bearer(data.tokens["ops"])).json()
    assert body["id"] == data.office_term
    assert body["history"][0]["actor"] == "scan"
    assert set(body["history"][0]) >= {"at", "actor", "action", "reason", "scan_id"}
    assert api.get("/api/findings/999999", headers=bearer(data.tokens["ops"])).status_code == 404


def test_every_review_action_through_the_api(api, data):
    token = bearer(data.tokens["ops"])
    path = f"/api/findings/{data.office_link}/review"
    steps = [
        ({"action": "confirm"}, "confirmed", OFFICE),
        ({"action": "fixed", "reason": "已删除该链接"}, "fixed", OFFICE),
        ({"action": "reopen"}, "open", OFFICE),
        ({"action": "reassign", "unit": JUSTICE, "reason": "司法局栏目"}, "open", JUSTICE),
        ({"action": "comment", "reason": "请尽快处理"}, "open", JUSTICE),
        ({"action": "dismiss", "reason": "外部系统"}, "false_positive", JUSTICE),
    ]
    for body, status, unit in steps:
        response = api.post(path, json=body, headers=token)
        assert response.status_code == 200, response.text
        finding = response.json()
        assert (finding["status"], finding["unit"]) == (status, unit)
        last = finding["history"][-1]
        assert (last["actor"], last["action"]) == ("ops", body["action"])
    assert api.post(path, json={"action": "dismiss"}, headers=token).status_code == 400
    assert api.post(path, json={"action": "explode"}, headers=token).status_code == 400
    assert api.post(path, json={"reason": "x"}, headers=token).status_code == 422


def test_a_unit_editor_may_not_reassign_through_the_api(api, data):
    response = api.post(
        f"/api/findings/{data.office_link}/review",
        json={"action": "reassign", "unit": JUSTICE},
        headers=bearer(data.tokens["editor"]),
    )
    assert response.status_code == 403


def test_api_errors_are_json_in_chinese(api, data):
    response = api.get(
        "/api/findings", params={"status": "gone"}, headers=bearer(data.tokens["boss"])
    )
    assert response.status_code == 400
    assert "状态" in response.json()["detail"]

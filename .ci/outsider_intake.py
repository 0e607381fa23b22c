#!/usr/bin/env python3
"""Smart intake attacked from outside, on a live demo server: callers with no session, a citizen,
the machine key and a street inspector try the intake operator's tools — the model's matter
suggestions, the invalid-report flags and possible duplicates of a case, acceptance with another
matter — and read what the public answers (categories, grid outlines, a report's receipt) for
anything of the staff's: flags, scores, other reporters' words or contacts. Each refusal must be a
problem document, never a 500. Uses only the standard library."""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo

live = LiveDemo(int(os.environ.get("OUTSIDER_INTAKE_PORT", "18089")))
check, api = live.check, live.api


def refused(status, body, allowed, what):
    problem = body.startswith("{") and "code" in json.loads(body)
    check(status in allowed and problem, f"{what}: {status} {body[:160]}")


def leaks(body, what):
    for secret in ("intakeFlags", "duplicateMatches", "possibleDuplicates\":[{\"caseId", "empty_text", "reporterContact", "13700007777"):
        check(secret not in body, f"{what} does not carry {secret}")


with live:
    credentials = open(live.credentials_path).read()
    passwords = {u: p for u, p in re.findall(r"^  (\S+)\s+(\S+)\s+roles=", credentials, re.M)}
    key = re.search(r"X-API-Key\): (\S+)", credentials).group(1)
    phone, citizen_password = re.search(r"Citizen account: phone (\d+)\s+password (\S+)", credentials).groups()
    session = lambda user: json.loads(api("POST", "/api/v1/session", {"username": user, "password": passwords[user]})[1])["token"]
    intake, inspector = session("intake"), session("inspector.pingjiang")
    citizen = json.loads(api("POST", "/api/v1/citizen-session", {"phone": phone, "password": citizen_password})[1])["token"]
    cells = json.loads(api("GET", "/api/v1/public/grid-cells")[1])["items"]
    check(len(cells) > 400 and set(cells[0]) == {"id", "name", "geometry"}, f"the public grid is outlines only: {sorted(cells[0])}")
    ring = cells[len(cells) // 3]["geometry"]["coordinates"][0][:-1]
    lon, lat = [sum(p[i] for p in ring) / len(ring) for i in (0, 1)]

    # A caller reports with words that say nothing; a second caller reports the same spot.
    status, body = api("POST", "/api/v1/cases", {"matterCode": "E0104", "description": "测试", "lon": lon + 0.0004, "lat": lat,
                                                 "source": "hotline", "reporterContact": "13700007777"}, token=intake)
    check(status == 201, f"the 12345 operator files a report ({status} {body[:160]})")
    staff_view = json.loads(body)
    check([f["code"] for f in staff_view["intakeFlags"]] == ["empty_text"], "the operator sees the flag")
    case_id = staff_view["case"]["id"]
    status, body = api("POST", "/api/v1/public/reports", {"category": "garbage", "description": "路上很脏", "lon": lon + 0.0004,
                                                         "lat": lat, "reporterContact": "13900000000"})
    check(status == 201, f"a passer-by reports under a category ({status} {body[:160]})")
    leaks(body, "the anonymous receipt")
    status, body = api("POST", "/api/v1/cases", {"category": "garbage", "description": "路上很脏", "lon": lon + 0.0004, "lat": lat},
                       token=citizen)
    check(status == 201, f"a signed-in citizen reports under a category ({status} {body[:160]})")
    leaks(body, "the citizen's receipt")
    own = json.loads(body)["case"]["id"]
    status, body = api("GET", f"/api/v1/cases/{own}", token=citizen)
    check(status == 200, f"the citizen follows their own report ({status})")
    leaks(body, "the citizen's own report")

    detail = f"/api/v1/cases/{case_id}"
    refused(*api("GET", detail), {401}, "no session reads the flagged case")
    refused(*api("GET", detail, token=citizen), {403, 404}, "a citizen reads another's flagged case")
    refused(*api("GET", detail, key=key), {403, 404}, "the machine key reads the flagged case")
    suggestions = "/api/v1/matter-suggestions?text=%E8%B7%AF%E7%81%AF"
    refused(*api("GET", suggestions), {401}, "no session asks the model")
    refused(*api("GET", suggestions, token=citizen), {403}, "a citizen asks the model")
    refused(*api("GET", suggestions, key=key), {401, 403}, "the machine key asks the model")
    refused(*api("GET", suggestions, token=inspector), {403}, "an inspector asks the model")
    accept = {"action": "accept", "matterId": "x"}
    refused(*api("POST", f"{detail}/actions", accept, token=citizen), {403, 404}, "a citizen accepts with another matter")
    refused(*api("POST", f"{detail}/actions", accept, token=inspector), {403}, "an inspector accepts with another matter")
    refused(*api("POST", f"{detail}/actions", accept, token=intake), {422}, "the operator names a matter that does not exist")
    refused(*api("POST", "/api/v1/public/reports", {"category": "../../etc", "description": "x", "lon": lon, "lat": lat,
                                                    "reporterContact": "1"}), {422}, "an unknown category")
    categories = api("GET", "/api/v1/public/categories")[1]
    check("garbage" in categories and "departmentId" not in categories, "the public categories name matters only")
    record = json.loads(api("GET", detail, token=intake)[1])["case"]
    check(record["state"] == "reported" and record["matterId"] == staff_view["case"]["matterId"], "the case is unchanged")

live.finish("intake outsiders")

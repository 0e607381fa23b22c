#!/usr/bin/env python3
"""Emergency command attacked from outside, on a live demo server: callers with no session, a
citizen, the machine key, a street inspector and another department's crew try the emergency
routes — read incidents, move a fire engine on a response, assign, activate, close, read the
figures. Each must be refused (401/403/404, a problem document, never a 500), and the engine
must not have moved. Uses only the standard library."""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo

live = LiveDemo(int(os.environ.get("OUTSIDER_PORT", "18087")))
check, api = live.check, live.api


def session(username, passwords):
    return json.loads(api("POST", "/api/v1/session", {"username": username, "password": passwords[username]})[1])["token"]


def refused(status, body, allowed, what):
    problem = body.startswith("{") and "code" in json.loads(body)
    check(status in allowed and problem, f"{what}: {status} {body[:160]}")


with live:
    credentials = open(live.credentials_path).read()
    passwords = {u: p for u, p in re.findall(r"^  (\S+)\s+(\S+)\s+roles=", credentials, re.M)}
    key = re.search(r"X-API-Key\): (\S+)", credentials).group(1)
    phone, citizen_password = re.search(r"Citizen account: phone (\d+)\s+password (\S+)", credentials).groups()
    supervisor, dispatcher = session("supervisor", passwords), session("dispatcher", passwords)
    crew_gas, inspector = session("handler.gas", passwords), session("inspector.pingjiang", passwords)
    citizen = json.loads(api("POST", "/api/v1/citizen-session", {"phone": phone, "password": citizen_password})[1])["token"]

    # A live response: a leak at Ⅲ with a fire engine (the fire brigade's) on the way.
    status, body = api("POST", "/api/v1/emergency/incidents", {"title": "攻击演示燃气泄漏", "incidentType": "gas_leak",
                                                             "lon": 120.6205, "lat": 31.3105, "facts": {"evacuated": 20}}, token=supervisor)
    check(status == 201, f"the supervisor reports an incident ({status} {body[:200]})")
    incident = json.loads(body)
    board = json.loads(api("POST", f"/api/v1/emergency/incidents/{incident['id']}/activation",
                           {"plan": "gas-leak", "level": "III"}, token=supervisor)[1])
    near = json.loads(api("GET", "/api/v1/emergency/nearest?lon=120.6205&lat=31.3105&kind=vehicle&capability=fire&count=1",
                          token=dispatcher)[1])["items"]
    engine_id = near[0]["resourceId"]
    status, _ = api("POST", f"/api/v1/emergency/incidents/{incident['id']}/resources", {"resourceId": engine_id}, token=dispatcher)
    check(status == 200, f"the dispatcher assigns the nearest engine ({status})")
    base = f"/api/v1/emergency/incidents/{incident['id']}"
    move = f"{base}/resources/{engine_id}/events"

    refused(*api("POST", move, {"event": "depart"}), {401}, "no session moves the engine")
    refused(*api("POST", move, {"event": "depart"}, token=crew_gas), {403}, "the gas crew moves the fire brigade's engine")
    refused(*api("POST", move, {"event": "depart"}, token=inspector), {403}, "an inspector moves the engine")
    refused(*api("POST", move, {"event": "depart"}, token=citizen), {403}, "a citizen moves the engine")
    refused(*api("POST", move, {"event": "depart"}, key=key), {401, 403}, "the machine key moves the engine")
    refused(*api("POST", move, {"event": "release"}, token=dispatcher), {422}, "a release passed off as a crew report")
    refused(*api("POST", f"{base}/resources/{engine_id}x/events", {"event": "depart"}, token=crew_gas), {403, 404},
            "an engine that does not exist")
    engine = json.loads(api("GET", f"/api/v1/emergency/resources/{engine_id}", token=dispatcher)[1])
    check(engine["status"] == "assigned", f"the engine has not moved: {engine['status']}")

    refused(*api("POST", f"{base}/resources", {"resourceId": engine_id}, token=crew_gas), {403}, "a crew assigns resources")
    refused(*api("POST", f"{base}/level", {"level": "I", "reason": "x"}, token=crew_gas), {403}, "a crew raises the level")
    refused(*api("POST", f"{base}/close", {"summary": "x"}, token=inspector), {403}, "an inspector closes the incident")
    refused(*api("POST", f"{base}/activation", {"plan": "gas-leak", "level": "I"}, token=citizen), {403}, "a citizen activates")
    refused(*api("GET", f"{base}", token=citizen), {403}, "a citizen reads the command board")
    refused(*api("GET", f"{base}", key=key), {401, 403}, "the machine key reads the command board")
    refused(*api("GET", f"{base}", token=inspector), {403, 404}, "a street inspector reads a city incident")
    refused(*api("GET", "/api/v1/emergency/statistics", token=inspector), {403}, "an inspector reads the figures")
    refused(*api("GET", "/api/v1/emergency/crews", token=citizen), {403}, "a citizen lists crews")
    crews = json.loads(api("GET", "/api/v1/emergency/crews", token=crew_gas)[1])["items"]
    check(all(c["resource"]["departmentId"] == crews[0]["resource"]["departmentId"] for c in crews) and
          all(c["resource"]["id"] != engine_id for c in crews), "the gas crew's list holds none of the fire brigade's")
    for path in ["/api/v1/emergency/incidents", "/api/v1/emergency/resources", "/api/v1/risk-map?category=gas"]:
        refused(*api("GET", path, token=citizen), {403}, f"a citizen reads {path}")
live.finish("outsider emergency")

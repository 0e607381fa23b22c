#!/usr/bin/env python3
"""Push keys and case-step subscriptions attacked from outside, on a live demo server with a
webhook receiver on loopback. The sanitation department registers a dataset and makes a push key
for the system feeding it: the key pushes there and nowhere else, reads nothing that is not public,
lists and makes no keys; no session, a citizen, the machine key, another department's handler and
an inspector cannot make, list or revoke the owner's keys; the general key route makes no push
key; revoked, the key pushes no more. A district's leader and another street's inspector subscribe
to case steps by webhook: a citizen's report in 平江 and its acceptance reach the district, nothing
reaches the other street, and no step carries the reporter, a contact, the words, a note or the
report's point. Every refusal is a problem document, never a 500. Uses only the standard library."""
import json, os, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo, WebhookReceiver

live = LiveDemo(int(os.environ.get("OUTSIDER_EXCHANGE_PORT", "18115")))
RECEIVER = int(os.environ.get("OUTSIDER_EXCHANGE_RECEIVER_PORT", "18116"))
check, api = live.check, live.api


receiver = WebhookReceiver(RECEIVER)
received = receiver.received  # (path, body) of every POST the receiver took
problem = live.refused

with live:
    passwords, key, session, citizen = live.logins()
    owner, admin = session("handler.sanitation"), session("admin")
    consumer, inspector = session("handler.municipal"), session("inspector.pingjiang")
    crews = {"code": "crews-roster", "title": "班组排班", "description": "", "sharingType": "conditional",
             "sharingCondition": "向市政部门共享", "openType": "closed", "updateCycle": "daily",
             "fields": [{"name": "code", "type": "string", "title": "班组编号", "required": True, "key": True},
                        {"name": "road", "type": "string", "title": "值班路段", "required": True, "key": False}]}
    status, body = api("POST", "/api/v1/datasets", crews, token=owner)
    check(status == 201, f"the sanitation department registers its roster ({status} {body[:160]})")

    # A push key: the owner makes one for the system feeding its dataset. It pushes there and
    # nowhere else, reads nothing that is not public, makes no keys; nobody else makes, lists or
    # revokes one; revoked, it stops.
    status, body = api("POST", "/api/v1/datasets/crews-roster/push-keys", {"name": "班组排班系统", "ratePerMinute": 30},
                       token=owner)
    check(status == 201, f"the owner makes a push key ({status} {body[:160]})")
    made = json.loads(body) if status == 201 else {}
    push_key, push_id = made.get("secret"), made.get("key", {}).get("id", "none")
    status, body = api("POST", "/api/v1/datasets/crews-roster/loads", "code,road\nBZ05,石路街\n".encode(), key=push_key)
    load = json.loads(body) if status == 201 else {}
    check(load.get("source") == "push" and load.get("report", {}).get("kept") == 1,
          f"its system pushes a row, kept ({status} {body[:160]})")
    # Published on conditions, the roster is there for CKAN's door, but not for the key.
    for who, action in [(owner, "submit"), (admin, "approve")]:
        status, _ = api("POST", "/api/v1/datasets/crews-roster/actions", {"action": action}, token=who)
        check(status == 200, f"the roster is {action}ed ({status})")
    for method, path, body in [("POST", "/api/v1/datasets/waste-sorting-points/loads", b"code\nX\n"),
                               ("POST", "/api/v1/datasets/waste-sorting-points/loads?dryRun=true", b"code\nX\n"),
                               ("GET", "/api/v1/datasets/crews-roster/records", None),
                               ("GET", "/api/v1/datasets/crews-roster", None),
                               ("GET", "/api/v1/datasets/crews-roster/loads", None),
                               ("GET", "/api/v1/datasets/crews-roster/push-keys", None),
                               ("POST", "/api/v1/datasets/crews-roster/push-keys", {"name": "再造一把"}),
                               ("DELETE", f"/api/v1/datasets/crews-roster/push-keys/{push_id}", None),
                               ("PUT", "/api/v1/datasets/crews-roster/pipeline", {"steps": []}),
                               ("GET", "/api/v1/subscriptions", None),
                               ("GET", "/api/v1/cases", None)]:
        status, text = api(method, path, body, key=push_key)
        problem(status, text, {403, 404}, f"the push key: {method} {path.split('?')[0]}")
        check("石路街" not in text, f"…and the refusal carries no record ({path})")
    status, text = api("GET", "/api/3/action/datastore_search?resource_id=crews-roster", key=push_key)
    check(status == 403 and "Authorization Error" in text and "石路街" not in text,
          f"the push key reads nothing through CKAN's door either ({status} {text[:120]})")
    for what, token, given_key in [("no session", None, None), ("a citizen", citizen, None), ("the machine key", None, key),
                                   ("another department's handler", consumer, None), ("an inspector", inspector, None)]:
        for method, path, body in [("POST", "/api/v1/datasets/crews-roster/push-keys", {"name": "冒名系统"}),
                                   ("GET", "/api/v1/datasets/crews-roster/push-keys", None),
                                   ("DELETE", f"/api/v1/datasets/crews-roster/push-keys/{push_id}", None)]:
            status, text = api(method, path, body, token=token, key=given_key)
            problem(status, text, {401, 403, 404}, f"{what}: {method} the owner's push keys")
            check(push_id not in text or method == "DELETE", f"…and hears nothing of them ({what})")
    status, body = api("GET", "/api/v1/datasets/crews-roster/push-keys", token=owner)
    listed = json.loads(body).get("items", []) if status == 200 else []
    check([k.get("id") for k in listed] == [push_id] and push_key not in body and listed[0].get("revokedAt") is None,
          f"the owner's list: the key, still in force, without its secret ({status} {body[:160]})")
    areas = json.loads(api("GET", "/api/v1/areas?limit=1", token=admin)[1]).get("items", [])
    status, text = api("POST", "/api/v1/api-keys", {"name": "x", "scopes": ["data:push"], "areaId": areas[0]["id"]},
                       token=admin)
    problem(status, text, {422}, "the general key route makes a data:push key", "validation_failed")
    check('"scopes"' in text, f"…refused on its scopes: {text[:200]}")
    status, body = api("DELETE", f"/api/v1/datasets/crews-roster/push-keys/{push_id}", token=owner)
    check(status == 200 and json.loads(body).get("revokedAt"), f"the owner revokes it ({status} {body[:120]})")
    status, text = api("POST", "/api/v1/datasets/crews-roster/loads", "code,road\nBZ06,竹辉路\n".encode(), key=push_key)
    problem(status, text, {401}, "the revoked push key pushes")
    status, body = api("GET", "/api/v1/datasets/crews-roster/records?code=BZ06", token=owner)
    check(status == 200 and json.loads(body).get("records") == [], f"nothing it sent after the revocation was kept ({body[:120]})")

    # Case steps by webhook: the district's leader hears each step of a case in the district, the
    # other street's inspector none, and no body carries the reporter, a contact, the words, a note
    # or the point a person reported from.
    gusu, canglang, intake = session("leader.gusu"), session("inspector.canglang"), session("intake")
    for what, token, given_key in [("a citizen", citizen, None), ("the machine key", None, key), ("the push key", None, push_key)]:
        status, text = api("POST", "/api/v1/subscriptions", {"topic": "case", "url": f"http://127.0.0.1:{RECEIVER}/x"},
                           token=token, key=given_key)
        problem(status, text, {401, 403}, f"{what} subscribes to cases")
    for token, path in [(gusu, "/cases-gusu"), (canglang, "/cases-canglang")]:
        status, body = api("POST", "/api/v1/subscriptions", {"topic": "case", "url": f"http://127.0.0.1:{RECEIVER}{path}"},
                           token=token)
        check(status == 201, f"a webhook for case steps at {path} ({status} {body[:160]})")
    cell = json.loads(api("GET", "/api/v1/grid-cells?limit=1", token=inspector)[1])["items"][0]
    ring = cell["geometry"]["coordinates"][0][:-1]
    lon, lat = [sum(p[i] for p in ring) / len(ring) for i in (0, 1)]
    words, note, contact = "楼道口垃圾三天没人清", "请尽快核实现场", "13911112222"
    status, body = api("POST", "/api/v1/cases", {"category": "garbage", "description": words, "lon": lon, "lat": lat,
                                                 "reporterContact": contact}, token=citizen)
    check(status == 201, f"a citizen reports in 平江 ({status} {body[:160]})")
    reported = json.loads(body)["case"] if status == 201 else {}
    status, body = api("POST", f"/api/v1/cases/{reported.get('id')}/actions", {"action": "accept", "note": note}, token=intake)
    check(status == 200, f"the intake operator accepts it with a note ({status} {body[:160]})")
    deadline = time.time() + 20
    heard = lambda: [json.loads(b) for p, b in received if p == "/cases-gusu"]
    while time.time() < deadline and len(heard()) < 2:
        time.sleep(0.2)
    time.sleep(1)
    steps = sorted((b["event"]["seq"], b["event"]["action"], b["event"]["toState"]) for b in heard())
    check(steps == [(1, "report", "reported"), (2, "accept", "verifying")]
          and all(b["topic"] == "case" and b["event"]["number"] == reported.get("number") for b in heard()),
          f"the district hears the report and its acceptance: {steps}")
    check(all(b["event"].get("gridCellId") == cell["id"] and "lon" not in b["event"] and "lat" not in b["event"]
              for b in heard()),
          "a person's report is heard by its grid cell, without the point it came from")
    check(not any(p == "/cases-canglang" for p, _ in received), "the other street hears nothing of it")
    bodies = "".join(b for p, b in received if p.startswith("/cases"))
    for secret in [words, note, contact, "13800000000", "市民小王", "赵受理员"]:
        check(secret not in bodies, f"no case step carries {secret}")

receiver.shutdown()
live.finish("outsiders attack push keys and case-step subscriptions")

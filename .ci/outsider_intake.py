#!/usr/bin/env python3
"""Smart intake attacked from outside, on a live demo server: callers with no session, a citizen,
the machine key and a street inspector try the intake operator's tools — the model's matter
suggestions, the invalid-report flags and possible duplicates of a case, acceptance with another
matter — and read what the public answers (categories, grid outlines, a report's receipt) for
anything of the staff's: flags, scores, other reporters' words or contacts. Each refusal must be a
problem document, never a 500. The video-AI channel likewise: the review queue and its snapshots
are the intake operators', a key feeds only cameras of its own area and learns only of its
detection, and a picture must be a picture. Uses only the standard library."""
import base64, json, os, re, sys, time
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
    passwords, key, session, citizen = live.logins()
    intake, inspector = session("intake"), session("inspector.pingjiang")
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

    # The video-AI channel.
    admin = session("admin")
    cameras = json.loads(api("GET", "/api/v1/video/cameras", token=intake)[1])["items"]
    camera = cameras[0]["device"]
    pending = json.loads(api("GET", "/api/v1/video/detections", token=intake)[1])["items"]
    check(len(pending) > 0, "the demo has detections to review")
    queue, snapshot = "/api/v1/video/detections", f"/api/v1/video/detections/{pending[0]['id']}/snapshot"
    for who, token, allowed in (("no session", None, {401}), ("a citizen", citizen, {403}), ("an inspector", inspector, {403})):
        refused(*api("GET", queue, token=token), allowed, f"{who} reads the review queue")
        refused(*api("GET", snapshot, token=token), allowed, f"{who} reads a snapshot")
        refused(*api("POST", f"{queue}/{pending[0]['id']}/accept", {}, token=token), allowed, f"{who} accepts a detection")
    refused(*api("GET", queue, key=key), {403}, "the machine key reads the review queue")
    refused(*api("GET", snapshot, key=key), {403}, "the machine key reads a snapshot")
    refused(*api("PUT", "/api/v1/video/classes/illegal_parking", {"threshold": 0.05}, token=intake), {403},
            "an intake operator lowers a threshold")
    jpeg = open(os.path.join(os.path.dirname(__file__), "..", "Sources", "ChengyunStore", "Resources", "demo-snapshots",
                             "street_vendor.jpg"), "rb").read()
    sighting = lambda **more: dict({"cameraCode": camera["code"], "classCode": "street_vendor", "detectedAt": int(time.time() * 1000),
                                    "confidence": 0.9, "box": {"x": 0.0, "y": 0.6, "width": 0.1, "height": 0.1},
                                    "snapshot": base64.b64encode(jpeg).decode()}, **more)
    refused(*api("POST", queue, sighting(), token=intake), {403}, "a staff session sends a detection")
    refused(*api("POST", queue, sighting()), {401}, "no key sends a detection")
    # A key of another street feeds none of this street's cameras: the same answer as no camera.
    areas = json.loads(api("GET", "/api/v1/areas?limit=500", token=admin)[1])["items"]
    other = next(a for a in areas if a["level"] == "street" and not camera["areaPath"].startswith(a["path"]))
    status, body = api("POST", "/api/v1/api-keys", {"name": "another street's video", "scopes": ["telemetry:write"], "areaId": other["id"]},
                       token=admin)
    other_key = json.loads(body)["secret"] if status == 201 else None
    check(other_key is not None, f"the administrator issues a street's key ({status})")
    status, body = api("POST", queue, sighting(), key=other_key)
    refused(status, body, {422}, "another street's key feeds this street's camera")
    check("unknown_camera" in body, f"the refusal is unknown_camera: {body[:160]}")
    status, body = api("POST", queue, sighting(cameraCode="NO-SUCH-CAMERA"), key=key)
    check(status == 422 and "unknown_camera" in body, f"a camera that does not exist gets the same answer: {body[:160]}")
    html = base64.b64encode(b"<html><script>alert(1)</script></html>").decode()
    status, body = api("POST", queue, sighting(snapshot=html), key=key)
    check(status == 422 and "unsupported_type" in body, f"a page sent as a snapshot is refused: {status} {body[:160]}")
    status, body = api("POST", queue, sighting(box={"x": 0.9, "y": 0.9, "width": 0.5, "height": 0.5}), key=key)
    check(status == 422 and "invalid_box" in body, f"a box outside the picture is refused: {status} {body[:160]}")
    status, body = api("POST", queue, sighting(snapshot=base64.b64encode(b"\xff\xd8\xff" + b"\0" * 1_200_000).decode()), key=key)
    refused(status, body, {413, 422}, "a snapshot over 1 MB")
    status, body = api("POST", queue, sighting(), key=key)
    check(status == 200 and set(json.loads(body)) == {"id", "state", "sightings", "folded"},
          f"the key is told of its detection only: {status} {body[:160]}")

live.finish("intake outsiders")

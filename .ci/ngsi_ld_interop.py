#!/usr/bin/env python3
"""NGSI-LD interoperability: a live `chengyun serve --demo` read by `ngsildclient` (Orange's
NGSI-LD client, from PyPI) as it reads any context broker — devices with their latest readings
and alarms as entities, by type, q, geo-query (its batch Query), id; counts; NGSI-LD's error types
raised as the client's exceptions; the caller's area scope — then subscriptions made with the
client's SubscriptionBuilder: an alarm acknowledged over the REST API is notified to a local
receiver as an NGSI-LD Notification, signed; a deleted subscription hears nothing more; another
system's key with context:read reads its district only, other keys and subscribing refused; a periodic
one (timeInterval) hears a device's latest reading as it stands, once each interval.
Run in its own virtualenv: ngsildclient pins libraries (rich < 13) other CI tools need newer."""
import hashlib, hmac, json, logging, math, os, re, sys, threading, time
from http.server import BaseHTTPRequestHandler, HTTPServer

import requests
from requests.auth import AuthBase
from ngsildclient import Client, SubscriptionBuilder
from ngsildclient.api.exceptions import NgsiBadRequestDataError, NgsiResourceNotFoundError

sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo

logging.disable(logging.INFO)  # the client logs each problem document it maps

live = LiveDemo(int(os.environ.get("NGSI_PORT", "18087")))
RECEIVER = int(os.environ.get("NGSI_RECEIVER_PORT", "18187"))
check, api = live.check, live.api
FIXED = {"id", "type", "name", "deviceCategory", "deviceState", "location", "controlledProperty", "dateLastValueReported", "componentCode", "@context"}
received = []  # (path, headers, body)
arrivals = []  # (path, when)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        arrivals.append((self.path, time.time()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class Bearer(AuthBase):
    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def metres(a, b):
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1, math.sqrt(h)))


def wait_for(predicate, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.3)
    return None


server = HTTPServer(("127.0.0.1", RECEIVER), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()

with live:
    credentials = open(live.credentials_path).read()
    passwords = {u: p for u, p in re.findall(r"^  (\S+)\s+(\S+)\s+roles=", credentials, re.M)}
    session = lambda user: json.loads(api("POST", "/api/v1/session", {"username": user, "password": passwords[user]})[1])["token"]
    admin, district = session("admin"), session("leader.gusu")
    check(requests.get(f"{live.base}/ngsi-ld/v1/entities", params={"type": "Device"}).status_code == 401, "no entities without logging in")

    client = Client(hostname="127.0.0.1", port=live.port, custom_auth=Bearer(admin), verbose=False)
    check(client.is_connected(), "ngsildclient connects (its probe: type=None, limit=0, count=true)")
    devices = client.count(type="Device")
    check(devices > 100, f"devices as NGSI-LD entities, counted in NGSILD-Results-Count: {devices}")
    everything = client.query(type="Device", limit=100, max=5000)
    check(len(everything) == devices and len({e.id for e in everything}) == devices, f"paging by offset reads each device once: {len(everything)}")

    environment = client.query(type="Device", q='deviceCategory=="environment"')
    check(environment and all(e["deviceCategory"].value == "environment" for e in environment), f"q on a device's kind: {len(environment)}")
    sample = environment[0].to_dict()
    metric = sorted(k for k in sample if k not in FIXED)[0]
    value = sample[metric]["value"]
    check(sample[metric]["type"] == "Property" and "observedAt" in sample[metric] and metric in sample["controlledProperty"]["value"],
          f"the latest {metric} is a Property with observedAt: {sample[metric]}")
    higher = client.query(type="Device", q=f"{metric}>={value}")
    check(sample["id"] in {e.id for e in higher} and all(e[metric].value >= value for e in higher), f"q on a reading: {metric}>={value} → {len(higher)}")
    check(client.count(type="Device", q=f'deviceCategory=="environment";{metric}<{value}') ==
          len([e for e in environment if metric in e.to_dict() and e[metric].value < value]), "; is and")

    centre = sample["location"]["value"]["coordinates"]
    near = client.alt.query({"type": "Query", "entities": [{"type": "Device"}],
                             "geoQ": {"georel": "near;maxDistance==800", "geometry": "Point", "coordinates": centre}})
    inside = [e for e in everything if metres(e.to_dict()["location"]["value"]["coordinates"], centre) <= 800]
    check(near and {e.id for e in near} == {e.id for e in inside}, f"geoQ near;maxDistance==800 by the batch Query: {len(near)} = {len(inside)}")
    answer = requests.get(f"{live.base}/ngsi-ld/v1/entities", auth=Bearer(admin), params={
        "type": "Device", "georel": "near;maxDistance==800", "geometry": "Point", "coordinates": json.dumps(centre),
        "options": "keyValues", "count": "true", "limit": 5})
    kv = answer.json()
    check(answer.status_code == 200 and int(answer.headers["NGSILD-Results-Count"]) == len(inside) and len(kv) == min(5, len(inside))
          and isinstance(kv[0]["deviceCategory"], str) and 'rel="http://www.w3.org/ns/json-ld#context"' in answer.headers.get("Link", ""),
          "GET georel with keyValues; the @context in a Link header for application/json")

    one = client.get(sample["id"])
    check(one.id == sample["id"] and one.type == "Device", f"an entity by id: {one.id}")
    try:
        client.get("urn:ngsi-ld:Device:NO-SUCH-DEVICE")
        check(False, "an unknown id is not found")
    except NgsiResourceNotFoundError:
        check(True, "")
    try:
        client.query(type="Device", q=f"{metric}>>1")
        check(False, "a malformed q is refused")
    except NgsiBadRequestDataError as error:
        check(error.problemdetails.extension.get("code") == "invalid_query", "a malformed q is NGSI-LD's BadRequestData, code invalid_query")

    # The caller's area: a district leader sees its district's devices only.
    local = Client(hostname="127.0.0.1", port=live.port, custom_auth=Bearer(district), verbose=False)
    theirs = local.query(type="Device", limit=100, max=5000)
    check(0 < len(theirs) < devices, f"the district leader's devices: {len(theirs)} of {devices}")
    outside = next(e.id for e in everything if e.id not in {t.id for t in theirs})
    try:
        local.get(outside)
        check(False, "a device outside the district is not found")
    except NgsiResourceNotFoundError:
        check(True, "")

    # Another system's key: context:read reads its area only; other scopes and subscribing are refused.
    areas = json.loads(api("GET", "/api/v1/areas?limit=200", token=admin)[1])["items"]
    gusu = next(a["id"] for a in areas if a["code"] == "320508")
    def make_key(scopes):
        code, text = api("POST", "/api/v1/api-keys", {"name": f"twin {scopes}", "scopes": scopes, "areaId": gusu}, token=admin)
        check(code == 201, f"a key with {scopes}: {code} {text[:200]}")
        return json.loads(text)["secret"]
    twin, sensors = make_key(["context:read"]), make_key(["telemetry:write"])
    as_key = lambda key, **kw: requests.get(f"{live.base}/ngsi-ld/v1/entities", headers={"X-API-Key": key},
                                            params={"type": "Device", "limit": 0, "count": "true", **kw})
    seen = as_key(twin)
    check(seen.status_code == 200 and int(seen.headers["NGSILD-Results-Count"]) == len(theirs),
          f"a context:read key of 姑苏区 counts its district's devices: {seen.headers.get('NGSILD-Results-Count')} = {len(theirs)}")
    check(requests.get(f"{live.base}/ngsi-ld/v1/entities/{outside}", headers={"X-API-Key": twin}).status_code == 404,
          "the key does not find a device outside its district")
    check(as_key(sensors).status_code == 403, "a telemetry:write key reads no entities")
    check(requests.post(f"{live.base}/ngsi-ld/v1/subscriptions", headers={"X-API-Key": twin}, json={
        "type": "Subscription", "entities": [{"type": "Alarm"}], "notification": {"endpoint": {"uri": f"http://127.0.0.1:{RECEIVER}/key"}}}
    ).status_code == 403, "a key cannot subscribe")

    # Alarms, and a subscription to their changes.
    open_alarms = client.query(type="Alarm", q='alarmState=="raised"')
    check(open_alarms, f"raised alarms as entities: {len(open_alarms)}")
    alarm = open_alarms[0].to_dict()
    check(alarm["device"]["type"] == "Relationship" and alarm["device"]["object"].startswith("urn:ngsi-ld:Device:")
          and not any(k in alarm for k in ("acknowledgedBy", "clearedBy", "caseId")), "an alarm names its device, not the people who handle it")
    watched = SubscriptionBuilder(f"http://127.0.0.1:{RECEIVER}/client").select_type("Alarm").watch(["alarmState"]).build()
    by_client = client.subscriptions.create(watched)
    check(by_client.startswith("urn:ngsi-ld:Subscription:") and client.subscriptions.exists(by_client), f"ngsildclient subscribes: {by_client}")
    created = requests.post(f"{live.base}/ngsi-ld/v1/subscriptions", auth=Bearer(admin), json={
        "type": "Subscription", "entities": [{"id": alarm["id"]}], "q": 'alarmState=="acknowledged"',
        "notification": {"format": "keyValues", "attributes": ["alarmState", "device"], "endpoint": {"uri": f"http://127.0.0.1:{RECEIVER}/signed"}}})
    signed = created.json()
    check(created.status_code == 201 and created.headers["Location"].endswith(signed["id"]), "a subscription by hand answers its id and signing secret")
    check(len(client.subscriptions.list()) == 2, "both listed")
    refused = requests.post(f"{live.base}/ngsi-ld/v1/subscriptions", auth=Bearer(admin), json={**watched, "throttling": 5})
    check(refused.status_code == 400 and refused.json()["type"].endswith("/BadRequestData"), "a member not supported is refused, not ignored")

    key = alarm["id"].rsplit(":", 1)[1]
    code, _ = api("POST", f"/api/v1/alarms/{key}/acknowledge", {"note": "on site"}, token=admin)
    check(code == 200, f"the alarm is acknowledged over the REST API: {code}")
    got = wait_for(lambda: [r for r in received if r[0] == "/signed"] and [r for r in received if r[0] == "/client"])
    check(got is not None, f"both subscriptions are notified: {[r[0] for r in received]}")
    path, headers, body = next(r for r in received if r[0] == "/signed")
    note = json.loads(body)
    check(note["type"] == "Notification" and note["subscriptionId"] == signed["id"] and note["data"][0]["id"] == alarm["id"]
          and note["data"][0]["alarmState"] == "acknowledged" and set(note["data"][0]) == {"id", "type", "alarmState", "device"},
          f"an NGSI-LD Notification, keyValues, the attributes asked for: {note}")
    stamp = re.match(r"t=(\d+),v1=([0-9a-f]+)", headers["x-chengyun-signature"])
    expected = hmac.new(signed["signingSecret"].encode(), f"{stamp[1]}.{body}".encode(), hashlib.sha256).hexdigest()
    check(hmac.compare_digest(expected, stamp[2]), "the notification is signed with the subscription's secret")
    _, headers, body = next(r for r in received if r[0] == "/client")
    normalized = json.loads(body)["data"][0]
    check(headers["content-type"].startswith("application/ld+json") and normalized["alarmState"]["value"] == "acknowledged"
          and "@context" in normalized, "ngsildclient's subscription is notified in JSON-LD, normalized, as its endpoint accepts")
    mine = json.loads(api("GET", "/api/v1/subscriptions", token=admin)[1])["items"]
    check(sum(1 for s in mine if s["topic"] == "ngsi-ld") == 2, "NGSI-LD subscriptions are in 我的订阅 with their delivery logs")

    client.subscriptions._delete(by_client)
    check(not client.subscriptions.exists(by_client), "a deleted subscription is gone")
    before = len([r for r in received if r[0] == "/client"])
    code, _ = api("POST", f"/api/v1/alarms/{key}/clear", {"note": "fixed"}, token=admin)
    check(code == 200, "the alarm is cleared")
    time.sleep(3)
    check(len([r for r in received if r[0] == "/client"]) == before, "the deleted subscription hears nothing more")

    # Periodic notifications: the device's latest reading as it stands, once each timeInterval.
    made = requests.post(f"{live.base}/ngsi-ld/v1/subscriptions", auth=Bearer(admin), json={
        "type": "Subscription", "entities": [{"id": sample["id"]}], "timeInterval": 10,
        "notification": {"format": "keyValues", "attributes": [metric], "endpoint": {"uri": f"http://127.0.0.1:{RECEIVER}/periodic"}}})
    check(made.status_code == 201, f"a periodic subscription (timeInterval 10): {made.status_code} {made.text[:200]}")
    shown = requests.get(f"{live.base}/ngsi-ld/v1/subscriptions/{made.json()['id']}", auth=Bearer(admin)).json()
    check(shown.get("timeInterval") == 10 and "watchedAttributes" not in shown, f"it shows its timeInterval: {shown}")
    both = requests.post(f"{live.base}/ngsi-ld/v1/subscriptions", auth=Bearer(admin), json={
        "type": "Subscription", "entities": [{"type": "Device"}], "timeInterval": 10, "watchedAttributes": [metric],
        "notification": {"endpoint": {"uri": f"http://127.0.0.1:{RECEIVER}/never"}}})
    check(both.status_code == 400, "timeInterval with watchedAttributes is refused")
    periodic = lambda: [json.loads(r[2]) for r in received if r[0] == "/periodic"]
    first = wait_for(periodic, 10)
    check(first is not None, "the first periodic notification comes within a sweep or two")
    data = first[0]["data"]
    check(len(data) == 1 and data[0]["id"] == sample["id"] and set(data[0]) == {"id", "type", metric}
          and isinstance(data[0][metric], (int, float)), f"it carries the device's latest {metric}: {data}")
    check(data[0][metric] == client.get(sample["id"]).to_dict()[metric]["value"], "as the entity stands")
    second = wait_for(lambda: len(periodic()) >= 2 and periodic(), 16)
    times = [t for p, t in arrivals if p == "/periodic"]
    check(second is not None and 8.5 <= times[1] - times[0] <= 13, f"the next one an interval later: {[round(t - times[0], 1) for t in times]}")

    server.shutdown()
    live.finish("NGSI-LD interoperability")

"""The harness of `.ci/outsider_datahub.py`: the live demo it attacks, the webhook receiver's
port and answer, the crews' leaders' phones no refusal or feed may carry, and the helpers that
check a refusal, read a pulled feed's page and its records, write a cursor and load rows."""
import base64, json, os, urllib.parse
from liveserver import LiveDemo

live = LiveDemo(int(os.environ.get("OUTSIDER_DATAHUB_PORT", "18113")))
RECEIVER = int(os.environ.get("OUTSIDER_DATAHUB_RECEIVER_PORT", "18114"))
check, api = live.check, live.api
PHONES = ["13900000001", "13900000002", "13900000003"]


def moved(path):
    """The receiver's answer: a redirect to a private page for /moved, else 200."""
    if path.startswith("/moved"):
        return 302, {"Location": f"http://127.0.0.1:{RECEIVER}/private/secret"}
    return 200, {}


def problem(status, body, allowed, what, code=None):
    """A refusal (`LiveDemo.refused`) carrying no record."""
    live.refused(status, body, allowed, what, code)
    check(not any(p in body for p in PHONES) and "人民路" not in body, f"{what}: the refusal carries no record")


def page(subscription, token=None, key=None, cursor=None, limit=None):
    query = urllib.parse.urlencode({k: v for k, v in [("cursor", cursor), ("limit", limit)] if v is not None})
    return api("GET", f"/api/v1/subscriptions/{subscription}/deliveries" + (f"?{query}" if query else ""),
               token=token, key=key)


def records(body):
    """The records of a pulled page's changes (with their dataset)."""
    changes = [json.loads(d["body"]) for d in json.loads(body)["items"]]
    return [(c.get("dataset"), c.get("record") or {}) for c in changes]


def b64(text):
    """A cursor as the API writes one: the base64url of its text, unpadded."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def load(token, rows):
    csv = "code,road,leader_phone\n" + "".join(f"{c},{r},{p}\n" for c, r, p in rows)
    status, body = api("POST", "/api/v1/datasets/crews-oncall/loads", csv.encode(), token=token)
    check(status == 201, f"the owner loads {len(rows)} rows ({status} {body[:160]})")
    return json.loads(body).get("version") if status == 201 else None


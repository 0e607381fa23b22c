#!/usr/bin/env python3
"""Record feeds and subscriptions attacked from outside, on a live demo server with a webhook
receiver on loopback. A department shares a dataset on conditions (its crews' leaders' phones
among the fields) and follows it by a pulled feed. Outsiders — no session, a citizen, the machine
key, another department's handler, an inspector — try to read, replay and cancel that feed by its
id and to subscribe to the dataset themselves; the owner forges cursors and limits. A consumer
whose application was approved for two fields follows the dataset pulled and by webhook: it must
receive those fields alone, never a phone, by either door, nor through its grant's key; once the
grant is revoked its feeds read and send nothing more. A webhook address aimed at the cloud's
metadata, link-local or another scheme is refused, and so is one at a name standing for the
metadata address; one at a name that comes to stand for it after registration is never sent to
(the script points that name in /etc/hosts, and takes it out again); a receiver answering with a redirect to a
private page is not followed. Every refusal is a problem document, never a 500, and no refusal
carries a record. Uses only the standard library."""
import json, os, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LaterName, WebhookReceiver
from outsider_datahub_kit import PHONES, RECEIVER, api, b64, check, live, load, moved, page, problem, records
from outsider_datahub_attacks import forged_cursors, outsiders_at_the_feed, webhook_addresses


receiver = WebhookReceiver(RECEIVER, moved)
received = receiver.received  # (path, body) of every POST the receiver took

with live, LaterName("feed-rebound.chengyun.test") as later:
    passwords, key, session, citizen = live.logins()
    owner, admin = session("handler.sanitation"), session("admin")
    consumer, inspector = session("handler.municipal"), session("inspector.pingjiang")

    crews = {"code": "crews-oncall", "title": "值班班组", "description": "各班组值班路段和班长电话",
             "sharingType": "conditional", "sharingCondition": "向市政部门共享", "openType": "closed", "updateCycle": "daily",
             "fields": [{"name": "code", "type": "string", "title": "班组编号", "required": True, "key": True},
                        {"name": "road", "type": "string", "title": "值班路段", "required": True, "key": False},
                        {"name": "leader_phone", "type": "string", "title": "班长电话", "required": False, "key": False}]}
    check(api("POST", "/api/v1/datasets", crews, token=owner)[0] == 201, "the sanitation department registers its crews")
    for who, action in [(owner, "submit"), (admin, "approve")]:
        check(api("POST", "/api/v1/datasets/crews-oncall/actions", {"action": action}, token=who)[0] == 200, f"{action}ed")
    load(owner, [("BZ01", "人民路", PHONES[0])])
    status, body = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall"}, token=owner)
    check(status == 201 and json.loads(body).get("secret") is None, f"the owner follows it pulled ({status} {body[:160]})")
    mine = json.loads(body)["subscription"]["id"] if status == 201 else "none"
    load(owner, [("BZ02", "干将路", PHONES[1])])
    status, body = page(mine, token=owner)
    check(status == 200 and records(body) == [("crews-oncall", {"code": "BZ02", "road": "干将路", "leader_phone": PHONES[1]})],
          f"the owner pulls the load's change, the whole record ({status} {body[:200]})")

    outsiders_at_the_feed(mine, owner, citizen, key, consumer, inspector)
    forged_cursors(mine, owner)
    by_name = webhook_addresses(owner, later)

    # A consumer approved for two fields: its feeds carry those alone, by cursor and by webhook.
    status, body = api("POST", "/api/v1/datasets/crews-oncall/access-applications",
                       {"purpose": "道路养护协同", "fields": ["code", "road"], "days": 30, "system": "市政养护系统"}, token=consumer)
    application = json.loads(body).get("id", "") if status == 201 else "none"
    check(status == 201, f"the municipal department applies for two fields ({status} {body[:160]})")
    for who, state in [(owner, "pending"), (admin, "approved")]:
        status, body = api("POST", f"/api/v1/access-applications/{application}/actions", {"action": "approve"}, token=who)
        check(status == 200 and json.loads(body).get("state") == state, f"approved by a stage: {state} ({body[:160]})")
    check(json.loads(body).get("state") == "approved", f"the owner, then the centre, approve ({body[:160]})")
    status, body = api("POST", f"/api/v1/access-applications/{application}/key", token=consumer)
    grant_key = json.loads(body).get("secret") if status in (200, 201) else None
    check(grant_key is not None, f"the consumer collects the grant's key ({status} {body[:120]})")
    status, body = api("GET", "/api/v1/datasets/crews-oncall/records", key=grant_key)
    found = json.loads(body).get("records", []) if status == 200 else []
    check(len(found) == 2 and all(set(r) == {"code", "road"} for r in found) and not any(p in body for p in PHONES),
          f"the key reads the records' granted fields alone ({status} {body[:200]})")
    status, body = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall"}, token=consumer)
    pulled = json.loads(body)["subscription"]["id"] if status == 201 else "none"
    check(status == 201, f"the consumer follows the dataset pulled ({status} {body[:160]})")
    status, body = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall",
                                                         "url": f"http://127.0.0.1:{RECEIVER}/feed"}, token=consumer)
    check(status == 201, f"…and by webhook ({status} {body[:160]})")
    pushed = json.loads(body)["subscription"]["id"] if status == 201 else "none"
    status, body = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall",
                                                         "url": f"http://127.0.0.1:{RECEIVER}/moved"}, token=consumer)
    check(status == 201, f"…and by a webhook that answers with a redirect ({status} {body[:160]})")
    load(owner, [("BZ03", "凤凰街", PHONES[2])])
    status, body = page(pulled, token=consumer)
    check(status == 200 and records(body) == [("crews-oncall", {"code": "BZ03", "road": "凤凰街"})],
          f"the consumer pulls the granted fields alone ({status} {body[:200]})")
    status, body = page(pulled, token=consumer, cursor=b64("0.0"))
    check(status == 200 and [r.get("code") for _, r in records(body)] == ["BZ02", "BZ03"]
          and all(set(r) <= {"code", "road"} for _, r in records(body)), f"from the start, granted fields alone ({body[:200]})")
    for what, token, given_key in [("the owner", owner, None), ("the grant's key", None, grant_key), ("an inspector", inspector, None)]:
        status, text = page(pulled, token=token, key=given_key)
        problem(status, text, {401, 403} if given_key else {403, 404}, f"{what} reads the consumer's feed")
    status, text = page(mine, token=consumer)
    problem(status, text, {403, 404}, "the consumer reads the owner's feed by its id")
    deadline = time.time() + 20
    while time.time() < deadline and not (any(p == "/feed" for p, _ in received) and any(p == "/moved" for p, _ in received)):
        time.sleep(0.2)
    check(any(p == "/moved" for p, _ in received), "the webhook that redirects was tried")
    sent = [json.loads(b) for p, b in received if p == "/feed"]
    records_sent = [d["change"].get("record") or {} for b in sent for d in b.get("deliveries", [])]
    check(records_sent == [{"code": "BZ03", "road": "凤凰街"}], f"the webhook receives the granted fields alone: {records_sent}")

    deadline = time.time() + 20
    standing = {}
    while time.time() < deadline and standing.get("lastError") is None:
        standing = json.loads(api("GET", f"/api/v1/subscriptions/{by_name}", token=owner)[1]).get("feed") or {}
        time.sleep(0.2)
    check(standing.get("lastError") == "forbidden_address" and standing.get("delivered") == 0
          and standing.get("attempts") == 0 and standing.get("nextAttemptAt", 0) > time.time() * 1000 + 30_000,
          f"the webhook whose name came to stand for the metadata address is never sent to: {standing}")

    # Revoked: the feeds read and send nothing more.
    status, body = api("POST", f"/api/v1/access-applications/{application}/actions",
                       {"action": "revoke", "note": "合作结束"}, token=owner)
    check(status == 200 and json.loads(body).get("state") == "revoked", f"the owner revokes the grant ({status} {body[:160]})")
    feed = lambda: json.loads(api("GET", f"/api/v1/subscriptions/{pushed}", token=consumer)[1]).get("feed") or {}
    delivered = feed().get("delivered")
    version = load(owner, [("BZ04", "十全街", "13900000004")])
    PHONES.append("13900000004")
    status, text = page(pulled, token=consumer)
    problem(status, text, {403}, "the revoked consumer pulls", "not_shared_with_you")
    status, text = page(pulled, token=consumer, cursor=b64("0.0"))
    problem(status, text, {403}, "the revoked consumer pulls from the start", "not_shared_with_you")
    for query in ["order=newest", "state=dead"]:
        status, text = api("GET", f"/api/v1/subscriptions/{pushed}/deliveries?{query}", token=consumer)
        problem(status, text, {403}, f"the revoked consumer reads its webhook feed's log ({query})", "not_shared_with_you")
    # The webhook feed passes the change over (its cursor moves on, nothing delivered).
    deadline, standing = time.time() + 20, {}
    while time.time() < deadline and standing.get("position") != f"{version}.1":
        standing = feed()
        time.sleep(0.2)
    check(standing.get("position") == f"{version}.1" and standing.get("delivered") == delivered == 1,
          f"the revoked consumer's webhook feed passes the change over: {standing}")
    check(not any("BZ04" in b or "十全街" in b for _, b in received), "the webhook receives no change after the revocation")
    check(all(not any(phone in b for phone in PHONES) for _, b in received), "no phone ever reached the receiver")
    check(not any(p.startswith("/private") for p, _ in received), "the redirect's target was never asked")

    # Cancelled: read no more.
    status, _ = api("DELETE", f"/api/v1/subscriptions/{mine}", token=owner)
    check(status == 200, f"the owner cancels its feed ({status})")
    status, text = page(mine, token=owner)
    problem(status, text, {409}, "a cancelled feed is read", "subscription_cancelled")

receiver.shutdown()
live.finish("outsiders attack record feeds")

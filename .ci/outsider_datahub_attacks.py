"""The owner's pulled feed attacked (`.ci/outsider_datahub.py`): outsiders read, replay and cancel
it by its id and subscribe to its conditional dataset; the owner forges cursors and limits;
webhook addresses at the metadata address (in any of its spellings: dotted, decimal, IPv4-mapped),
link-local, 0.0.0.0 or another scheme are refused, and so is
one at a name standing for the metadata address, while one at a name found nowhere yet is
accepted before that name comes to stand for it."""
import json, os
from liveserver import resolves
from outsider_datahub_kit import RECEIVER, api, b64, check, page, problem, records


def outsiders_at_the_feed(mine, owner, citizen, key, consumer, inspector):
    # Outsiders at the owner's feed by its id, and at the dataset itself.
    outsiders = [("no session", None, None, {401}), ("a citizen", citizen, None, {401, 403, 404}),
                 ("the machine key", None, key, {401, 403}), ("another department's handler", consumer, None, {403, 404}),
                 ("an inspector", inspector, None, {403, 404})]
    for what, token, given_key, allowed in outsiders:
        for method, path, body in [("GET", f"/api/v1/subscriptions/{mine}", None),
                                   ("GET", f"/api/v1/subscriptions/{mine}/deliveries", None),
                                   ("GET", f"/api/v1/subscriptions/{mine}/deliveries?cursor=MC4w&limit=500", None),
                                   ("POST", f"/api/v1/subscriptions/{mine}/replay", {"from": 0}),
                                   ("DELETE", f"/api/v1/subscriptions/{mine}", None)]:
            status, text = api(method, path, body, token=token, key=given_key)
            problem(status, text, allowed, f"{what}: {method} {path.split('?')[0]}")
        status, text = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall"},
                           token=token, key=given_key)
        problem(status, text, allowed | {403}, f"{what} subscribes to the conditional dataset")
    status, body = page(mine, token=owner)
    check(status == 200 and len(json.loads(body)["items"]) == 1, "the owner's feed is still there, uncancelled")


def forged_cursors(mine, owner):
    # The owner forges cursors and limits: refused as problems, never a 500.
    for cursor in ["abc", "!!!", b64("-1.-1"), b64("1.2.3"), b64("99999999999999999999.1"), b64("' OR 1=1 --"),
                   b64("0.0; DROP TABLE dataset_changes"), b64("crews-oncall.0"), b64("\u0000.0"), "A" * 6000, "%00"]:
        status, text = page(mine, token=owner, cursor=cursor)
        problem(status, text, {400, 414, 422}, f"a forged cursor {cursor[:40]!r}")
    for limit in ["0", "-1", "501", "1e9", "x"]:
        status, text = page(mine, token=owner, limit=limit)
        problem(status, text, {400, 422}, f"limit {limit}")
    # The first load came before anyone followed the dataset: it wrote no changes.
    status, body = page(mine, token=owner, cursor=b64("0.0"))
    check(status == 200 and [r.get("code") for d, r in records(body) if d == "crews-oncall"] == ["BZ02"]
          and len(records(body)) == 1, f"from the very start, the dataset's followed changes alone ({body[:200]})")
    status, body = page(mine, token=owner, cursor=b64("9223372036854775807.9223372036854775807"))
    check(status == 200 and json.loads(body)["items"] == [], f"a cursor past the end reads nothing ({status} {body[:120]})")


def webhook_addresses(owner, later):
    # Webhook addresses that are not the receiver's to give.
    for url in ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/", "http://2852039166/",
                "http://[fe80::1]/", "http://0.0.0.0:80/", "file:///etc/passwd", "gopher://127.0.0.1:25/"]:
        status, text = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall", "url": url},
                           token=owner)
        problem(status, text, {422}, f"a webhook at {url}", "validation_failed")

    # A name the machine resolves to the metadata address (.ci/run writes it into /etc/hosts):
    # refused on its field.
    metadata = os.environ.get("CHENGYUN_TEST_METADATA_NAME", "metadata.chengyun.test")
    check(resolves(metadata) == "169.254.169.254", f"{metadata} stands for the metadata address here")
    status, text = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall",
                                                         "url": f"http://{metadata}:{RECEIVER}/feed"}, token=owner)
    problem(status, text, {422}, "a webhook at the metadata address's name", "validation_failed")
    check('"url"' in text and "forbidden_address" in text, f"…for its url: {text[:240]}")
    # A name that resolves nowhere yet is accepted, then comes to stand for the metadata address:
    # never called.
    status, body = api("POST", "/api/v1/subscriptions", {"topic": "records", "dataset": "crews-oncall",
                                                         "url": f"http://{later.name}:{RECEIVER}/feed"}, token=owner)
    check(status == 201, f"a webhook at a name found nowhere yet is accepted ({status} {body[:160]})")
    by_name = json.loads(body)["subscription"]["id"] if status == 201 else "none"
    later.point()
    check(resolves(later.name) == "169.254.169.254", f"{later.name} now stands for the metadata address")
    return by_name

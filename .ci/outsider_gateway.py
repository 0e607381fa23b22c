#!/usr/bin/env python3
"""The service gateway attacked from outside, on a live demo server with a real upstream on
loopback: a department registers a service, and outsiders try to reach it or through it — no
session, a citizen, the machine key, staff of another department; the owner's own calls carry
forged headers, climb out of the service's path, and meet an upstream that redirects to a private
page, answers too much, and sets cookies. A service URL aimed at the cloud's metadata address
(however spelled), a link-local or unspecified host, a name standing for one, or another scheme is
refused at registration (private networks and loopback are allowed: a city's services live on its
intranet); a service whose name comes to stand for the metadata address after registration (the
script points it in /etc/hosts, and takes it out again) is never called. Every refusal must be a problem document, never a
500; nothing refused may reach the upstream; no caller's credential may reach it; nothing of the
upstream's but its status, type and body may come back. Uses only the standard library."""
import json, os, posixpath, re, sys, threading, urllib.error, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LaterName, LiveDemo, resolves

live = LiveDemo(int(os.environ.get("OUTSIDER_GATEWAY_PORT", "18111")))
UPSTREAM = int(os.environ.get("OUTSIDER_GATEWAY_UPSTREAM_PORT", "18112"))
check, api = live.check, live.api
seen = []  # (method, path, headers in lower case, body) of every request the upstream received


class Upstream(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        if self.path.startswith("/svc/huge"):
            self.send(200, b"x" * (11 << 20), "text/plain")
        elif self.path.startswith("/svc/moved"):
            self.send(302, b"", "text/plain", {"Location": f"http://127.0.0.1:{UPSTREAM}/private/secret"})
        elif self.path.startswith("/private"):
            self.send(200, b'{"secret":"the private page"}', "application/json")
        else:
            self.send(200, json.dumps({"ok": True, "path": self.path}).encode(), "application/json",
                      {"Set-Cookie": "upstream-session=abc; Path=/", "X-Upstream-Internal": "10.0.0.8"})

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def send(self, status, body, kind, headers=None):
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def call(method, path, token=None, key=None, body=None, headers=None):
    """A gateway call with the answer's headers: (status, headers in lower case, text)."""
    return api(method, path, body, token=token, key=key, content_type=(headers or {}).get("content-type"),
               headers={k: v for k, v in (headers or {}).items() if k != "content-type"}, answer_headers=True, timeout=60)


def refused(status, body, allowed, what, code=None):
    problem = body.startswith("{") and "code" in json.loads(body)
    check(status in allowed and problem and (code is None or json.loads(body)["code"] == code),
          f"{what}: {status} {body[:200]}")


server = ThreadingHTTPServer(("127.0.0.1", UPSTREAM), Upstream)
threading.Thread(target=server.serve_forever, daemon=True).start()

with live, LaterName("service-rebound.chengyun.test") as later:
    passwords, key, session, citizen = live.logins()
    owner, admin = session("handler.sanitation"), session("admin")
    other_department, inspector = session("handler.municipal"), session("inspector.pingjiang")

    def draft(code, url):
        return {"code": code, "title": "积水监测服务", "description": "易涝点的实时水位", "sharingType": "conditional",
                "sharingCondition": "向应急部门共享", "openType": "closed", "updateCycle": "real_time",
                "fields": [{"name": "station", "type": "string", "title": "站点", "required": True, "key": True},
                           {"name": "depth", "type": "number", "title": "水深", "required": False, "key": False}],
                "service": {"url": url, "methods": ["GET", "POST"]}}

    # Registration: a service aimed at the metadata address (however spelled), link-local, unspecified or another scheme is refused.
    for n, url in enumerate(["http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/",
                             "http://2852039166/", "http://0.0.0.0:8080/", "http://[fe80::1]/", "file:///etc/passwd",
                             "gopher://127.0.0.1:25/", "http://127.0.0.1:" + str(UPSTREAM) + "/" + "x" * 600]):
        status, body = api("POST", "/api/v1/datasets", draft(f"ssrf-{n}", url), token=owner)
        refused(status, body, {422}, f"a service at {url[:60]} is refused", "validation_failed")
        check('"service.url"' in body and "invalid_url" in body, f"…for its URL: {body[:240]}")

    # A service at a name standing for the metadata address (.ci/run writes it into /etc/hosts): refused on its URL.
    metadata = os.environ.get("CHENGYUN_TEST_METADATA_NAME", "metadata.chengyun.test")
    check(resolves(metadata) == "169.254.169.254", f"{metadata} stands for the metadata address here")
    status, body = api("POST", "/api/v1/datasets", draft("by-name", f"http://{metadata}/latest/"), token=owner)
    refused(status, body, {422}, "a service at the metadata address's name", "validation_failed")
    check('"service.url"' in body and "forbidden_address" in body, f"…for its URL: {body[:240]}")
    # One at a name found nowhere yet is registered; the name then comes to stand for the metadata address: never called.
    code, body = api("POST", "/api/v1/datasets", draft("by-name", f"http://{later.name}/latest/"), token=owner)
    check(code == 201, f"a service at a name found nowhere yet is registered ({code} {body[:200]})")
    for who, action in [(owner, "submit"), (admin, "approve")]:
        api("POST", "/api/v1/datasets/by-name/actions", {"action": action}, token=who)
    later.point()
    check(resolves(later.name) == "169.254.169.254", f"{later.name} now stands for the metadata address")
    status, _, body = call("GET", "/api/v1/services/by-name/call/meta-data", token=owner)
    refused(status, body, {502}, "a service whose name stands for the metadata address", "upstream_forbidden")

    code, body = api("POST", "/api/v1/datasets", draft("ponding", f"http://127.0.0.1:{UPSTREAM}/svc/"), token=owner)
    check(code == 201, f"the sanitation department registers its service ({code} {body[:200]})")
    gateway = "/api/v1/services/ponding/call"
    status, _, body = call("GET", gateway + "/stations", token=owner)
    refused(status, body, {409}, "a draft is called by no one, its owner included", "not_published")
    for who, action in [(owner, "submit"), (admin, "approve")]:
        check(api("POST", "/api/v1/datasets/ponding/actions", {"action": action}, token=who)[0] == 200, f"{action}ed")

    # Outsiders: nobody, a citizen, the machine key, staff without a grant.
    for what, token, given_key, allowed in [("no session", None, None, {401}), ("a citizen", citizen, None, {401, 403, 404}),
                                            ("the machine key", None, key, {401, 403}),
                                            ("another department's handler", other_department, None, {403}),
                                            ("an inspector", inspector, None, {403})]:
        for method, body in [("GET", None), ("POST", b'{"station":"JS-1"}')]:
            status, _, text = call(method, gateway + "/stations?near=JS-1", token=token, key=given_key, body=body,
                                   headers={"content-type": "application/json"} if body else None)
            refused(status, text, allowed, f"{what} calls the service ({method})")
    # A session with a key beside it is refused outright: whose rights would the call use?
    status, _, text = call("GET", gateway + "/stations", token=owner, key=key)
    refused(status, text, {400}, "a session and a key together", "ambiguous_credentials")
    check(not seen, f"nothing refused reached the upstream: {[s[1] for s in seen]}")

    # The owner's call carries forged and secret headers: none goes upstream, nothing of the upstream's comes back.
    status, headers, body = call("GET", gateway + "/stations/JS-1?at=now", token=owner, headers={
        "Cookie": "chengyun-session=stolen", "X-Chengyun-Grant": "forged-grant",
        "X-Forwarded-For": "10.9.9.9", "Proxy-Authorization": "Basic c2VjcmV0"})
    check(status == 200 and json.loads(body)["path"] == "/svc/stations/JS-1?at=now", f"the owner calls it ({status} {body[:200]})")
    check(headers.get("content-security-policy") == "sandbox; default-src 'none'", f"the answer is sandboxed: {headers}")
    check("set-cookie" not in headers and "x-upstream-internal" not in headers, f"no upstream header comes back: {headers}")
    forwarded = seen[-1][2] if seen else {}
    for name in ("authorization", "cookie", "proxy-authorization", "x-forwarded-for"):
        check(name not in forwarded, f"{name} does not reach the upstream: {forwarded.get(name)}")
    check(forwarded.get("x-chengyun-grant") != "forged-grant", "a forged grant header does not pass")

    # Out of the service's path, by dots however written: refused, never sent.
    before = len(seen)
    for path in ["/../../private/secret", "/%2e%2e/%2e%2e/private/secret", "/stations/..%2f..%2fprivate",
                 "/.%2E/private/secret", "/stations/%2E%2E/%2E%2E/private", "/./private"]:
        status, _, body = call("GET", gateway + path, token=owner)
        check(status != 200 and status < 500 and body.startswith("{"), f"{path} is refused ({status} {body[:160]})")
    resolved = lambda path: posixpath.normpath(urllib.parse.unquote(path.split("?")[0]))
    below = lambda path: resolved(path) == "/svc" or resolved(path).startswith("/svc/")
    check(all(below(s[1]) for s in seen), f"the upstream saw only its own paths, dots resolved: {[s[1] for s in seen]}")

    # The upstream redirects to a private page, answers 11 MB: neither is passed on, a redirect is not followed.
    status, _, body = call("GET", gateway + "/moved", token=owner)
    refused(status, body, {502}, "a redirect is an answer that is not passed on", "upstream_failed")
    check(not any(s[1].startswith("/private") for s in seen), "the redirect's target was never asked")
    status, _, body = call("GET", gateway + "/huge", token=owner)
    refused(status, body, {502}, "an answer over 10 MB is not passed on", "upstream_too_large")
    status, _, body = call("POST", gateway + "/stations", token=owner, body=b"x" * ((1 << 20) + 1024),
                           headers={"content-type": "application/json"})
    check(status == 413 and body.startswith("{"), f"a body over 1 MB is refused ({status} {body[:160]})")
    length = lambda headers: int(headers.get("content-length", "0")) if headers.get("content-length", "0").isdigit() else 1 << 30
    check(all(length(s[2]) <= 1 << 20 and "transfer-encoding" not in s[2] for s in seen),
          "no body over 1 MB (nor one of unknown length) reached the upstream")
    status, _, body = call("DELETE", gateway + "/stations", token=owner)
    check(400 <= status < 500 and body.startswith("{"), f"a method the gateway does not route ({status} {body[:160]})")

server.shutdown()
live.finish("outsiders attack the service gateway")

#!/usr/bin/env python3
"""Smoke test of the README's first command: `chengyun serve --demo` on a fresh data directory
serves the login page, and every printed demo account (each staff role, the citizen, the API key)
can log in. Uses only the standard library."""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo

live = LiveDemo(int(os.environ.get("SMOKE_PORT", "18080")))
base = live.base
check = live.check

def call(method, path, body=None, headers=None):
    return live.api(method, path, body, headers=headers)

with live:
    data = live.data
    status, page = call("GET", "/")
    check(status == 200 and 'id="login-form"' in page, "the login page is served")
    credentials = open(os.path.join(data, "demo-credentials.txt")).read()
    check(oct(os.stat(os.path.join(data, "demo-credentials.txt")).st_mode & 0o777) == "0o600", "credentials file is mode 600")
    accounts = re.findall(r"^  (\S+)\s+(\S+)\s+roles=(\S+)", credentials, re.M)
    roles_seen = set()
    for username, password, roles in accounts:
        status, body = call("POST", "/api/v1/session", {"username": username, "password": password})
        check(status == 200, f"{username} logs in ({status})")
        if status == 200:
            token = json.loads(body)["token"]
            status, me = call("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            check(status == 200 and sorted(json.loads(me)["roles"]) == sorted(roles.split(",")), f"{username} has roles {roles}")
            roles_seen.update(roles.split(","))
    check(roles_seen == {"inspector", "intake", "supervisor", "dispatcher", "handler", "leader", "admin"}, f"every role has a demo user: {roles_seen}")
    phone, citizen_password = re.search(r"Citizen account: phone (\d+)\s+password (\S+)", credentials).groups()
    check(call("POST", "/api/v1/citizen-session", {"phone": phone, "password": citizen_password})[0] == 200, "the citizen logs in")
    key = re.search(r"X-API-Key\): (\S+)", credentials).group(1)
    status, me = call("GET", "/api/v1/me", headers={"X-API-Key": key})
    check(status == 200 and json.loads(me)["kind"] == "key", "the demo API key authenticates")
live.finish("smoke")

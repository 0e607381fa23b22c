#!/usr/bin/env python3
"""Acknowledged means durable for case steps too, under kill -9: a live `chengyun serve --demo`
takes case steps from several clients (inspectors report, the shift supervisor files, the
dispatcher dispatches what is left to dispatch) and is killed with SIGKILL mid-run, again and
again. After each restart every step it had answered is in its case, in the case's history and in
the audit log; no case is half stepped (its state is its last history line's, its revision its
last line's number); and `chengyun audit verify` passes on the same storage. Runs for the
embedded SQLite default and, when CHENGYUN_KILL9_POSTGRES_URL names an empty database, for
PostgreSQL. Standard library only."""
import json, os, random, re, signal, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo, binary, run_backends

KILLS = {"sqlite": int(os.environ.get("CHENGYUN_KILL9_CASE_ROUNDS", "20")), "postgres": int(os.environ.get("CHENGYUN_KILL9_CASE_ROUNDS_PG", "6"))}


def login(live, username, password):
    status, body = live.api("POST", "/api/v1/session", {"username": username, "password": password})
    return json.loads(body)["token"] if status == 200 else None


def cells_of(live, token):
    """Grid cell centres in the inspector's street, where an inspector may report."""
    status, body = live.api("GET", "/api/v1/grid-cells?limit=500", token=token)
    centres = []
    for cell in json.loads(body)["items"]:
        ring = cell["geometry"]["rings"][0] if "rings" in cell["geometry"] else cell["geometry"]["coordinates"][0]
        points = [(p["lon"], p["lat"]) if isinstance(p, dict) else (p[0], p[1]) for p in ring]
        centres.append((sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)))
    return centres


def run(name, port, database):
    live = LiveDemo(port, database=database).start()
    credentials = open(live.credentials_path).read()
    password = {m.group(1): m.group(2) for m in re.finditer(r"^  (\S+)\s+(\S+)\s+roles=", credentials, re.M)}
    acknowledged, lock = [], threading.Lock()   # (case id, action)

    def client(worker, stop, tokens, centres):
        rng = random.Random(worker * 7919 + int(time.time()))
        while not stop.is_set():
            lon, lat = rng.choice(centres)
            lon, lat = lon + rng.uniform(-0.0004, 0.0004), lat + rng.uniform(-0.0004, 0.0004)
            try:
                status, body = live.api("POST", "/api/v1/cases", {"matterCode": "E0102", "description": f"kill -9 round {worker}",
                                                                   "lon": lon, "lat": lat}, token=tokens["inspector"])
                if status != 201:
                    continue
                case = json.loads(body)["case"]
                with lock:
                    acknowledged.append((case["id"], "report"))
                if case["state"] == "merged":
                    continue
                for action, role in (("file", "supervisor"), ("dispatch", "dispatcher")):
                    body = {"action": action}
                    if action == "dispatch":
                        status, detail = live.api("GET", f"/api/v1/cases/{case['id']}", token=tokens["dispatcher"])
                        if status != 200 or json.loads(detail)["case"]["state"] != "dispatching":
                            break
                        body["departmentIds"] = tokens["departments"][:1]
                    status, answer = live.api("POST", f"/api/v1/cases/{case['id']}/actions", body, token=tokens[role])
                    if status != 200:
                        break
                    with lock:
                        acknowledged.append((case["id"], action))
            except Exception:
                return   # the server is gone (refused, reset, a body cut short): this step was never answered

    for round_ in range(KILLS[name]):
        tokens = {role: login(live, user, password[user]) for role, user in
                  (("inspector", "inspector.pingjiang"), ("supervisor", "supervisor"), ("dispatcher", "dispatcher"))}
        if None in tokens.values():
            live.check(False, f"{name}: round {round_}: a login failed after the restart: {tokens}")
            break
        status, body = live.api("GET", "/api/v1/departments?limit=50", token=tokens["dispatcher"])
        tokens["departments"] = [d["id"] for d in json.loads(body)["items"]]
        centres = cells_of(live, tokens["inspector"])
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(w, stop, tokens, centres)) for w in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(1.5, 3.0))
        os.kill(live.server.pid, signal.SIGKILL)
        live.server.wait()
        stop.set()
        for thread in threads:
            thread.join()
        live.start()   # the same storage
    live.check(len(acknowledged) >= 5 * KILLS[name], f"{name}: steps acknowledged over {KILLS[name]} kills: {len(acknowledged)}")

    admin = login(live, "admin", password["admin"])
    steps = {}
    for case_id, action in acknowledged:
        steps.setdefault(case_id, []).append(action)
    missing, half, unaudited = 0, 0, 0
    for case_id, actions in steps.items():
        status, body = live.api("GET", f"/api/v1/cases/{case_id}", token=admin)
        if status != 200:
            missing += len(actions)
            continue
        detail = json.loads(body)
        events = detail["events"]
        recorded = [e["action"] for e in events]
        missing += sum(1 for a in actions if a not in recorded)
        if not events or events[-1]["toState"] != detail["case"]["state"] or events[-1]["seq"] != detail["case"]["revision"]:
            half += 1
        status, body = live.api("GET", f"/api/v1/audit?targetId={case_id}&limit=100", token=admin)
        audited = [e["action"] for e in json.loads(body).get("items", [])] if status == 200 else []
        unaudited += sum(1 for a in actions if f"case.{a}" not in audited)
    live.check(missing == 0, f"{name}: {missing} acknowledged steps missing from their cases after kill -9")
    live.check(half == 0, f"{name}: {half} cases whose state or revision disagrees with their history")
    live.check(unaudited == 0, f"{name}: {unaudited} acknowledged steps without their audit entry")
    if database is None:
        # chengyun backup while the server runs, chengyun restore into a fresh directory (which
        # checks counts, files and the chain), then the restored chain verified on its own.
        backup, restored = live.data + "-backup", live.data + "-restored"
        steps = [[binary(), "backup", "--data-dir", live.data, "--to", backup],
                 [binary(), "restore", "--from", backup, "--data-dir", restored],
                 [binary(), "audit", "verify", "--data-dir", restored]]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            live.check(done.returncode == 0, f"{name}: {' '.join(step[1:3])}: {done.stdout.strip()} {done.stderr.strip()[-500:]}")
            print(f"{name}: {step[1]}: {done.stdout.strip()}")
    live.stop()
    arguments = [binary(), "audit", "verify", "--data-dir", live.data] + (["--database", database] if database else [])
    verify = subprocess.run(arguments, capture_output=True, text=True)
    live.check(verify.returncode == 0, f"{name}: chengyun audit verify: {verify.stdout.strip()} {verify.stderr.strip()[-500:]}")
    print(f"{name}: {len(acknowledged)} acknowledged case steps over {KILLS[name]} kills; {verify.stdout.strip()}")
    return live


run_backends(run, "kill -9 (case steps)", 18093, 18094)

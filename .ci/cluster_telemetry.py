"""Telemetry on three nodes (`.ci/cluster.py`): every node takes any device's readings and queues
the share whose rule shards other nodes hold; a batch's trace runs across the node that took it
and the nodes that judged its share; kill -9 of a node mid-ingest loses no acknowledged reading
and raises no alarm twice."""
import json, os, re, threading, time, urllib.error, urllib.request

from cluster_kit import PROXY, call, check, spans, spans_lock, sql


def telemetry_on_every_node(nodes, token, credentials):
    proxy_base = f"http://127.0.0.1:{PROXY}"
    # Telemetry on every node: each takes any device's readings; the node holding a device's rule
    # shard judges them (the others' share goes to its queue, acknowledged once committed there).
    gateway = re.search(r"X-API-Key\): (\S+)", credentials).group(1)
    status, envs = call(nodes[0].base, "GET", "/api/v1/devices?kind=environment&limit=100", token=token)
    codes = [d["code"] for d in envs["items"]]
    deadline, holders = time.time() + 15, {}
    while time.time() < deadline:
        shards = call(nodes[0].base, "GET", "/api/v1/cluster", token=token)[1].get("shards", [])
        holders = {l["nodeId"] for l in shards if l["nodeId"]}
        if len(shards) == 32 and all(l["nodeId"] for l in shards) and len(holders) == 3:
            break
        time.sleep(0.5)
    check(len(holders) == 3, f"the 32 rule shards are shared by the three nodes ({len(holders)} hold some)")

    def telemetry(base, at, value, trace=None, timeout=30):
        lines = "".join(f"{code},{at},{value}\n" for code in codes)
        headers = {"content-type": "text/csv", "X-API-Key": gateway}
        if trace:
            headers["traceparent"] = f"00-{trace}-{os.urandom(8).hex()}-01"
        request = urllib.request.Request(base + "/api/v1/telemetry", method="POST",
                                         data=("device,at,pm25\n" + lines).encode(), headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except OSError as error:
            return 0, {"error": str(error)}

    # A minute back: after every reading the demo city stored (its newest are on the hour), so each
    # reading is news to the rules.
    start_at = int(time.time() * 1000) - 60_000
    direct = [telemetry(node.base, start_at + i, 40) for i, node in enumerate(nodes)]
    check([s for s, _ in direct] == [200] * 3 and all(a["accepted"] == len(codes) for _, a in direct)
          and sum(a["forwarded"] for _, a in direct) > 0,
          f"each node takes a batch of {len(codes)} stations, queueing the others' share "
          f"({[(s, a.get('accepted'), a.get('forwarded')) if s == 200 else (s, str(a)[:300]) for s, a in direct]})")
    traces = [os.urandom(16).hex() for _ in range(12)]
    answers = [telemetry(proxy_base, start_at + 10 + i, 40, traces[i])[0] for i in range(12)]
    check(answers == [200] * 12, f"every telemetry batch through nginx is taken ({answers})")

    # Traces: each batch's trace, continued from its traceparent, holds the 200 of the node that
    # took it and the spans of the other nodes that judged its queued share.
    deadline, across = time.time() + 15, []
    while time.time() < deadline:
        with spans_lock:
            held = list(spans)
        by_trace = {t: [s for s in held if s[0] == t] for t in traces}
        taken = [t for t in traces if any(s[2].endswith("/telemetry") and s[3] == "200" for s in by_trace[t])]
        across = [t for t in traces if len({s[1] for s in by_trace[t]}) >= 2 and any(s[2] == "telemetry queued" for s in by_trace[t])]
        if len(taken) == len(traces) and len(across) == len(traces):
            break
        time.sleep(0.5)
    nodes_seen = {s[1] for s in held}
    check(len(taken) == len(traces) and len(across) == len(traces) and len(nodes_seen) >= 3,
          f"traces: {len(taken)} of {len(traces)} batches traced to their 200, {len(across)} of them across nodes "
          f"(the queued share judged in the same trace); spans from {len(nodes_seen)} nodes, {len(held)} spans in all")

    # kill -9 of a node mid-ingest: every acknowledged reading is stored, no alarm raised twice.
    acknowledged, lock, stop, by_node = [], threading.Lock(), threading.Event(), [0, 0, 0]

    def sender(index, node):
        k = 0
        while not stop.is_set():
            at = start_at + 1000 + k * 10 + index
            status, _ = telemetry(node.base, at, 300 if k % 2 == 0 else 20, timeout=10)
            if status == 200:
                with lock:
                    acknowledged.append(at)
                    by_node[index] += 1
            k += 1
            time.sleep(0.02)

    senders = [threading.Thread(target=sender, args=(i, n)) for i, n in enumerate(nodes)]
    for thread in senders:
        thread.start()
    time.sleep(3)
    victim = nodes[1]
    victim.process.kill()
    victim.process.wait()
    time.sleep(3)
    victim.start()
    time.sleep(3)
    stop.set()
    for thread in senders:
        thread.join()
    deadline, waiting = time.time() + 30, -1
    while time.time() < deadline and waiting != 0:
        waiting = int(sql("SELECT count(*) FROM telemetry_inbox")[0][0])
        time.sleep(0.5)
    check(waiting == 0, f"the queues are judged empty ({waiting} rows left)")
    times = ",".join(str(at) for at in acknowledged)
    stored = int(sql("SELECT count(*) FROM (SELECT series_id, at FROM readings_recent UNION SELECT series_id, at FROM readings) r "
                     f"JOIN series s ON s.id = r.series_id WHERE s.metric = 'pm25' AND r.at IN ({times})")[0][0]) if acknowledged else 0
    expected = len(acknowledged) * len(codes)
    # Raised twice: two alarms of one device at once (one raised before the previous one cleared).
    twice = sql("SELECT device_id, raised_at FROM (SELECT device_id, raised_at, "
                "lag(id) OVER w AS prev, lag(cleared_at) OVER w AS prev_cleared FROM alarms "
                "WHERE rule_id = 'environment.pm25' WINDOW w AS (PARTITION BY device_id ORDER BY raised_at, id)) x "
                "WHERE prev IS NOT NULL AND (prev_cleared IS NULL OR prev_cleared > raised_at) LIMIT 3")
    raised = int(sql(f"SELECT count(*) FROM alarms WHERE rule_id = 'environment.pm25' AND raised_at >= {start_at + 1000}")[0][0])
    check(min(by_node) > 10 and stored == expected,
          f"kill -9 of a node mid-ingest: {len(acknowledged)} acknowledged batches ({by_node} by node), "
          f"{stored} of their {expected} readings stored")
    check(raised > 0 and not twice, f"{raised} alarms raised during it, none twice {twice}")

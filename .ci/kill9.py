#!/usr/bin/env python3
"""Acknowledged means durable, under kill -9: a live `chengyun serve --demo` takes telemetry from
four posting threads; after a few seconds the server process is killed with SIGKILL in the middle
of the ingest. It is started again on the same storage, and every reading of every batch it had
answered 200 to must be there with its value. Run for the embedded SQLite default and, when
CHENGYUN_KILL9_POSTGRES_URL names an empty database, for PostgreSQL. Standard library only."""
import json, os, random, re, signal, sys, threading, time

sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo, run_backends

def run(name, port, database):
    live = LiveDemo(port, database=database).start()
    credentials = open(live.credentials_path).read()
    key = re.search(r"X-API-Key\): (\S+)", credentials).group(1)
    admin_password = re.search(r"^  admin\s+(\S+)", credentials, re.M).group(1)
    status, body = live.api("POST", "/api/v1/session", {"username": "admin", "password": admin_password})
    token = json.loads(body)["token"]
    status, body = live.api("GET", "/api/v1/devices?kind=environment&limit=500", token=token)
    devices = {d["code"]: d["id"] for d in json.loads(body)["items"]}
    live.check(len(devices) >= 5, f"{name}: the demo city has environment devices ({len(devices)})")

    # A first batch, answered before the clock starts: the server loads its monitoring memory at
    # its first batch (and on PostgreSQL takes its rule shards), which on a busy machine can take
    # longer than the four seconds the run below lasts. It is stamped an hour before the run's
    # readings: read back in one-second buckets, a reading of its own in the second of one of
    # theirs (near now, once a run acknowledges readings up to now) would be that bucket's last.
    warm_started = time.time()
    status, _ = live.api("POST", "/api/v1/telemetry", f"device,at,pm25\n{sorted(devices)[0]},{(int(time.time()) - 3 * 86_400 - 3_600) * 1000},20\n".encode(), key=key)
    live.check(status == 200, f"{name}: a first batch is taken ({status}) after {time.time() - warm_started:.1f} s")

    # Three days back, on odd milliseconds: nothing the demo city stored is there.
    start = (int(time.time()) - 3 * 86_400) * 1000 + 7
    acknowledged, sent, lock, stop = [], [0], threading.Lock(), threading.Event()
    codes = sorted(devices)

    def poster(worker):
        sequence = 0
        while not stop.is_set():
            lines, batch = ["device,at,pm25"], []
            for _ in range(200):
                code = codes[(worker + sequence) % len(codes)]
                at = start + (sequence * 4 + worker) * 1000
                value = random.randint(5, 70)
                lines.append(f"{code},{at},{value}")
                batch.append((code, at, value))
                sequence += 1
            with lock:
                sent[0] += 1
            try:
                status, answer = live.api("POST", "/api/v1/telemetry", ("\n".join(lines) + "\n").encode(), key=key)
            except OSError:
                return   # the server is gone: this batch was never answered
            if status == 200 and json.loads(answer)["accepted"] == len(batch):
                with lock:
                    acknowledged.extend(batch)

    threads = [threading.Thread(target=poster, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(4)
    os.kill(live.server.pid, signal.SIGKILL)
    live.server.wait()
    stop.set()
    for thread in threads:
        thread.join()
    live.check(len(acknowledged) > 1000, f"{name}: readings acknowledged before the kill: {len(acknowledged)} of {sent[0]} batches sent")

    live.start()   # the same storage; the demo city exists, so nothing is rebuilt
    status, body = live.api("POST", "/api/v1/session", {"username": "admin", "password": admin_password})
    token = json.loads(body)["token"]
    by_device = {}
    for code, at, value in acknowledged:
        by_device.setdefault(code, {})[at] = value
    missing = 0
    for code, readings in by_device.items():
        stored, first, last = {}, min(readings), max(readings)
        for window in range(first, last + 1, 50_000_000):   # at most 50,000 one-second buckets a query
            status, body = live.api("GET", f"/api/v1/devices/{devices[code]}/series?metric=pm25&from={window - 7}"
                                    f"&to={min(window + 50_000_000, last + 1000)}&bucket=1", token=token)
            if status == 200:
                stored.update({b["start"] + 7: b["last"] for b in json.loads(body)["buckets"]})
        missing += sum(1 for at, value in readings.items() if stored.get(at) != value)
    live.check(missing == 0, f"{name}: {missing} of {len(acknowledged)} acknowledged readings are missing after kill -9")
    live.stop()
    print(f"{name}: {len(acknowledged)} acknowledged readings, all present after kill -9" if missing == 0 else f"{name}: {missing} lost")
    return live

run_backends(run, "kill -9", 18083, 18084)

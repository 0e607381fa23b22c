"""The cluster check's harness (`.ci/cluster.py`): the nodes as processes (`chengyun serve` on
one PostgreSQL database), nginx in front of them from docs/nginx-chengyun.conf, an OTLP/HTTP
receiver for their traces, live streams read as a browser's EventSource reads them, API calls,
psql, which node leads, the tally of checks, and the first check: the whole browser suite run
through nginx (`browser_suite`)."""
import base64, http.server, json, os, signal, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from liveserver import binary

URL = os.environ["CHENGYUN_CLUSTER_POSTGRES_URL"]
PSQL = os.environ.get("CHENGYUN_PSQL", "psql")
# A hot standby of the database (.ci/replica.sh): node C reads its read-only routes from it.
REPLICA = os.environ.get("CHENGYUN_CLUSTER_REPLICA_URL") or None
PORTS = [18101, 18102, 18103]
PROXY = 18100
PROBE_MS = 5
OTLP = 18104
TICKS = 10_000
data = tempfile.mkdtemp(prefix="chengyun-cluster-")
passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}")


spans, spans_lock = [], threading.Lock()


class OTLPReceiver(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP collector's trace endpoint, JSON encoding: keeps (trace id, node, span name,
    HTTP status) of every span the nodes export."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        for resource in body.get("resourceSpans", []):
            attributes = {a["key"]: a["value"].get("stringValue") for a in resource.get("resource", {}).get("attributes", [])}
            for scope in resource.get("scopeSpans", []):
                for span in scope.get("spans", []):
                    trace = span.get("traceId", "")
                    if len(trace) != 32:  # swift-otel 1.6 writes ids in base64 (OTLP/JSON asks for hex)
                        trace = base64.b64decode(trace).hex()
                    status = next((a["value"].get("intValue") for a in span.get("attributes", [])
                                   if a["key"] == "http.response.status_code"), None)
                    with spans_lock:
                        spans.append((trace.lower(), attributes.get("service.instance.id"), span.get("name"), str(status)))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def sql(query):
    """One query through psql; rows as lists of text."""
    url = URL.split("?")[0]
    out = subprocess.run([PSQL, url, "-At", "-F", "\t", "-c", query], capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


class Node:
    def __init__(self, port):
        self.port, self.process = port, None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, demo=False):
        env = dict(os.environ, CHENGYUN_CLUSTER_PROBE_MILLIS=str(PROBE_MS), CHENGYUN_PROXY_TRUSTED_NETWORKS="127.0.0.1/32",
                   CHENGYUN_TRACING_OTLP="true", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=f"http://127.0.0.1:{OTLP}/v1/traces",
                   OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="http/json", OTEL_BSP_SCHEDULE_DELAY="200",
                   # An export (and the last flush at a stop) waits 2 s at most for this receiver.
                   OTEL_BSP_EXPORT_TIMEOUT="2000", OTEL_EXPORTER_OTLP_TRACES_TIMEOUT="2000",
                   # A stop that stalls is cut short by the node itself (and its log says what held it).
                   CHENGYUN_CLUSTER_SHUTDOWN_SECONDS="8")
        if REPLICA and self.port == PORTS[2]:
            env["CHENGYUN_DATABASE_REPLICA_URL"] = REPLICA
        arguments = [binary(), "serve", "--port", str(self.port), "--data-dir", data, "--database", URL]
        if demo:
            arguments.append("--demo")
        log = open(os.path.join(data, f"node-{self.port}.log"), "a")
        self.process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 240
        while time.time() < deadline and self.process.poll() is None:
            if self.health()[0] == 200 and os.path.exists(os.path.join(data, "demo-credentials.txt")):
                return self
            time.sleep(0.3)
        raise SystemExit(f"node {self.port} did not start")

    def health(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=3) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}
        except OSError:
            return 0, {}

    def kill(self, sig):
        """Sends `sig` and waits for the process to end (SIGKILL after 60 s); the seconds it took.
        What the node logged meanwhile is kept in `last_words` (a slow stop's own account)."""
        path = os.path.join(data, f"node-{self.port}.log")
        offset = os.path.getsize(path)
        self.process.send_signal(sig)
        started = time.time()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with open(path, errors="replace") as log:
            log.seek(offset)
            self.last_words = log.read()
        return time.time() - started


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Stream(threading.Thread):
    """A live stream as a browser's EventSource keeps it: reconnects on any end, sending
    Last-Event-ID; records each event id with the time it arrived."""

    def __init__(self, port, token, reconnect=True):
        super().__init__(daemon=True)
        self.port, self.token, self.reconnect = port, token, reconnect
        self.events, self.connections, self.last = [], 0, None
        self.stopping = False

    def run(self):
        while not self.stopping:
            try:
                self.follow()
            except OSError:
                pass
            if not self.reconnect:
                return
            time.sleep(0.2)

    def follow(self):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.settimeout(1)
        head = f"GET /api/v1/monitoring/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {self.token}\r\nAccept: text/event-stream\r\nConnection: close\r\n"
        if self.last is not None:
            head += f"Last-Event-ID: {self.last}\r\n"
        sock.sendall((head + "\r\n").encode())
        self.connections += 1
        buffer, current = b"", {}
        while not self.stopping:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                line = line.rstrip(b"\r").decode(errors="replace")
                if line.startswith("id: "):
                    current["id"] = int(line[4:])
                elif line.startswith("data: "):
                    current["data"] = line[6:]
                elif line == "" and "id" in current:
                    self.events.append((current["id"], time.time(), current.get("data", "")))
                    self.last = current["id"]
                    current = {}
        sock.close()


def leader(nodes):
    found = [n for n in nodes if n.process.poll() is None and n.health()[1].get("leader")]
    return found


def browser_suite():
    """The whole browser suite (`.ci/browser.py`), through nginx, on the demo city the first node
    made: each page's requests and live streams land on whichever node nginx picks."""
    env = dict(os.environ, CHENGYUN_BROWSER_BASE=f"http://127.0.0.1:{PROXY}", CHENGYUN_BROWSER_DATA=data,
               CHENGYUN_BROWSER_FRAME_BUDGET_MS="200")
    started = time.time()
    # A session of its own, so a suite that overruns is stopped with its Chromium and driver.
    suite = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "browser.py")], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = suite.communicate(timeout=1200)
    except subprocess.TimeoutExpired:
        os.killpg(suite.pid, signal.SIGKILL)
        out, err = suite.communicate()
        err = "the suite ran past 20 minutes and was stopped\n" + err
    last = (out.strip().splitlines() or [""])[-1]
    check(suite.returncode == 0 and " 0 failed" in last,
          f"the browser suite passes through nginx in front of three nodes ({last}, {time.time() - started:.0f} s)")
    if suite.returncode != 0:
        print("\n".join(line for line in out.splitlines() if "FAILED" in line)[-6000:])
        print(err[-3000:])


def start_nginx():
    conf = os.path.join(data, "nginx.conf")
    upstream = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in PORTS)
    template = open(os.path.join(os.path.dirname(__file__), "..", "docs", "nginx-chengyun.conf")).read()
    body = template.replace("server 127.0.0.1:8081;\n        server 127.0.0.1:8082;\n        server 127.0.0.1:8083;", upstream.strip())
    if body.count("18101") != 2:
        raise SystemExit("docs/nginx-chengyun.conf no longer has the two upstream blocks this script fills in")
    body = body.replace("listen 80;", f"listen 127.0.0.1:{PROXY};")
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "".join(f"    {k}_temp_path {data}/nginx-{k};\n" for k in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
    body = body.replace("http {\n", "http {\n" + temps + "    access_log off;\n", 1)
    open(conf, "w").write(f"{user}worker_processes 1;\npid {data}/nginx.pid;\nerror_log {data}/nginx-error.log;\nevents {{ worker_connections 1024; }}\n{body}")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", conf, "-p", data, "-g", "daemon off;"])
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PROXY}/healthz", timeout=3) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit("nginx did not start: " + open(os.path.join(data, "nginx-error.log")).read()[-2000:])

"""Shared by CI's live-server scripts: start `chengyun serve --demo` on a fresh data directory,
wait until it answers and its demo credentials are written, count checks, and stop it."""
import atexit, json, re, os, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request


_binary = []


def binary():
    """The built `chengyun` executable, run directly so that signals reach the server itself
    (asked of SwiftPM once: scripts that restart the server many times reuse the answer)."""
    if not _binary:
        path = subprocess.run(["swift", "build", "--show-bin-path"], capture_output=True, text=True, check=True).stdout.strip()
        _binary.append(os.path.join(path, "chengyun"))
    return _binary[0]


class LiveDemo:
    def __init__(self, port, database=None, data=None):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.data = data or tempfile.mkdtemp(prefix="chengyun-live-")
        self.database = database
        self.passed, self.failed = 0, 0

    def start(self):
        arguments = [binary(), "serve", "--demo", "--port", str(self.port), "--data-dir", self.data]
        if self.database:
            arguments += ["--database", self.database]
        self.server = subprocess.Popen(arguments, stdout=open(os.path.join(self.data, "serve.log"), "a"), stderr=subprocess.STDOUT)
        self.wait_until_up()
        return self

    def __enter__(self):
        return self.start()

    def wait_until_up(self):
        deadline = time.time() + 240
        while time.time() < deadline and self.server.poll() is None:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                    if response.status == 200 and os.path.exists(self.credentials_path):
                        break
            except OSError:
                pass
            time.sleep(1)
        return self

    @property
    def credentials_path(self):
        return os.path.join(self.data, "demo-credentials.txt")

    def api(self, method, path, body=None, token=None, key=None, content_type=None, headers=None, answer_headers=False,
            timeout=30):
        """One call to the live server: JSON bodies for dicts, bytes as they are (CSV unless told);
        a bearer token or an API key. Returns (status, text), errors included; with
        `answer_headers`, (status, headers in lower case, text)."""
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, method=method, data=data, headers=headers or {})
        if body is not None:
            request.add_header("content-type", content_type or ("text/csv" if isinstance(body, bytes) else "application/json"))
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if key:
            request.add_header("X-API-Key", key)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer = response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            answer = error.code, error.headers, error.read().decode(errors="replace")
        status, received, text = answer
        return (status, {k.lower(): v for k, v in received.items()}, text) if answer_headers else (status, text)

    def logins(self):
        """The demo's sign-ins from its credentials file: (passwords by username, the machine key,
        a session token for a username, a citizen's session token)."""
        credentials = open(self.credentials_path).read()
        passwords = {u: p for u, p in re.findall(r"^  (\S+)\s+(\S+)\s+roles=", credentials, re.M)}
        key = re.search(r"X-API-Key\): (\S+)", credentials).group(1)
        phone, citizen_password = re.search(r"Citizen account: phone (\d+)\s+password (\S+)", credentials).groups()
        session = lambda user: json.loads(self.api("POST", "/api/v1/session", {"username": user, "password": passwords[user]})[1])["token"]
        citizen = json.loads(self.api("POST", "/api/v1/citizen-session", {"phone": phone, "password": citizen_password})[1])["token"]
        return passwords, key, session, citizen

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAILED: {what}")

    def stop(self):
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()

    def __exit__(self, *exc):
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()
        if self.failed or exc[0] is not None:
            print(open(os.path.join(self.data, "serve.log")).read()[-3000:])
        return False

    def refused(self, status, body, allowed, what, code=None):
        """Checks a refusal: an allowed status and a problem document (with `code` when given);
        returns the document (empty when the body is none)."""
        try:
            document = json.loads(body)
        except ValueError:
            document = {}
        document = document if isinstance(document, dict) else {}
        self.check(status in allowed and "code" in document and (code is None or document["code"] == code),
                   f"{what}: {status} {body[:200]}")
        return document

    def finish(self, name):
        print(f"{name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed or self.passed == 0 else 0)


class WebhookReceiver:
    """A webhook receiver on loopback: keeps (path, body) of every POST (and GET) in `received`
    and answers 200, or what `answer(path)` gives as (status, headers)."""

    def __init__(self, port, answer=None):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        import threading
        received, decide = [], answer or (lambda path: (200, {}))

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                received.append((self.path, self.rfile.read(length).decode(errors="replace")))
                status, headers = decide(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_POST

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def shutdown(self):
        self.server.shutdown()


class RunningDemo(LiveDemo):
    """A demo already served elsewhere (the cluster's nodes behind nginx, say): `base` is where it
    answers and `data` the folder holding its demo credentials; nothing is started or stopped."""

    def __init__(self, base, data):
        super().__init__(0, data=data)
        self.base = base.rstrip("/")

    def start(self):
        return self

    def stop(self):
        pass

    def __exit__(self, *exc):
        return False


def run_backends(run, name, sqlite_port, postgres_port, variable="CHENGYUN_KILL9_POSTGRES_URL"):
    """Runs `run(backend, port, database)` on embedded SQLite and, when `variable` names an empty
    PostgreSQL database, on PostgreSQL (required under CI=true); prints the closing count line
    and exits with the result."""
    results = [run("sqlite", sqlite_port, None)]
    if os.environ.get(variable):
        results.append(run("postgres", postgres_port, os.environ[variable]))
    elif os.environ.get("CI") == "true":
        print(f"FAILED: {variable} is not set under CI=true")
        sys.exit(1)
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    print(f"{name}: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


def resolves(name):
    """The IPv4 address the machine's resolver gives for `name` (None: none)."""
    try:
        return socket.gethostbyname(name)
    except OSError:
        return None


class LaterName:
    """A host name that resolves nowhere until `point()` writes it into /etc/hosts for the cloud's
    metadata address, and is taken out again on exit (also at interpreter exit and on SIGTERM): a
    receiver's or service's name that came to stand for that address after it was registered (the
    platform looks names up before each call and keeps no failed look). Needs /etc/hosts writable,
    as under CI; the file is rewritten only when the line is in it."""

    def __init__(self, name):
        self.name, self.line = name, f"169.254.169.254 {name}\n"

    def __enter__(self):
        if not os.access("/etc/hosts", os.W_OK):
            raise SystemExit(f"FAILED: /etc/hosts is not writable; run as root (as CI does) to point {self.name}")
        self.remove()
        atexit.register(self.remove)
        self.previous = signal.getsignal(signal.SIGTERM)

        def stop(signum, frame):
            self.remove()
            if callable(self.previous):
                self.previous(signum, frame)
            raise SystemExit(143)
        signal.signal(signal.SIGTERM, stop)
        return self

    def point(self):
        with open("/etc/hosts") as hosts:
            ends_clean = hosts.read().endswith("\n")
        with open("/etc/hosts", "a") as hosts:
            hosts.write(("" if ends_clean else "\n") + self.line)

    def remove(self):
        with open("/etc/hosts") as hosts:
            lines = hosts.readlines()
        if self.line not in lines:
            return
        # In place (a container's /etc/hosts is a mount that cannot be renamed over), in one write.
        with open("/etc/hosts", "r+") as hosts:
            hosts.write("".join(line for line in lines if line != self.line))
            hosts.truncate()

    def __exit__(self, *exc):
        self.remove()
        atexit.unregister(self.remove)
        signal.signal(signal.SIGTERM, self.previous)
        return False

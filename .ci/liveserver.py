"""Shared by CI's live-server scripts: start `chengyun serve --demo` on a fresh data directory,
wait until it answers and its demo credentials are written, count checks, and stop it."""
import os, subprocess, sys, tempfile, time, urllib.request


class LiveDemo:
    def __init__(self, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.data = tempfile.mkdtemp(prefix="chengyun-live-")
        self.passed, self.failed = 0, 0

    def __enter__(self):
        self.server = subprocess.Popen(
            ["swift", "run", "--skip-build", "chengyun", "serve", "--demo", "--port", str(self.port), "--data-dir", self.data],
            stdout=open(os.path.join(self.data, "serve.log"), "w"), stderr=subprocess.STDOUT)
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

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAILED: {what}")

    def __exit__(self, *exc):
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()
        if self.failed or exc[0] is not None:
            print(open(os.path.join(self.data, "serve.log")).read()[-3000:])
        return False

    def finish(self, name):
        print(f"{name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed or self.passed == 0 else 0)

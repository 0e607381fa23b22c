"""A dataset's systems, clicked (`.ci/browser_datahub.py`): a system's CSV pulled from the dataset's
page, then pulled again to a 304; a push key made on the same page lets another system push its
CSV, and once revoked, no more. Also the bearer token the data-hub checks call the API by."""
import http.server, json, threading

from browserkit import *
from selenium.webdriver.support.ui import Select


def session(user, passwords):
    """A bearer token for `user`, for the API calls a test makes beside the clicks."""
    return json.loads(api("POST", "/api/v1/session", {"username": user, "password": passwords[user]})[1])["token"]


class Source(http.server.BaseHTTPRequestHandler):
    """A department's system publishing its bench census as CSV, with an ETag."""
    conditional = []

    def do_GET(self):
        Source.conditional.append(self.headers.get("If-None-Match"))
        if self.headers.get("If-None-Match") == '"census-1"':
            self.send_response(304)
            self.end_headers()
            return
        body = "code,material\nB001,木\nB002,石\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("ETag", '"census-1"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def scheduled_pull(driver, passwords):
    """The sanitation handler has the platform pull a system's CSV every hour from the dataset's
    page: pulled now, it loads v1; pulled again, the source answers 304 and nothing is loaded."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Source)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        token = session("handler.sanitation", passwords)
        draft = {"code": "bench-census", "title": "座椅普查", "description": "", "sharingType": "unconditional", "openType": "open",
                 "updateCycle": "daily", "fields": [{"name": "code", "type": "string", "title": "编号", "required": True, "key": True},
                                                    {"name": "material", "type": "string", "title": "材质", "required": False, "key": False}]}
        status, body = api("POST", "/api/v1/datasets", draft, token=token)
        check(status == 201, f"the census dataset is registered ({status} {body[:160]})")
        login(driver, "handler.sanitation", passwords["handler.sanitation"])
        click(driver, "#nav a[data-route=datasets]")
        wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#dataset-list tr[data-code=bench-census]")))
        click(driver, "#dataset-list tr[data-code=bench-census]")
        panel = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=bench-census] .dataset-pull")))
        panel.find_element(By.ID, "pull-url").send_keys(f"http://127.0.0.1:{server.server_port}/benches.csv")
        Select(panel.find_element(By.ID, "pull-format")).select_by_value("csv")
        check_labels(driver, "the scheduled pull form")
        click(driver, ".dataset-pull .pull-save")
        wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-pull .pull-run")))
        click(driver, ".dataset-pull .pull-run")
        last = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-pull .pull-last[data-outcome=loaded]")), seconds=30)
        check("v1" in last.text, f"pulled now, the census loads as v1: {last.text}")
        records = json.loads(api("GET", "/api/v1/datasets/bench-census/records", token=token)[1]).get("records", [])
        check(sorted(r.get("code") for r in records) == ["B001", "B002"], f"its records are the source's: {records}")
        history = driver.find_element(By.CSS_SELECTOR, ".dataset-detail[data-code=bench-census]").text
        check("B001" in history, "the page shows the pulled records' sample with the new load")
        click(driver, ".dataset-pull .pull-run")
        last = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-pull .pull-last[data-outcome=not_modified]")), seconds=30)
        check(Source.conditional[-1] == '"census-1"' and "v1" in last.text, f"pulled again with its ETag, 304: nothing new ({last.text})")
        shot(driver, "scheduled-pull")
        logout(driver)
    finally:
        server.shutdown()


def push_key(driver, passwords):
    """On the census dataset's page the sanitation handler makes a push key for the bench
    inspectors' system; its secret is shown once, the system pushes its CSV with it (a load from
    `push`), and once the handler revokes it the next push is refused."""
    login(driver, "handler.sanitation", passwords["handler.sanitation"])
    click(driver, "#nav a[data-route=datasets]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#dataset-list tr[data-code=bench-census]")))
    click(driver, "#dataset-list tr[data-code=bench-census]")
    panel = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=bench-census] .dataset-push")))
    panel.find_element(By.ID, "push-name").send_keys("座椅巡检系统")
    check_labels(driver, "the push key form")
    click(driver, ".dataset-push .push-make")
    shown = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-push .push-secret code")))
    secret = shown.text.strip()
    check(secret.startswith("cyk_"), f"the key's secret is shown once ({secret[:8]}…)")
    rows = driver.find_elements(By.CSS_SELECTOR, ".dataset-push tr.push-key[data-revoked=false]")
    check(len(rows) == 1 and "座椅巡检系统" in rows[0].text, "the key is listed by its system, without its secret")
    check(secret not in rows[0].text, "the listing shows the prefix alone")
    status, body = api("POST", "/api/v1/datasets/bench-census/loads", "code,material\nB003,石材\nB004,木质\n".encode(), key=secret)
    load = json.loads(body) if status == 201 else {}
    check(status == 201 and load.get("source") == "push" and load.get("report", {}).get("kept") == 2,
          f"the inspectors' system pushes its CSV with the key ({status} {body[:160]})")
    status, body = api("GET", "/api/v1/datasets/bench-census/records", key=secret)
    check(status == 403, f"the key reads nothing, not even what it pushed ({status})")
    shot(driver, "push-key")
    click(driver, ".dataset-push tr.push-key[data-revoked=false] .push-revoke")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-push tr.push-key[data-revoked=true]")))
    status, _ = api("POST", "/api/v1/datasets/bench-census/loads", b"code,material\nB005,x\n", key=secret)
    check(status == 401, f"revoked on the page, the key pushes no more ({status})")
    logout(driver)

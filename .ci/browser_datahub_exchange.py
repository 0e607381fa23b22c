"""Exchange, clicked (`.ci/browser_datahub.py`): the municipal department applies for some fields
of the waste-sorting points, the sanitation department approves, and the municipal handler
collects the key its system then reads by, and subscribes with a webhook and record feeds that
receive the next load, signed."""
import hashlib, hmac, http.server, json, threading, time

from browserkit import *
from browser_datahub_sources import session
from selenium.webdriver.support.ui import Select


def access_application(driver, passwords):
    """Exchange, clicked: apply from the dataset's page, approve in the owner's queue, collect the
    key (shown once), and read by it the granted fields alone."""
    login(driver, "handler.municipal", passwords["handler.municipal"])
    click(driver, "#nav a[data-route=datasets]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#dataset-list tr[data-code=waste-sorting-points]")))
    click(driver, "#dataset-list tr[data-code=waste-sorting-points]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=waste-sorting-points] .dataset-apply")))
    click(driver, ".dataset-detail .dataset-apply")
    form = wait(driver, EC.presence_of_element_located((By.ID, "access-form")))
    form.find_element(By.ID, "access-purpose").send_keys("市政道路巡查时核对投放点位置")
    for name in ["bins", "grid_cell", "checked_at"]:
        form.find_element(By.CSS_SELECTOR, f".access-field input[value={name}]").click()
    phone = form.find_element(By.CSS_SELECTOR, ".access-field input[value=phone]")
    check(not phone.is_selected(), "a contact field is not asked for unless chosen")
    form.find_element(By.ID, "access-system").send_keys("市政巡查系统")
    quota = form.find_element(By.ID, "access-quota")
    quota.clear()
    quota.send_keys("500")
    check_labels(driver, "the access application form")
    shot(driver, "access-apply")
    click(driver, "#access-send")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#access-list tr.access-row[data-state=pending]")))
    check(True, "the application is sent and listed as the department's, pending")
    logout(driver)

    login(driver, "handler.sanitation", passwords["handler.sanitation"])
    click(driver, "#nav a[data-route=access]")
    wait(driver, EC.presence_of_element_located((By.ID, "access-view")))
    Select(driver.find_element(By.ID, "access-view")).select_by_value("awaiting")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#access-list tr.access-row[data-state=pending]")))
    click(driver, "#access-list tr.access-row[data-state=pending]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".access-detail .access-approve")))
    shot(driver, "access-queue")
    click(driver, ".access-detail .access-approve")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".access-detail[data-state=approved]")))
    check(True, "the owner department approves it from its queue")
    logout(driver)

    login(driver, "handler.municipal", passwords["handler.municipal"])
    click(driver, "#nav a[data-route=access]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#access-list tr.access-row[data-state=approved]")))
    click(driver, "#access-list tr.access-row[data-state=approved]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".access-detail .access-key")))
    click(driver, ".access-detail .access-key")
    secret = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".access-secret code"))).text
    check(secret.startswith("cyk_"), "the key is shown once")
    status, body = api("GET", "/api/v1/datasets/waste-sorting-points/records?limit=3", key=secret)
    records = json.loads(body).get("records", []) if status == 200 else []
    check(status == 200 and records and set(records[0]) == {"code", "name", "kind", "lon", "lat"},
          f"the system reads the granted fields alone by the key ({status} {body[:200]})")
    status, body = api("GET", "/api/v1/datasets", key=secret)
    check(status == 403, f"the key reads that dataset and nothing else ({status})")
    webhook_subscription(driver, passwords)
    logout(driver)


class Receiver(http.server.BaseHTTPRequestHandler):
    """A system's webhook endpoint: keeps what it is sent (a record feed's batches apart)."""
    received = []
    batches = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
        kept = Receiver.batches if self.headers.get("X-Chengyun-Batch") else Receiver.received
        kept.append((self.headers.get("X-Chengyun-Delivery"), self.headers.get("X-Chengyun-Signature"), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def webhook_subscription(driver, passwords):
    """The municipal handler, still signed in, subscribes to the points with a webhook, and to their
    records (a record feed); the next load reaches the receiver, signed with the secret shown once,
    and each record it wrote arrives as a change with the record."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        Select(driver.find_element(By.ID, "sub-topic")).select_by_value("dataset")
        driver.find_element(By.ID, "sub-dataset").send_keys("waste-sorting-points")
        driver.find_element(By.ID, "sub-url").send_keys(f"http://127.0.0.1:{server.server_port}/hook")
        check_labels(driver, "the subscription form")
        click(driver, "#sub-send")
        secret = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#subscription-form .subscription-secret"))).text
        check(secret.startswith("whsec_"), "the signing secret is shown once")
        Select(driver.find_element(By.ID, "sub-topic")).select_by_value("records")
        check(driver.find_element(By.ID, "sub-dataset").is_displayed(), "a record feed names its dataset")
        driver.find_element(By.ID, "sub-url").clear()
        driver.find_element(By.ID, "sub-url").send_keys(f"http://127.0.0.1:{server.server_port}/feed")
        click(driver, "#sub-send")
        wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#subscription-form .subscription-secret").text not in ("", secret))
        feed_secret = driver.find_element(By.CSS_SELECTOR, "#subscription-form .subscription-secret").text
        check(feed_secret.startswith("whsec_") and feed_secret != secret, "the record feed has a secret of its own")
        # The same feed without an address: kept to be pulled by cursor, no secret.
        driver.find_element(By.ID, "sub-url").clear()
        click(driver, "#sub-send")
        pulled_row = "#subscription-list tr.subscription-row"
        wait(driver, lambda d: any(("按游标拉取" in r.text or "pulled by cursor" in r.text) and ("逐条" in r.text or "one by one" in r.text)
                                   for r in d.find_elements(By.CSS_SELECTOR, pulled_row)))
        check(not driver.find_elements(By.CSS_SELECTOR, "#subscription-form .subscription-secret"), "a pulled feed has no secret")
        token = session("handler.sanitation", passwords)
        csv = "编号,名称,类型,桶数,经度,纬度,网格,电话,检查时间\nLJ001,东园投放点,四分类,3,120.6275,31.3120,,,\n".encode()
        status, body = api("POST", "/api/v1/datasets/waste-sorting-points/loads", csv, token=token)
        version = json.loads(body).get("version") if status == 201 else None
        check(version is not None, f"the owner loads a new version ({status} {body[:160]})")
        deadline = time.time() + 20
        while not Receiver.received and time.time() < deadline:
            time.sleep(0.2)
        delivery, signature, body = Receiver.received[0] if Receiver.received else (None, "", "{}")
        stamp = (signature or "").split(",")[0][2:]
        expected = "t=%s,v1=%s" % (stamp, hmac.new(secret.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest())
        change = json.loads(body)
        check(delivery and signature == expected and change.get("dataset") == "waste-sorting-points" and change.get("version") == version,
              f"the webhook receives the change, signed ({delivery} {body[:160]})")
        deadline = time.time() + 20
        while not Receiver.batches and time.time() < deadline:
            time.sleep(0.2)
        _, feed_signature, feed_body = Receiver.batches[0] if Receiver.batches else (None, "", '{"deliveries":[]}')
        feed_stamp = (feed_signature or "").split(",")[0][2:]
        feed_expected = "t=%s,v1=%s" % (feed_stamp, hmac.new(feed_secret.encode(), f"{feed_stamp}.{feed_body}".encode(), hashlib.sha256).hexdigest())
        changes = [d.get("change", {}) for d in json.loads(feed_body).get("deliveries", [])]
        check(feed_signature == feed_expected and [c.get("key") for c in changes] == ["LJ001"]
              and changes[0].get("version") == version and (changes[0].get("record") or {}).get("name") == "东园投放点",
              f"the record feed receives the record the load wrote, signed ({feed_body[:200]})")
        rows = driver.find_elements(By.CSS_SELECTOR, "#subscription-list tr.subscription-row")
        feeds = [r for r in rows if "逐条" in r.text or "one by one" in r.text]
        pulled = next((r for r in feeds if "按游标拉取" in r.text or "pulled by cursor" in r.text), None)
        pushed = next((r for r in feeds if "http://" in r.text), None)
        check(pulled is not None and pushed is not None, "both record feeds are listed")
        pulled_id = pulled.get_attribute("data-id")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", pulled)
        wait(driver, lambda d: pulled_id in (d.find_element(By.CSS_SELECTOR, "#subscription-panel article").get_attribute("data-id") or ""))
        cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#subscription-panel tbody tr td:first-child")]
        check(len(cells) == 1 and cells[0].endswith("." + pulled_id) and "待拉取" in driver.find_element(By.ID, "subscription-panel").text,
              f"the pulled feed shows the load's change, waiting to be pulled ({cells})")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", pushed)
        wait(driver, lambda d: "已送达 1 条" in d.find_element(By.ID, "subscription-panel").text or "1 changes delivered" in d.find_element(By.ID, "subscription-panel").text)
        check(True, "the webhook feed's standing shows the change delivered")
        row = next((r for r in rows if "数据资源更新" in r.text or "Dataset changes" in r.text), rows[0])
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", row)
        wait(driver, lambda d: "已送达" in d.find_element(By.ID, "subscription-panel").text or "delivered" in d.find_element(By.ID, "subscription-panel").text)
        check(True, "the delivery log shows it delivered")
        shot(driver, "subscription-log")
    finally:
        server.shutdown()

"""The data catalog, clicked: the sanitation department's handler finds the platform's own
datasets, registers a dataset through the form (fields as rows, lineage picked from the
catalog), and sends it for review; the centre's administrator finds it under review and
publishes it; CKAN's door then shows it to anyone. Then a real file — the Dongsi station's hourly
air quality — goes through the load wizard: mapped, previewed, loaded; and a system's CSV is
pulled from the dataset's page, then pulled again to a 304; a push key made on the same page lets
another system push its CSV, and once revoked, no more. Last, the municipal
department applies for some fields of the waste-sorting points, the sanitation department
approves, and the municipal handler collects the key its system then reads by, and subscribes
with a webhook that receives the next load, signed."""
import hashlib, hmac, http.server, json, os, threading, time

from browserkit import *
from selenium.webdriver.support.ui import Select


def session(user, passwords):
    """A bearer token for `user`, for the API calls a test makes beside the clicks."""
    return json.loads(api("POST", "/api/v1/session", {"username": user, "password": passwords[user]})[1])["token"]


def data_catalog(driver, passwords):
    login(driver, "handler.sanitation", passwords["handler.sanitation"])
    click(driver, "#nav a[data-route=datasets]")
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#dataset-list tr.dataset-row")) >= 7)
    codes = [r.get_attribute("data-code") for r in driver.find_elements(By.CSS_SELECTOR, "#dataset-list tr.dataset-row")]
    check("city-cases" in codes and "grid-cells" in codes, f"the platform's own datasets are listed: {codes}")
    click(driver, "#dataset-list tr[data-code=iot-alarms]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=iot-alarms]")))
    lineage = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".dataset-lineage a.lineage-dataset")]
    check(lineage == ["iot-readings", "iot-devices"], f"a dataset shows where its data comes from: {lineage}")
    click(driver, ".dataset-lineage a.lineage-dataset")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=iot-readings]")))
    check(True, "following the lineage opens the source dataset")

    click(driver, "#dataset-new")
    form = wait(driver, EC.presence_of_element_located((By.ID, "dataset-form")))
    field = lambda key, css="input": form.find_element(By.CSS_SELECTOR, f".field[data-key={key}] {css}")
    field("code").send_keys("park-benches")
    field("title").send_keys("公园座椅")
    field("description", "textarea").send_keys("市区公园座椅的位置和材质")
    Select(field("sharingType", "select")).select_by_value("unconditional")
    Select(field("openType", "select")).select_by_value("open")
    Select(field("updateCycle", "select")).select_by_value("yearly")
    field("tags", "textarea").send_keys("公园，环卫设施")
    rows = lambda: form.find_elements(By.CSS_SELECTOR, ".dataset-fields tbody tr")
    rows()[0].find_element(By.CSS_SELECTOR, ".dsf-name").send_keys("code")
    rows()[0].find_element(By.CSS_SELECTOR, ".dsf-title").send_keys("编号")
    form.find_element(By.CSS_SELECTOR, ".dsf-add").click()
    rows()[1].find_element(By.CSS_SELECTOR, ".dsf-name").send_keys("material")
    rows()[1].find_element(By.CSS_SELECTOR, ".dsf-title").send_keys("材质")
    form.find_element(By.CSS_SELECTOR, ".dsf-lineage input[value=grid-cells]").click()
    check_labels(driver, "the dataset registration form")
    shot(driver, "dataset-form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=park-benches][data-state=draft]")))
    check(True, "the draft is registered and opens")
    click(driver, ".dataset-detail .dataset-submit")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=park-benches][data-state=under_review]")))
    check(not driver.find_elements(By.CSS_SELECTOR, ".dataset-detail .dataset-approve"), "the department cannot publish its own dataset")
    logout(driver)

    login(driver, "admin", passwords["admin"])
    click(driver, "#nav a[data-route=datasets]")
    wait(driver, EC.presence_of_element_located((By.ID, "dataset-state")))
    Select(driver.find_element(By.ID, "dataset-state")).select_by_value("under_review")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#dataset-list tr[data-code=park-benches]")))
    click(driver, "#dataset-list tr[data-code=park-benches]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=park-benches] .dataset-approve")))
    fields = [td.text for td in driver.find_elements(By.CSS_SELECTOR, ".dataset-field-table tbody tr td:first-child")]
    check(fields == ["code", "material"], f"the reviewer sees the fields: {fields}")
    shot(driver, "dataset-review")
    click(driver, ".dataset-detail .dataset-approve")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=park-benches][data-state=published]")))
    status, body = api("GET", "/api/3/action/package_show?id=park-benches")
    package = json.loads(body).get("result", {})
    check(status == 200 and package.get("title") == "公园座椅" and [t["name"] for t in package.get("tags", [])] == ["公园", "环卫设施"],
          f"published, CKAN's door shows it to anyone ({status})")
    logout(driver)
    air_quality_load(driver, passwords)
    scheduled_pull(driver, passwords)
    push_key(driver, passwords)
    access_application(driver, passwords)


DONGSI = os.path.join(os.path.dirname(__file__), "..", "data", "beijing-air", "PRSA_Data_Dongsi_20130301-20170228.csv")


def air_quality_load(driver, passwords):
    """A real file through the load wizard: the Dongsi station's 35,064 hourly rows (CC BY 4.0,
    in data/beijing-air), its PM2.5 column mapped, NA read as no value, previewed, then loaded."""
    token = session("handler.sanitation", passwords)
    key = lambda name, title, kind: {"name": name, "type": kind, "title": title, "required": True, "key": True}
    draft = {"code": "dongsi-air", "title": "东四站空气质量小时数据", "description": "北京东四站 2013–2017 年逐时 PM2.5",
             "sharingType": "unconditional", "openType": "open", "updateCycle": "hourly", "tags": ["空气质量"],
             "fields": [key("station", "站点", "string"), key("year", "年", "integer"), key("month", "月", "integer"),
                        key("day", "日", "integer"), key("hour", "时", "integer"),
                        {"name": "pm25", "type": "number", "title": "PM2.5", "unit": "µg/m³", "required": False, "key": False}]}
    status, body = api("POST", "/api/v1/datasets", draft, token=token)
    check(status == 201, f"the air-quality dataset is registered ({status} {body[:160]})")
    login(driver, "handler.sanitation", passwords["handler.sanitation"])
    click(driver, "#nav a[data-route=datasets]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#dataset-list tr[data-code=dongsi-air]")))
    click(driver, "#dataset-list tr[data-code=dongsi-air]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".dataset-detail[data-code=dongsi-air] .dataset-load-open")))
    click(driver, ".dataset-detail .dataset-load-open")
    wizard = wait(driver, EC.presence_of_element_located((By.ID, "load-wizard")))
    wizard.find_element(By.ID, "load-file").send_keys(os.path.abspath(DONGSI))
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#load-mapping select.load-column")) == 18)
    Select(wizard.find_element(By.CSS_SELECTOR, "select.load-column[data-column='PM2.5']")).select_by_value("pm25")
    chosen = {s.get_attribute("data-column"): s.get_attribute("value") for s in wizard.find_elements(By.CSS_SELECTOR, "select.load-column")}
    check(chosen["year"] == "year" and chosen["station"] == "station" and chosen["PM10"] == "",
          "columns named as fields are mapped by themselves, the rest left out")
    steps = wizard.find_element(By.ID, "load-steps")
    steps.clear()
    steps.send_keys(json.dumps([{"op": "trim"}, {"op": "code_list", "field": "pm25", "map": {"NA": ""}},
                                {"op": "range", "field": "pm25", "min": 0, "max": 1000}, {"op": "dedupe"}]))
    check_labels(driver, "the load wizard")
    click(driver, "#load-preview")
    wait(driver, lambda d: "load-counts" in d.find_element(By.ID, "load-result").get_attribute("innerHTML"), seconds=120)
    counts = driver.find_element(By.CSS_SELECTOR, "#load-result .load-counts").text
    check("35064" in counts and "750" in counts, f"the preview reads every row and counts the NA readings corrected: {counts}")
    check(driver.find_elements(By.CSS_SELECTOR, "#load-result table.load-sample tbody tr"), "the preview shows a sample")
    shot(driver, "load-preview")
    click(driver, "#load-commit")
    wait(driver, lambda d: "v1" in d.find_element(By.CSS_SELECTOR, "#load-wizard p[role=status]").text, seconds=180)
    last = json.loads(api("GET", "/api/v1/datasets/dongsi-air/records?year=2017&month=2&day=28&hour=23", token=token)[1])
    check([r.get("pm25") for r in last.get("records", [])] == [30.0], f"the last hour's PM2.5 is the file's (30): {last}")
    gap = json.loads(api("GET", "/api/v1/datasets/dongsi-air/loads", token=token)[1])["items"][0]["report"]
    check(gap["rowsIn"] == 35064 and gap["kept"] == 35064 and gap["refused"] == 0, f"the load's quality report: {gap}")

    # A system's export in GBK, as Chinese systems' mostly are: the wizard tells it is not UTF-8,
    # reads its header so, and sends it saying so; the station's name arrives as written.
    gbk = os.path.join(os.environ.get("TMPDIR", "/tmp"), "dongsi-gbk.csv")
    with open(gbk, "wb") as out:
        out.write("station,year,month,day,hour,PM2.5\n东四站,2017,3,1,0,41\n东四站,2017,3,1,1,38\n".encode("gbk"))
    wizard.find_element(By.ID, "load-file").send_keys(gbk)
    wait(driver, lambda d: Select(d.find_element(By.ID, "load-charset")).first_selected_option.get_attribute("value") == "gb18030")
    check(True, "the wizard sees the file is GBK")
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#load-mapping select.load-column")) == 6)
    Select(wizard.find_element(By.CSS_SELECTOR, "select.load-column[data-column='PM2.5']")).select_by_value("pm25")
    click(driver, "#load-preview")
    wait(driver, lambda d: d.find_element(By.ID, "load-commit").is_enabled(), seconds=60)
    click(driver, "#load-commit")
    wait(driver, lambda d: "v2" in d.find_element(By.CSS_SELECTOR, "#load-wizard p[role=status]").text, seconds=60)
    named = json.loads(api("GET", "/api/v1/datasets/dongsi-air/records?station=%E4%B8%9C%E5%9B%9B%E7%AB%99", token=token)[1])
    check(sorted(r.get("pm25") or 0 for r in named.get("records", [])) == [38.0, 41.0],
          f"the GBK file's rows are read with the station's name as written: {named}")
    logout(driver)


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

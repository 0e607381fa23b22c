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
import json, os

from browserkit import *
from browser_datahub_sources import push_key, scheduled_pull, session
from browser_datahub_exchange import access_application
from selenium.webdriver.support.ui import Select


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

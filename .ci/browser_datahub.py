"""The data catalog, clicked: the sanitation department's handler finds the platform's own
datasets, registers a dataset through the form (fields as rows, lineage picked from the
catalog), and sends it for review; the centre's administrator finds it under review and
publishes it; CKAN's door then shows it to anyone."""
import json

from browserkit import *
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

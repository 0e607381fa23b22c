"""The intake checks, clicked: two 12345 callers report one overflowing bin under related matters
(exposed garbage, then the waste bin) a few metres apart, and a third types only "测试". The intake
operator sees the flag in the queue, opens the second report, reads why it may repeat the first
(related matter, distance, alike words), lets the card fill the merge form and merges it."""
import json

from browserkit import *
from selenium.webdriver.support.ui import Select


def intake_checks(driver, passwords):
    status, body = api("POST", "/api/v1/session", {"username": "intake", "password": passwords["intake"]})
    token = json.loads(body)["token"]
    cells = json.loads(api("GET", "/api/v1/grid-cells?limit=500", token=token)[1])["items"]
    # A point half way from the centre of a cell to a corner: away from the demo's
    # reports, which sit near the centres.
    ring = cells[len(cells) // 2]["geometry"]["coordinates"][0][:-1]
    cx, cy = sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    lon, lat = cx + (ring[0][0] - cx) / 2, cy + (ring[0][1] - cy) / 2

    def report(code, text, lon, lat, phone):
        status, body = api("POST", "/api/v1/cases", {"matterCode": code, "description": text, "lon": lon, "lat": lat,
                                                     "source": "hotline", "reporterName": "市民", "reporterContact": phone}, token=token)
        check(status == 201, f"the 12345 operator files {code} ({status}: {body[:200]})")
        return json.loads(body) if status == 201 else None

    first = report("E0102", "路口垃圾桶满了，垃圾堆在桶边没人清运", lon, lat, "13700001111")
    second = report("C0305", "垃圾桶满了溢出来，垃圾堆在路口", lon + 0.00008, lat, "13700002222")
    empty = report("E0104", "测试", lon - 0.01, lat, "13700003333")
    if not (first and second and empty):
        return
    check(second["case"]["state"] == "reported" and [m["caseId"] for m in second["duplicateMatches"]][:1] == [first["case"]["id"]],
          f"the second report is offered as a possible duplicate of the first, not merged: {second['duplicateMatches'][:1]}")
    check([f["code"] for f in empty["intakeFlags"]] == ["empty_text"], f"an empty description is flagged: {empty['intakeFlags']}")

    login(driver, "intake", passwords["intake"])
    row = wait(driver, EC.presence_of_element_located((By.XPATH, f"//tr[.//a[text()='{empty['case']['number']}']]")))
    check("描述为空" in row.text, f"the queue shows the flag beside the report: {row.text}")
    driver.get(live.base + f"/#/case/{second['case']['id']}")
    item = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"#intake-checks li[data-case='{first['case']['id']}']")))
    check("关联事项" in item.text and "相距" in item.text and "描述相似" in item.text,
          f"the card says why it may be the same problem: {item.text}")
    shot(driver, "intake-possible-duplicate")
    item.find_element(By.CSS_SELECTOR, "button").click()
    field = driver.find_element(By.ID, "action-merge-duplicateOf")
    check(field.get_attribute("value") == first["case"]["id"], "merge into fills the merge form")
    act(driver, "merge")
    wait(driver, lambda d: fact(d, "状态") == "已合并")
    check(fact(driver, "状态") == "已合并", f"the report is merged: {fact(driver, '状态')}")
    logout(driver)


def plain_words(driver, passwords):
    """The 12345 operator types what the caller says and the form suggests the matter; a citizen's
    report under a category reaches the intake operator with the model's matter, corrected at
    acceptance."""
    login(driver, "intake", passwords["intake"])
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=hotline]").click()
    wait(driver, lambda d: heading(d) == "12345 热线受理登记")
    driver.find_element(By.ID, "description").send_keys("人民路口的路灯坏了，晚上一片漆黑")
    first = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#matter-suggestions li[data-matter]")))
    check(first.get_attribute("data-matter") == "C0118", f"the form suggests the matter as the operator types: {first.text}")
    first.find_element(By.CSS_SELECTOR, "button").click()
    chosen = Select(driver.find_element(By.ID, "matter")).first_selected_option.text
    check("C0118" in chosen, f"a click takes the suggested matter: {chosen}")
    token = json.loads(api("POST", "/api/v1/session", {"username": "intake", "password": passwords["intake"]})[1])["token"]
    cells = json.loads(api("GET", "/api/v1/grid-cells?limit=500", token=token)[1])["items"]
    centre = lambda cell: [sum(p[i] for p in cell["geometry"]["coordinates"][0][:-1]) / (len(cell["geometry"]["coordinates"][0]) - 1) for i in (0, 1)]
    lon, lat = centre(cells[7])
    driver.find_element(By.ID, "phone").send_keys("13700004444")
    driver.find_element(By.ID, "lon").send_keys(f"{lon:.6f}")
    driver.find_element(By.ID, "lat").send_keys(f"{lat:.6f}")
    check_labels(driver, "the 12345 intake form")
    shot(driver, "hotline-form")
    driver.find_element(By.CSS_SELECTOR, "#hotline-form button[type=submit]").click()
    wait(driver, lambda d: d.find_element(By.ID, "hotline-result").get_attribute("data-number"))
    number = driver.find_element(By.ID, "hotline-result").get_attribute("data-number")
    check(number.startswith("C0118"), f"the hotline report is filed under the chosen matter: {number}")

    # Elsewhere (not a repeat of the hotline report just filed).
    far_lon, far_lat = centre(cells[-7])
    status, body = api("POST", "/api/v1/public/reports", {"category": "lights", "description": "小区门口路灯一直不亮",
                                                         "lon": far_lon, "lat": far_lat, "reporterContact": "13700005555"})
    check(status == 201, f"a citizen reports under the category 路灯照明 ({status}: {body[:200]})")
    if status != 201:
        logout(driver)
        return
    reported = json.loads(body)["case"]["number"]
    check(json.loads(body)["case"]["state"] == "reported", f"the citizen's report waits for intake: {body[:200]}")
    case_id = json.loads(api("GET", f"/api/v1/cases/{reported}", token=token)[1])["case"]["id"]
    driver.get(live.base + f"/#/case/{case_id}")
    proposal = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#intake-checks .proposal")))
    check("路灯照明" in proposal.text, f"the intake operator reads what the citizen chose and what the model proposed: {proposal.text}")
    form = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#actions form[data-action=accept]")))
    options = Select(form.find_element(By.ID, "action-accept-matter")).options
    other = next((o for o in options if not o.is_selected()), None)
    check(other is not None, f"the accept form offers the category's other matters ({len(options)})")
    if other is not None:
        wanted = other.text
        Select(form.find_element(By.ID, "action-accept-matter")).select_by_visible_text(wanted)
        act(driver, "accept")
        wait(driver, lambda d: fact(d, "状态") == "待核实")
        check(fact(driver, "事项") == wanted, f"the operator's correction stands: {fact(driver, '事项')} (chose {wanted})")
        shot(driver, "intake-corrected-matter")
    logout(driver)

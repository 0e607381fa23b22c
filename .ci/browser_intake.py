"""The intake checks, clicked: two 12345 callers report one overflowing bin under related matters
(exposed garbage, then the waste bin) a few metres apart, and a third types only "测试". The intake
operator sees the flag in the queue, opens the second report, reads why it may repeat the first
(related matter, distance, alike words), lets the card fill the merge form and merges it."""
import json

from browserkit import *


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

"""Patrol tasks, clicked: the shift supervisor sends the Pingjiang inspector round two cells with a
checklist; the inspector, on the phone, checks one cell in with a tap on the map inside it, is
asked why the other was left out, and finishes; the leader subscribes to red patrol warnings."""
import json

from browserkit import *
from browser_phone import phone_login, phone_logout
from selenium.webdriver.support.ui import Select


def patrol_tasks(driver, passwords):
    login(driver, "supervisor", passwords["supervisor"])
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=patrol]").click()
    wait(driver, lambda d: heading(d) == "巡查任务")
    driver.find_element(By.ID, "patrol-title").send_keys("平江路市容巡查")
    Select(driver.find_element(By.ID, "patrol-inspector")).select_by_visible_text("刘监督员")
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#patrol-cells input[name=cell]")) > 1)
    boxes = driver.find_elements(By.CSS_SELECTOR, "#patrol-cells input[name=cell]")
    check(len(boxes) == 35, f"choosing the inspector offers the cells of their street ({len(boxes)})")
    driver.find_element(By.CSS_SELECTOR, "#patrol-form button[type=submit]").click()
    error = driver.find_element(By.CSS_SELECTOR, "#patrol-form .error")
    check(error.is_displayed() and "网格" in error.text, f"a task without cells is not sent: {error.text}")
    boxes[0].click()
    boxes[1].click()
    driver.find_element(By.ID, "patrol-checklist").send_keys("暴露垃圾\n占道经营")
    check_labels(driver, "the patrol form")
    driver.find_element(By.CSS_SELECTOR, "#patrol-form button[type=submit]").click()
    sent = lambda d: d.execute_script("return document.getElementById('patrol-status')?.textContent ?? ''")
    wait(driver, lambda d: "已派发巡查任务" in sent(d))
    number = sent(driver).split()[1]
    row = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"#patrol-tasks tr[data-number='{number}']")))
    check(number.startswith("XC") and "0%" in row.text and "待巡查" in row.text, f"the task {number} is listed, not started: {row.text}")
    shot(driver, "patrol-sent")
    logout(driver)

    phone_login(driver, "inspector.pingjiang", passwords["inspector.pingjiang"], tab="tasks")
    card = f"article.patrol[data-number='{number}']"
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, card)))
    driver.find_element(By.CSS_SELECTOR, f"{card} button[data-open]").click()
    cell = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"{card} #pick-map path.cell")))
    cells = driver.find_elements(By.CSS_SELECTOR, f"{card} #pick-map path.cell")
    check(len(cells) == 2, f"the check-in map shows the task's two cells ({len(cells)})")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    driver.find_element(By.ID, "check-in-note").send_keys("无异常")
    shot(driver, "patrol-check-in")
    driver.find_element(By.CSS_SELECTOR, f"{card} form[data-act=check-in] button[type=submit]").click()
    status = lambda d: d.execute_script("return document.getElementById('tasks-status')?.textContent ?? ''")
    wait(driver, lambda d: "已在网格" in status(d))
    check("1/2" in driver.find_element(By.CSS_SELECTOR, card).text, "a tap inside a cell checks it in: coverage 1/2")
    driver.find_element(By.CSS_SELECTOR, f"{card} button[data-open]").click()
    finish = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"{card} form[data-act=finish]")))
    finish.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: d.execute_script(f"return document.querySelector(\"{card} form[data-act=finish] .error\")?.hidden === false"))
    check("note" in driver.find_element(By.CSS_SELECTOR, f"{card} form[data-act=finish] .error").text,
          "finishing with a cell left out asks why")
    driver.find_element(By.ID, "finish-note").send_keys("第二个网格道路施工封闭")
    finish.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: "已完成" in status(d))
    check(not driver.find_elements(By.CSS_SELECTOR, card), "a finished task leaves my list")
    token = json.loads(api("POST", "/api/v1/session", {"username": "supervisor", "password": passwords["supervisor"]})[1])["token"]
    detail = json.loads(api("GET", f"/api/v1/patrol-tasks/{number}", token=token)[1])
    check(detail["task"]["state"] == "done" and detail["task"]["coverage"] == 0.5 and detail["checkIns"][0]["note"] == "无异常",
          f"the task is done at half coverage with its check-in: {detail['task']['state']} {detail['task']['coverage']}")
    phone_logout(driver)

    login(driver, "leader", passwords["leader"])
    driver.get(live.base + "/#/supervision")
    wait(driver, EC.presence_of_element_located((By.ID, "subscribe-form")))
    # Found again when a live redraw (server-sent events) replaced them in between.
    click(driver, "#subscribe-form input[name=kind][value=patrolTask]")
    on(driver, "#subscribe-level", lambda element: Select(element).select_by_value("red"))
    # A supervision order issued meanwhile reaches the page live; the redraw it asks for waits
    # while the leader is choosing (it once put the form back to all kinds from yellow).
    leader = json.loads(api("POST", "/api/v1/session", {"username": "leader", "password": passwords["leader"]})[1])["token"]
    handling = json.loads(api("GET", "/api/v1/cases?state=handling&limit=1", token=leader)[1])["items"]
    check(len(handling) == 1, "the demo city has a case in handling")
    if not handling:
        return
    first = order_heard(driver, leader, handling[0]["number"])
    kept = driver.execute_script(
        "return [document.querySelector('#subscribe-form input[value=patrolTask]')?.checked, document.getElementById('subscribe-level')?.value]")
    check(kept == [True, "red"], f"the live order leaves the leader's choices as they were: {kept}")
    click(driver, "#subscribe-form button[type=submit]")
    # Read inside the wait: the order put off while the form was filled in redraws the page once
    # more after the subscription's own redraw, and may replace the item between finding and reading.
    item = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#subscriptions li[data-subscription]").text)
    check("巡查任务" in item and "红色" in item, f"the leader subscribes to red patrol warnings: {item}")
    check(first in page_text(driver), f"the page, redrawn, lists order {first}")
    # A box ticked puts off the next order's redraw; ticked off again, the page catches up.
    click(driver, "#subscribe-form input[name=kind][value=riskCell]")
    second = order_heard(driver, leader, handling[0]["number"])
    check(second not in page_text(driver), f"order {second} waits while a box is ticked")
    click(driver, "#subscribe-form input[name=kind][value=riskCell]")
    click(driver, "#page h1")
    wait(driver, lambda d: second in page_text(d))
    click(driver, "#only-subscribed")
    # The page redraws itself; read the box through the live document, not a kept element.
    wait(driver, lambda d: d.execute_script("return document.getElementById('only-subscribed')?.checked === true"))
    shot(driver, "warning-subscription")
    logout(driver)


def page_text(driver):
    return driver.execute_script("return document.getElementById('page')?.textContent ?? ''")


def order_heard(driver, token, case_number):
    """Issues a supervision order on the case through the API and waits until a stream of the
    browser's own has heard it (the page's stream, connected first, hears it at the same moment);
    its number."""
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#supervision-live[data-live=open]")))
    driver.execute_script(
        "window.probe = {open: false, orders: 0, source: new EventSource('/api/v1/monitoring/stream')};"
        "probe.source.onopen = () => { probe.open = true; };"
        "probe.source.addEventListener('supervision', () => { probe.orders += 1; });")
    wait(driver, lambda d: d.execute_script("return window.probe.open"))
    status, text = api("POST", "/api/v1/supervision-orders", {"caseId": case_number, "note": "请加快办理"}, token=token)
    check(status == 201, f"an order is issued while the leader is on the page: {status}")
    if status == 201:
        wait(driver, lambda d: d.execute_script("return window.probe.orders > 0"))
    driver.execute_script("window.probe.source.close()")
    time.sleep(1)
    return json.loads(text).get("number", "?") if status == 201 else "?"

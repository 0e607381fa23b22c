"""Warnings and supervision, clicked: the leader sees the demo city's warnings (raised by the
one-minute sweep at start) and issues a supervision order on a case by its number; the shift
supervisor, to whom it is addressed, signs for it and answers it."""
import json

from browserkit import *


def supervision_page(driver, passwords):
    token = json.loads(api("POST", "/api/v1/session", {"username": "leader", "password": passwords["leader"]})[1])["token"]
    waiting = json.loads(api("GET", "/api/v1/cases?state=filing&limit=1", token=token)[1])["items"]
    check(len(waiting) == 1, "the demo city has a case waiting to be filed")
    if not waiting:
        return
    number = waiting[0]["number"]

    login(driver, "leader", passwords["leader"])
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=supervision]").click()
    wait(driver, lambda d: heading(d) == "预警督办")
    rows = driver.find_elements(By.CSS_SELECTOR, "#warnings tr.warning")
    check(len(rows) > 0 and any("超时" in row.text for row in rows), f"the leader sees the city's time-limit warnings ({len(rows)})")
    on(driver, "#supervise-case", lambda field: field.send_keys(number))
    on(driver, "#supervise-note", lambda field: field.send_keys("请今日内办结"))
    click(driver, "#supervise-form button[type=submit]")
    status = lambda d: d.execute_script("return document.getElementById('supervision-status')?.textContent ?? ''")
    wait(driver, lambda d: "已发出督办单" in status(d))
    order = status(driver).split()[-1]
    check(order.startswith("DB"), f"the leader issues supervision order {order} on {number}")
    shot(driver, "supervision-leader")
    logout(driver)

    login(driver, "supervisor", passwords["supervisor"])
    driver.get(live.base + "/#/supervision")
    card = f"article.order[data-number='{order}']"
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, card)))
    letter = driver.execute_script(f"return document.querySelector(\"{card} .letter\").textContent")
    check(number in letter and "请今日内办结" in letter, f"the letter names the case and carries the leader's note: {letter}")
    click(driver, f"{card} button[data-act=read]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"{card}[data-state=read]")))
    on(driver, f"{card} textarea", lambda field: field.send_keys("已立案，今日派遣处置"))
    click(driver, f"{card} form button[type=submit]")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"{card}[data-state=responded]")))
    answered = driver.execute_script(f"return document.querySelector(\"{card}\").textContent")
    check("已立案，今日派遣处置" in answered, "the supervisor signs for the order and answers it")
    shot(driver, "supervision-answered")
    logout(driver)

"""The inspector's phone page at 360 px, clicked: a problem reported with a category searched by
name, a photo, and a position from a tap on the map (a real upload, a real case); and a task from
"my tasks" (a verification or a check) done with evidence."""
import json

from browserkit import *
from selenium.webdriver.support.ui import Select


def phone_sign_in(driver, path, form, user_field, user, password_field, password, who):
    """Opens a phone-first page in a 360 px window and signs in through its form."""
    driver.set_window_size(360, 800)
    driver.get(live.base + path)
    wait(driver, EC.visibility_of_element_located((By.ID, user_field))).send_keys(user)
    driver.find_element(By.ID, password_field).send_keys(password)
    driver.find_element(By.CSS_SELECTOR, f"#{form} button[type=submit]").click()
    wait(driver, EC.visibility_of_element_located((By.ID, who)))


def phone_login(driver, username, password, tab="report"):
    phone_sign_in(driver, f"/inspector.html#{tab}", "phone-login", "phone-username", username, "phone-password", password, "phone-who")


def phone_logout(driver):
    driver.find_element(By.ID, "phone-logout").click()
    wait(driver, EC.visibility_of_element_located((By.ID, "phone-login")))
    driver.set_window_size(1440, 900)


def inspector_lands_on_the_phone_page(driver, passwords):
    """An inspector who signs in at / on a phone is taken to the phone page, not the desk queue."""
    driver.set_window_size(360, 800)
    driver.get(live.base + "/")
    wait(driver, EC.visibility_of_element_located((By.ID, "username"))).send_keys("inspector.pingjiang")
    driver.find_element(By.ID, "password").send_keys(passwords["inspector.pingjiang"])
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait(driver, lambda d: d.current_url.endswith("/inspector.html") and d.find_elements(By.ID, "phone-who"))
    check(driver.current_url.endswith("/inspector.html"), f"a phone inspector lands on the phone page: {driver.current_url}")
    wait(driver, EC.visibility_of_element_located((By.ID, "phone-who")))
    phone_logout(driver)


def inspector_reports(driver, passwords):
    """Returns the new case's number."""
    inspector_lands_on_the_phone_page(driver, passwords)
    phone_login(driver, "inspector.pingjiang", passwords["inspector.pingjiang"])
    wait(driver, EC.presence_of_element_located((By.ID, "pick-map")))
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 360, f"the phone page fits 360 px without sideways scrolling ({width} px)")
    driver.find_element(By.ID, "matter-search").send_keys("井盖")
    wait(driver, lambda d: 1 <= len(d.find_elements(By.CSS_SELECTOR, "#matter option")) < 15)
    names = [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#matter option")]
    check(all("井盖" in name for name in names), f"the category search narrows the list: {names}")
    driver.find_element(By.CSS_SELECTOR, "#matter option").click()
    driver.find_element(By.ID, "photos").send_keys(PHOTO)
    driver.find_element(By.ID, "description").send_keys("人行道井盖破损，有下沉")
    driver.find_element(By.ID, "address").send_keys("平江路 128 号门前")
    tapped = driver.find_element(By.ID, "pick-map")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", tapped)
    tapped.click()
    lon = driver.find_element(By.ID, "lon").get_attribute("value")
    check(lon != "" and tapped.get_attribute("data-point") == f"{lon},{driver.find_element(By.ID, 'lat').get_attribute('value')}",
          f"a tap on the map sets the position: {tapped.get_attribute('data-point')}")
    # The matter's own required field ("井盖状况") is asked for before anything is sent.
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#custom-fields select")))
    driver.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
    error = driver.find_element(By.CSS_SELECTOR, "#report-form .error")
    check(error.is_displayed() and "井盖状况" in error.text, f"the matter's required field is asked for: {error.text}")
    Select(driver.find_element(By.CSS_SELECTOR, "#custom-fields select")).select_by_index(1)
    check_labels(driver, "the inspector's report form")
    shot(driver, "phone-report")
    driver.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
    wait(driver, lambda d: d.find_element(By.ID, "report-result").get_attribute("data-number"))
    number = driver.find_element(By.ID, "report-result").get_attribute("data-number")
    check(number.startswith("C01") and "待立案" in driver.find_element(By.ID, "report-result").text,
          f"the inspector's report is a case waiting to be filed: {driver.find_element(By.ID, 'report-result').text}")
    shot(driver, "phone-reported")
    token = json.loads(api("POST", "/api/v1/session", {"username": "inspector.pingjiang", "password": passwords["inspector.pingjiang"]})[1])["token"]
    detail = json.loads(api("GET", f"/api/v1/cases/{number}", token=token)[1])
    photos = [a for a in detail["attachments"] if a["phase"] == "before"]
    check(len(photos) == 1 and photos[0]["attachment"]["contentType"] == "image/png", f"the photo is uploaded with the report: {photos}")
    check(len(detail["case"].get("customFields") or {}) == 1, f"the matter's own field is kept: {detail['case'].get('customFields')}")
    phone_logout(driver)
    return number


def phone_task(driver, passwords, username, number, action, note):
    """Opens the case among my tasks on the phone and submits `action` with a photo and a note."""
    phone_login(driver, username, passwords[username], tab="tasks")
    card = f"article[data-number='{number}']"
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, card)))
    driver.find_element(By.CSS_SELECTOR, f"{card} button[data-open]").click()
    form = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"{card} form[data-action={action}]")))
    form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(PHOTO)
    form.find_element(By.CSS_SELECTOR, "textarea").send_keys(note)
    shot(driver, f"phone-task-{action}")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: number in d.find_element(By.ID, "tasks-status").text)
    done = not driver.find_elements(By.CSS_SELECTOR, card)
    phone_logout(driver)
    return done

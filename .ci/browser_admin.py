"""The administrator's configuration pages, clicked: a department and a user added through their
forms (and the new user really logs in), a field left empty and a weak password refused beside the
field that is wrong, a matter's time limit changed (a new catalogue version), a holiday added to
the work calendar, an emergency resource registered into a team and a plan edited (refused at
the wrong field, then saved as its next version), and the same pages read-only for a supervisor."""
import json

from browserkit import *
from selenium.webdriver.support.ui import Select


def field(driver, key, tag="input"):
    return driver.find_element(By.CSS_SELECTOR, f"#editor .field[data-key={key}] {tag}")


def open_page(driver, route, title):
    driver.get(live.base + f"/#/{route}")
    wait(driver, lambda d: heading(d) == title and d.find_elements(By.CSS_SELECTOR, "#page table.admin-table, #calendar-form"))


def start_new(driver):
    driver.find_element(By.CSS_SELECTOR, "#page button[data-act=new]").click()
    return wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#editor form.editor-form")))


def save(driver):
    driver.find_element(By.CSS_SELECTOR, "#editor form.editor-form button[type=submit]").click()


def field_error(driver, key):
    """The message shown under a field, or '' while it is hidden."""
    return driver.execute_script("""
        const node = document.querySelector(`#editor .field[data-key=${arguments[0]}] .field-error`);
        return node && !node.hidden ? node.textContent : ''""", key)


def status(driver):
    return driver.execute_script("return document.getElementById('admin-status')?.textContent ?? ''")


def row(driver, key):
    return driver.find_elements(By.CSS_SELECTOR, f"#page tr[data-key='{key}']")


def departments(driver):
    open_page(driver, "departments", "专业部门")
    start_new(driver)
    save(driver)
    wait(driver, lambda d: field_error(d, "code"))
    check(field_error(driver, "code") == "此项必填" and field_error(driver, "name") == "此项必填",
          "an empty department form is refused beside each required field")
    shot(driver, "admin-department-required")
    field(driver, "code").send_keys("WEB-TEST")
    field(driver, "name").send_keys("网页测试保洁队")
    Select(field(driver, "kind", "select")).select_by_value("sanitation")
    Select(field(driver, "areaId", "select")).select_by_index(1)
    field(driver, "phone").send_keys("0512-65550000")
    save(driver)
    wait(driver, lambda d: row(d, "WEB-TEST"))
    check("网页测试保洁队" in row(driver, "WEB-TEST")[0].text and status(driver) == "已新增", "the administrator adds a department")
    shot(driver, "admin-departments")
    start_new(driver)
    field(driver, "code").send_keys("WEB-TEST")
    field(driver, "name").send_keys("重复的部门")
    Select(field(driver, "kind", "select")).select_by_value("sanitation")
    Select(field(driver, "areaId", "select")).select_by_index(1)
    save(driver)
    wait(driver, lambda d: field_error(d, "code"))
    check(field_error(driver, "code") == "该编码已存在", f"a second department with the same code is refused at the code: {field_error(driver, 'code')}")


def users(driver):
    open_page(driver, "users", "用户与角色")
    start_new(driver)
    field(driver, "username").send_keys("web.inspector")
    field(driver, "displayName").send_keys("网页巡查员")
    field(driver, "password").send_keys("password")
    driver.find_element(By.CSS_SELECTOR, "#editor .field[data-key=roles] input[value=inspector]").click()
    Select(field(driver, "areaId", "select")).select_by_index(0)
    save(driver)
    wait(driver, lambda d: field_error(d, "password"))
    check(field_error(driver, "password").startswith("密码须含") and not row(driver, "web.inspector"),
          f"a weak password is refused by the server, shown beside the password: {field_error(driver, 'password')}")
    check_labels(driver, "the user form")
    shot(driver, "admin-user-weak-password")
    field(driver, "password").clear()
    field(driver, "password").send_keys("Xuncha-2026!")
    save(driver)
    wait(driver, lambda d: row(d, "web.inspector"))
    check("巡查员" in row(driver, "web.inspector")[0].text, "the administrator adds an inspector")
    status_code, _ = api("POST", "/api/v1/session", {"username": "web.inspector", "password": "Xuncha-2026!"})
    check(status_code == 200, f"the new inspector can log in ({status_code})")
    shot(driver, "admin-users")


def matters(driver, token):
    open_page(driver, "matters", "事项管理")
    key = driver.execute_script("return document.querySelector('#page tr[data-key]').dataset.key")
    before = row(driver, key)[0].text
    row(driver, key)[0].find_element(By.CSS_SELECTOR, "button[data-act=edit]").click()
    limit = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#editor .limit-value[data-urgency=normal][data-stage=handle]")))
    check_labels(driver, "the matter form with its limits grid")
    limit.clear()
    limit.send_keys("0")
    save(driver)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#editor .field-error:not([hidden])"))
    check(row(driver, key)[0].text == before, "a zero time limit is refused before it is sent")
    limit.clear()
    limit.send_keys("3")
    Select(limit.find_element(By.XPATH, "following-sibling::select")).select_by_value("days")
    save(driver)
    wait(driver, lambda d: status(d).startswith("已保存"))
    matter = next(m for m in json.loads(api("GET", "/api/v1/matters", token=token)[1])["items"]
                  if f"{'C' if m['kind'] == 'component' else 'E'}{m['majorCode']}{m['minorCode']}" == key)
    handle = next(s["limit"] for l in matter["limits"] if l["urgency"] == "normal" for s in l["stages"] if s["stage"] == "handle")
    check(handle == {"value": 3, "unit": "days"} and matter["version"] == 2,
          f"the matter's handling limit is saved as a new catalogue version: {handle}, v{matter['version']}")
    shot(driver, "admin-matters")


def calendar(driver, token):
    open_page(driver, "calendar", "工作日历")
    check_labels(driver, "the calendar form")
    saturday = driver.find_element(By.CSS_SELECTOR, "#calendar-form input[data-day=sat]")
    saturday.send_keys("18:00-09:00")
    driver.find_element(By.CSS_SELECTOR, "#calendar-form button[type=submit]").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#calendar-form .field-error:not([hidden])"))
    check("18:00-09:00" in driver.find_element(By.CSS_SELECTOR, "#calendar-form .field-error:not([hidden])").text,
          "a working period that ends before it starts is refused")
    saturday.clear()
    holidays = driver.find_element(By.CSS_SELECTOR, "#calendar-form .field[data-key=holidays] textarea")
    holidays.send_keys("\n2026-12-31")
    driver.find_element(By.CSS_SELECTOR, "#calendar-form button[type=submit]").click()
    wait(driver, lambda d: status(d).startswith("日历已保存"))
    saved = json.loads(api("GET", "/api/v1/calendar", token=token)[1])
    check("2026-12-31" in saved["holidays"] and "2026-10-01" in saved["holidays"], "the administrator adds a holiday to the work calendar")
    shot(driver, "admin-calendar")


def read_only(driver, passwords):
    login(driver, "supervisor", passwords["supervisor"])
    open_page(driver, "matters", "事项管理")
    buttons = driver.find_elements(By.CSS_SELECTOR, "#page button[data-act]")
    check(len(row(driver, "E0102")) == 1 and not buttons, f"a supervisor reads the catalogue without edit buttons ({len(buttons)})")
    logout(driver)


def emergency_registry(driver):
    """A gas van registered into the gas company's repair team, and a plan opened, broken (an owner
    that does not exist, named at its field), mended and saved as its next version."""
    open_page(driver, "emResources", "应急资源登记")
    start_new(driver)
    field(driver, "code").send_keys("GV-WEB")
    field(driver, "name").send_keys("网页登记燃气抢修车")
    Select(field(driver, "kind", "select")).select_by_value("vehicle")
    field(driver, "capabilities", "textarea").send_keys("gas")
    field(driver, "lon").send_keys("120.6210")
    field(driver, "lat").send_keys("31.3110")
    Select(field(driver, "departmentId", "select")).select_by_visible_text("苏州港华燃气有限公司（D3205008）")
    Select(field(driver, "teamId", "select")).select_by_visible_text("燃气抢修队 1 号（GT-001）")
    save(driver)
    wait(driver, lambda d: row(d, "GV-WEB"))
    check("GT-001" in row(driver, "GV-WEB")[0].text and "可用" in row(driver, "GV-WEB")[0].text,
          "the administrator registers a van into a team")
    shot(driver, "admin-emergency-resources")

    driver.get(live.base + "/#/emPlans")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-list button[data-plan=gas-leak]"))
    click(driver, "#plan-list button[data-plan=gas-leak]")
    plan_status = lambda d: d.execute_script("return document.getElementById('plan-status')?.textContent ?? ''")
    wait(driver, lambda d: "gas-leak" in plan_status(d))
    plan = json.loads(driver.find_element(By.ID, "plan-file").get_attribute("value"))
    before = len(driver.find_elements(By.CSS_SELECTOR, "#plan-versions li"))
    broken = json.loads(json.dumps(plan))
    broken["levels"][0]["steps"][0]["ownerDepartment"] = "D-NOWHERE"
    broken["levels"][0]["steps"][0].pop("ownerGroup", None)
    set_text = lambda text: driver.execute_script("document.getElementById('plan-file').value = arguments[0]", text)
    set_text(json.dumps(broken, ensure_ascii=False))
    click(driver, "button[data-act=save-plan]")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-issues li"))
    check(any("ownerDepartment" in li.get_attribute("data-field") for li in driver.find_elements(By.CSS_SELECTOR, "#plan-issues li")),
          "a plan naming an unknown owner is refused at that field")
    plan["name"] = plan["name"] + "（修订）"
    set_text(json.dumps(plan, ensure_ascii=False))
    click(driver, "button[data-act=save-plan]")
    wait(driver, lambda d: "已保存 gas-leak" in plan_status(d))
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#plan-versions li")) == before + 1)
    check(len(driver.find_elements(By.CSS_SELECTOR, "#plan-versions li")) == before + 1, "the mended plan is its next version")
    shot(driver, "admin-emergency-plans")


def learned_dispatch(driver):
    """The learned dispatch panel on the routing page: a threshold below 0.5 refused, a valid
    policy saved, a version trained by the button and listed with its held-out accuracy."""
    open_page(driver, "routing", "派遣规则")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#page .learned-dispatch #learned-threshold"))
    threshold = driver.find_element(By.ID, "learned-threshold")
    threshold.clear()
    threshold.send_keys("0.3")
    driver.find_element(By.CSS_SELECTOR, ".learned-policy button[type=submit]").click()
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".learned-policy .error").text)
    check("threshold" in driver.find_element(By.CSS_SELECTOR, ".learned-policy .error").text,
          "a threshold below 0.5 is refused beside the form")
    threshold = driver.find_element(By.ID, "learned-threshold")
    threshold.clear()
    threshold.send_keys("0.95")
    driver.find_element(By.CSS_SELECTOR, ".learned-policy button[type=submit]").click()
    wait(driver, lambda d: status(d) == "策略已保存")
    check(driver.find_element(By.ID, "learned-threshold").get_attribute("value") == "0.95", "the policy is saved")
    driver.find_element(By.CSS_SELECTOR, ".learned-policy button[data-act=train]").click()
    wait(driver, lambda d: status(d).startswith("已训练第"))
    version = status(driver).removeprefix("已训练第").removesuffix("版").strip()
    rows = driver.find_elements(By.CSS_SELECTOR, f".learned-versions tr[data-version='{version}']")
    check(len(rows) == 1 and "%" in rows[0].text, f"version {version} is listed with its held-out figures: {status(driver)}")
    shot(driver, "admin-learned-dispatch")


def admin_pages(driver, passwords):
    login(driver, "admin", passwords["admin"])
    token = json.loads(api("POST", "/api/v1/session", {"username": "admin", "password": passwords["admin"]})[1])["token"]
    sections = driver.execute_script("return [...document.querySelectorAll('#nav .nav-section')].map((s) => s.textContent)")
    check(sections == ["配置"], f"the administrator's navigation has its configuration section: {sections}")
    departments(driver)
    users(driver)
    matters(driver, token)
    calendar(driver, token)
    emergency_registry(driver)
    learned_dispatch(driver)
    logout(driver)
    read_only(driver, passwords)

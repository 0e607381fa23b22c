"""What the browser suites share: the live demo server, a headless Chromium, the screenshot folder,
logging in and out by typing, and a real PNG photo built here so the tests need no image files."""
import os, struct, sys, tempfile, time, zlib

from selenium import webdriver
from selenium.common.exceptions import ElementNotInteractableException, NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo, RunningDemo

# The suite's own demo server, or one already served (CHENGYUN_BROWSER_BASE, with its data folder
# in CHENGYUN_BROWSER_DATA): `.ci/cluster.py` runs the suite through nginx in front of three nodes.
if os.environ.get("CHENGYUN_BROWSER_BASE"):
    if not os.environ.get("CHENGYUN_BROWSER_DATA"):
        raise SystemExit("FAILED: CHENGYUN_BROWSER_BASE needs CHENGYUN_BROWSER_DATA, the folder of its demo credentials")
    live = RunningDemo(os.environ["CHENGYUN_BROWSER_BASE"], os.environ["CHENGYUN_BROWSER_DATA"])
else:
    live = LiveDemo(int(os.environ.get("BROWSER_PORT", "18085")))
check = live.check
shots = tempfile.mkdtemp(prefix="chengyun-screenshots-")
print(f"screenshots: {shots}")

def browser():
    options = webdriver.ChromeOptions()
    # The page's console kept, so a wait that times out can say what the page said (`wait`).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900", "--lang=zh-CN"]:
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver") if os.path.exists("/usr/bin/chromedriver") else None
    return webdriver.Chrome(options=options, service=service) if service else webdriver.Chrome(options=options)

def shot(driver, name):
    driver.save_screenshot(os.path.join(shots, f"{name}.png"))

def wait(driver, condition, seconds=15):
    # A condition reading an element a live redraw just replaced is asked again, not failed.
    try:
        return WebDriverWait(driver, seconds, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)
    except TimeoutException:
        page_state(driver)
        raise

def hold_case_fetch(driver, millis=1500):
    """Holds the page's next fetch of a case (`/api/v1/cases/<id>…`, not the queue) back `millis`
    before the page sees its answer, as a slow node would, and counts the page's fetches in flight
    from then on (each until 100 ms after its answer, so what the page does with it has run):
    `settled(driver)` once the held one has answered and none is in flight."""
    driver.execute_script("""
        const plain = window.fetch, millis = arguments[0];
        let held = false;
        window.heldFetchAnswered = false;
        window.fetchesInFlight = 0;
        window.fetch = (url, options) => {
          window.fetchesInFlight += 1;
          const real = plain(url, options);
          let answer = real;
          if (!held && /\\/api\\/v1\\/cases\\/[^/?]+/.test(String(url)) && !String(url).includes('/cases/queue')) {
            held = true;
            answer = new Promise((resolve) => setTimeout(resolve, millis)).then(() => real)
              .finally(() => { window.heldFetchAnswered = true; });
          }
          return answer.finally(() => setTimeout(() => { window.fetchesInFlight -= 1; }, 100));
        };""", millis)

def settled(driver):
    return driver.execute_script("return window.heldFetchAnswered === true && window.fetchesInFlight === 0")

def page_state(driver):
    """What the page showed when a wait ran out: its address, heading and text, a screenshot, and
    its console (a failed fetch or a script error shows there)."""
    try:
        state = driver.execute_script("""
            const page = document.querySelector('#page');
            return {url: location.href, heading: page?.querySelector('h1')?.textContent ?? '',
                    text: (page?.innerText ?? '').slice(0, 400)};""")
        print(f"  page when the wait ran out: {state}")
        shot(driver, f"timeout-{int(time.time())}")
        for entry in driver.get_log("browser")[-20:]:
            print(f"  console: {entry.get('level')} {entry.get('message', '')[:300]}")
    except Exception as error:  # the diagnosis must not hide the timeout itself
        print(f"  (the page's state could not be read: {error})")

def on(driver, selector, act, tries=5):
    """Finds the element and acts on it, finding it again if a live redraw replaced it in between
    (the pages redraw on server-sent events, as a user would see them do) or had it mid-replacement
    when the act came (not interactable for that moment)."""
    for attempt in range(tries):
        try:
            element = driver.find_element(By.CSS_SELECTOR, selector)
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            return act(element)
        except (StaleElementReferenceException, ElementNotInteractableException):
            if attempt == tries - 1:
                raise
            time.sleep(0.3)

def click(driver, selector):
    on(driver, selector, lambda element: element.click())

def login(driver, username, password):
    driver.get(live.base + "/")
    wait(driver, EC.visibility_of_element_located((By.ID, "username"))).send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait(driver, EC.visibility_of_element_located((By.ID, "who")))
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#page h1"))

def logout(driver):
    driver.find_element(By.ID, "logout").click()
    wait(driver, EC.visibility_of_element_located((By.ID, "login-form")))

# Reads go through the page's own DOM at that moment: the pages re-render as they load.
api = live.api

def heading(driver):
    return driver.execute_script("return document.querySelector('#page h1')?.textContent ?? ''")

def png(width, height, rgb):
    """A real PNG image, built here so the test needs no image files."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

# The "after" photo a phone would hand over: 64×48, green.
PHOTO = os.path.join(shots, "after.png")
with open(PHOTO, "wb") as f:
    f.write(png(64, 48, (40, 160, 60)))

def unlabelled(driver):
    """The form controls on the page that a screen reader could not name: no <label for>, no
    wrapping <label>, no aria-label or aria-labelledby. Hidden controls do not count."""
    return driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea')]
          .filter((c) => c.type !== 'hidden' && c.offsetParent !== null)
          .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
          .map((c) => c.outerHTML.slice(0, 80))""")


def check_labels(driver, page):
    missing = unlabelled(driver)
    check(not missing, f"every form control on {page} has a label: {missing}")


def fact(driver, label):
    return driver.execute_script("""
        const term = [...document.querySelectorAll('#page dl.facts dt')].find((dt) => dt.textContent === arguments[0]);
        return term ? term.nextElementSibling.textContent : null""", label)


def act(driver, action, prepare=None):
    form = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"#actions form[data-action={action}]")))
    if prepare:
        prepare(form)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

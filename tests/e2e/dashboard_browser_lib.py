"""The browser and the helpers of dashboard_browser.py: headless Chromium (Debian's
chromium + chromium-driver, python3-selenium) made at import, and what the checks use on
it (waits, rows and their buttons, dialogs, pages, login, plain HTTP). Environment as
dashboard_browser.py says.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

URL = os.environ["DASH_URL"]
IDENTITY = os.environ["DASH_IDENTITY"]
NETWORK = os.environ["DASH_NETWORK"]
HOST = os.environ["DASH_HOST"]
ARTIFACTS = os.environ["DASH_ARTIFACTS"]
WORK = os.environ["DASH_WORK"]
OBJECT_STORE = os.environ["DASH_OBJECT_STORE"]  # the object proxy's .../v1


_checks = [0]


def checks_passed():
    return _checks[0]

def ok(what, started=None):
    _checks[0] += 1
    took = f" ({time.time() - started:.1f} s)" if started else ""
    print(f"ok: {what}{took}", flush=True)


def fail(what):
    print(f"FAIL: {what}", flush=True)
    shot("failure")
    try:
        print("--- browser console:", flush=True)
        for entry in driver.get_log("browser")[-20:]:
            print(entry, flush=True)
    except Exception:  # noqa: BLE001 - best effort diagnostics
        pass
    sys.exit(1)


def shot(name, width=None):
    # After a dialog closed, its backdrop fades out a moment longer.
    try:
        WebDriverWait(driver, 3, poll_frequency=0.1).until(
            lambda d: not d.find_elements(By.CSS_SELECTOR, ".modal-backdrop"))
    except TimeoutException:
        pass
    if width:
        driver.set_window_size(width, 900)
        time.sleep(0.3)
    driver.save_screenshot(os.path.join(ARTIFACTS, f"{name}.png"))
    if width:
        driver.set_window_size(1280, 900)


def wait(cond, what, timeout=30):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1,
                             ignored_exceptions=[StaleElementReferenceException]).until(cond)
    except TimeoutException:
        fail(f"timed out after {timeout} s: {what}")


def visible(css):
    return EC.visibility_of_element_located((By.CSS_SELECTOR, css))


def click(css, what=None):
    el = wait(EC.element_to_be_clickable((By.CSS_SELECTOR, css)), what or f"click {css}")
    el.click()
    return el


def row_with(table_id, text):
    """The <tr> of table #table_id whose text contains `text`, or None."""
    for tr in driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr"):
        if text in tr.text:
            return tr
    return None


class RowButton:
    """The button `label` of the row with `text`; click() finds it again when an event
    redrew the row in between (a stale element)."""

    def __init__(self, table_id, text, label):
        self.table_id, self.text, self.label = table_id, text, label

    def find(self):
        tr = wait(lambda d: row_with(self.table_id, self.text), f"a row with {self.text} in #{self.table_id}")
        for b in tr.find_elements(By.TAG_NAME, "button"):
            if b.text == self.label:
                return b
        return None

    def click(self):
        for _ in range(20):
            try:
                b = self.find()
                if b is None:
                    fail(f"no {self.label} button in the row of {self.text}")
                b.click()
                return
            except StaleElementReferenceException:
                time.sleep(0.1)
        fail(f"the row of {self.text} kept changing under the {self.label} button")


def row_button(table_id, text, label):
    return RowButton(table_id, text, label)


def modal_ready():
    """The open dialog, once Bootstrap's fade-in is over (keys and clicks during it are lost)."""
    modal = wait(visible(".modal.show"), "a dialog opens")
    wait(lambda d: d.execute_script(
        "return document.querySelector('.modal.show').contains(document.activeElement)"),
        "the dialog has the focus")
    return modal


def modal_fill(values):
    """Fills the open modal's fields by label text, then submits it."""
    modal = modal_ready()
    for label, value in values.items():
        lab = modal.find_element(By.XPATH, f".//label[normalize-space()='{label}']")
        field = modal.find_element(By.ID, lab.get_attribute("for"))
        if field.tag_name == "select":
            select_option(field, value)
        else:
            field.clear()
            field.send_keys(value)
            if field.get_attribute("value") != value:
                fail(f"the field {label} holds {field.get_attribute('value')!r}, not {value!r}")
    modal.find_element(By.CSS_SELECTOR, ".modal-footer .btn-primary").click()


def select_option(field, value):
    """Picks the option whose text is `value`, or contains it after a leading "~"."""
    for o in field.find_elements(By.TAG_NAME, "option"):
        if o.text == value or (value.startswith("~") and value[1:] in o.text):
            Select(field).select_by_value(o.get_attribute("value"))
            return
    fail(f"no option {value}")


def modal_closed(what, timeout=60):
    wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".modal.show"), what, timeout)


def go(page):
    driver.execute_script(f"location.hash = '#/{page}'")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, f"#nav-{page}.active"), f"page {page}")


def login(user, password):
    driver.get(URL + "/#/login")
    wait(visible("#login-form"), "the login form")
    driver.find_element(By.ID, "login-user").send_keys(user)
    driver.find_element(By.ID, "login-password").send_keys(password)
    shot(f"login-{user}")
    driver.find_element(By.ID, "login-submit").click()
    wait(visible("#navbar"), f"{user} is logged in")


def logout():
    click("#user-menu", "open the user menu")
    click("#logout", "log out")


def http(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def js(script):
    """Runs `script` (a promise's body is awaited) in the page."""
    return driver.execute_script(script)


def session_project(name):
    return js(f"return fetch('/api/session').then(r => r.json())"
              f".then(s => s.projects.find(p => p.name === '{name}').id)")


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--window-size=1280,900", "--disable-gpu",
            "--disable-dev-shm-usage"):
    options.add_argument(arg)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                          options=options)

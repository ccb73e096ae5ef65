"""The dashboard in headless Chromium (run by dashboard_browser_test.sh, which says what).

Environment: DASH_URL, DASH_IDENTITY (.../v3), DASH_NETWORK, DASH_HOST (the simulated
compute host), DASH_MEMBER_PASSWORD (user alice, project demo), DASH_ADMIN_PASSWORD,
DASH_ARTIFACTS (screenshots), DASH_WORK (scratch files).
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
checks = 0


def ok(what, started=None):
    global checks
    checks += 1
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


def row_button(table_id, text, label):
    tr = wait(lambda d: row_with(table_id, text), f"a row with {text} in #{table_id}")
    for b in tr.find_elements(By.TAG_NAME, "button"):
        if b.text == label:
            return b
    fail(f"no {label} button in the row of {text}")


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


def member_token():
    status, headers, _ = http("POST", IDENTITY + "/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "alice", "domain": {"name": "Default"},
            "password": os.environ["DASH_MEMBER_PASSWORD"]}}},
        "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}})
    assert status == 201, status
    return headers["X-Subject-Token"]


def neutron(method, path, body=None, token=None):
    status, _, data = http(method, NETWORK + path, body, {"X-Auth-Token": token})
    if status >= 300:
        fail(f"{method} {path}: {status} {data[:300]!r}")
    return json.loads(data) if data else None


def member_flow():
    t0 = time.time()
    login("alice", os.environ["DASH_MEMBER_PASSWORD"])
    wait(visible("#quota-charts canvas"), "the overview's quota charts")
    ok("a member logs in and sees the overview's quota charts", t0)
    shot("overview")

    # Upload an image (progress bar; the proxy streams the body through).
    go("images")
    path = os.path.join(WORK, "dash-image.raw")
    with open(path, "wb") as f:
        f.write(os.urandom(4 << 20))
    t0 = time.time()
    click("#upload-image")
    modal = wait(visible(".modal.show"), "the upload dialog")
    modal.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(path)
    modal_fill({"Name": "dash-image", "Disk format": "raw"})
    modal_closed("the upload finishes")
    wait(lambda d: row_with("images", "dash-image") and "active" in row_with("images", "dash-image").text,
         "dash-image is active")
    ok("upload a 4 MiB image with the progress bar", t0)
    shot("images")

    # A key pair, generated: the private key is offered once, as a download.
    go("keypairs")
    t0 = time.time()
    click("#create-keypair")
    modal_fill({"Name": "dash-key"})
    modal_closed("the key pair is created")
    link = wait(visible("#private-key a[download]"), "the private key's download link")
    if link.get_attribute("download") != "dash-key.pem" or not link.get_attribute("href").startswith("blob:"):
        fail(f"the private key link is {link.get_attribute('href')} {link.get_attribute('download')}")
    wait(lambda d: row_with("keypairs", "dash-key"), "dash-key is listed")
    ok("create a key pair; its private key is offered as dash-key.pem", t0)
    shot("keypairs")

    # A security group with an SSH rule, then gone again.
    go("security-groups")
    t0 = time.time()
    click("#create-security-group")
    modal_fill({"Name": "dash-sg"})
    modal_closed("the security group is created")
    row_button("security-groups", "dash-sg", "Add rule").click()
    modal_fill({"Protocol": "tcp", "From port": "22", "To port": "22", "CIDR": "0.0.0.0/0"})
    modal_closed("the rule is added")
    wait(lambda d: "ingress IPv4 tcp 22 from 0.0.0.0/0" in (row_with("security-groups", "dash-sg").text or ""),
         "the SSH rule is listed")
    shot("security-groups")
    row_button("security-groups", "dash-sg", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("security-groups", "dash-sg"), "dash-sg is deleted")
    ok("create a security group, add an SSH rule, delete it", t0)

    # Launch from the wizard; ACTIVE arrives by the event stream, without a reload. Before
    # the network exists: with no network of its own the instance gets no port (the
    # simulated host has no network agent that could wire one).
    go("instances")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#instances"), "the instances table")
    driver.execute_script("window.__marker = 'still-here'")
    t0 = time.time()
    click("#launch-instance")
    modal_fill({"Name": "dash-vm", "Image": "dash-image", "Flavor": "~m1.tiny", "Key pair": "dash-key"})
    modal_closed("the launch is accepted")
    wait(lambda d: row_with("instances", "dash-vm"), "dash-vm is listed")
    events_before = driver.execute_script("return window.__gureumEvents || 0")
    wait(lambda d: "ACTIVE" in (row_with("instances", "dash-vm").text or ""), "dash-vm turns ACTIVE", 90)
    active_s = time.time() - t0
    if driver.execute_script("return window.__marker") != "still-here":
        fail("the page reloaded while waiting for ACTIVE")
    events = driver.execute_script("return window.__gureumEvents || 0")
    if events <= 0:
        fail("no event reached the page (ACTIVE came without the event stream?)")
    ok(f"launch dash-vm from the wizard; ACTIVE without a reload ({events} events, "
       f"{events - events_before} after the first row)", t0)
    print(f"measure: launch to ACTIVE on the page {active_s:.1f} s", flush=True)
    shot("instances")
    shot("instances-390px", width=390)

    # Stop and start: SHUTOFF and ACTIVE again, pushed to the open page.
    for action, status in (("Stop", "SHUTOFF"), ("Start", "ACTIVE")):
        t0 = time.time()
        row_button("instances", "dash-vm", action).click()
        wait(lambda d: status in (row_with("instances", "dash-vm").text or ""), f"dash-vm turns {status}", 60)
        print(f"measure: {action} click to {status} on the page {time.time() - t0:.1f} s", flush=True)
    if driver.execute_script("return window.__marker") != "still-here":
        fail("the page reloaded during stop/start")
    ok("stop and start dash-vm; SHUTOFF and ACTIVE arrive without a reload")

    # Console log.
    t0 = time.time()
    row_button("instances", "dash-vm", "Console log").click()
    wait(visible("#console-output"), "the console log dialog")
    modal_ready()
    ok("open the console log", t0)
    shot("console-log")
    driver.find_element(By.CSS_SELECTOR, "#console-modal .btn-close").click()
    modal_closed("the console dialog closes")

    # Network and subnet.
    go("networks")
    t0 = time.time()
    click("#create-network")
    modal_fill({"Name": "dash-net", "CIDR": "10.77.0.0/24"})
    modal_closed("the network is created")
    wait(lambda d: row_with("networks", "dash-net") and "10.77.0.0/24" in row_with("networks", "dash-net").text,
         "dash-net with its subnet")
    ok("create a network and its subnet", t0)
    shot("networks")

    # A volume: create and delete, statuses pushed by volume.* events. Not attached: the
    # simulated host's libvirt driver (test:///default) cannot attach devices.
    go("volumes")
    t0 = time.time()
    click("#create-volume")
    modal_fill({"Name": "dash-vol", "Size (GiB)": "1"})
    modal_closed("the volume is created")
    wait(lambda d: "available" in (row_with("volumes", "dash-vol").text or ""), "dash-vol is available", 60)
    shot("volumes")
    row_button("volumes", "dash-vol", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("volumes", "dash-vol"), "dash-vol is deleted", 60)
    ok("create and delete a volume", t0)

    # A router from dash-net's subnet to the external network, on the Routers page.
    go("routers")
    t0 = time.time()
    click("#create-router")
    modal_fill({"Name": "dash-router", "External network": "public"})
    modal_closed("the router is created")
    wait(lambda d: row_with("routers", "dash-router"), "dash-router is listed")
    row_button("routers", "dash-router", "Add interface").click()
    modal_fill({"Subnet": "~10.77.0.0/24"})
    modal_closed("the interface is added")
    wait(lambda d: "10.77.0.0/24" in (row_with("routers", "dash-router").text or ""), "the router shows its interface")
    ok("create a router with a gateway and an interface on dash-net", t0)
    shot("routers")

    # A port for the floating IP (REST as alice: the instance has no port, because the
    # simulated host has no network agent to wire one, and there is no ports page).
    token = member_token()
    net = [n for n in neutron("GET", "/v2.0/networks", token=token)["networks"] if n["name"] == "dash-net"][0]
    port = neutron("POST", "/v2.0/ports", {"port": {"network_id": net["id"], "name": "dash-port"}}, token)["port"]

    go("floating-ips")
    t0 = time.time()
    click("#allocate-fip")
    modal_fill({"External network": "public"})
    modal_closed("the floating IP is allocated")
    wait(lambda d: row_with("floating-ips", "203.0.113."), "the floating IP is listed")
    row_button("floating-ips", "203.0.113.", "Associate").click()
    modal_fill({"Port": "~dash-port"})
    modal_closed("the floating IP is associated")
    wait(lambda d: port["id"] in (row_with("floating-ips", "203.0.113.").text or ""), "the row shows the port")
    ok("allocate a floating IP and associate it", t0)
    shot("floating-ips")

    # Delete everything.
    t0 = time.time()
    row_button("floating-ips", "203.0.113.", "Release").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("floating-ips", "203.0.113."), "the floating IP is released")
    neutron("DELETE", f"/v2.0/ports/{port['id']}", token=token)
    go("routers")
    row_button("routers", "dash-router", "Remove interface").click()
    modal_fill({"Subnet": "~10.77.0.0/24"})
    modal_closed("the interface is removed")
    wait(lambda d: "10.77.0.0/24" not in (row_with("routers", "dash-router").text or ""), "the interface is gone")
    row_button("routers", "dash-router", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("routers", "dash-router"), "dash-router is deleted")

    go("instances")
    row_button("instances", "dash-vm", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("instances", "dash-vm"), "dash-vm disappears (delete event)", 60)
    go("networks")
    row_button("networks", "dash-net", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("networks", "dash-net"), "dash-net is deleted")
    go("images")
    row_button("images", "dash-image", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("images", "dash-image"), "dash-image is deleted")
    ok("release the floating IP, delete the router, instance, network and image", t0)

    go("keypairs")
    row_button("keypairs", "dash-key", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("keypairs", "dash-key"), "dash-key is deleted")

    # The overview's recent activity lists what the event stream brought.
    go("overview")
    wait(lambda d: "compute.instance.update" in d.find_element(By.ID, "recent-activity").text,
         "the recent activity shows instance updates")
    ok("the overview's recent activity shows the events pushed during the session")
    shot("overview-activity")

    # Korean labels, and the project switcher (alice is also a member of demo2).
    Select(driver.find_element(By.ID, "lang-switcher")).select_by_value("ko")
    wait(lambda d: d.find_element(By.ID, "nav-instances").text == "인스턴스", "the Korean navbar")
    go("instances")
    shot("instances-ko")
    Select(driver.find_element(By.ID, "lang-switcher")).select_by_value("en")
    wait(lambda d: d.find_element(By.ID, "nav-instances").text == "Instances", "the English navbar")
    for project in ("demo2", "demo"):
        # The switcher is drawn again after each switch: select on the current element.
        wait(lambda d: d.find_element(By.ID, "project-switcher").is_enabled(), "the switcher is ready")
        Select(driver.find_element(By.ID, "project-switcher")).select_by_visible_text(project)
        wait(lambda d: d.execute_script(
            "return fetch('/api/session').then(r => r.json()).then(s => s.project.name)") == project,
            f"the session is in {project}")
        wait(lambda d: Select(d.find_element(By.ID, "project-switcher")).first_selected_option.text == project,
             f"the switcher shows {project}")
    ok("Korean labels; switch to project demo2 and back")

    # Log out; the cookie saved before stops working.
    stolen = driver.get_cookie("gureum_session")
    if not stolen or not stolen.get("httpOnly"):
        fail(f"the session cookie is not HttpOnly: {stolen}")
    if driver.execute_script("return document.cookie").find("gureum_session") >= 0:
        fail("JavaScript can read the session cookie")
    logout()
    wait(visible("#login-form"), "the login form after logout")
    status, _, _ = http("GET", URL + "/api/session", headers={"Cookie": f"gureum_session={stolen['value']}"})
    if status != 401:
        fail(f"the stolen cookie after logout got {status}, not 401")
    ok("log out; the cookie saved before logout gets 401")


def security_checks():
    status, headers, body = http("POST", URL + "/api/login", {
        "domain": "Default", "user": "alice", "password": os.environ["DASH_MEMBER_PASSWORD"]})
    if status != 200:
        fail(f"login over HTTP: {status}")
    set_cookie = headers.get("Set-Cookie", "")
    for flag in ("HttpOnly", "SameSite=Strict", "Path=/"):
        if flag not in set_cookie:
            fail(f"Set-Cookie lacks {flag}: {set_cookie}")
    ok("the session cookie is HttpOnly, SameSite=Strict, Path=/")
    cookie = {"Cookie": set_cookie.split(";")[0]}
    csrf = json.loads(body)["csrf_token"]
    status, _, body = http("POST", URL + "/api/svc/compute/os-keypairs", {"keypair": {"name": "x"}}, cookie)
    if status != 403 or b"CSRF" not in body:
        fail(f"a POST without the CSRF token got {status} {body[:200]!r}")
    ok("a POST without the CSRF token gets 403 with a readable message")
    status, _, _ = http("GET", URL + "/api/svc/compute/os-hypervisors/detail", headers=cookie)
    if status != 403:
        fail(f"a member on the hypervisors API got {status}, not 403")
    ok("a member on an admin API gets the service's 403")
    status, _, _ = http("GET", URL + "/api/svc/compute/..%2F..%2Fv3/users", headers=cookie)
    if status not in (400, 404):
        fail(f"a path leaving the endpoint got {status}")
    ok("a path that leaves the catalog endpoint is refused")
    http("POST", URL + "/api/logout", headers={**cookie, "X-CSRF-Token": csrf})


def admin_flow():
    t0 = time.time()
    login("admin", os.environ["DASH_ADMIN_PASSWORD"])
    go("admin")
    wait(lambda d: row_with("hypervisors", HOST), "the admin sees the hypervisor")
    wait(lambda d: row_with("compute-services", "gureum-compute-agent"), "the admin sees the compute services")
    ok("the admin sees the hypervisor and the compute services", t0)
    shot("admin")
    logout()
    wait(visible("#login-form"), "the login form after the admin's logout")


def first_rows_benchmark():
    """Time from navigation to the instances page to its first rows (server + paint)."""
    login("alice", os.environ["DASH_MEMBER_PASSWORD"])
    t0 = time.time()
    go("instances")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#instances"), "the instances table")
    took = (time.time() - t0) * 1000
    page_ms = driver.execute_script("return window.__instancesRenderMs")
    print(f"measure: instances page (empty project) to table {took:.0f} ms, fetch+render {page_ms:.0f} ms",
          flush=True)


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--window-size=1280,900", "--disable-gpu",
            "--disable-dev-shm-usage"):
    options.add_argument(arg)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                          options=options)
try:
    member_flow()
    security_checks()
    admin_flow()
    first_rows_benchmark()
finally:
    driver.quit()
print(f"dashboard_browser: {checks} checks passed", flush=True)

"""The dashboard in headless Chromium (run by dashboard_browser_test.sh, which says what).

Environment: DASH_URL, DASH_IDENTITY (.../v3), DASH_NETWORK, DASH_HOST (the compute
host), DASH_OBJECT_STORE (the object proxy's .../v1), DASH_MEMBER_PASSWORD (user alice,
project demo), DASH_ADMIN_PASSWORD, DASH_ARTIFACTS (screenshots), DASH_WORK (scratch
files). The browser and the helpers are in dashboard_browser_lib.py.
"""
import json
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard_browser_lib import (HOST, IDENTITY, NETWORK, OBJECT_STORE, URL, WORK, checks_passed,
                                   click, driver, fail, go, http, js, login, logout, modal_closed,
                                   modal_fill, modal_ready, ok, row_button, row_with, session_project,
                                   shot, visible, wait)
from dashboard_browser_ops import admin_page, volume_extend_and_snapshot

MEMBER_PASSWORD = os.environ["DASH_MEMBER_PASSWORD"]  # alice changes it on the account page


def member_token():
    status, headers, _ = http("POST", IDENTITY + "/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "alice", "domain": {"name": "Default"},
            "password": MEMBER_PASSWORD}}},
        "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}})
    assert status == 201, status
    return headers["X-Subject-Token"]


def neutron(method, path, body=None, token=None):
    status, _, data = http(method, NETWORK + path, body, {"X-Auth-Token": token})
    if status >= 300:
        fail(f"{method} {path}: {status} {data[:300]!r}")
    return json.loads(data) if data else None


def image_edit_and_share():
    """Images: edit dash-image (a JSON patch) and share it with project demo2."""
    t0 = time.time()
    row_button("images", "dash-image", "Edit").click()
    modal_fill({"Minimum disk (GiB)": "1"})
    modal_closed("the image is saved")
    min_disk = js("return fetch('/api/svc/image/v2/images?name=dash-image').then(r => r.json())"
                  ".then(b => b.images[0].min_disk)")
    if min_disk != 1:
        fail(f"dash-image's min_disk is {min_disk} after the edit")
    demo2 = session_project("demo2")
    row_button("images", "dash-image", "Share").click()
    modal_fill({"Project ID": demo2})
    wait(lambda d: demo2 in d.find_element(By.ID, "image-members").text, "demo2 is listed as a member")
    shot("image-members")
    driver.find_element(By.CSS_SELECTOR, ".modal.show .btn-close").click()
    modal_closed("the share dialog closes")
    wait(lambda d: "shared" in (row_with("images", "dash-image").text or ""), "dash-image is shared")
    ok("edit dash-image (min_disk 1) and share it with demo2 (a member, pending)", t0)


def keypair_import():
    t0 = time.time()
    # dash-key's public half (no ssh-keygen needed), imported under another name.
    public = js("return fetch('/api/svc/compute/os-keypairs/dash-key').then(r => r.json())"
                ".then(b => b.keypair.public_key)").strip()
    click("#import-keypair")
    modal_fill({"Name": "dash-imported", "Public key (OpenSSH)": public})
    modal_closed("the key pair is imported")
    wait(lambda d: row_with("keypairs", "dash-imported"), "dash-imported is listed")
    row_button("keypairs", "dash-imported", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("keypairs", "dash-imported"), "dash-imported is deleted")
    ok("import a public key as a key pair, delete it", t0)


def resize_and_confirm():
    """Resize dash-vm to m1.small: VERIFY_RESIZE, confirm, ACTIVE, all pushed."""
    t0 = time.time()
    row_button("instances", "dash-vm", "Resize").click()
    modal_fill({"Flavor": "~m1.small"})
    modal_closed("the resize is accepted")
    wait(lambda d: "VERIFY_RESIZE" in (row_with("instances", "dash-vm").text or ""),
         "dash-vm waits for the resize's confirmation", 120)
    shot("instances-verify-resize")
    row_button("instances", "dash-vm", "Confirm resize").click()
    wait(lambda d: "ACTIVE" in (row_with("instances", "dash-vm").text or ""), "dash-vm is ACTIVE again", 60)
    flavor = js("return fetch('/api/svc/compute/servers/detail?name=dash-vm').then(r => r.json())"
                ".then(b => fetch('/api/svc/compute/flavors/' + b.servers[0].flavor.id)).then(r => r.json())"
                ".then(b => b.flavor.name)")
    if flavor != "m1.small":
        fail(f"dash-vm's flavor is {flavor} after the confirmed resize")
    if js("return window.__marker") != "still-here":
        fail("the page reloaded during the resize")
    ok("resize dash-vm to m1.small, VERIFY_RESIZE, confirm; ACTIVE without a reload", t0)

    # Back to m1.tiny, then revert: still m1.small.
    t0 = time.time()
    row_button("instances", "dash-vm", "Resize").click()
    modal_fill({"Flavor": "~m1.tiny"})
    modal_closed("the second resize is accepted")
    wait(lambda d: "VERIFY_RESIZE" in (row_with("instances", "dash-vm").text or ""),
         "dash-vm waits for the second resize's confirmation", 120)
    row_button("instances", "dash-vm", "Revert resize").click()
    wait(lambda d: "ACTIVE" in (row_with("instances", "dash-vm").text or ""), "dash-vm is ACTIVE after the revert", 120)
    flavor = js("return fetch('/api/svc/compute/servers/detail?name=dash-vm').then(r => r.json())"
                ".then(b => fetch('/api/svc/compute/flavors/' + b.servers[0].flavor.id)).then(r => r.json())"
                ".then(b => b.flavor.name)")
    if flavor != "m1.small":
        fail(f"dash-vm's flavor is {flavor} after the reverted resize")
    ok("resize dash-vm to m1.tiny, VERIFY_RESIZE, revert; ACTIVE on m1.small again", t0)


def topology_live():
    """The topology shows networks, the router and the instance, and redraws on events:
    a port of dash-net made for dash-vm (REST) joins them. Returns that port."""
    go("topology")
    t0 = time.time()
    wait(lambda d: all(n in d.find_element(By.ID, "topology").text
                       for n in ("public", "dash-net", "dash-router", "dash-vm")),
         "the topology names the networks, the router and the instance")
    wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#topology g.topo-router circle")) == 2,
         "the router joins public and dash-net")
    token = member_token()
    net = [n for n in neutron("GET", "/v2.0/networks", token=token)["networks"] if n["name"] == "dash-net"][0]
    server_id = js("return fetch('/api/svc/compute/servers?name=dash-vm').then(r => r.json())"
                   ".then(b => b.servers[0].id)")
    draws = js("return window.__topologyDraws")
    port = neutron("POST", "/v2.0/ports", {"port": {"network_id": net["id"], "name": "dash-port",
                                                    "device_id": server_id}}, token)["port"]
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'#topology g.topo-instance[data-id="{server_id}"] circle'),
         "the topology joins dash-vm to dash-net after the port event", 10)
    if js("return window.__topologyDraws") <= draws:
        fail("the topology did not redraw")
    ok("the topology draws networks, router and instance, and redraws on a port event", t0)
    shot("topology")
    return port


def containers():
    """Object storage: container, pseudo-folder, upload, download, public access, deletes."""
    go("containers")
    t0 = time.time()
    click("#create-container")
    modal_fill({"Name": "dash-c"})
    modal_closed("the container is created")
    wait(lambda d: row_with("containers", "dash-c"), "dash-c is listed")
    click("#create-folder")
    modal_fill({"Name": "docs"})
    modal_closed("the folder is created")
    click("#objects a.folder-link", "open the folder docs/")
    wait(lambda d: "docs" in d.find_element(By.ID, "object-path").text, "inside docs/")
    path = os.path.join(WORK, "hello.txt")
    with open(path, "w") as f:
        f.write("hello from the dashboard\n" * 1000)
    click("#upload-object")
    modal = modal_ready()
    modal.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(path)
    modal_fill({})
    modal_closed("the upload finishes")
    wait(lambda d: row_with("objects", "hello.txt"), "hello.txt is listed in docs/")
    href = row_with("objects", "hello.txt").find_element(By.CSS_SELECTOR, "a[download]").get_attribute("href")
    body = js(f"return fetch('{href}').then(r => r.text())")
    if body != "hello from the dashboard\n" * 1000:
        fail(f"the download link gives {body[:100]!r}")
    ok("create a container and a folder, upload a file into it, download it", t0)
    shot("containers")

    t0 = time.time()
    project = js("return fetch('/api/session').then(r => r.json()).then(s => s.project.id)")
    public_url = f"{OBJECT_STORE}/AUTH_{project}/dash-c/docs/hello.txt"
    click("#toggle-public")
    wait(lambda d: d.find_element(By.ID, "container-access").text == "public", "dash-c is public")
    status, _, _ = http("GET", public_url)
    if status != 200:
        fail(f"an anonymous GET of a public object got {status}")
    click("#toggle-public")
    wait(lambda d: d.find_element(By.ID, "container-access").text == "private", "dash-c is private again")
    status, _, _ = http("GET", public_url)
    if status not in (401, 403):
        fail(f"an anonymous GET of a private object got {status}")
    ok("make dash-c public (.r:* ACL: anonymous GET 200) and private again (401)", t0)

    row_button("objects", "hello.txt", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("objects", "hello.txt"), "hello.txt is deleted")
    driver.find_element(By.CSS_SELECTOR, "#object-path a").click()
    row_button("objects", "docs/", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("objects", "docs/"), "the folder is deleted")
    row_button("containers", "dash-c", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("containers", "dash-c"), "dash-c is deleted")
    ok("delete the object, the folder and the container")


def account():
    """Application credentials (create, log in with one, delete) and a password change."""
    global MEMBER_PASSWORD
    go("account")
    t0 = time.time()
    click("#create-app-credential")
    modal_fill({"Name": "dash-ac"})
    modal_closed("the application credential is created")
    ac_id = wait(visible("#app-credential-id"), "the new credential's id").text
    secret = driver.find_element(By.ID, "app-credential-secret-value").text
    wait(lambda d: row_with("app-credentials", "dash-ac"), "dash-ac is listed")
    shot("account")
    logout()
    wait(visible("#login-form"), "the login form")
    Select(driver.find_element(By.ID, "login-method")).select_by_value("app_cred")
    driver.find_element(By.ID, "login-app_cred_id").send_keys(ac_id)
    driver.find_element(By.ID, "login-app_cred_secret").send_keys(secret)
    driver.find_element(By.ID, "login-submit").click()
    wait(visible("#navbar"), "logged in with the application credential")
    who = js("return fetch('/api/session').then(r => r.json()).then(s => s.user.name + '/' + s.project.name)")
    if who != "alice/demo":
        fail(f"the application credential's session is {who}")
    ok("create an application credential and log in with it", t0)
    logout()
    login("alice", MEMBER_PASSWORD)
    go("account")
    row_button("app-credentials", "dash-ac", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("app-credentials", "dash-ac"), "dash-ac is deleted")

    t0 = time.time()
    new_password = MEMBER_PASSWORD + "-new"
    click("#change-password")
    modal_fill({"Current password": MEMBER_PASSWORD, "New password": new_password,
                "New password again": new_password})
    wait(visible("#login-form"), "the login form after the password change", 15)
    MEMBER_PASSWORD = new_password
    login("alice", MEMBER_PASSWORD)
    ok("change the password; the session ends; log in with the new one", t0)


def identity_admin():
    go("identity-admin")
    t0 = time.time()
    wait(lambda d: row_with("projects", "demo2"), "the admin sees the projects")
    wait(lambda d: row_with("users", "alice"), "the admin sees the users")
    wait(lambda d: row_with("roles", "member"), "the admin sees the roles")
    wait(lambda d: any("alice" in tr.text and "member" in tr.text and "demo" in tr.text
                       for tr in d.find_elements(By.CSS_SELECTOR, "#assignments tbody tr")),
         "the admin sees alice's member role on demo")
    click("#create-project")
    modal_fill({"Name": "dash-proj"})
    modal_closed("the project is created")
    wait(lambda d: row_with("projects", "dash-proj"), "dash-proj is listed")
    shot("identity-admin")
    row_button("projects", "dash-proj", "Disable").click()
    wait(lambda d: "Enable" in (row_with("projects", "dash-proj").text or ""), "dash-proj is disabled")
    row_button("projects", "dash-proj", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("projects", "dash-proj"), "dash-proj is deleted")
    ok("the admin sees projects, users, roles and assignments; creates and deletes a project", t0)


def member_flow():
    t0 = time.time()
    login("alice", MEMBER_PASSWORD)
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
    image_edit_and_share()
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
    keypair_import()
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

    # Launch the tiny test image (a real QEMU guest) from the wizard; ACTIVE arrives by the
    # event stream, without a reload. Before the network exists: with no network of its own
    # the instance gets no port (no network agent runs here to wire one).
    go("instances")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#instances"), "the instances table")
    driver.execute_script("window.__marker = 'still-here'")
    t0 = time.time()
    click("#launch-instance")
    modal_fill({"Name": "dash-vm", "Image": "tiny", "Flavor": "~m1.tiny", "Key pair": "dash-key"})
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

    # Console log: the guest's own boot output (the tiny image prints GUREUM-TINY-BOOTED).
    t0 = time.time()
    deadline = time.time() + 60
    while True:
        row_button("instances", "dash-vm", "Console log").click()
        out = wait(visible("#console-output"), "the console log dialog")
        modal_ready()
        if "GUREUM-TINY-BOOTED" in out.text:
            break
        if time.time() > deadline:
            fail(f"the console log lacks the guest's boot output: {out.text[-500:]!r}")
        driver.find_element(By.CSS_SELECTOR, "#console-modal .btn-close").click()
        modal_closed("the console dialog closes")
        time.sleep(1)
    ok("the console log shows the guest's boot output (GUREUM-TINY-BOOTED)", t0)
    shot("console-log")
    driver.find_element(By.CSS_SELECTOR, "#console-modal .btn-close").click()
    modal_closed("the console dialog closes")

    # Stop and start: SHUTOFF and ACTIVE again, pushed to the open page.
    for action, status in (("Stop", "SHUTOFF"), ("Start", "ACTIVE")):
        t0 = time.time()
        row_button("instances", "dash-vm", action).click()
        wait(lambda d: status in (row_with("instances", "dash-vm").text or ""), f"dash-vm turns {status}", 60)
        print(f"measure: {action} click to {status} on the page {time.time() - t0:.1f} s", flush=True)
    if driver.execute_script("return window.__marker") != "still-here":
        fail("the page reloaded during stop/start")
    ok("stop and start dash-vm; SHUTOFF and ACTIVE arrive without a reload")
    resize_and_confirm()

    # A volume: create, attach to the running guest, detach, delete; every status pushed
    # by volume.* events to the open page (no reload).
    go("volumes")
    driver.execute_script("window.__marker = 'volumes-page'")
    t0 = time.time()
    click("#create-volume")
    modal_fill({"Name": "dash-vol", "Size (GiB)": "1"})
    modal_closed("the volume is created")
    wait(lambda d: "available" in (row_with("volumes", "dash-vol").text or ""), "dash-vol is available", 60)
    ok("create a volume; available without a reload", t0)
    t0 = time.time()
    row_button("volumes", "dash-vol", "Attach").click()
    modal_fill({"Instance": "dash-vm"})
    modal_closed("the attach is accepted")
    wait(lambda d: "in-use" in (row_with("volumes", "dash-vol").text or ""), "dash-vol is in-use", 90)
    server_id = driver.execute_script(
        "return fetch('/api/svc/compute/servers?name=dash-vm').then(r => r.json()).then(b => b.servers[0].id)")
    wait(lambda d: server_id in (row_with("volumes", "dash-vol").text or ""), "the in-use row names dash-vm's id")
    ok("attach dash-vol to dash-vm; in-use without a reload", t0)
    shot("volumes")
    volume_extend_and_snapshot("dash-vol")
    t0 = time.time()
    row_button("volumes", "dash-vol", "Detach").click()
    wait(lambda d: "available" in (row_with("volumes", "dash-vol").text or ""), "dash-vol is available again", 90)
    ok("detach dash-vol; available again without a reload", t0)
    row_button("volumes", "dash-vol", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("volumes", "dash-vol"), "dash-vol is deleted", 60)
    if driver.execute_script("return window.__marker") != "volumes-page":
        fail("the volumes page reloaded")
    ok("delete dash-vol")

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

    # A port for the floating IP (REST as alice: the instance has no port, because no
    # network agent runs here to wire one, and there is no ports page).
    port = topology_live()

    go("floating-ips")
    t0 = time.time()
    click("#allocate-fip")
    modal_fill({"External network": "public"})
    modal_closed("the floating IP is allocated")
    wait(lambda d: row_with("floating-ips", "203.0.113."), "the floating IP is listed")
    row_button("floating-ips", "203.0.113.", "Associate").click()
    modal_fill({"Port": "~dash-vm"})
    modal_closed("the floating IP is associated")
    wait(lambda d: port["id"] in (row_with("floating-ips", "203.0.113.").text or ""), "the row shows the port")
    ok("allocate a floating IP and associate it", t0)
    shot("floating-ips")

    # Delete everything.
    t0 = time.time()
    row_button("floating-ips", "203.0.113.", "Release").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("floating-ips", "203.0.113."), "the floating IP is released")
    neutron("DELETE", f"/v2.0/ports/{port['id']}", token=member_token())
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

    containers()

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
    account()

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
        "domain": "Default", "user": "alice", "password": MEMBER_PASSWORD})
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
    admin_page()
    identity_admin()
    logout()
    wait(visible("#login-form"), "the login form after the admin's logout")


def first_rows_benchmark():
    """Time from navigation to the instances page to its first rows (server + paint)."""
    login("alice", MEMBER_PASSWORD)
    t0 = time.time()
    go("instances")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#instances"), "the instances table")
    took = (time.time() - t0) * 1000
    page_ms = driver.execute_script("return window.__instancesRenderMs")
    print(f"measure: instances page (empty project) to table {took:.0f} ms, fetch+render {page_ms:.0f} ms",
          flush=True)


try:
    member_flow()
    security_checks()
    admin_flow()
    first_rows_benchmark()
finally:
    driver.quit()
print(f"dashboard_browser: {checks_passed()} checks passed", flush=True)

"""Checks of dashboard_browser.py for the volume operations (extend and snapshot of an
in-use volume) and the admin page (compute services enable/disable, network agents,
flavors, every project's instances). The browser and helpers are dashboard_browser_lib.py's.
"""
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from dashboard_browser_lib import (click, driver, fail, go, modal_closed, modal_fill, ok, row_button,
                                   row_with, shot, wait)


def cell(table_id, text, col):
    tr = row_with(table_id, text)
    return tr.find_element(By.CSS_SELECTOR, f"td[data-col='{col}']").text if tr else ""


def wait_refreshing(cond, what, timeout=60):
    """Waits for cond, pressing the page's Refresh now and then: block storage sends no
    notification when a snapshot turns available, so nothing pushes that one."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if cond(driver):
                return
        except StaleElementReferenceException:
            pass
        time.sleep(1)
        driver.find_element(By.XPATH, "//button[normalize-space()='Refresh']").click()
        time.sleep(0.3)
    fail(f"timed out after {timeout} s: {what}")


def volume_extend_and_snapshot(volume):
    """On the volumes page, with `volume` in-use: a forced snapshot, an extend to one GiB
    more (microversion 3.42 through the proxy), and the snapshot's deletion."""
    t0 = time.time()
    row_button("volumes", volume, "Snapshot").click()
    modal_fill({"Name": f"{volume}-snap"})
    modal_closed("the snapshot is accepted")
    wait(lambda d: row_with("snapshots", f"{volume}-snap"), "the snapshot is listed")
    size = int(cell("volumes", volume, "size"))
    row_button("volumes", volume, "Extend").click()
    modal_fill({"New size (GiB)": str(size + 1)})
    modal_closed("the extend of the in-use volume is accepted")
    wait(lambda d: cell("volumes", volume, "size") == str(size + 1) and
         "in-use" in cell("volumes", volume, "status"), f"{volume} is {size + 1} GiB and in-use again", 90)
    ok(f"extend in-use {volume} to {size + 1} GiB (volume 3.42) without a reload", t0)
    wait_refreshing(lambda d: "available" in cell("snapshots", f"{volume}-snap", "status"),
                    "the snapshot is available")
    ok("snapshot the in-use volume (force); the snapshot is listed and available", t0)
    shot("volumes-snapshots")
    row_button("snapshots", f"{volume}-snap", "Delete").click()
    driver.switch_to.alert.accept()
    wait_refreshing(lambda d: not row_with("snapshots", f"{volume}-snap"), "the snapshot is deleted")
    ok("delete the snapshot")


def admin_page():
    """The admin page: disable and enable the compute agent's service, the network agents
    table, a flavor created and deleted, and the instances of every project."""
    go("admin")
    t0 = time.time()
    agent = "gureum-compute-agent"
    wait(lambda d: row_with("compute-services", agent), "the compute agent's service")
    row_button("compute-services", agent, "Disable").click()
    wait(lambda d: cell("compute-services", agent, "status") == "disabled", "the compute service is disabled")
    row_button("compute-services", agent, "Enable").click()
    wait(lambda d: cell("compute-services", agent, "status") == "enabled", "the compute service is enabled")
    ok("the admin disables and enables the compute service", t0)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#network-agents"), "the network agents table")
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#network-agents thead th")]
    if headers[:4] != ["Host", "Type", "Alive", "Admin state"]:
        fail(f"the network agents table's columns: {headers}")
    ok("the admin sees the network agents table")
    t0 = time.time()
    click("#create-flavor")
    modal_fill({"Name": "dash-flavor", "vCPUs": "2", "RAM (MiB)": "256", "Disk (GiB)": "2"})
    modal_closed("the flavor is created")
    wait(lambda d: row_with("flavors", "dash-flavor"), "dash-flavor is listed")
    if cell("flavors", "dash-flavor", "ram") != "256":
        fail("dash-flavor's RAM")
    # The dialog's backdrop fades out a moment longer; the row is low on the page.
    wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".modal-backdrop"), "the dialog's backdrop is gone")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", row_with("flavors", "dash-flavor"))
    row_button("flavors", "dash-flavor", "Delete").click()
    driver.switch_to.alert.accept()
    wait(lambda d: not row_with("flavors", "dash-flavor"), "dash-flavor is deleted")
    ok("the admin creates and deletes a flavor", t0)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#all-instances"), "the all-instances table")
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#all-instances thead th")]
    if "Project" not in headers:
        fail(f"the all-instances table has no project column: {headers}")
    ok("the admin sees the instances of every project (a project column)")
    shot("admin")

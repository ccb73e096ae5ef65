"""The instances page's time to first rows with many instances (dashboard_bench_run.sh).

Environment: DASH_URL, DASH_MEMBER_PASSWORD (alice in demo), DASH_COUNT.
"""
import json
import os
import statistics
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ["DASH_URL"]


def api_timing(cookie, runs=20):
    """Server side: the proxied first page (limit 20) of the instances list."""
    times = []
    for _ in range(runs):
        req = urllib.request.Request(URL + "/api/svc/compute/servers/detail?limit=20&sort_key=created_at&sort_dir=desc",
                                     headers={"Cookie": cookie, "X-OpenStack-Nova-API-Version": "2.15"})
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.loads(r.read())
        times.append((time.perf_counter() - t0) * 1000)
        assert len(body["servers"]) == 20, len(body["servers"])
    return times


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--window-size=1280,900", "--disable-gpu",
            "--disable-dev-shm-usage"):
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
try:
    driver.get(URL + "/#/login")
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "login-form"))
    driver.find_element(By.ID, "login-user").send_keys("alice")
    driver.find_element(By.ID, "login-password").send_keys(os.environ["DASH_MEMBER_PASSWORD"])
    driver.find_element(By.ID, "login-submit").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "navbar").is_displayed())
    cookie = "gureum_session=" + driver.get_cookie("gureum_session")["value"]
    page = []
    for i in range(10):
        driver.execute_script("location.hash = '#/overview'")
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "quota-charts"))
        # From the hash change to the first row painted (requestAnimationFrame after the
        # table is in the DOM), measured in the page.
        ms = driver.execute_async_script("""
            const done = arguments[0];
            const t0 = performance.now();
            const seen = () => document.querySelector('#instances tbody tr');
            location.hash = '#/instances';
            (function poll() {
              if (seen()) requestAnimationFrame(() => done(performance.now() - t0));
              else setTimeout(poll, 2);
            })();""")
        page.append(ms)
    rows = len(driver.find_elements(By.CSS_SELECTOR, "#instances tbody tr"))
    api = api_timing(cookie)
    print(f"measure: {os.environ['DASH_COUNT']} instances: first rows ({rows} shown) painted "
          f"median {statistics.median(page):.0f} ms, max {max(page):.0f} ms over {len(page)} loads",
          flush=True)
    print(f"measure: proxied GET servers/detail?limit=20: median {statistics.median(api):.0f} ms, "
          f"max {max(api):.0f} ms over {len(api)} calls", flush=True)
finally:
    driver.quit()

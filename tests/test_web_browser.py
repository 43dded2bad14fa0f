"""End to end in headless Chromium: `keicar serve` on a free loopback port, the page at
phone width, the form filled and submitted, the verdict read, a script payload shown as
text, a state clicked on the map; screenshots in test-artifacts/."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = (390, 844)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no Chromium browser and driver on this machine (apt-get install chromium chromium-driver; .ci/run does)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "keicar", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as res:
                assert json.load(res)["status"] == "ok"
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"keicar serve did not start: {proc.stdout.read().decode(errors='replace')}")
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # the machine has no network: without these Chromium waits on connection attempts
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    viewport(driver, *PHONE)  # a window cannot be made this narrow; the viewport can
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout=15):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # the page re-renders a section when an answer arrives: an element read a moment ago may be gone
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def fill(driver, values: dict):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    for name, value in values.items():
        field = driver.find_element(By.ID, name)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
        elif field.get_attribute("type") in ("date", "month"):  # typed keys depend on the locale
            driver.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)


def script_errors(driver) -> list[str]:
    """Errors the page's scripts raised since the last call (a 4xx/5xx answer the page shows
    is not one)."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


def viewport(driver, width: int, height: int):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})


def screenshot(driver, name: str, width: int = PHONE[0]):
    """The whole page, at phone width unless told."""
    ARTIFACTS.mkdir(exist_ok=True)
    viewport(driver, width, PHONE[1])
    height = driver.execute_script("return document.documentElement.scrollHeight")
    viewport(driver, width, max(PHONE[1], height))
    driver.save_screenshot(str(ARTIFACTS / name))
    viewport(driver, *PHONE)


TRUCK = {"built": "1999-05", "body": "truck", "length_mm": "3395", "width_mm": "1475", "height_mm": "1765",
         "cc": "658", "on": "2026-11-24"}


def test_form_to_verdict_at_phone_width(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert browser.execute_script("return window.innerWidth") <= PHONE[0]
    fill(browser, TRUCK)
    browser.find_element(By.ID, "check-btn").click()
    verdict = wait_for(browser, lambda d: d.find_elements(By.ID, "verdict"))[0]
    assert verdict.text.startswith("Kei under the 1998-10-01 standard")
    assert "Importable to the US on 2026-11-24 (25-year path, since 2024-05-31)" in verdict.text
    tables = browser.find_elements(By.CSS_SELECTOR, "table.steps")
    assert len(tables) == 2  # Japan when built, US federal (today's standard is the same one)
    marks = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.mark")]
    assert marks and set(marks) == {"✔"}
    sources = browser.find_elements(By.CSS_SELECTOR, "td[data-label=Source]")
    assert sources and all(s.text.strip() not in ("", "—") for s in sources)
    # nothing wider than the phone: no sideways scrolling
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(browser, "page.png")
    screenshot(browser, "page-desktop.png", width=1280)
    assert script_errors(browser) == []


def test_failed_rule_shows_a_cross(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    fill(browser, {**TRUCK, "width_mm": "1495"})
    browser.find_element(By.ID, "check-btn").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "verdict"))
    failed = browser.find_elements(By.CSS_SELECTOR, "tr.fail")
    assert [row.find_element(By.CSS_SELECTOR, "td[data-label=Rule]").text for row in failed] == ["Width"]
    assert failed[0].find_element(By.CSS_SELECTOR, "td.mark").text == "✘"


def test_typed_markup_is_shown_as_text_never_run(server, browser):
    from selenium.webdriver.common.by import By

    payload = "<img src=x onerror=window.__xss=1><script>__xss=2</script>"
    browser.get(server + "/")
    fill(browser, {**TRUCK, "height_mm": payload})
    browser.find_element(By.ID, "check-btn").click()
    # the field is named by its label, as people read it
    wait_for(browser, lambda d: d.find_element(By.ID, "check-error").text.startswith("Height: "))
    box = browser.find_element(By.ID, "check-error")
    assert payload in box.text  # shown literally
    assert box.find_elements(By.CSS_SELECTOR, "script, img") == []
    assert browser.execute_script("return window.__xss === undefined")
    assert browser.find_element(By.ID, "height_mm").get_attribute("aria-invalid") == "true"
    screenshot(browser, "page-error.png")

def show_map_on(driver, day: str):
    """Set the map's date and wait until the map of that day is drawn."""
    fill(driver, {"map-on": day})
    driver.execute_script("document.getElementById('map-on').dispatchEvent(new Event('change'))")
    shown = wait_for(driver, lambda d: d.execute_script(
        "const b = document.getElementById('map');"
        "if (b.dataset.on !== arguments[0]) return null;"
        "if (b.querySelector('svg')) return 'svg';"
        "const n = b.querySelector('.note'); return n ? n.textContent : null;", day))
    assert shown == "svg", shown


def click_state(driver, code: str) -> bool:
    from selenium.webdriver.common.by import By

    state = driver.find_element(By.ID, f"state-{code}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", state)
    state.click()
    return True


def test_map_click_shows_the_state(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    show_map_on(browser, "2026-11-24")
    # the first map (today's) may still be replaced by this date's: click inside waits

    wait_for(browser, lambda d: click_state(d, "TX"))
    title = wait_for(browser, lambda d: (t := d.find_element(By.ID, "state-title").text) and t)
    assert "Texas" in title and "2026-11-24" in title
    assert wait_for(browser, lambda d: "selected" in d.find_element(By.ID, "state-TX").get_attribute("class"))
    detail = browser.find_element(By.ID, "state-detail")
    assert "History" in detail.text and "Sources" in detail.text
    assert detail.find_elements(By.CSS_SELECTOR, ".sources a[href^='http']")
    screenshot(browser, "page-map.png")
    assert script_errors(browser) == []


def test_chassis_code_alone_fills_the_form_answer(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    fill(browser, {"chassis": "PP1", "built": "1991-05", "on": "2026-11-24"})
    browser.find_element(By.ID, "lookup-btn").click()
    wait_for(browser, lambda d: "Honda Beat" in d.find_element(By.ID, "lookup-out").text)
    browser.find_element(By.ID, "check-btn").click()
    note = wait_for(browser, lambda d: d.find_elements(By.ID, "from-catalog"))[0]
    assert note.text.startswith("From the catalog (PP1: Honda Beat")
    assert browser.find_element(By.ID, "verdict").text.startswith("Kei under the 1990-01-01 standard")
    screenshot(browser, "page-chassis.png")
    assert script_errors(browser) == []


def test_calendar_lists_the_month(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    fill(browser, {"cal-month": "2026-11"})
    browser.execute_script("document.getElementById('cal-month').dispatchEvent(new Event('change'))")
    text = wait_for(browser, lambda d: (t := d.find_element(By.ID, "calendar-out").text) and "2026-11" in t and t)
    assert text.startswith("First builds becoming importable in 2026-11")
    assert "MR Wagon" in text


def test_other_country(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    fill(browser, {**TRUCK, "country": "CA"})
    browser.find_element(By.ID, "check-btn").click()
    verdict = wait_for(browser, lambda d: d.find_elements(By.ID, "verdict"))[0]
    assert "Importable to Canada on 2026-11-24" in verdict.text
    assert any(h.text.startswith("Canada, on 2026-11-24") for h in browser.find_elements(By.CSS_SELECTOR, "#result h3"))


def test_api_docs_render_offline(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/docs")
    heads = wait_for(browser, lambda d: [h.text for h in d.find_elements(By.CSS_SELECTOR, "#docs h2 code")])
    assert "POST /v1/check" in heads and "GET /v1/states/{code}" in heads
    assert "built" in browser.find_element(By.ID, "docs").text


def test_check_with_a_state(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#state option[value=TX]"))
    fill(browser, {**TRUCK, "state": "TX"})
    browser.find_element(By.ID, "check-btn").click()
    block = wait_for(browser, lambda d: (t := d.find_element(By.ID, "state-block").text) and t)
    assert block.startswith("State: Texas")
    assert "Status" in block and "In force since" in block
    screenshot(browser, "page-state.png")
    assert script_errors(browser) == []



# what the page must say for each hatched basis (docs/law-format.md, "A state file")
WEAK_BASIS_WORDS = {
    "agency_practice_reported": "Reported agency practice: others report that the agency acts this way "
                                "(titles refused or revoked)",
    "secondary_only": "Secondary sources only: only secondary sources (aggregators, dealers, news) say so, "
                      "and they agree",
}


def test_hatched_state_shows_its_basis_in_words_and_the_legend_once(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    show_map_on(browser, "2026-11-24")
    # one legend: the page's list; the drawing's own legend is taken out of it
    legend = browser.execute_script(
        "const m = document.getElementById('map');"
        "return {lists: m.querySelectorAll('ul.legend').length, drawn: m.querySelectorAll('svg #legend').length,"
        " offroad: m.textContent.split('Off-road only').length - 1, hatched: m.textContent.split('Hatched:').length - 1,"
        " hatchedSwatch: m.querySelectorAll('ul.legend .swatch.hatched').length}")
    assert legend == {"lists": 1, "drawn": 0, "offroad": 1, "hatched": 1, "hatchedSwatch": 1}, legend
    # the drawing ends where its legend was: nothing left below the states
    assert browser.execute_script(
        "const s = document.querySelector('#map svg'); const g = s.querySelector('#states').getBBox();"
        "return s.viewBox.baseVal.y + s.viewBox.baseVal.height - (g.y + g.height) < 20")
    key = browser.find_element(By.ID, "basis-key").text
    for name in ("Statute", "Regulation", "Agency guidance", "Reported agency practice", "No kei rule",
                 "Secondary sources only"):
        assert key.count(name) == 1, name
    assert browser.find_element(By.ID, "changes-feed").get_attribute("href") == server + "/v1/changes.atom"

    hatched = browser.execute_script(
        "return [...document.querySelectorAll('#map g.state')]"
        ".filter((g) => g.querySelector('path[fill=\"url(#weak)\"]')).map((g) => [g.id, g.dataset.basis])")
    assert hatched and all(basis in WEAK_BASIS_WORDS for _, basis in hatched), hatched
    # a click lands on the middle of a state's box: pick one whose middle is land (not Hawaii's sea)
    state_id = browser.execute_script(
        "for (const id of arguments[0]) {"
        "  const g = document.getElementById(id); g.scrollIntoView({block: 'center'});"
        "  const r = g.getBoundingClientRect();"
        "  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
        "  if (hit && hit.closest('g.state') === g) return id; }", [i for i, _ in hatched])
    assert state_id, hatched
    basis = dict(hatched)[state_id]
    browser.find_element(By.ID, state_id).click()
    shown = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#state-detail dd.basis"))[0]
    assert shown.text == WEAK_BASIS_WORDS[basis]
    # next to the confidence it qualifies
    terms = [dt.text for dt in browser.find_elements(By.CSS_SELECTOR, "#state-detail dl dt")]
    assert terms[terms.index("Confidence") + 1] == "Rests on"
    code = state_id.removeprefix("state-")
    feed = browser.find_element(By.PARTIAL_LINK_TEXT, "changes")
    assert feed.get_attribute("href") == f"{server}/v1/changes.atom?state={code}"
    screenshot(browser, "page-map-basis.png")
    screenshot(browser, "page-map-basis-desktop.png", width=1280)
    assert script_errors(browser) == []


# ---------------------------------------------------------------- issue 15: the page for people

DESKTOP = (1280, 900)
WIDTHS = {"phone": PHONE[0], "desktop": DESKTOP[0]}
FORM_FIELDS = ["chassis", "built", "body", "length_mm", "width_mm", "height_mm", "cc", "stroke", "ev_kw",
               "country", "state", "registered", "on", "price", "currency", "fx", "freight_usd", "entry_date"]


@pytest.fixture(params=list(WIDTHS))
def width(request, browser):
    w = WIDTHS[request.param]
    viewport(browser, w, PHONE[1] if w == PHONE[0] else DESKTOP[1])
    yield request.param
    viewport(browser, *PHONE)


def shot(driver, name: str, width: str):
    """A whole-page screenshot at that width; the test goes on at the same width."""
    w = WIDTHS[width]
    screenshot(driver, name, w)
    viewport(driver, w, PHONE[1] if w == PHONE[0] else DESKTOP[1])


def open_page(driver, server, query=""):
    from selenium.webdriver.common.by import By

    driver.get(f"{server}/{query}")
    # the labels and the states are in: the page is ready to check
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#state option[value=TX]")
             and d.find_elements(By.CSS_SELECTOR, "#basis-key dt"))


def submit(driver):
    from selenium.webdriver.common.by import By

    # the answer shown is marked; the new one is a new element
    driver.execute_script("const p = document.getElementById('plain'); if (p) p.dataset.old = '1'")
    driver.find_element(By.ID, "check-btn").click()
    return wait_for(driver, lambda d: (p := d.find_elements(By.CSS_SELECTOR, "#plain:not([data-old])")) and p[0])


def test_empty_page_has_no_errors_an_icon_and_labels(server, browser, width):
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    with urllib.request.urlopen(f"{server}/favicon.ico") as res:
        assert res.status == 200 and res.headers["content-type"].startswith("image/svg")
    assert browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href").endswith("favicon.svg")
    # no example value sits in a field looking like a real one
    assert [f for f in FORM_FIELDS if browser.find_element(By.ID, f).get_attribute("placeholder")] == []
    show_map_on(browser, today_iso(browser))
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.legend")) == 1
    shot(browser, f"empty-{width}.png", width)
    assert script_errors(browser) == []


def today_iso(driver) -> str:
    return driver.execute_script("return new Date().toISOString().slice(0, 10)")


def test_every_field_has_a_label_and_tab_reaches_it(server, browser, width):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, server)
    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('#check-form input, #check-form select, #states input, #states select,"
        " #calendar input')].filter((e) => !e.labels.length || !e.labels[0].textContent.trim()).map((e) => e.id)")
    assert unlabelled == []
    browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    reached = []
    for _ in range(90):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        got = browser.execute_script("return document.activeElement.id")
        if got == "check-btn":
            break
        reached.append(got)
    fields = list(dict.fromkeys(f for f in reached if f in FORM_FIELDS))  # a date field has a stop per part
    assert fields == FORM_FIELDS, reached  # every field, in reading order
    assert "lookup-btn" in reached


def test_search_fills_the_form_and_an_off_road_truck_is_not_green(server, browser, width):
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    fill(browser, {"chassis": "HA7"})
    browser.find_element(By.ID, "lookup-btn").click()
    wait_for(browser, lambda d: "Acty" in d.find_element(By.ID, "lookup-out").text)
    # what the catalog knows is filled in; what it does not is said, not shown as a value
    assert browser.find_element(By.ID, "length_mm").get_attribute("value") == "3395"
    assert browser.find_element(By.ID, "height_mm").get_attribute("value") == ""
    assert browser.find_element(By.ID, "hint-height_mm").text == "not in the catalog: give yours"
    assert browser.find_element(By.ID, "hint-length_mm").text == "from the catalog"
    assert "1999-05 to 2009-12 (a range)" in browser.find_element(By.ID, "hint-built").text
    fill(browser, {"built": "2003-06", "height_mm": "1765", "on": "2026-11-30"})
    plain = submit(browser)
    assert plain.get_attribute("data-tone") == "off_road"
    assert plain.text.endswith("Not for road use until 2028-06-30, when it turns 25 (the 25-year rule); "
                               "before then only as an off-road vehicle with a 25 mph governor.")
    chips = [c.get_attribute("class") for c in browser.find_elements(By.CSS_SELECTOR, ".chip")]
    assert "chip unknown" in chips and "✔ US import" not in browser.find_element(By.ID, "verdict").text
    assert "code E" not in browser.find_element(By.ID, "result").text.split("Papers")[0]
    assert script_errors(browser) == []


def test_a_range_in_the_catalog_is_marked_as_one(server, browser, width):
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    fill(browser, {"chassis": "DA63T"})
    browser.find_element(By.ID, "lookup-btn").click()
    out = wait_for(browser, lambda d: (t := d.find_element(By.ID, "lookup-out").text) and "Carry" in t and t)
    assert "1755–1800 (a range)" in out
    assert browser.find_element(By.ID, "height_mm").get_attribute("value") == ""
    assert browser.find_element(By.ID, "hint-height_mm").text == "catalog: 1755–1800 (a range); give yours"
    assert browser.find_element(By.ID, "height_mm").get_attribute("aria-describedby") == "hint-height_mm"


def test_check_with_state_and_cost_is_cited_and_shared_by_its_address(server, browser, width):
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    fill(browser, {**TRUCK, "state": "TX", "price": "600000", "fx": "150", "freight_usd": "1500",
                   "entry_date": "2026-11-24"})
    plain = submit(browser)
    expected = ("You can import it on 2026-11-24 (the date asked) under the 25-year rule (eligible since 2024-05-31, "
                "25 years after it was built) and drive it on Texas roads, interstates included.")
    assert plain.get_attribute("data-tone") == "road" and plain.text.endswith(expected)
    cost = wait_for(browser, lambda d: d.find_elements(By.ID, "cost"))[0]
    assert "Price ¥600,000 at 150 yen per dollar = $4,000.00" in cost.text
    rows = cost.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) >= 5 and rows[-1].text.startswith("Total landed")
    assert all(r.find_element(By.CSS_SELECTOR, "td[data-label=Source]").text.strip() not in ("", "—") for r in rows)
    papers = browser.find_element(By.ID, "papers").text
    assert "Bill of sale" in papers and "bill_of_sale" not in papers
    shown = browser.find_element(By.ID, "result").text
    for raw in ("conditions_not_checked", "unrestricted", "Applies to", "(both)", "mirror"):
        assert raw not in shown, raw
    assert "kei cars and kei trucks/vans alike" in shown
    shot(browser, f"check-state-cost-{width}.png", width)
    # the address holds the inputs: opened afresh, it gives the same answer
    address = browser.current_url
    assert "state=TX" in address and "price=600000" in address and "built=1999-05" in address
    browser.get("about:blank")
    browser.get(address)
    again = wait_for(browser, lambda d: (p := d.find_elements(By.ID, "plain")) and p[0])
    assert again.text.endswith(expected)
    assert wait_for(browser, lambda d: d.find_elements(By.ID, "cost"))
    assert script_errors(browser) == []


def test_the_same_truck_in_georgia_is_told_no(server, browser, width):
    open_page(browser, server, "?built=1999-05&body=truck&length_mm=3395&width_mm=1475&height_mm=1765&cc=658"
                               "&state=GA&on=2026-11-24")
    from selenium.webdriver.common.by import By

    plain = wait_for(browser, lambda d: (p := d.find_elements(By.ID, "plain")) and p[0])
    assert plain.get_attribute("data-tone") == "no"
    assert plain.text.endswith("but Georgia does not register it for road use.")


def test_grandfathering_by_first_registration(server, browser, width):

    open_page(browser, server)
    fill(browser, {**TRUCK, "state": "RI"})
    assert submit(browser).get_attribute("data-tone") == "no"
    fill(browser, {"registered": "2024-05-31"})
    plain = submit(browser)
    assert plain.get_attribute("data-tone") == "road_restricted", plain.text
    assert "roads posted 35 mph or less" in plain.text and "before 2024-06-01" in plain.text


def test_bad_input_is_shown_beside_its_field(server, browser, width):
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    fill(browser, {**TRUCK, "built": "1999-13"})
    browser.find_element(By.ID, "check-btn").click()
    msg = wait_for(browser, lambda d: d.find_elements(By.ID, "error-built"))[0]
    assert msg.text.startswith("'1999-13' has no month 13; use YYYY-MM-DD, YYYY-MM")
    assert browser.find_element(By.ID, "check-error").text == "Built: " + msg.text
    field = browser.find_element(By.ID, "built")
    assert field.get_attribute("aria-invalid") == "true" and field.get_attribute("aria-describedby") == "error-built"
    assert browser.execute_script("return document.getElementById('error-built').closest('label')"
                                  " === document.getElementById('built').closest('label')")
    assert browser.switch_to.active_element.get_attribute("id") == "built"
    shot(browser, f"bad-input-{width}.png", width)
    # a bad cost field is named beside it too, and the check still answers
    fill(browser, {"built": "1999-05", "price": "lots"})
    submit(browser)
    cost_msg = wait_for(browser, lambda d: d.find_elements(By.ID, "error-price"))[0]
    assert cost_msg.text and "price_jpy" not in cost_msg.text
    assert browser.find_element(By.ID, "check-error").text == f"Price: {cost_msg.text}"
    assert browser.find_elements(By.ID, "error-built") == []


def test_map_and_a_state_at_both_widths(server, browser, width):
    from selenium.webdriver.common.by import By

    open_page(browser, server)
    show_map_on(browser, "2026-11-24")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map ul.legend")) == 1
    shot(browser, f"map-{width}.png", width)

    wait_for(browser, lambda d: click_state(d, "TX"))
    wait_for(browser, lambda d: "Texas" in d.find_element(By.ID, "state-title").text)
    detail = browser.find_element(By.ID, "state-detail").text
    assert "may be registered and driven on any road" in detail and "kei cars and kei trucks/vans alike" in detail
    assert "read via" not in detail and "mirror" not in detail
    shot(browser, f"state-{width}.png", width)
    assert script_errors(browser) == []
